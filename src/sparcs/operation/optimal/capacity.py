"""Capacity charges: one peak column per charge period, priced per kW.

Columns ``cpi`` (peak grid import [kW], ``DispatchProblem.capacity``) and ``cph`` (peak
district heat bought [kW], ``DispatchProblem.dh_capacity``), one per charge period ``k`` (a
local month or year, :mod:`sparcs.carriers.capacity`; each carrier has its own), each with
cost ``c_k`` per kW and lower bound ``floor_k`` (the peak already reached). Rows, per step:

* ``CI``: ``gi(t) - cpi_{k(t)} <= 0`` in the charge's time window (``+inf`` outside);
* ``CH``: ``sum_b dh_b(t) - cph_{k(t)} <= 0`` over the units that buy district heat.

The peak is that of the mean power of a step, as the KPI :func:`~sparcs.kpi.economics.
capacity_cost` counts it, so the LP's objective and the KPIs agree.

A window of a rolling horizon (:meth:`CapacityParams.take`) keeps a fixed number of *slots*
(the most periods any window of its length can touch, usually two) and links each step to
every slot with a coefficient of -1 (its own) or 0 (the others): where a month begins inside
the window changes only coefficients, bounds and costs, so the window model is built once.
The peak reached so far in a period is the floor of its slot (:meth:`with_floors`): the
window pays only for raising it. The approximation: a window cannot see a higher peak later
in the month, so it may spend stored energy to shave a peak the month will exceed anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sparcs.lp.builder import LpBuilder
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = [
    "CapacityParams",
    "add_capacity",
    "capacity_value",
    "dh_units",
    "max_periods",
    "raise_floors",
]


@dataclass(frozen=True)
class CapacityParams:
    """One capacity charge of a dispatch LP (grid import or district heat bought).

    Attributes
    ----------
    period
        Charge period (slot) of each step, (time,) int in ``0 .. K-1``.
    window
        Steps whose power counts for the peak, (time,) bool.
    eur_per_kw
        Price per kW of each period's peak, (K,) [EUR/kW].
    floor_kw
        Lower bound of each period's peak, (K,) [kW]; None = 0.
    periods
        Period of the whole run that each slot stands for, (K,) int (-1 = unused slot); None
        = the slots are the run's periods.
    slots
        Link each step to every slot (a window of a rolling horizon, fixed structure);
        False = only to its own period.
    """

    period: np.ndarray
    window: np.ndarray
    eur_per_kw: np.ndarray
    floor_kw: np.ndarray | None = None
    periods: np.ndarray | None = None
    slots: bool = False

    @property
    def n_periods(self) -> int:
        """Number of periods (slots) K."""
        return int(np.size(self.eur_per_kw))

    def floor(self) -> np.ndarray:
        """Floor of each period's peak, (K,) [kW]."""
        if self.floor_kw is None:
            return np.zeros(self.n_periods)
        return np.asarray(self.floor_kw, dtype=float)

    def take(self, idx: np.ndarray, n_steps: int) -> CapacityParams:
        """This charge on the steps ``idx`` (a window), as a fixed number of slots."""
        del n_steps
        periods = np.unique(self.period[idx])
        # one spare slot: a window padded past the period's end may repeat an earlier period
        width = min(max_periods(self.period, idx.size) + 1, int(self.period.max()) + 1)
        width = max(width, periods.size)
        slot_ids = np.full(width, -1)
        slot_ids[: periods.size] = periods

        def per_slot(values: np.ndarray) -> np.ndarray:
            out = np.zeros(width)
            out[: periods.size] = np.asarray(values, dtype=float)[periods]
            return out

        return CapacityParams(
            period=np.searchsorted(periods, self.period[idx]),
            window=self.window[idx],
            eur_per_kw=per_slot(self.eur_per_kw),
            floor_kw=per_slot(self.floor()),
            periods=slot_ids,
            slots=True,
        )

    def with_floors(self, floor_kw: np.ndarray) -> CapacityParams:
        """The floors ``floor_kw`` of the run's periods, (run period,) [kW], on the slots."""
        ids = np.arange(self.n_periods) if self.periods is None else np.asarray(self.periods)
        values = np.asarray(floor_kw, dtype=float)[np.maximum(ids, 0)]
        return replace(self, floor_kw=np.where(ids >= 0, values, 0.0))

    def peaks(self, power_kw: np.ndarray) -> np.ndarray:
        """Highest power of the window's steps in each period, (K,) [kW]."""
        from sparcs.carriers.capacity import period_peaks

        return period_peaks(power_kw, self.period, self.window, self.n_periods)

    def value(self, power_kw: np.ndarray) -> float:
        """Price x max(floor, peak) summed over the periods [EUR]."""
        return float(np.dot(self.eur_per_kw, np.maximum(self.peaks(power_kw), self.floor())))


