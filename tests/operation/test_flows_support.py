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


@pytest.fixture(scope="module")
def district_inputs() -> tuple[object, object]:
    scenario = synthetic_district(40, seed=11)
    return scenario, build_inputs(scenario, load_weather(scenario))


def test_profiles_list_the_owners_of_each_asset_series(district_inputs) -> None:
    scenario, inputs = district_inputs
    owners = {"pv_kw": "pv", "solar_thermal_kw": "solar_thermal", "wind_kw": "wind", "ev_kw": "ev"}
    for name, asset in owners.items():
        expected = [getattr(b, asset) is not None for b in scenario.buildings]
        assert inputs.support[name].tolist() == expected, name
    for name, mask in inputs.support.items():
        assert not inputs.building[name][:, ~mask].any(), f"{name} is non-zero outside its support"
    assert 0 < inputs.support["ev_kw"].sum() < len(scenario.buildings)
    assert 0 < inputs.support["cop_heating"].sum() < len(scenario.buildings)


def test_simulation_is_the_same_with_and_without_the_inputs_support(district_inputs) -> None:
    scenario, inputs = district_inputs
    with_support = simulate(scenario, inputs)
    without = simulate(scenario, dataclasses.replace(inputs, support={}))
    assert with_support.support.keys() == without.support.keys()
    for name, values in with_support.data.items():
        np.testing.assert_array_equal(values, without[name], err_msg=name)


def test_an_inputs_support_of_the_wrong_shape_is_refused(district_inputs) -> None:
    _, inputs = district_inputs
    with pytest.raises(DataError, match="'pv_kw'.*boolean mask over the 40 buildings"):
        dataclasses.replace(inputs, support={"pv_kw": np.ones(3, dtype=bool)})
    with pytest.raises(DataError, match="'heat_kw'"):
        dataclasses.replace(inputs, support={"heat_kw": np.ones(40, dtype=bool)})


def test_total_over_the_support_equals_the_sum_over_every_node(simulated) -> None:
    _, flows = simulated
    assert any(mask.sum() < mask.size for mask in flows.support.values())
    for name, values in flows.data.items():
        np.testing.assert_array_equal(flows.total(name), np.asarray(values).sum(axis=1),
                                      err_msg=name)
