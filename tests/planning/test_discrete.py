"""Yes/no decisions: whole retrofit packages and catalogue sizes by a MILP."""

from __future__ import annotations

import numpy as np
import pytest
from planning_helpers import config, small_district

from sparcs.planning import plan_district
from sparcs.planning.discrete import catalogue


@pytest.fixture(scope="module")
def plans() -> tuple[object, object]:
    cfg = config(typical_days=3, verify=False)
    return (
        plan_district(small_district(), cfg),
        plan_district(small_district(), config(typical_days=3, verify=False, discrete=True)),
    )


def test_discrete_plan_is_feasible_and_no_cheaper_than_the_continuous_one(
    plans: tuple[object, object],
) -> None:
    continuous, discrete = plans
    assert discrete.mip_gap is not None and discrete.mip_gap <= 0.01  # type: ignore[attr-defined]
    lower = discrete.continuous_plan  # type: ignore[attr-defined]
    assert lower.total_annual_cost_eur == pytest.approx(
        continuous.plan.total_annual_cost_eur, rel=1e-6
    )  # type: ignore[attr-defined]
    assert (
        discrete.plan.total_annual_cost_eur  # type: ignore[attr-defined]
        >= lower.total_annual_cost_eur * (1 - 1e-9)
    )
    assert any("MIP gap" in n for n in discrete.notes)  # type: ignore[attr-defined]


def test_discrete_plan_takes_whole_packages_and_catalogue_sizes(
    plans: tuple[object, object],
) -> None:
    _, discrete = plans
    base = {b.id: b for b in small_district().buildings}
    hp_sizes = catalogue()["hp"].sizes
    for b in discrete.plan.scenario.buildings:  # type: ignore[attr-defined]
        before = base[b.id]
        if b.pv is not None:
            added = b.pv.kwp - (before.pv.kwp if before.pv is not None else 0.0)
            assert added / 0.4 == pytest.approx(round(added / 0.4), abs=1e-6)
        if (
            b.heat_pump is not None
            and before.heat_pump is None
            and before.heating != "air_source_hp"
        ):
            assert min(abs(b.heat_pump.capacity_kw - s) for s in hp_sizes) < 1e-6
    area = {b.id: b.floor_area_m2 for b in small_district().buildings}
    for m2 in discrete.plan.retrofit_m2.values():  # type: ignore[attr-defined]
        # whole buildings only: the area is a sum of whole floor areas
        assert any(abs(m2 - s) < 1e-6 for s in _subset_sums(list(area.values())))


def _subset_sums(values: list[float]) -> set[float]:
    sums = {0.0}
    for v in values:
        sums |= {s + v for s in sums}
    return sums


def test_catalogue_has_sources() -> None:
    items = catalogue()
    assert {"pv", "battery_energy", "hp", "tank"} <= set(items)
    for item in items.values():
        assert item.source.startswith("[est]")
        assert (item.step is not None) != bool(item.sizes)
        assert np.all(np.diff(item.sizes) > 0)
