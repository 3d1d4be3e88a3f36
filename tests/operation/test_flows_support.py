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
    plain = dataclasses.replace(
        flows, data={k: np.ascontiguousarray(v) for k, v in flows.data.items()}
    )
    assert plain.support == {}, "replace gives flows without a support"
    with_support, without = compute_kpis(flows, scenario), compute_kpis(plain, scenario)
    names = with_support.keys()
    assert len(names) > 20
    for key in names:
        a, b = with_support[key].value, without[key].value
        np.testing.assert_allclose(
            np.asarray(a, dtype=float),
            np.asarray(b, dtype=float),
            rtol=1e-12,
            atol=1e-9,
            equal_nan=True,
            err_msg=key,
        )


def test_a_support_of_the_wrong_shape_is_refused(simulated: tuple[object, Flows]) -> None:
    _, flows = simulated
    fields = {f.name: getattr(flows, f.name) for f in dataclasses.fields(flows) if f.init}
    with pytest.raises(DataError, match="'pv_kwh'.*boolean mask over the 41 nodes"):
        Flows.with_support({"pv_kwh": np.ones(3, dtype=bool)}, **fields)


def test_new_data_never_meets_a_stale_support(simulated: tuple[object, Flows]) -> None:
    """The review's case: a support of buildings without import, then data with import there."""
    _, flows = simulated
    importing = np.zeros_like(flows["grid_import_kwh"])
    importing[:, 0] = 5.0  # the first building imports 5 kWh every step
    for new in (
        dataclasses.replace(flows, data={**flows.data, "grid_import_kwh": importing}),
        flows.replace_data({"grid_import_kwh": importing}),
    ):
        assert "grid_import_kwh" not in new.support
        assert new.total("grid_import_kwh").sum() == pytest.approx(5.0 * len(flows.time))
    kept = flows.replace_data({"grid_import_kwh": importing})
    assert kept.support.keys() == flows.support.keys() - {"grid_import_kwh"}


def test_every_flow_array_is_read_only_whatever_the_step(simulated: tuple[object, Flows]) -> None:
    _, flows = simulated
    for name, values in flows.data.items():
        assert not values.flags.writeable, name
    with pytest.raises(ValueError, match="read-only"):
        flows["grid_import_kwh"][0, 0] = 1.0


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
        np.testing.assert_array_equal(
            flows.total(name), np.asarray(values).sum(axis=1), err_msg=name
        )
