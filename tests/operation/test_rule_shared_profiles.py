"""Flows that are their profiles: the rule simulation uses the profile buffers at hourly steps.

At hourly steps a series [kW] equals its flow [kWh per step]. ``build_inputs`` makes those
series read-only buffers with room for the district node, and the simulation uses them as the
flows instead of writing copies. The values must not change by a bit, and nothing may write
into memory that inputs and flows share.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sparcs.climate import load_weather
from sparcs.operation.rule import simulate
from sparcs.profiles.build import build_inputs
from sparcs.testing import synthetic_district

#: Input series -> the flow that is the same numbers at hourly steps.
AS_FLOWS = {
    "electricity_kw": "electricity_demand_kwh",
    "pv_kw": "pv_kwh",
    "ev_kw": "ev_charge_kwh",
    "cooling_kw": "cooling_demand_kwh",
}


def _run(**overrides):
    scenario = synthetic_district(30, seed=21, **overrides)
    inputs = build_inputs(scenario, load_weather(scenario))
    return scenario, inputs, simulate(scenario, inputs)


@pytest.fixture(scope="module")
def hourly():
    return _run()


def test_hourly_flows_are_the_profile_buffers_and_read_only(hourly) -> None:
    _, inputs, flows = hourly
    for name, flow in AS_FLOWS.items():
        series, values = inputs.building[name], flows[flow]
        assert np.shares_memory(series, values), flow
        assert not values.flags.writeable and not series.flags.writeable
        np.testing.assert_array_equal(values[:, :-1], series)
        assert not values[:, -1].any()  # the district node has none of its own
        with pytest.raises(ValueError, match="read-only"):
            values[0, 0] = 1.0


def test_shared_flows_equal_the_flows_of_writeable_copies(hourly) -> None:
    scenario, inputs, flows = hourly
    copies = {name: np.array(values) for name, values in inputs.building.items()}
    assert all(values.flags.writeable for values in copies.values())
    plain = simulate(scenario, dataclasses.replace(inputs, building=copies))
    # writeable series could change under the flows: they are copied as before
    assert not np.shares_memory(plain["electricity_demand_kwh"], copies["electricity_kw"])
    for name, values in flows.data.items():
        np.testing.assert_array_equal(values, plain[name], err_msg=name)


def test_a_district_series_of_its_own_keeps_the_flow_apart() -> None:
    pv = {"kwp": 80.0, "tilt_deg": 30.0, "azimuth_deg": 180.0}
    _, inputs, flows = _run(district={"pv": [pv]})
    series, values = inputs.building["pv_kw"], flows["pv_kwh"]
    assert not np.shares_memory(series, values)
    np.testing.assert_allclose(values[:, -1], inputs.district["pv_kw"])
    assert not series.base[:, -1].any()  # the profile's spare column was not written
    assert np.shares_memory(inputs.building["electricity_kw"], flows["electricity_demand_kwh"])


def test_quarter_hour_flows_are_energies_written_apart() -> None:
    _, inputs, flows = _run(timestep="15min")
    for name, flow in AS_FLOWS.items():
        assert not np.shares_memory(inputs.building[name], flows[flow]), flow
        np.testing.assert_array_equal(flows[flow][:, :-1], inputs.building[name] * 0.25)
