"""The batched EV code equals its plain definitions, bit for bit.

``ev_sessions`` draws all charger groups in one pass (local days once, one time-zone
conversion per block of groups, one sort); by definition it is every group drawn alone from
its own stream, joined, and ordered by arrival step, then owner. ``uncontrolled_charging_kw``
writes only the columns that charge; by definition every session adds its full steps, then
every session its last partial step, into a (time, column) array.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sparcs.profiles._ev_sessions as drawing
from sparcs.profiles.ev import (
    charger_group_sessions,
    ev_sessions,
    uncontrolled_charging_kw,
    uncontrolled_district_charging_kw,
)
from sparcs.profiles.inputs import EVSessions
from sparcs.scenario.assets import EVChargers
from sparcs.timeseries import year_index

FIELDS = ("owner", "arrival", "departure", "energy_kwh", "power_kw", "v2g")

GROUPS = [
    EVChargers(count=2, pattern="home"),
    EVChargers(count=3, pattern="home", power_kw=3.7, v2g=True, sessions_per_day=0.6),
    EVChargers(count=2, pattern="workplace", power_kw=22.0, efficiency=0.9),
    EVChargers(count=2, pattern="public", power_kw=50.0, sessions_per_day=5.0),
    EVChargers(count=3, pattern="bus_depot", power_kw=150.0),
    EVChargers(count=1, pattern="public", sessions_per_day=0.5, energy_per_session_kwh=30.0),
    EVChargers(count=4, pattern="bus_depot", power_kw=10.0),
]
#: Owners repeat across groups, so sessions of different groups tie on (arrival, owner).
OWNERS = [3, 0, 3, -1, 1, -1, 0]


def one_by_one(
    time: pd.DatetimeIndex,
    chargers: Sequence[EVChargers],
    owners: Sequence[int],
    *,
    timezone: str,
    seed: int,
) -> EVSessions:
    """Every group drawn alone from its own stream, joined, then ordered like ev_sessions."""
    streams = np.random.SeedSequence(seed).spawn(len(chargers))
    parts = [
        charger_group_sessions(
            time,
            timezone=timezone,
            pattern=c.pattern,
            count=c.count,
            power_kw=c.power_kw,
            efficiency=c.efficiency,
            owner=owner,
            v2g=c.v2g,
            sessions_per_day=c.sessions_per_day,
            energy_per_session_kwh=c.energy_per_session_kwh,
            rng=np.random.default_rng(stream),
        )
        for c, owner, stream in zip(chargers, owners, streams, strict=True)
    ]
    joined = {name: np.concatenate([getattr(p, name) for p in parts]) for name in FIELDS}
    order = np.lexsort((joined["owner"], joined["arrival"]))
    return EVSessions(**{name: values[order] for name, values in joined.items()})


def assert_identical(actual: EVSessions, expected: EVSessions) -> None:
    for name in FIELDS:
        a, b = getattr(actual, name), getattr(expected, name)
        assert a.dtype == b.dtype, name
        np.testing.assert_array_equal(a, b, err_msg=name)


@pytest.mark.parametrize("zone", ["Europe/Prague", "Australia/Lord_Howe", "America/Santiago"])
@pytest.mark.parametrize("step", ["1h", "15min"])
def test_ev_sessions_are_the_groups_drawn_one_by_one(zone: str, step: str) -> None:
    time = year_index(2019, step, zone)
    sessions = ev_sessions(time, GROUPS, OWNERS, timezone=zone, seed=7)
    assert len(sessions) > 5_000
    assert_identical(sessions, one_by_one(time, GROUPS, OWNERS, timezone=zone, seed=7))


def test_ev_sessions_one_by_one_across_the_spring_forward_change() -> None:
    """A window that starts and ends mid-year: sessions are clipped and dropped at its edges."""
    time = pd.date_range("2019-03-25 05:00", "2019-04-03 17:00", freq="1h", tz="UTC", name="time")
    sessions = ev_sessions(time, GROUPS, OWNERS, timezone="Europe/Prague", seed=3)
    expected = one_by_one(time, GROUPS, OWNERS, timezone="Europe/Prague", seed=3)
    assert_identical(sessions, expected)
    assert (sessions.arrival == 0).any()  # clipped at the start


def test_block_size_does_not_change_the_sessions(monkeypatch: pytest.MonkeyPatch) -> None:
    time = year_index(2019, "1h", "Europe/Prague")
    whole = ev_sessions(time, GROUPS, OWNERS, timezone="Europe/Prague", seed=11)
    monkeypatch.setattr(drawing, "_BLOCK_SESSIONS", 1_000)  # a block every group or two
    assert_identical(ev_sessions(time, GROUPS, OWNERS, timezone="Europe/Prague", seed=11), whole)


@settings(max_examples=200, deadline=None)
@given(
    arrival=st.lists(st.integers(0, 40), min_size=0, max_size=60),
    owners=st.lists(st.integers(-3, 5), min_size=1, max_size=4),
    scale=st.sampled_from([1, 10**6]),
    data=st.data(),
)
def test_arrival_order_is_lexsort(arrival, owners, scale, data):
    """Ordered by arrival, then owner; ties keep their order (as np.lexsort), any owner ids."""
    owner = data.draw(
        st.lists(st.sampled_from(owners), min_size=len(arrival), max_size=len(arrival))
    )
    arrival, owner = np.array(arrival, dtype=int), np.array(owner, dtype=int) * scale
    np.testing.assert_array_equal(
        drawing._arrival_order(arrival, owner), np.lexsort((owner, arrival))
    )


def test_arrival_order_falls_back_when_the_packed_key_would_overflow() -> None:
    arrival = np.array([5, 3, 5, 3, 0])
    owner = np.array([2**61, 0, -(2**61), 0, 7])
    np.testing.assert_array_equal(drawing._arrival_order(arrival, owner), [4, 1, 3, 2, 0])


def charging_by_definition(
    sessions: EVSessions, column: np.ndarray, n_steps: int, dt_h: float, n_columns: int
) -> np.ndarray:
    """Full steps of every session in order, then every partial last step (loop reference)."""
    out = np.zeros((n_steps, n_columns))
    partial = []
    for a, d, e, p, c in zip(
        sessions.arrival,
        sessions.departure,
        sessions.energy_kwh,
        sessions.power_kw,
        column,
        strict=True,
    ):
        x = e / (p * dt_h)
        full = min(int(np.floor(x + 1e-9)), d - a)
        out[a : a + full, c] += p
        rest = min(max(x - full, 0.0), 1.0) if full < d - a else 0.0
        if rest > 0:
            partial.append((a + full, c, rest * p))
    for t, c, kw in partial:
        out[t, c] += kw
    return out


@settings(max_examples=150, deadline=None)
@given(
    data=st.lists(
        st.tuples(
            st.integers(-1, 11),  # owner; -1 is a district charger
            st.integers(0, 60),  # arrival
            st.integers(0, 10),  # dwell steps
            st.sampled_from([3.7, 11.0, 22.0, 150.0]),  # power
            st.floats(0.0, 1.0),  # share of the deliverable energy
        ),
        max_size=40,
    ),
    n_owners=st.integers(12, 30),
    dt_h=st.sampled_from([0.25, 1.0]),
)
def test_charging_matrix_equals_the_definition(data, n_owners, dt_h):
    """Exactly the loop reference; column-major; columns without sessions stay zero."""
    n_steps = 72
    rows = np.array(data, dtype=float).reshape(-1, 5)
    owner, arrival, dwell = (rows[:, k].astype(int) for k in range(3))
    departure = np.minimum(arrival + dwell, n_steps)
    power = rows[:, 3]
    energy = rows[:, 4] * power * (departure - arrival) * dt_h
    sessions = EVSessions(owner, arrival, departure, energy, power, np.zeros(owner.size, bool))
    building = uncontrolled_charging_kw(sessions, n_steps, dt_h, n_owners)
    district = uncontrolled_district_charging_kw(sessions, n_steps, dt_h)
    assert building.dtype == district.dtype == np.float64
    assert building.shape == (n_steps, n_owners) and building.flags.f_contiguous
    mine = owner >= 0
    part = EVSessions(*(getattr(sessions, name)[mine] for name in FIELDS))
    expected = charging_by_definition(part, owner[mine], n_steps, dt_h, n_owners)
    np.testing.assert_array_equal(building, expected)
    assert not building[:, np.setdiff1d(np.arange(n_owners), owner)].any()
    rest = EVSessions(*(getattr(sessions, name)[owner == -1] for name in FIELDS))
    at_zero = np.zeros(len(rest), dtype=int)
    np.testing.assert_array_equal(
        district, charging_by_definition(rest, at_zero, n_steps, dt_h, 1)[:, 0]
    )


def test_no_sessions_give_float_zeros() -> None:
    """kW arrays are float even with no sessions (a bincount of nothing used to give int64)."""
    building = uncontrolled_charging_kw(EVSessions.empty(), 24, 1.0, 3)
    district = uncontrolled_district_charging_kw(EVSessions.empty(), 24, 1.0)
    assert building.dtype == district.dtype == np.float64
    assert building.shape == (24, 3) and building.flags.f_contiguous and not building.any()
    assert district.shape == (24,) and not district.any()
