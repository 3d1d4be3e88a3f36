"""Drawing EV charging sessions: patterns, checked charger groups, local wall clock to steps.

The machinery behind :func:`sparcs.profiles.ev.ev_sessions`. Every group draws from its own
random generator in a fixed order (hours, then the needs of the sessions it keeps), so a group
gives the same sessions alone or among others; the conversion of local wall-clock times to
UTC steps runs once per block of sessions, not once per group.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sparcs.errors import ScenarioError
from sparcs.profiles.inputs import EVSessions
from sparcs.timeseries import check_index, dt_hours, to_zoneinfo

__all__ = ["PATTERNS", "ChargerGroup", "SessionPattern", "draw_sessions", "group_settings"]


@dataclass(frozen=True)
class SessionPattern:
    """When cars plug in and how much they need, in local wall-clock hours.

    Attributes
    ----------
    sessions_per_day
        Default sessions per charge point per eligible day [1/d].
    energy_kwh
        Default mean energy a vehicle needs per session (battery side) [kWh].
    energy_cv
        Coefficient of variation of that energy (gamma distribution) [-].
    weekdays_only
        Sessions only Monday to Friday (local calendar; public holidays are not excluded).
    arrival_h
        Daily patterns: arrival ``(mean, sd, low, high)`` in hours after local midnight of
        the session day [h]. Slot patterns: ``(window_start, window_end)`` of the day [h].
    departure_h
        Daily patterns: departure ``(mean, sd, low, high)`` in hours after the same midnight;
        values above 24 fall on the next day [h]. Slot patterns: ``(dwell_mean, dwell_cv)``.
    slots
        True for patterns with several sessions per day (public chargers).
    """

    sessions_per_day: float
    energy_kwh: float
    energy_cv: float
    weekdays_only: bool
    arrival_h: tuple[float, ...]
    departure_h: tuple[float, ...]
    slots: bool = False


#: Pattern defaults. Estimates for this project [est]: windows as in the SPARCS issue
#: (home: arrive 17-20 h, leave 6-8 h; workplace: 8 h to 17 h on weekdays; public: short
#: sessions 8-22 h; bus depot: overnight, 150-300 kWh per bus). Car energy ~10-15 kWh per
#: session is 50-80 km at ~0.19 kWh/km; replace with measured session data where available.
PATTERNS: dict[str, SessionPattern] = {
    "home": SessionPattern(
        sessions_per_day=1.0,
        energy_kwh=10.0,
        energy_cv=0.5,
        weekdays_only=False,
        arrival_h=(18.5, 1.0, 16.0, 22.0),
        departure_h=(31.0, 0.75, 29.0, 33.0),
    ),
    "workplace": SessionPattern(
        sessions_per_day=1.0,
        energy_kwh=12.0,
        energy_cv=0.5,
        weekdays_only=True,
        arrival_h=(8.0, 0.75, 6.0, 10.5),
        departure_h=(17.0, 1.0, 14.5, 20.0),
    ),
    "public": SessionPattern(
        sessions_per_day=3.0,
        energy_kwh=15.0,
        energy_cv=0.5,
        weekdays_only=False,
        arrival_h=(8.0, 22.0),
        departure_h=(1.5, 0.5),
        slots=True,
    ),
    "bus_depot": SessionPattern(
        sessions_per_day=1.0,
        energy_kwh=225.0,
        energy_cv=0.15,
        weekdays_only=False,
        arrival_h=(21.5, 1.0, 19.0, 24.0),
        departure_h=(29.5, 0.5, 28.0, 31.0),
    ),
}


@dataclass(frozen=True)
class ChargerGroup:
    """One checked charger group: pattern, session rate and what each session carries."""

    spec: SessionPattern
    rate: float  # sessions per charge point per eligible day [1/d]
    count: int
    mean_kwh: float  # mean need per session, battery side [kWh]
    power_kw: float
    efficiency: float
    owner: int
    v2g: bool


def group_settings(
    pattern: str,
    count: int,
    power_kw: float,
    efficiency: float,
    owner: int,
    v2g: bool,
    sessions_per_day: float | None,
    energy_per_session_kwh: float | None,
) -> ChargerGroup:
    """Check one group's settings and fill in the pattern defaults."""
    spec = PATTERNS.get(pattern)
    if spec is None:
        msg = f"EV charger pattern {pattern!r} is not one of {sorted(PATTERNS)}"
        raise ScenarioError(msg)
    rate = spec.sessions_per_day if sessions_per_day is None else float(sessions_per_day)
    if not spec.slots and rate > 1.0:
        msg = f"EV pattern {pattern!r} has at most one session per day; got {rate:g}"
        raise ScenarioError(msg)
    if count < 0 or rate < 0 or power_kw <= 0 or not 0 < efficiency <= 1:
        msg = (
            "EV chargers need count >= 0, sessions_per_day >= 0, power_kw > 0, 0 < efficiency <= 1"
        )
        raise ScenarioError(msg)
    mean = spec.energy_kwh if energy_per_session_kwh is None else float(energy_per_session_kwh)
    return ChargerGroup(spec, rate, count, mean, float(power_kw), efficiency, owner, bool(v2g))


