"""The support of a Flows object: where flows may be non-zero, and readers that rely on it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sparcs.climate import load_weather
from sparcs.errors import DataError
from sparcs.kpi import compute_kpis
from sparcs.operation.flows import Flows
from sparcs.operation.rule import simulate
from sparcs.profiles.build import build_inputs
from sparcs.testing import synthetic_district


@pytest.fixture(scope="module")
def simulated() -> tuple[object, Flows]:
    scenario = synthetic_district(40, seed=11)
    return scenario, simulate(scenario, build_inputs(scenario, load_weather(scenario)))


def test_simulation_lists_a_tight_support(simulated: tuple[object, Flows]) -> None:
    _, flows = simulated
    pumps = flows.capacities["hp_kw"][:-1] > 0
    assert flows.support["hp_el_kwh"][:-1].tolist() == pumps.tolist()
    assert not pumps.all(), "the case needs buildings without a heat pump"
    # column-major, so the columns outside the support were never written
    assert flows["hp_el_kwh"].flags.f_contiguous


def test_kpis_are_the_same_with_and_without_the_support(simulated: tuple[object, Flows]) -> None:
    scenario, flows = simulated
    plain = dataclasses.replace(flows, support={},
                                data={k: np.ascontiguousarray(v) for k, v in flows.data.items()})
    with_support, without = compute_kpis(flows, scenario), compute_kpis(plain, scenario)
    names = with_support.keys()
    assert len(names) > 20
    for key in names:
        a, b = with_support[key].value, without[key].value
        np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float),
                                   rtol=1e-12, atol=1e-9, equal_nan=True, err_msg=key)


def test_a_support_of_the_wrong_shape_is_refused(simulated: tuple[object, Flows]) -> None:
    _, flows = simulated
    with pytest.raises(DataError, match="'pv_kwh'.*boolean mask over the 41 nodes"):
        dataclasses.replace(flows, support={"pv_kwh": np.ones(3, dtype=bool)})
