"""Flexibility requests: windows, sliced inputs, bookkeeping, and the optimal API they need."""

from __future__ import annotations

import inspect
import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from operation_helpers import make_inputs, make_scenario

import sparcs.operation.optimal as optimal
from sparcs.errors import ScenarioError
from sparcs.profiles.ev import uncontrolled_charging_kw
from sparcs.profiles.inputs import EVSessions
from sparcs.services.flex_request import (
    LIMIT_ARGUMENT,
    PENALTY_ARGUMENT,
    flexibility_request,
    slice_inputs,
)


def district(n_hours: int = 72):
    """A block with a 60 kW load and a 100 kWh / 50 kW battery, three days from 1 January."""
    scenario = make_scenario(
        [
            {
                "id": "a",
                "heating": "district_heating",
                "battery": {"capacity_kwh": 100.0, "power_kw": 50.0},
            }
        ]
    )
    return scenario, make_inputs(["a"], n_hours, building={"electricity_kw": 60.0})


def test_sliced_inputs_keep_what_uncontrolled_charging_draws_inside() -> None:
    sessions = EVSessions(
        owner=np.array([0, 0, 0]),
        arrival=np.array([2, 8, 20]),
        departure=np.array([9, 12, 23]),
        energy_kwh=np.array([40.0, 15.0, 5.0]),
        power_kw=np.array([10.0, 10.0, 10.0]),
        v2g=np.zeros(3, dtype=bool),
    )
    inputs = make_inputs(["a"], 24)
    ev = uncontrolled_charging_kw(sessions, 24, 1.0, 1)
    inputs = replace(inputs, ev_sessions=sessions, building={**inputs.building, "ev_kw": ev})
    sub = slice_inputs(inputs, 4, 12)
    assert sub.n_steps == 8 and sub.time[0] == inputs.time[4]
    assert sub.weather.data.index[0] == inputs.time[4] and len(sub.weather.data) == 8
    # the first car charges 2-6: 20 kWh of it fall in 4-6; the third is outside
    np.testing.assert_array_equal(sub.ev_sessions.arrival, [0, 4])
    np.testing.assert_array_equal(sub.ev_sessions.departure, [5, 8])
    np.testing.assert_allclose(sub.ev_sessions.energy_kwh, [20.0, 15.0])
    again = uncontrolled_charging_kw(sub.ev_sessions, 8, 1.0, 1)
    np.testing.assert_allclose(again, sub.building["ev_kw"])


@pytest.mark.parametrize(
    ("start", "end", "reduce_kw", "message"),
    [
        ("2025-01-02T19:00", "2025-01-02T17:00", 20.0, "whole hours after start"),
        ("2025-01-02T17:00", "2025-01-02T17:30", 20.0, "whole hours after start"),
        ("2025-01-05T17:00", "2025-01-05T19:00", 20.0, "outside the simulated period"),
        ("2025-01-02T17:00", "2025-01-02T19:00", 0.0, "positive cut"),
    ],
)
def test_bad_requests_are_explained(start: str, end: str, reduce_kw: float, message: str) -> None:
    scenario, inputs = district()
    with pytest.raises(ScenarioError, match=message):
        flexibility_request(scenario, inputs, start=start, end=end, reduce_kw=reduce_kw)


def test_start_between_two_steps_is_explained() -> None:
    scenario, _ = district()
    inputs = make_inputs(["a"], 36, step="2h", building={"electricity_kw": 60.0})
    # 18:00 local is 17:00 UTC, inside the run but inside the 16:00-18:00 step
    with pytest.raises(ScenarioError, match=r"not the start of a step of the run \(2 h steps\)"):
        flexibility_request(
            scenario, inputs, start="2025-01-02T18:00", end="2025-01-02T19:00", reduce_kw=20.0
        )


def test_limit_arguments_name_parameters_of_solve_optimal() -> None:
    parameters = inspect.signature(optimal.solve_optimal).parameters
    assert LIMIT_ARGUMENT in parameters and PENALTY_ARGUMENT in parameters


def _stand_in(real):
    """solve_optimal plus the limit arguments, meeting 60 % of each step's excess by battery."""

    def solve(
        scenario,
        inputs,
        *,
        objective="cost",
        options=None,
        grid_import_limit_kw=None,
        import_limit_penalty_eur_per_kwh=None,
    ):
        result = real(scenario, inputs, objective=objective, options=options)
        if grid_import_limit_kw is None:
            return result
        flows = result.flows
        data = {k: v.copy() for k, v in flows.data.items()}
        excess = np.maximum(flows.total("grid_import_kwh") - grid_import_limit_kw * flows.dt_h, 0.0)
        cut = 0.6 * excess
        data["grid_import_kwh"][:, -1] -= cut
        data["battery_discharge_kwh"][:, -1] += cut
        return replace(result, flows=replace(flows, data=data))

    return solve


def test_response_bookkeeping(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    scenario, inputs = district()
    scenario = scenario.model_copy(
        update={"boundary": scenario.boundary.model_copy(update={"sharing": "community"})}
    )
    monkeypatch.setattr(optimal, "solve_optimal", _stand_in(optimal.solve_optimal))
    answer = flexibility_request(
        scenario,
        inputs,
        start="2025-01-02T17:00",
        end="2025-01-02T19:00",
        reduce_kw=20.0,
        margin_h=6,
    )
    frame = answer.frame
    assert list(frame.index) == list(pd.date_range("2025-01-02T16:00Z", periods=2, freq="1h"))
    assert [t.hour for t in frame["local_time"]] == [17, 18]
    np.testing.assert_allclose(frame["requested_kw"], 20.0)
    np.testing.assert_allclose(frame["limit_kw"], frame["baseline_import_kw"] - 20.0)
    np.testing.assert_allclose(frame["delivered_kw"], 12.0)
    np.testing.assert_allclose(frame["shortfall_kw"], 8.0)
    assert answer.delivered_kwh == pytest.approx(24.0)
    assert not answer.fully_delivered
    assert answer.baseline.time[0] == pd.Timestamp("2025-01-02T10:00Z")  # 6 h margin
    # 24 kWh less import at the tariff's price, the battery's energy is free in the stand-in
    assert answer.extra_cost_eur < 0
    data = json.loads(answer.to_json(tmp_path / "answer.json"))
    assert data["delivered_kwh"] == pytest.approx(24.0) and len(data["hours"]) == 2


def test_request_is_delivered_or_shortfall_reported() -> None:
    scenario, inputs = district()
    small = flexibility_request(
        scenario, inputs, start="2025-01-02T17:00", end="2025-01-02T19:00", reduce_kw=20.0
    )
    assert small.fully_delivered
    np.testing.assert_allclose(small.frame["import_kw"], small.frame["limit_kw"], atol=1e-6)
    assert small.extra_cost_eur >= -1e-6
    # for one hour, 50 kW of battery cannot cut 60 kW of load by 80 kW: 50 delivered, 10 short
    big = flexibility_request(
        scenario, inputs, start="2025-01-02T17:00", end="2025-01-02T18:00", reduce_kw=80.0
    )
    np.testing.assert_allclose(big.frame["delivered_kw"], 50.0, atol=1e-6)
    np.testing.assert_allclose(big.frame["shortfall_kw"], 10.0, atol=1e-6)