def draw_sessions(
    time: pd.DatetimeIndex,
    timezone: str,
    groups: Iterable[tuple[ChargerGroup, np.random.Generator]],
    *,
    by_arrival: bool,
) -> EVSessions:
    """Sessions of at least one group with its generator.

    In group order, then draw order; or, with ``by_arrival``, ordered by arrival step, then
    owner (ties keep that order). Every group draws its hours, then (once the steps are known)
    the needs of the sessions it keeps, from its own generator: the numbers it draws alone.
    """
    days: dict[bool, np.ndarray] = {}
    drawn: list[tuple[ChargerGroup, np.random.Generator]] = []
    blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    walls: list[tuple[np.ndarray, np.ndarray]] = []  # of the groups from ``first`` on
    first = pending = 0
    for group, rng in groups:
        walls.append(_wall_clock(time, timezone, group, rng, days))
        drawn.append((group, rng))
        pending += walls[-1][0].size
        if pending >= _BLOCK_SESSIONS:
            blocks.append(_steps(time, timezone, walls, drawn[first:], first))
            walls, first, pending = [], len(drawn), 0
    if walls:
        blocks.append(_steps(time, timezone, walls, drawn[first:], first))
    arrival, departure, index, need = (np.concatenate(part) for part in zip(*blocks, strict=True))
    owner = np.array([g.owner for g, _ in drawn], dtype=int)
    if by_arrival:
        order = _arrival_order(arrival, owner[index])
        arrival, departure, index, need = (
            arrival[order],
            departure[order],
            index[order],
            need[order],
        )
    # per-group values looked up by group, cheaper than carrying per-session copies around
    power = np.array([g.power_kw for g, _ in drawn])[index]
    efficiency = np.array([g.efficiency for g, _ in drawn], dtype=float)[index]
    energy = np.subtract(departure, arrival, dtype=float)  # exact: steps are far below 2**53
    energy *= power
    energy *= dt_hours(time)
    energy *= efficiency  # what the charge point can put into the car while it is plugged
    np.minimum(need, energy, out=energy)
    energy /= efficiency
    return EVSessions(
        owner=owner[index],
        arrival=arrival,
        departure=departure,
        energy_kwh=energy,
        power_kw=power,
        v2g=np.array([g.v2g for g, _ in drawn], dtype=bool)[index],
    )


#: Sessions converted to steps at a time: the temporaries of one conversion stay small enough
#: to be reused by the next instead of being freshly mapped (fresh memory is slow).
_BLOCK_SESSIONS = 1 << 20


