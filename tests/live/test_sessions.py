"""EV sessions seen from a cycle: what each plugged-in car still needs, by hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sparcs.climate import load_weather
from sparcs.live.sessions import (
    charged_uncontrolled,
    window_inputs,
    window_series,
    window_sessions,
)
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import EVSessions, slice_inputs
from sparcs.testing import synthetic_district


def _sessions(*rows: tuple[int, int, float, float]) -> EVSessions:
    """Sessions of building 0 from (arrival, departure, energy kWh, power kW)."""
    a = np.array(rows, dtype=float)
    return EVSessions(
        owner=np.zeros(len(rows), dtype=int),
        arrival=a[:, 0].astype(int),
        departure=a[:, 1].astype(int),
        energy_kwh=a[:, 2],
        power_kw=a[:, 3],
        v2g=np.zeros(len(rows), dtype=bool),
    )


def test_a_car_plugged_in_needs_what_it_has_not_drawn() -> None:
    # plugged 01:00-05:00 for 25 kWh at 10 kW; 10 kWh drawn by 02:00
    s = _sessions((1, 5, 25.0, 10.0))
    inside = window_sessions(s, 1.0, 2, 8, {0: 10.0})
    assert inside.sessions.arrival.tolist() == [0] and inside.sessions.departure.tolist() == [3]
    assert inside.sessions.energy_kwh.tolist() == [15.0] and inside.assumed == 0
    # a horizon ending before it leaves: at least what 1 h at 10 kW after it cannot add
    # (15 - 10 = 5 kWh) and at least the pro-rata share of 2 of its 3 steps left (10 kWh)
    cut = window_sessions(s, 1.0, 2, 4, {0: 10.0})
    assert cut.sessions.energy_kwh.tolist() == [10.0] and cut.remaining_kwh.tolist() == [15.0]
    # unknown drawn energy: uncontrolled charging since arrival, 1 h at 10 kW
    assert window_sessions(s, 1.0, 2, 8).sessions.energy_kwh.tolist() == [15.0]
    assert window_sessions(s, 1.0, 2, 8).assumed == 1


def test_cars_gone_not_yet_come_or_full_are_left_out() -> None:
    s = _sessions((0, 2, 5.0, 10.0), (9, 12, 5.0, 10.0), (1, 6, 20.0, 10.0), (3, 6, 8.0, 4.0))
    inside = window_sessions(s, 0.5, 2, 8, {2: 20.0})
    # the first left, the second comes after the window, the third is full
    assert inside.source.tolist() == [3]
    assert inside.sessions.arrival.tolist() == [1] and inside.sessions.energy_kwh.tolist() == [8.0]


def test_uncontrolled_charging_by_hand() -> None:
    s = _sessions((2, 10, 7.5, 3.0))  # 2.5 h at 3 kW from step 2 at 15 min: steps 2 to 12
    assert charged_uncontrolled(s, 0.25, 0, 4).tolist() == [1.5]
    assert charged_uncontrolled(s, 0.25, 4, 100).tolist() == [6.0]


@given(
    arrival=st.integers(0, 10),
    dwell=st.integers(1, 12),
    energy=st.floats(0.5, 40.0),
    now=st.integers(0, 24),
    length=st.integers(1, 24),
    share=st.floats(0.0, 1.0),
)
def test_what_a_window_asks_can_be_drawn_and_leaves_the_rest_drawable(
    arrival: int, dwell: int, energy: float, now: int, length: int, share: float
) -> None:
    power = 4.0
    energy = min(energy, power * dwell)  # a session never needs more than it can draw
    s = _sessions((arrival, arrival + dwell, energy, power))
    # a state the car can still meet: no more left than full power until departure adds
    left_steps = arrival + dwell - max(now, arrival)
    drawn = max(share * energy, energy - power * max(left_steps, 0))
    inside = window_sessions(s, 1.0, now, now + length, {0: drawn} if arrival < now else None)
    for i in range(len(inside.sessions)):
        steps = inside.sessions.departure[i] - inside.sessions.arrival[i]
        need, left = inside.sessions.energy_kwh[i], inside.remaining_kwh[i]
        after = max(0, arrival + dwell - now - length)
        assert need <= power * steps + 1e-9  # drawable inside the window
        assert left - need <= power * after + 1e-9  # the rest drawable after it
        assert need <= left + 1e-9


@pytest.mark.parametrize("dt_h", [1.0, 0.25])
def test_uncontrolled_before_and_after_add_up(dt_h: float) -> None:
    s = _sessions((3, 11, 6.0, 2.0))
    total = charged_uncontrolled(s, dt_h, 0, 5) + charged_uncontrolled(s, dt_h, 5, 50)
    assert total.tolist() == pytest.approx([6.0])


def test_a_kept_window_is_the_slice_of_its_own_inputs() -> None:
    scenario = synthetic_district(3, city="leipzig", seed=1, timestep="1h")
    inputs = build_inputs(scenario, load_weather(scenario))
    first = window_series(inputs, 100, 124)
    assert window_series(inputs, 100, 124) is first  # kept
    fresh = slice_inputs(inputs, 100, 124)
    assert first.time.equals(fresh.time) and len(first.ev_sessions) == 0
    assert first.weather.data.equals(fresh.weather.data)
    for name, values in fresh.building.items():
        np.testing.assert_array_equal(first.building[name], values)
    # other inputs with the same steps get their own window, never another's
    other = replace(inputs, building={k: v * 2 for k, v in inputs.building.items()})
    doubled = window_series(other, 100, 124)
    np.testing.assert_array_equal(
        doubled.building["space_heat_kw"], 2 * fresh.building["space_heat_kw"]
    )
    # a window's sessions are the live ones (what each car drew before), not the cut ones
    window, sessions = window_inputs(inputs, 100, 124, {})
    assert window.ev_sessions is sessions.sessions
