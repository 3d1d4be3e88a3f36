"""Smart EV charging: energy by departure, power while plugged, optional vehicle-to-grid.

Sessions are placed on *lanes*: a lane is one charge point of a unit over time, holding at
most one car at a step. Per lane ``l`` and step ``t`` (columns ``ev_ch``, ``ev_dis``,
``ev_e``; rows ``V``)::

    e(t) = k(t) * e(t-1) + eta * dt * ch(t) - dt / eta * dis(t)

with ``k(t) = 1`` while the same car stays plugged and 0 when a new car arrives (its level
starts from zero), ``0 <= ch, dis <= P`` while plugged (``dis`` only at bidirectional points)
and 0 otherwise, and ``0 <= e <= eta * E``: the car takes at most the energy of its session.
At the last plugged step ``e >= eta * E``, so the car leaves with its energy (``E`` is drawn
from the grid, ``eta * E`` stored). A session cut by the end of a window must have at least
its pro-rata share ``eta * E * done/dwell``. ``ch`` enters the unit's electricity balance
with -1, ``dis`` with +1. Lanes keep the model's structure fixed from window to window; only
bounds and the ``k`` and ``eta`` coefficients change.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from sparcs.errors import DataError

if TYPE_CHECKING:
    from sparcs.lp.builder import LpBuilder
    from sparcs.operation.optimal.problem import DispatchProblem
    from sparcs.profiles.inputs import EVSessions

__all__ = ["EVParams", "add_ev", "assign_lanes", "ev_params"]


@dataclass(frozen=True)
class EVParams:
    """Charging sessions laid out on lanes.

    Attributes
    ----------
    unit
        Unit of each lane, (lane,).
    session
        Session plugged at each step and lane, (time, lane); -1 = none.
    progress
        Share of the session's plugged steps done by the end of the step, (time, lane) [-].
    continues
        True where the same session was plugged at the step before, (time, lane).
    energy_kwh
        Energy each session draws from the grid by departure, (session,) [kWh].
    power_kw
        Charge-point power of each session, (session,) [kW].
    efficiency
        Grid-to-battery efficiency of each session, (session,) [-].
    v2g
        Bidirectional charge point, (session,) bool.
    initial_kwh
        Stored energy of the car plugged before the first step, (lane,) [kWh]; None = 0.
    share
        Share of each step the car is plugged, (time, lane) [-]; None = the whole step (a
        block of steps of a coarser horizon tail holds a car for part of it,
        :mod:`.ev_blocks`).
    """

    unit: np.ndarray
    session: np.ndarray
    progress: np.ndarray
    continues: np.ndarray
    energy_kwh: np.ndarray
    power_kw: np.ndarray
    efficiency: np.ndarray
    v2g: np.ndarray
    initial_kwh: np.ndarray | None = None
    share: np.ndarray | None = None

    @property
    def n_lanes(self) -> int:
        """Number of lanes."""
        return int(np.size(self.unit))

    def take(self, idx: np.ndarray, n_steps: int) -> EVParams:
        """Sessions on the steps ``idx``; steps after a jump in ``idx`` carry no car."""
        del n_steps
        idx = np.asarray(idx, dtype=int)
        contiguous = idx == idx[0] + np.arange(idx.size)
        session = np.where(contiguous[:, None], self.session[idx], -1)
        return replace(
            self,
            session=session,
            progress=self.progress[idx],
            continues=self.continues[idx] & (session >= 0),
            share=None if self.share is None else self.share[idx],
        )

    def padded(self, lanes_of_unit: np.ndarray) -> EVParams:
        """The same sessions on at least ``lanes_of_unit[u]`` lanes of each unit ``u``.

        The lanes added carry no car (every bound zero), after the unit's own lanes, so the
        LP's structure stays that of a window with more cars plugged in at once: a receding
        horizon keeps its model across windows whose number of overlapping sessions varies.

        Parameters
        ----------
        lanes_of_unit
            Lanes wanted per unit, (unit,); a unit with more lanes keeps them.

        Returns
        -------
        EVParams
            Lanes sorted by unit, as :func:`ev_params` lays them out.
        """
        have = np.bincount(self.unit, minlength=lanes_of_unit.size)
        extra = np.maximum(np.asarray(lanes_of_unit, dtype=int) - have, 0)
        if not extra.any():
            return self
        added = np.repeat(np.arange(extra.size), extra)
        # a stable sort by unit puts each unit's new lanes after its own (ev_params' order)
        order = np.argsort(np.concatenate([self.unit, added]), kind="stable")

        def widen(values: np.ndarray, fill: float | bool) -> np.ndarray:
            pad = np.full((*values.shape[:-1], added.size), fill, dtype=values.dtype)
            return np.concatenate([values, pad], axis=-1)[..., order]

        return replace(
            self,
            unit=np.concatenate([self.unit, added])[order],
            session=widen(self.session, -1),
            progress=widen(self.progress, 0.0),
            continues=widen(self.continues, False),
            initial_kwh=None if self.initial_kwh is None else widen(self.initial_kwh, 0.0),
            share=None if self.share is None else widen(self.share, 0.0),
        )

    def lane_bounds(self) -> dict[str, np.ndarray]:
        """Per lane and step: charge and discharge limits [kW], level bounds [kWh], (time, lane)."""
        s = self.session
        plugged = s >= 0
        safe = np.where(plugged, s, 0)
        need = np.where(plugged, self.efficiency[safe] * self.energy_kwh[safe], 0.0)
        power = np.where(plugged, self.power_kw[safe], 0.0)
        if self.share is not None:
            power = power * self.share
        last = plugged & ~np.vstack(
            [(s[1:] == s[:-1]) & plugged[1:], np.zeros((1, s.shape[1]), bool)]
        )
        return {
            "ch": power,
            "dis": np.where(plugged & self.v2g[safe], power, 0.0),
            "e_lower": np.where(last, need * np.minimum(self.progress, 1.0), 0.0),
            "e_upper": need,
            "eta": np.where(plugged, self.efficiency[safe], 1.0),
        }


def assign_lanes(unit: np.ndarray, arrival: np.ndarray, departure: np.ndarray) -> np.ndarray:
    """Lane of each session: the lowest free lane of its unit at arrival.

    Greedy interval colouring in order of arrival (optimal: it uses as many lanes as the
    largest number of overlapping sessions). Returns lane numbers within each unit.
    """
    lane = np.zeros(unit.size, dtype=int)
    free: dict[int, list[tuple[int, int]]] = {}
    count: dict[int, int] = {}
    for i in np.lexsort((arrival, unit)):  # one pass over sessions, not over steps
        u = int(unit[i])
        heap = free.setdefault(u, [])
        if heap and heap[0][0] <= arrival[i]:
            _, lane[i] = heapq.heappop(heap)
        else:
            lane[i] = count.get(u, 0)
            count[u] = lane[i] + 1
        heapq.heappush(heap, (int(departure[i]), int(lane[i])))
    return lane


def ev_params(
    sessions: EVSessions, n_steps: int, unit_of_owner: np.ndarray, efficiency_of_unit: np.ndarray
) -> EVParams | None:
    """Lay EV sessions out on lanes.

    Parameters
    ----------
    sessions
        Charging sessions (``owner`` = building index, -1 = district chargers).
    n_steps
        Number of steps.
    unit_of_owner
        Unit of each owner index, the district chargers' unit last (index -1).
    efficiency_of_unit
        Charger efficiency per unit, (unit,) [-].

    Returns
    -------
    EVParams or None
        None when there is no session.
    """
    if len(sessions) == 0:
        return None
    arr, dep = np.asarray(sessions.arrival), np.asarray(sessions.departure)
    if np.any(arr < 0) or np.any(dep > n_steps) or np.any(dep <= arr):
        msg = f"EV sessions must satisfy 0 <= arrival < departure <= {n_steps}"
        raise DataError(msg)
    unit = np.asarray(unit_of_owner)[np.asarray(sessions.owner)]
    lane_in_unit = assign_lanes(unit, arr, dep)
    # the (unit, lane) pairs in use, sorted, as one number each: a flat unique, not one over
    # rows (numpy's axis=0 path costs ~0.2 ms a live cycle)
    width = int(lane_in_unit.max()) + 1
    key = unit * width + lane_in_unit
    used = np.unique(key)
    lane = np.searchsorted(used, key)
    dwell = dep - arr
    sid = np.repeat(np.arange(arr.size), dwell)
    pos = np.arange(dwell.sum()) - np.repeat(np.cumsum(dwell) - dwell, dwell)
    steps = arr[sid] + pos
    session = np.full((n_steps, used.size), -1, dtype=int)
    progress = np.zeros((n_steps, used.size))
    session[steps, lane[sid]] = sid
    progress[steps, lane[sid]] = (pos + 1) / dwell[sid]
    continues = np.zeros_like(session, dtype=bool)
    continues[1:] = (session[1:] == session[:-1]) & (session[1:] >= 0)
    return EVParams(
        unit=used // width,
        session=session,
        progress=progress,
        continues=continues,
        energy_kwh=np.asarray(sessions.energy_kwh, dtype=float),
        power_kw=np.asarray(sessions.power_kw, dtype=float),
        efficiency=np.asarray(efficiency_of_unit, dtype=float)[unit],
        v2g=np.asarray(sessions.v2g, dtype=bool),
    )


def add_ev(lp: LpBuilder, p: DispatchProblem) -> None:
    """Columns ``ev_ch``, ``ev_dis``, ``ev_e`` and rows ``V`` of every lane."""
    ev = p.ev
    if ev is None or ev.n_lanes == 0:
        return
    n_l, t, dt = ev.n_lanes, p.n_steps, p.dt_t
    b = ev.lane_bounds()
    ch = lp.add_cols("ev_ch", n_l, t, upper=b["ch"]).ids()
    dis = lp.add_cols("ev_dis", n_l, t, upper=b["dis"]).ids()
    level = lp.add_cols("ev_e", n_l, t, lower=b["e_lower"], upper=b["e_upper"]).ids()
    rhs = np.zeros((t, n_l))
    if ev.initial_kwh is not None:
        rhs[0] = np.where(ev.continues[0], ev.initial_kwh, 0.0)
    rows = lp.add_equal_rows("V", n_l, t, rhs).ids()
    eta = b["eta"].T
    lp.add_coef(rows, level, 1.0)
    lp.add_coef(rows[:, 1:], level[:, :-1], -ev.continues.T[:, 1:].astype(float), varying=True)
    lp.add_coef(rows, ch, -eta * dt, varying=True)
    lp.add_coef(rows, dis, dt / eta, varying=True)
    e_rows = lp.rows["E"].ids()[ev.unit]
    lp.add_coef(e_rows, ch, -1.0)
    lp.add_coef(e_rows, dis, 1.0)
