"""EV charging sessions per charger group, and uncontrolled charging power.

Sessions are drawn on **local** wall-clock time (people arrive home at 18:00 local, also on
daylight-saving days) and converted to step indices of the UTC index. A session is plugged
during steps ``arrival <= t < departure``; its ``energy_kwh`` is the energy the charge point
draws from the grid (the car's need divided by the charger efficiency), never more than the
charge point can draw while plugged. Smart charging and V2G use the same sessions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from sparcs.errors import DataError, ScenarioError
from sparcs.profiles._annual import zeros_like_columns
from sparcs.profiles._ev_sessions import PATTERNS, SessionPattern, draw_sessions, group_settings
from sparcs.profiles.inputs import EVSessions
from sparcs.scenario.assets import EVChargers

__all__ = [
    "PATTERNS",
    "Pattern",
    "SessionPattern",
    "charger_group_sessions",
    "ev_sessions",
    "uncontrolled_charging_kw",
    "uncontrolled_district_charging_kw",
]

Pattern = Literal["home", "workplace", "public", "bus_depot"]


def ev_sessions(
    time: pd.DatetimeIndex,
    chargers: Sequence[EVChargers],
    owners: Sequence[int],
    *,
    timezone: str,
    seed: int,
) -> EVSessions:
    """Charging sessions of several charger groups over the steps of ``time``.

    Parameters
    ----------
    time
        UTC index of the steps (period-beginning labels, fixed step).
    chargers
        Charger groups (scenario models).
    owners
        Owner of each group: a building index, or -1 for district chargers.
    timezone
        IANA zone whose local time the patterns follow.
    seed
        Seed; the same seed gives the same sessions. Each group draws from its own stream, so
        adding a group leaves the others unchanged.

    Returns
    -------
    EVSessions
        All sessions, ordered by arrival step, then owner.

    Notes
    -----
    The groups are drawn one after the other, each from its own stream; local wall-clock
    times are converted to steps for many groups at once (blocks of about a million sessions).
    """
    if len(chargers) != len(owners):
        msg = f"ev_sessions: {len(chargers)} charger groups but {len(owners)} owners"
        raise ScenarioError(msg)
    if not chargers:
        return EVSessions.empty()
    streams = np.random.SeedSequence(seed).spawn(len(chargers))
    # lazy: each group is checked just before it is drawn, so errors come in group order
    groups = (
        (
            group_settings(
                group.pattern,
                group.count,
                group.power_kw,
                group.efficiency,
                int(owner),
                group.v2g,
                group.sessions_per_day,
                group.energy_per_session_kwh,
            ),
            np.random.default_rng(stream),
        )
        for group, owner, stream in zip(chargers, owners, streams, strict=True)
    )
    return draw_sessions(time, timezone, groups, by_arrival=True)


def charger_group_sessions(
    time: pd.DatetimeIndex,
    *,
    timezone: str,
    pattern: Pattern,
    count: int,
    power_kw: float,
    efficiency: float,
    owner: int,
    v2g: bool,
    sessions_per_day: float | None,
    energy_per_session_kwh: float | None,
    rng: np.random.Generator,
) -> EVSessions:
    """Sessions of ``count`` identical charge points with one usage pattern.

    Parameters
    ----------
    time
        UTC index of the steps.
    timezone
        IANA zone of the local calendar.
    pattern
        One of :data:`PATTERNS`.
    count
        Number of charge points.
    power_kw
        Power per charge point [kW].
    efficiency
        Charger efficiency, grid to battery [-].
    owner
        Building index, or -1 for a district group.
    v2g
        Bidirectional charge points.
    sessions_per_day
        Sessions per charge point per eligible day; ``None`` for the pattern default. For
        one-session-a-day patterns it is the probability of a session (at most 1) [1/d].
    energy_per_session_kwh
        Mean energy a vehicle needs (battery side); ``None`` for the pattern default [kWh].
    rng
        Random generator.

    Returns
    -------
    EVSessions
        ``energy_kwh`` is grid side: ``min(need, power * dwell * efficiency) / efficiency``.

    Notes
    -----
    Arrival and departure hours are normal draws clipped to the pattern window (daily
    patterns) or uniform starts in equal slots of the day window with gamma dwell times
    (public pattern), all on the local wall clock, then localised with ``zoneinfo``
    (times skipped by a spring-forward shift move forward). Needs are gamma distributed.
    Sessions are in draw order: by charge point, then day (and slot).
    """
    group = group_settings(
        pattern, count, power_kw, efficiency, owner, v2g, sessions_per_day, energy_per_session_kwh
    )
    return draw_sessions(time, timezone, [(group, rng)], by_arrival=False)


def uncontrolled_charging_kw(
    sessions: EVSessions,
    n_steps: int,
    dt_h: float,
    n_owners: int,
    *,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Charging power when every car charges at full power from plug-in until it is done.

    Parameters
    ----------
    sessions
        Charging sessions; those with owner -1 (district chargers) are left out, see
        :func:`uncontrolled_district_charging_kw`.
    n_steps
        Number of time steps.
    dt_h
        Step length [h].
    n_owners
        Number of buildings (columns).
    out
        Zeros to write into, column-major, shape (n_steps, n_owners) — e.g. a view of a larger
        buffer the caller owns; a new array when None. Columns not written stay untouched.

    Returns
    -------
    numpy.ndarray
        Grid power drawn, shape (n_steps, n_owners) [kW, interval means], column-major.

    Notes
    -----
    A session needs ``x = energy / (power * dt_h)`` steps at full power: it draws ``power``
    in its first ``floor(x)`` plugged steps and ``(x - floor(x)) * power`` in the next, so
    the energy is met exactly and always within ``arrival <= t < departure``. Built with one
    ``numpy.add.at`` over all charging steps (no loop over steps or sessions), which writes
    only the columns of buildings that charge.
    """
    building = sessions.owner >= 0
    if np.any(sessions.owner[building] >= n_owners):
        bad = int(sessions.owner[building].max())
        msg = f"EV sessions refer to owner {bad}, but there are only {n_owners} buildings"
        raise DataError(msg)
    return _charging(sessions, building, sessions.owner[building], n_steps, dt_h, n_owners, out)


