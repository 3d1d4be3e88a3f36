"""EV sessions seen from ``now``: the cars plugged in, the energy each still needs.

A live cycle plans the EV charging of its horizon from the sessions of the scenario (the
arrival, departure and energy stated at plug-in) and what each car has already drawn. The
state is the energy drawn from the grid so far by every session plugged in before ``now``
(``drawn_kwh``, kWh by session index); a car plugged in before ``now`` whose drawn energy
is not known is taken to have charged uncontrolled, at full power from its arrival (stated).

A session that leaves after the horizon's end must draw inside the horizon at least what
it could not draw after it at full power (or it would leave short), and at least its share
of the remaining need pro rata to the plugged steps inside the horizon, so that a cycle
does not push every car's charging past its horizon (the horizon-end condition of a
session, as the stores end at least where they started).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from sparcs.kept import KeptResults
from sparcs.profiles.inputs import EVSessions, Inputs, slice_inputs

__all__ = [
    "WindowSessions",
    "charged_uncontrolled",
    "manual_charging",
    "window_inputs",
    "window_series",
    "window_sessions",
]


@dataclass(frozen=True)
class WindowSessions:
    """The sessions of a window and where they come from.

    Attributes
    ----------
    sessions
        Sessions of the window, steps counted from its first step.
    source
        Index of each window session in the full sessions, (session,).
    remaining_kwh
        Energy each window session still needs by its departure, (session,) [kWh]; equal
        to ``sessions.energy_kwh`` unless it leaves after the window.
    assumed
        Sessions plugged in before the window whose drawn energy was not given (taken as
        uncontrolled charging).
    """

    sessions: EVSessions
    source: np.ndarray
    remaining_kwh: np.ndarray
    assumed: int = 0


def charged_uncontrolled(sessions: EVSessions, dt_h: float, start: int, stop: int) -> np.ndarray:
    """Energy each session draws in steps [start, stop) charged uncontrolled [kWh].

    Parameters
    ----------
    sessions
        The sessions (steps of the full period).
    dt_h
        Step length [h].
    start, stop
        The steps.

    Returns
    -------
    numpy.ndarray
        Energy per session [kWh]: full power from arrival until the need is met.

    Examples
    --------
    >>> s = EVSessions(np.array([0]), np.array([1]), np.array([5]), np.array([25.0]),
    ...                np.array([10.0]), np.array([False]))
    >>> charged_uncontrolled(s, 1.0, 0, 2).tolist(), charged_uncontrolled(s, 1.0, 2, 9).tolist()
    ([10.0], [15.0])
    """
    power = np.asarray(sessions.power_kw, dtype=float)
    hours = np.divide(sessions.energy_kwh, power, out=np.zeros_like(power), where=power > 0)
    begin = np.asarray(sessions.arrival) * dt_h
    overlap = np.minimum(begin + hours, stop * dt_h) - np.maximum(begin, start * dt_h)
    result: np.ndarray = np.clip(overlap, 0.0, None) * power
    return result


def window_sessions(
    sessions: EVSessions,
    dt_h: float,
    start: int,
    stop: int,
    drawn_kwh: Mapping[int, float] | None = None,
) -> WindowSessions:
    """The sessions of steps [start, stop) with what each still needs (module docstring).

    Parameters
    ----------
    sessions
        Sessions of the full period.
    dt_h
        Step length [h].
    start, stop
        The window's steps.
    drawn_kwh
        Session index → energy drawn from the grid before ``start`` [kWh]; None or a
        missing plugged-in session: uncontrolled charging assumed.

    Returns
    -------
    WindowSessions
        Sessions overlapping the window with a need left, their source index and need.
    """
    drawn_kwh = drawn_kwh or {}
    arrival, departure = np.asarray(sessions.arrival), np.asarray(sessions.departure)
    # only the sessions meeting the window (a year holds thousands; a cycle is hot)
    near = np.flatnonzero((arrival < stop) & (departure > start))
    arrival, departure = arrival[near], departure[near]
    energy = np.asarray(sessions.energy_kwh, dtype=float)[near]
    power = np.asarray(sessions.power_kw, dtype=float)[near]
    before = arrival < start
    given = np.array([drawn_kwh.get(int(i), np.nan) for i in near], dtype=float)
    known = ~np.isnan(given)
    plugged = EVSessions(
        owner=np.asarray(sessions.owner)[near],
        arrival=arrival,
        departure=departure,
        energy_kwh=energy,
        power_kw=power,
        v2g=np.asarray(sessions.v2g, dtype=bool)[near],
    )
    uncontrolled = energy - charged_uncontrolled(plugged, dt_h, start, np.iinfo(np.int32).max)
    drawn = np.where(before & known, np.nan_to_num(given), 0.0)
    drawn = np.where(before & ~known, uncontrolled, drawn)
    remaining = np.clip(energy - drawn, 0.0, None)
    first = np.clip(arrival - start, 0, stop - start)
    last = np.clip(departure - start, 0, stop - start)
    after = np.clip(departure - stop, 0, None)  # plugged steps after the window
    inside = last - first
    # at least what full power cannot draw after the window, and the pro-rata share
    floor = np.clip(remaining - power * dt_h * after, 0.0, None)
    share = remaining * np.divide(
        inside, inside + after, out=np.zeros(inside.shape), where=inside > 0
    )
    need = np.minimum(np.maximum(floor, share), power * dt_h * inside)
    need = np.where(after > 0, need, remaining)
    kept = np.flatnonzero((inside > 0) & (need > 1e-9))
    window = EVSessions(
        owner=plugged.owner[kept],
        arrival=first[kept],
        departure=last[kept],
        energy_kwh=need[kept],
        power_kw=power[kept],
        v2g=plugged.v2g[kept],
    )
    return WindowSessions(window, near[kept], remaining[kept], int((before & ~known).sum()))


def window_inputs(
    inputs: Inputs, start: int, stop: int, drawn_kwh: Mapping[int, float] | None = None
) -> tuple[Inputs, WindowSessions]:
    """The inputs of steps [start, stop) with the sessions of :func:`window_sessions`.

    Parameters
    ----------
    inputs
        Profiles of the full period.
    start, stop
        The window's steps.
    drawn_kwh
        Session index → energy drawn before ``start`` [kWh] (see :func:`window_sessions`).

    Returns
    -------
    inputs, sessions
        The window's inputs and its sessions with their source.
    """
    window = window_sessions(inputs.ev_sessions, inputs.dt_h, start, stop, drawn_kwh)
    return replace(window_series(inputs, start, stop), ev_sessions=window.sessions), window


def window_series(inputs: Inputs, start: int, stop: int) -> Inputs:
    """The series of steps [start, stop) of ``inputs``, without EV sessions; the last few
    windows' are kept.

    Slicing the profiles and the weather costs ~1 ms of a live cycle (pandas); a replay
    slices the next cycle's window while HiGHS solves this one
    (:func:`sparcs.live.replay_steps.prepare_beside`), and the cycle finds it here.

    Parameters
    ----------
    inputs
        Profiles of the full period (not changed after: a window shares their arrays).
    start, stop
        The window's steps.

    Returns
    -------
    Inputs
        The window's series; its ``ev_sessions`` are empty.
    """
    return _WINDOWS.get(
        inputs,
        (start, stop),
        lambda: slice_inputs(inputs, start, stop, sessions=EVSessions.empty()),
    )


#: Windows sliced lately, per (inputs, start, stop).
_WINDOWS: KeptResults[Inputs, Inputs] = KeptResults(4)


def manual_charging(
    window: Inputs, owners: tuple[str, ...], manual: pd.DataFrame | None, notes: list[str]
) -> tuple[Inputs, np.ndarray | None]:
    """EV chargers in manual mode: the power each plugged car draws, and needs that fit it.

    An override of ``"<node>/ev_chargers"`` at ``kw`` holds the node's chargers at that total
    over its steps: the cars plugged in share it earliest departure first, each up to its
    charge point's power (``kw = 0`` pauses charging; what no car can take is stated). A
    car's need is then brought within what it can draw: at least what manual mode gives it,
    at most that plus full power over its other plugged steps (the car leaves short or fuller
    than it asked, stated).

    Parameters
    ----------
    window
        The horizon's inputs with its sessions (:func:`window_inputs`).
    owners
        Node of each session owner index: the scenario's building ids, the district node
        last (owner -1).
    manual
        Overrides overlapping the horizon (columns asset, start_time, end_time, kw); None:
        none are kept (a district without an id).
    notes
        Stand-ins are appended here, in words.

    Returns
    -------
    inputs, forced
        The inputs with needs that fit manual mode; the power each session draws per step,
        (time, session) [kW], NaN where the LP decides (None without an EV override).
    """
    if manual is None or manual.empty:  # most cycles: none (the string match costs ~1 ms)
        return window, None
    rows = manual[manual["asset"].astype(str).str.endswith("/ev_chargers")]
    s = window.ev_sessions
    if rows.empty:
        return window, None
    owner = np.asarray(s.owner)
    node_of = np.array([owners[o] for o in owner], dtype=object)
    forced = np.full((window.n_steps, len(s)), np.nan)
    step = np.arange(window.n_steps)[:, None]
    plugged = (step >= s.arrival[None, :]) & (step < s.departure[None, :])
    for row in rows.to_dict("records"):
        node = str(row["asset"]).rpartition("/")[0]
        kw = max(float(row["kw"]), 0.0)
        if node not in owners:
            notes.append(
                f"override of {row['asset']} ignored: {node} is not a node of the district"
            )
            continue
        steps = np.flatnonzero((window.time >= row["start_time"]) & (window.time < row["end_time"]))
        mine = np.flatnonzero(node_of == node)
        order = mine[np.argsort(s.departure[mine], kind="stable")]
        unmet = 0.0
        for t in steps:
            left = kw
            for i in order[plugged[t, order]]:
                forced[t, i] = min(left, float(s.power_kw[i]))
                left -= forced[t, i]
            unmet = max(unmet, left)
        notes.append(f"{node}/ev_chargers in manual mode at {kw:g} kW for {steps.size} steps")
        if unmet > 1e-9:
            notes.append(
                f"{node}/ev_chargers: {unmet:g} kW of the manual {kw:g} kW found no car to take it"
            )
    dt = window.dt_h
    held = np.nansum(forced, axis=0) * dt
    free = (plugged & np.isnan(forced)).sum(axis=0) * np.asarray(s.power_kw) * dt
    need = np.clip(s.energy_kwh, held, held + free)
    for i in np.flatnonzero(np.abs(need - s.energy_kwh) > 1e-9):
        notes.append(
            f"an EV at {node_of[i]} gets {need[i]:.1f} kWh of its {s.energy_kwh[i]:.1f} kWh "
            "in this horizon: its charger is in manual mode"
        )
    return replace(window, ev_sessions=replace(s, energy_kwh=need)), forced
