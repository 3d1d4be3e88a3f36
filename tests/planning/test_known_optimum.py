"""Sizing on cases whose optimum is known by hand: PV against the import or export price,
a battery against a time-of-use spread."""

from __future__ import annotations

import numpy as np
import pytest
from planning_helpers import JUNE, ONLY_PV, config, one_building

from sparcs.planning import load_costs, plan_district
from sparcs.planning.finance import annuity_factor
from sparcs.planning.setup import prepare

ROOF_KWP = 50.0 * 0.2  # roof_area_m2 x 0.2 kWp/m2


def _pv_breakeven_capex(scenario: object, price: float) -> float:
    """Capex [EUR/kWp] at which the PV's annual cost per kWh equals ``price``."""
    setup = prepare(scenario, config(period=JUNE, **ONLY_PV))  # type: ignore[arg-type]
    agg = setup.agg
    yield_kwh = float(np.sum(setup.cand.pv_yield[agg.idx, 0] * agg.weight)) * setup.sp.problem.dt_h
    pv = load_costs("DE")["pv"]
    return price * yield_kwh / (annuity_factor(0.04, pv.lifetime_years) + pv.opex_fixed_pct / 100)


@pytest.mark.parametrize(("factor", "expected"), [(0.9, ROOF_KWP), (1.1, 0.0)])
def test_self_consumed_pv_is_built_to_the_roof_iff_cheaper_than_the_import_price(
    factor: float, expected: float
) -> None:
    s = one_building(2.0e6)
    setup = prepare(s, config(period=JUNE, **ONLY_PV))
    # every kWh of PV replaces an imported kWh: the load exceeds the full roof's output
    p = setup.sp.problem
    assert np.min(p.demand_el_kw[:, 0]) > ROOF_KWP * setup.cand.pv_yield[:, 0].max()
    capex = factor * _pv_breakeven_capex(s, 0.30)
    result = plan_district(s, config(period=JUNE, costs={"pv": {"capex": capex}}, **ONLY_PV))
    assert result.plan.sizes["pv"] == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(("factor", "expected"), [(0.9, ROOF_KWP), (1.1, 0.0)])
def test_exported_pv_is_built_iff_cheaper_than_the_export_price(
    factor: float, expected: float
) -> None:
    s = one_building(0.0)
    capex = factor * _pv_breakeven_capex(s, 0.05)
    result = plan_district(s, config(period=JUNE, costs={"pv": {"capex": capex}}, **ONLY_PV))
    assert result.plan.sizes["pv"] == pytest.approx(expected, abs=1e-4)
    if expected:
        # all of it exported: the saving is the export revenue
        assert result.plan.operating_cost_eur < result.baseline.operating_cost_eur


ONLY_BATTERY = {"pv": False, "heat_pump": False, "thermal_storage": False, "retrofit": ()}
EVENING = {
    "kind": "tou",
    "import_eur_per_kwh": 0.10,
    "export_eur_per_kwh": 0.05,
    "tou": [{"start_hour": 17, "end_hour": 21, "price_eur_per_kwh": 0.50}],
}
CHEAP_BATTERY = {"battery_energy": {"capex": 1.0}, "battery_power": {"capex": 1.0}}


@pytest.mark.parametrize("where", ["building", "district"])
def test_battery_covers_the_evening_peak_when_the_spread_pays_for_it(where: str) -> None:
    s = one_building(300_000.0, tariff=EVENING)
    cfg = config(period=JUNE, typical_days=4, costs=CHEAP_BATTERY, battery=where, **ONLY_BATTERY)
    setup = prepare(s, cfg)
    p, agg = setup.sp.problem, setup.agg
    # the model's load: each typical day scaled to its cluster's mean
    load = np.asarray(p.demand_el_kw)[agg.idx, 0] * agg.factor("electricity")
    dear = np.asarray(p.import_cost)[agg.idx] > 0.3
    daily = (load * dear).reshape(-1, agg.day_steps).sum(axis=1) * p.dt_h
    # by hand: each typical day's evening load is discharged (eta_d = 0.95 over a usable
    # 90 % of the capacity); the power covers the highest evening hour
    energy = daily.max() / (0.95 * (1.0 - 0.1))
    power = load[dear].max()
    assert energy < setup.cand.sizes["battery_energy"].upper.max()  # the bound does not bind
    result = plan_district(s, cfg)
    assert result.plan.sizes["battery_energy"] == pytest.approx(energy, rel=1e-4)
    assert result.plan.sizes["battery_power"] == pytest.approx(power, rel=1e-4)


@pytest.mark.parametrize(
    ("tariff", "costs"),
    [
        (EVENING, {"battery_energy": {"capex": 3000.0}}),  # 3000 EUR/kWh: > 365 d x 0.39 EUR/kWh
        ({"import_eur_per_kwh": 0.30, "export_eur_per_kwh": 0.05}, CHEAP_BATTERY),  # no spread
    ],
)
def test_battery_is_not_built_without_a_spread_that_pays_its_annuity(
    tariff: dict[str, object], costs: dict[str, object]
) -> None:
    s = one_building(300_000.0, tariff=tariff)
    result = plan_district(
        s, config(period=JUNE, typical_days=4, costs=costs, battery="building", **ONLY_BATTERY)
    )
    assert result.plan.sizes["battery_energy"] == 0.0
    assert result.plan.capex_eur == pytest.approx(0.0, abs=1e-6)