def uncontrolled_district_charging_kw(
    sessions: EVSessions, n_steps: int, dt_h: float
) -> np.ndarray:
    """Uncontrolled charging of the district chargers (owner -1), shape (n_steps,) [kW]."""
    district = sessions.owner == -1
    columns = np.zeros(int(district.sum()), dtype=int)
    return _charging(sessions, district, columns, n_steps, dt_h, 1)[:, 0]


def _charging(
    sessions: EVSessions,
    mask: np.ndarray,
    column: np.ndarray,
    n_steps: int,
    dt_h: float,
    n_columns: int,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Uncontrolled power of the sessions in ``mask``, summed into ``column`` of (time, cols)
    column-major zeros: ``out`` when given."""
    arrival, departure = sessions.arrival[mask], sessions.departure[mask]
    if np.any(arrival < 0) or np.any(departure > n_steps) or np.any(departure < arrival):
        msg = f"EV sessions must satisfy 0 <= arrival <= departure <= n_steps ({n_steps})"
        raise DataError(msg)
    power = sessions.power_kw[mask]
    steps = sessions.energy_kwh[mask] / (power * dt_h)
    dwell = departure - arrival
    full = np.minimum(np.floor(steps + 1e-9).astype(int), dwell)
    rest = np.where(full < dwell, np.clip(steps - full, 0.0, 1.0), 0.0)
    # column-major, like the other building profiles: one building's series is contiguous.
    # add.at, unlike a dense bincount, writes only the columns that charge (the others stay
    # unmapped zeros, up to page granularity) and sums in the same order: full steps, then rest.
    out = zeros_like_columns(n_steps, n_columns, out)
    flat = out.reshape(-1, order="F")  # a view: F-contiguous, the owners' columns first
    first = column * n_steps + arrival
    position = np.repeat(first - (np.cumsum(full) - full), full)
    position += np.arange(position.size)  # the k-th full step of a session is at first + k
    np.add.at(flat, position, np.repeat(power, full))
    partial = rest > 0
    np.add.at(flat, (first + full)[partial], (rest * power)[partial])
    return out