def raise_floors(floor_kw: np.ndarray, c: CapacityParams, power_kw: np.ndarray) -> np.ndarray:
    """The run's floors (run period,) raised to the peaks of ``power_kw``, the first steps of
    the window whose slots ``c`` describes [kW]."""
    from sparcs.carriers.capacity import period_peaks

    steps = len(power_kw)
    peaks = period_peaks(power_kw, c.period[:steps], c.window[:steps], c.n_periods)
    ids = np.arange(c.n_periods) if c.periods is None else np.asarray(c.periods)
    out = np.array(floor_kw, dtype=float)
    used = ids >= 0
    np.maximum.at(out, ids[used], peaks[used])
    return out


def max_periods(period: np.ndarray, length: int) -> int:
    """Most periods that ``length`` consecutive steps of ``period`` can touch."""
    starts = np.flatnonzero(np.diff(period) != 0) + 1  # first step of each later period
    if length <= 1 or not starts.size:
        return 1
    # a run starting just before boundary j reaches the boundaries up to length - 1 steps on
    reach = np.searchsorted(starts, starts + length - 1, side="left") - np.arange(starts.size)
    return int(min(1 + reach.max(), np.unique(period).size))


def dh_units(p: DispatchProblem) -> np.ndarray:
    """Units whose district heat is bought from outside."""
    dh = p.district_heat
    if dh is None:
        return np.zeros(0, dtype=int)
    return np.flatnonzero((np.asarray(dh.max_kw) > 0) & (dh.priced(p.n_units) > 0))


def _peak_rows(
    lp: LpBuilder, p: DispatchProblem, c: CapacityParams, name: str, rows: str
) -> np.ndarray:
    """Peak columns ``name`` and rows ``rows`` (``... - peak <= 0`` in the window)."""
    prices = np.asarray(c.eur_per_kw, dtype=float)
    peak = lp.add_cols(name, 1, prices.size, lower=c.floor(), upper=np.inf, cost=prices)
    upper = np.where(c.window, 0.0, np.inf)
    ids = lp.add_rows(rows, 1, p.n_steps, lower=-np.inf, upper=upper).ids()[0]
    cols = peak.ids()[0]
    if c.slots:  # every slot, -1 for the step's own: fixed structure, varying values
        own = (c.period[:, None] == np.arange(prices.size)[None, :]).astype(float)
        lp.add_coef(ids[:, None], cols[None, :], -own, varying=True)
    else:
        lp.add_coef(ids, cols[c.period], -1.0)
    result: np.ndarray = ids
    return result


def add_capacity(lp: LpBuilder, p: DispatchProblem) -> None:
    """Peak columns ``cpi``/``cph`` and rows ``CI``/``CH`` of the capacity charges."""
    if p.capacity is not None:
        rows = _peak_rows(lp, p, p.capacity, "cpi", "CI")
        lp.add_coef(rows, lp.cols["gi"].ids()[0], 1.0)
    units = dh_units(p)
    if p.dh_capacity is not None and units.size and "dh" in lp.cols.blocks:
        rows = _peak_rows(lp, p, p.dh_capacity, "cph", "CH")
        dh = lp.cols["dh"].ids()[units]  # (unit, time)
        lp.add_coef(np.broadcast_to(rows, dh.shape), dh, 1.0)


def capacity_value(p: DispatchProblem, solution: Mapping[str, np.ndarray]) -> float:
    """Capacity charges of a solution (e.g. realised flows) [EUR]: price x max(floor, peak)."""
    value = 0.0
    if p.capacity is not None and "gi" in solution:
        value += p.capacity.value(solution["gi"])
    units = dh_units(p)
    if p.dh_capacity is not None and units.size and "dh" in solution:
        value += p.dh_capacity.value(np.asarray(solution["dh"], dtype=float)[:, units].sum(axis=1))
    return value