def _wall_clock(
    time: pd.DatetimeIndex,
    timezone: str,
    group: ChargerGroup,
    rng: np.random.Generator,
    days: dict[bool, np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """One group's arrival and departure times, naive local wall clock (datetime64[ns]).

    ``days`` caches the local calendar days by ``weekdays_only``: they depend on the calendar
    only, so they are computed once, not per group.
    """
    weekdays_only = group.spec.weekdays_only
    if weekdays_only not in days:
        days[weekdays_only] = _local_days(time, timezone, weekdays_only=weekdays_only)
    local = days[weekdays_only]
    draw = _slot_hours if group.spec.slots else _daily_hours
    day, start_h, end_h = draw(group.spec, local.size, group.count, group.rate, rng)
    midnight = local[day]
    start = midnight + (start_h * 3.6e12).astype("timedelta64[ns]")
    return start, midnight + (end_h * 3.6e12).astype("timedelta64[ns]")


def _steps(
    time: pd.DatetimeIndex,
    timezone: str,
    walls: Sequence[tuple[np.ndarray, np.ndarray]],
    drawn: Sequence[tuple[ChargerGroup, np.random.Generator]],
    first: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Arrival and departure steps, group index and needs of consecutive groups' sessions.

    ``walls`` and ``drawn`` hold the groups ``first, first + 1, ...``. Sessions that do not
    overlap ``time`` are dropped before each group draws the needs of those it keeps.
    """
    starts, ends = zip(*walls, strict=True)
    # one time-zone conversion for all these groups: it is elementwise, per group it was slow
    steps = _local_to_step(np.concatenate([*starts, *ends]), time, timezone)
    arrival, departure = np.split(np.clip(steps, 0, len(time), out=steps), 2)
    groups = np.arange(first, first + len(walls), dtype=np.int32)  # half the memory of int64
    index = np.repeat(groups, [s.size for s in starts])
    keep = departure > arrival
    arrival, departure, index = arrival[keep], departure[keep], index[keep]
    kept = np.bincount(index - first, minlength=len(walls))
    need = [_needs(group, rng, n) for (group, rng), n in zip(drawn, kept, strict=True)]
    return arrival, departure, index, np.concatenate(need)


def _needs(group: ChargerGroup, rng: np.random.Generator, n: int) -> np.ndarray:
    """Gamma-distributed needs of ``n`` sessions, battery side [kWh]."""
    shape = 1.0 / group.spec.energy_cv**2
    return rng.gamma(shape, group.mean_kwh / shape, size=n)


def _local_days(time: pd.DatetimeIndex, timezone: str, *, weekdays_only: bool) -> np.ndarray:
    """Local calendar days (naive midnights) from the day before ``time`` starts to its end."""
    check_index(time, what="EV time index")
    zone = to_zoneinfo(timezone)
    first = time[0].tz_convert(zone).normalize().tz_localize(None) - pd.Timedelta(days=1)
    last = time[-1].tz_convert(zone).normalize().tz_localize(None)
    days = pd.date_range(first, last, freq="D")
    if weekdays_only:
        days = days[days.dayofweek < 5]
    return days.values.astype("datetime64[ns]")


def _local_to_step(wall: np.ndarray, time: pd.DatetimeIndex, timezone: str) -> np.ndarray:
    """Step indices of naive local wall-clock times (datetime64[ns]), rounded to a boundary."""
    local = pd.DatetimeIndex(wall).tz_localize(
        to_zoneinfo(timezone), ambiguous=np.ones(wall.size, dtype=bool), nonexistent="shift_forward"
    )
    ns = local.tz_convert("UTC").as_unit("ns").asi8
    t0 = time[0].value  # nanoseconds since the epoch, whatever the index resolution
    step_ns = (time[1] - time[0]).value
    steps = (ns - t0) / step_ns
    return np.rint(steps, out=steps).astype(int)


def _daily_hours(
    spec: SessionPattern, n_days: int, count: int, rate: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Day index, arrival and departure hours of one-session-a-day patterns."""
    occupied = rng.random((count, n_days)) < rate
    day = np.nonzero(occupied)[1]
    a_mean, a_sd, a_low, a_high = spec.arrival_h
    d_mean, d_sd, d_low, d_high = spec.departure_h
    start = np.clip(rng.normal(a_mean, a_sd, day.size), a_low, a_high)
    end = np.clip(rng.normal(d_mean, d_sd, day.size), d_low, d_high)
    return day, start, end


def _slot_hours(
    spec: SessionPattern, n_days: int, count: int, rate: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Day index, arrival and departure hours of several-sessions-a-day patterns.

    The day window is cut into ``m = ceil(rate)`` equal slots, each used with probability
    ``rate / m``; a session starts in the first half of its slot and ends within it, so
    sessions at one charge point never overlap.
    """
    window_start, window_end = spec.arrival_h
    dwell_mean, dwell_cv = spec.departure_h
    m = max(1, int(np.ceil(rate)))
    length = (window_end - window_start) / m
    used = rng.random((count, n_days, m)) < rate / m
    _, day, slot = np.nonzero(used)
    start = window_start + length * (slot + 0.5 * rng.random(day.size))
    shape = 1.0 / dwell_cv**2
    dwell = rng.gamma(shape, dwell_mean / shape, size=day.size)
    end = np.minimum(start + dwell, window_start + length * (slot + 1))
    return day, start, end


def _arrival_order(arrival: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Permutation ordering sessions by arrival step, then owner; ties keep their order.

    The same permutation as ``np.lexsort((owner, arrival))``, about three times faster.
    """
    n = arrival.size
    if n == 0:
        return np.zeros(0, dtype=np.intp)
    low, span = int(owner.min()), int(owner.max()) - int(owner.min()) + 1
    bits = n.bit_length()
    if int(arrival.min()) < 0 or (int(arrival.max()) + 1) * span >= 2 ** (63 - bits):
        return np.lexsort((owner, arrival))
    # (arrival, owner, position) packed into one integer: the values are unique, so any sort
    # is stable and the fast unstable in-place sort gives the permutation in the low bits
    packed = arrival * span
    packed += owner - low
    packed <<= bits
    packed |= np.arange(n)
    packed.sort()
    packed &= (1 << bits) - 1
    return packed
