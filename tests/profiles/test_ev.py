"""EV sessions and uncontrolled charging: conservation, limits, local time, DST, seeds."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.errors import DataError, ScenarioError
from sparcs.profiles.ev import (
    PATTERNS,
    charger_group_sessions,
    ev_sessions,
    uncontrolled_charging_kw,
    uncontrolled_district_charging_kw,
)
from sparcs.profiles.inputs import EVSessions
from sparcs.scenario.assets import EVChargers
from sparcs.timeseries import year_index

ZONE = "Europe/Prague"


@pytest.fixture(scope="module")
def hourly() -> pd.DatetimeIndex:
    return year_index(2019, "1h", ZONE)


@pytest.fixture(scope="module")
def quarter_hourly() -> pd.DatetimeIndex:
    return year_index(2019, "15min", ZONE)


def per_session(sessions: EVSessions) -> EVSessions:
    """The same sessions, each with its own owner column."""
    return replace(sessions, owner=np.arange(len(sessions)))


GROUPS = [
    EVChargers(count=1, pattern="home"),
    EVChargers(count=2, pattern="home", power_kw=3.7, v2g=True),
    EVChargers(count=3, pattern="workplace", power_kw=22.0),
    EVChargers(count=2, pattern="public", power_kw=50.0, sessions_per_day=5.0),
    EVChargers(count=4, pattern="bus_depot", power_kw=150.0),
]
OWNERS = [0, 1, 2, -1, -1]


@pytest.fixture(scope="module")
def mixed(hourly: pd.DatetimeIndex) -> EVSessions:
    """A year of sessions of every pattern."""
    return ev_sessions(hourly, GROUPS, OWNERS, timezone=ZONE, seed=7)


@pytest.fixture(scope="module")
def spring() -> pd.DatetimeIndex:
    """Three weeks around the spring-forward change (2019-03-31), hourly."""
    return pd.date_range("2019-03-18", "2019-04-08", freq="1h", tz="UTC", name="time")


@pytest.fixture(scope="module")
def spring_sessions(spring: pd.DatetimeIndex) -> EVSessions:
    """Sessions of every pattern in :func:`spring`, one owner column per session."""
    return per_session(ev_sessions(spring, GROUPS, OWNERS, timezone=ZONE, seed=7))


def plugged_capacity_kw(sessions: EVSessions, n_steps: int, n_owners: int) -> np.ndarray:
    """Sum of charger power plugged in per step and owner (independent loop reference)."""
    capacity = np.zeros((n_steps, n_owners))
    for owner, a, d, p in zip(
        sessions.owner, sessions.arrival, sessions.departure, sessions.power_kw, strict=True
    ):
        if owner >= 0:
            capacity[a:d, owner] += p
    return capacity


def local_hours(index: pd.DatetimeIndex, steps: np.ndarray) -> np.ndarray:
    local = index[steps].tz_convert(ZONE)
    return np.asarray(local.hour + local.minute / 60.0)


def test_energy_delivered_equals_session_energy(spring_sessions, spring):
    sessions = spring_sessions
    assert len(sessions) > 300
    power = uncontrolled_charging_kw(sessions, len(spring), 1.0, len(sessions))
    np.testing.assert_allclose(power.sum(axis=0) * 1.0, sessions.energy_kwh, rtol=1e-9)


def test_power_within_charger_limit_and_only_while_plugged(spring_sessions, spring):
    sessions = spring_sessions
    power = uncontrolled_charging_kw(sessions, len(spring), 1.0, len(sessions))
    capacity = plugged_capacity_kw(sessions, len(spring), len(sessions))
    assert (power >= 0.0).all()
    assert (power <= capacity + 1e-9).all()
    assert (power[capacity == 0.0] == 0.0).all()


def test_building_and_district_columns(mixed, hourly):
    n = len(hourly)
    building = uncontrolled_charging_kw(mixed, n, 1.0, 3)
    district = uncontrolled_district_charging_kw(mixed, n, 1.0)
    assert building.shape == (n, 3)
    assert district.shape == (n,)
    for owner in range(3):
        expected = mixed.energy_kwh[mixed.owner == owner].sum()
        assert building[:, owner].sum() == pytest.approx(expected, rel=1e-9)
    assert district.sum() == pytest.approx(mixed.energy_kwh[mixed.owner == -1].sum(), rel=1e-9)


def test_energy_never_above_what_can_be_drawn(mixed):
    dwell_h = (mixed.departure - mixed.arrival) * 1.0
    assert (mixed.departure > mixed.arrival).all()
    assert (mixed.energy_kwh > 0.0).all()
    assert (mixed.energy_kwh <= mixed.power_kw * dwell_h + 1e-9).all()


def test_slow_charger_caps_energy(hourly):
    sessions = charger_group_sessions(
        hourly,
        timezone=ZONE,
        pattern="bus_depot",
        count=1,
        power_kw=10.0,
        efficiency=0.9,
        owner=0,
        v2g=False,
        sessions_per_day=None,
        energy_per_session_kwh=None,
        rng=np.random.default_rng(0),
    )
    dwell_h = sessions.departure - sessions.arrival
    # a bus needs ~225 kWh; a 10 kW charger overnight draws at most 10 kW x dwell
    np.testing.assert_allclose(sessions.energy_kwh, 10.0 * dwell_h, rtol=1e-9)


def test_bus_depot_energy_per_bus(mixed):
    bus = mixed.power_kw == 150.0
    # grid side = battery need / 0.95; pattern default 225 kWh
    assert 200.0 < mixed.energy_kwh[bus].mean() < 275.0
    assert np.percentile(mixed.energy_kwh[bus], 5) > 150.0
    assert np.percentile(mixed.energy_kwh[bus], 95) < 330.0


def test_v2g_flags_and_power_carried_through(mixed):
    np.testing.assert_array_equal(mixed.v2g, mixed.power_kw == 3.7)
    assert set(np.unique(mixed.power_kw)) == {3.7, 11.0, 22.0, 50.0, 150.0}


def test_reproducible_with_seed(hourly):
    groups = [EVChargers(count=2, pattern="home"), EVChargers(count=1, pattern="public")]
    a = ev_sessions(hourly, groups, [0, 1], timezone=ZONE, seed=42)
    b = ev_sessions(hourly, groups, [0, 1], timezone=ZONE, seed=42)
    c = ev_sessions(hourly, groups, [0, 1], timezone=ZONE, seed=43)
    for name in ("owner", "arrival", "departure", "energy_kwh", "power_kw", "v2g"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.energy_kwh[:50], c.energy_kwh[:50])
    # adding a group leaves the sessions of the existing groups unchanged
    more = ev_sessions(hourly, [*groups, EVChargers(count=1)], [0, 1, 2], timezone=ZONE, seed=42)
    kept = more.owner < 2
    np.testing.assert_array_equal(more.arrival[kept], a.arrival)
    np.testing.assert_array_equal(more.energy_kwh[kept], a.energy_kwh)


def test_home_sessions_follow_local_clock_on_dst_days(hourly):
    sessions = ev_sessions(hourly, [EVChargers(count=40)], [0], timezone=ZONE, seed=1)
    inside = (sessions.arrival > 0) & (sessions.departure < len(hourly))
    arrive = local_hours(hourly, sessions.arrival[inside])
    leave = local_hours(hourly, sessions.departure[inside])
    assert ((arrive >= 16.0) & (arrive <= 22.0)).all()
    assert ((leave >= 5.0) & (leave <= 9.0)).all()
    local_day = hourly[sessions.arrival].tz_convert(ZONE).normalize().tz_localize(None)
    for dst_day in ("2019-03-31", "2019-10-27"):
        on_day = sessions.arrival[local_day == pd.Timestamp(dst_day)]
        assert on_day.size > 20  # most of the 40 cars charge that day too
        hours = local_hours(hourly, on_day)
        assert ((hours >= 16.0) & (hours <= 22.0)).all()
        # same wall-clock habit, different UTC offset: the median arrival stays ~18:30 local
        assert np.median(hours) == pytest.approx(18.5, abs=1.0)


def test_workplace_sessions_only_on_weekdays(hourly):
    sessions = ev_sessions(
        hourly, [EVChargers(count=5, pattern="workplace")], [0], timezone=ZONE, seed=3
    )
    local = hourly[sessions.arrival].tz_convert(ZONE)
    assert (local.dayofweek < 5).all()
    hours = local.hour + local.minute / 60.0
    assert ((hours >= 6.0) & (hours <= 10.5)).all()


def test_public_sessions_short_within_window_and_not_overlapping(hourly):
    sessions = ev_sessions(
        hourly, [EVChargers(count=1, pattern="public", power_kw=22.0)], [0], timezone=ZONE, seed=5
    )
    hours = local_hours(hourly, sessions.arrival)
    assert ((hours >= 8.0) & (hours <= 22.0)).all()
    per_day = len(sessions) / 365.0
    assert 1.5 < per_day <= PATTERNS["public"].sessions_per_day
    # one charge point: each car leaves before the next arrives
    assert (sessions.departure[:-1] <= sessions.arrival[1:]).all()
    assert np.median(sessions.departure - sessions.arrival) <= 3


def test_fifteen_minute_steps(quarter_hourly):
    groups = [EVChargers(count=3), EVChargers(count=2, pattern="workplace", power_kw=7.4)]
    sessions = ev_sessions(quarter_hourly, groups, [0, 1], timezone=ZONE, seed=11)
    n = len(quarter_hourly)
    power = uncontrolled_charging_kw(sessions, n, 0.25, 2)
    assert power.shape == (n, 2)
    for owner in (0, 1):
        expected = sessions.energy_kwh[sessions.owner == owner].sum()
        assert power[:, owner].sum() * 0.25 == pytest.approx(expected, rel=1e-9)
    capacity = plugged_capacity_kw(sessions, n, 2)
    assert (power <= capacity + 1e-9).all()
    minutes = quarter_hourly[sessions.arrival].tz_convert(ZONE).minute
    assert set(np.unique(minutes)) == {0, 15, 30, 45}  # quarter-hour resolution is used


def test_bad_input_raises(hourly, mixed):
    with pytest.raises(ScenarioError, match="at most one session"):
        ev_sessions(hourly, [EVChargers(count=1, sessions_per_day=2.0)], [0], timezone=ZONE, seed=0)
    with pytest.raises(ScenarioError, match="owners"):
        ev_sessions(hourly, [EVChargers(count=1)], [0, 1], timezone=ZONE, seed=0)
    with pytest.raises(ScenarioError, match="IANA"):
        ev_sessions(hourly, [EVChargers(count=1)], [0], timezone="Mars/Olympus", seed=0)
    with pytest.raises(DataError, match="owner 2"):
        uncontrolled_charging_kw(mixed, len(hourly), 1.0, 2)


@settings(max_examples=100, deadline=None)
@given(
    data=st.lists(
        st.tuples(
            st.integers(0, 3),  # owner
            st.integers(0, 90),  # arrival
            st.integers(1, 12),  # dwell steps
            st.sampled_from([3.7, 7.4, 11.0, 22.0, 150.0]),  # power
            st.floats(0.0, 1.0),  # share of the deliverable energy
        ),
        min_size=1,
        max_size=30,
    ),
    dt_h=st.sampled_from([0.25, 0.5, 1.0]),
)
def test_property_uncontrolled_charging(data, dt_h):
    """Any feasible sessions: energy conserved, >= 0, never above plugged power."""
    owner, arrival, dwell, power, share = (np.array(col) for col in zip(*data, strict=True))
    n_steps = 110
    departure = np.minimum(arrival + dwell, n_steps)
    energy = share * power * (departure - arrival) * dt_h
    sessions = EVSessions(owner, arrival, departure, energy, power, np.zeros(len(data), bool))
    result = uncontrolled_charging_kw(sessions, n_steps, dt_h, 4)
    assert np.isfinite(result).all()
    assert (result >= 0.0).all()
    assert (result <= plugged_capacity_kw(sessions, n_steps, 4) + 1e-9).all()
    for k in range(4):
        expected = energy[owner == k].sum()
        assert result[:, k].sum() * dt_h == pytest.approx(expected, rel=1e-9, abs=1e-9)
    alone = uncontrolled_charging_kw(per_session(sessions), n_steps, dt_h, len(data))
    np.testing.assert_allclose(alone.sum(axis=0) * dt_h, energy, rtol=1e-9, atol=1e-9)
