"""Infeasible dispatch problems explained in plain words."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from dispatch_cases import store, tiny

from sparcs.errors import InfeasibleError
from sparcs.operation.optimal import Labels, TerminationCondition, solve_dispatch
from sparcs.operation.optimal.ev import ev_params
from sparcs.profiles.inputs import EVSessions

TIME = pd.date_range("2025-01-06", periods=4, freq="1h", tz="UTC", name="time")
LABELS = Labels(time=TIME, units=("building 'B3'",))


def _message(problem) -> str:  # noqa: ANN001 - test shorthand
    result = solve_dispatch(problem)
    assert result.termination is TerminationCondition.INFEASIBLE
    assert not result.is_ok
    with pytest.raises(InfeasibleError) as info:
        result.raise_for_status()
    return str(info.value)


def test_ev_session_that_cannot_be_charged() -> None:
    sessions = EVSessions(
        np.array([0]),
        np.array([1]),
        np.array([4]),
        np.array([40.0]),
        np.array([7.0]),
        np.array([False]),
    )
    ev = ev_params(sessions, 4, np.array([0, 0]), np.array([0.9]))
    message = _message(tiny(np.zeros((4, 1)), [0.3] * 4, ev=ev, labels=LABELS))
    assert (
        "EV session 0 at building 'B3' needs 40 kWh by 2025-01-06T04:00:00+00:00 but at "
        "most 21 kWh can be charged"
    ) in message


def test_heat_demand_above_heat_capacity() -> None:
    problem = tiny(
        np.zeros((4, 1)),
        [0.3] * 4,
        demand_heat_kw=np.array([[2.0], [10.0], [2], [2]]),
        cop=np.full((4, 1), 3.0),
        hp_max_el_kw=np.array([1.0]),
        labels=LABELS,
    )
    message = _message(problem)
    assert "building 'B3' needs 10 kW of heat at 2025-01-06T01:00:00+00:00" in message
    assert "at most 3 kW" in message


def test_district_peak_above_grid_limit() -> None:
    problem = tiny([[2.0], [12.0], [2.0], [2.0]], [0.3] * 4, grid_import_kw=5.0, labels=LABELS)
    message = _message(problem)
    assert "must import at least 12 kW at 2025-01-06T01:00:00+00:00" in message
    assert "grid import limit is 5 kW" in message


def test_peak_above_grid_limit_even_with_all_storage() -> None:
    # 3 h at 10 kW under a 5 kW limit need 15 kWh from storage; the battery holds 6 kWh
    problem = tiny(
        [[0.0], [10.0], [10.0], [10.0]],
        [0.3] * 4,
        grid_import_kw=5.0,
        battery=store(1, 6.0, 10.0, initial_kwh=np.array([6.0])),
        labels=LABELS,
    )
    message = _message(problem)
    assert "even with all storage" in message
    assert "15 kWh above the grid import limit of 5 kW" in message


def test_elastic_diagnosis_names_the_family() -> None:
    # enough battery energy in principle, but it charges at 1 kW from empty: by the third
    # hour it holds 2 kWh, while 5 kWh above the limit are needed; no pre-check sees it
    slow = replace(store(1, 10.0, 10.0), charge_kw=np.array([1.0]))
    problem = tiny(
        [[0.0], [0.0], [10.0], [0.0]], [0.3] * 4, grid_import_kw=5.0, battery=slow, labels=LABELS
    )
    message = _message(problem)
    assert (
        "the district needs up to 3 kW more than the grid connection allows (worst at "
        "2025-01-06T02:00:00+00:00"
    ) in message
