"""Stores whose capacity is a variable: batteries and hot-water tanks of the sizing model.

For a store with charge ``c``, discharge ``d`` and level ``s`` (end of step), energy capacity
``E`` and power ``P`` (batteries only), per unit and step (rows ``<name>``, ``<name>max``,
``<name>min``, ``<name>pc``/``<name>pd``, ``<name>end``)::

    s(t) - keep * s(prev(t)) - eta_c dt c(t) + dt / eta_d d(t) - [t first] keep soc_0 E = 0
    s(t) <= soc_max E,   s(t) >= soc_min E,   c(t) <= P,   d(t) <= P
    s(T-1) >= soc_0 E                                  (contiguous period only)

``prev(t)`` is ``t - 1``; on typical days the first step of each day follows the day's last
step (cyclic days) and there is no initial level. On a contiguous period the first step
starts from ``soc_0 E`` and the last must end at least there: the storage model of
:mod:`sparcs.operation.optimal.storage` with the adapter's ``terminal = "initial"``, with
the capacity made a variable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sparcs.lp.builder import Block, LpBuilder
    from sparcs.planning.candidates import StoreSpec

__all__ = ["StoreColumns", "add_sized_store", "previous_steps"]


@dataclass(frozen=True)
class StoreColumns:
    """Names of the columns and rows of one kind of store, and the balance it joins."""

    charge: str
    discharge: str
    level: str
    rows: str
    balance: str


def previous_steps(n_steps: int, day_steps: int | None) -> np.ndarray:
    """Step before each step, (time,): -1 for the first step of a contiguous period."""
    t = np.arange(n_steps)
    if day_steps is None:
        return t - 1
    start = (t // day_steps) * day_steps
    return start + (t - start - 1) % day_steps


def add_sized_store(
    lp: LpBuilder,
    names: StoreColumns,
    *,
    units: np.ndarray,
    n_units: int,
    dt_h: float,
    spec: StoreSpec,
    energy: Block,
    power: Block | None,
    prev: np.ndarray,
    discharge_cost: np.ndarray | None = None,
) -> None:
    """Columns and rows of the stores of ``units``; other units get columns fixed at 0.

    Parameters
    ----------
    lp
        The builder, with the balance rows already added.
    names
        Column, row and balance names.
    units
        Units that may hold a store, (m,).
    n_units
        All units of the model.
    dt_h
        Step length [h].
    spec
        Store parameters per unit.
    energy, power
        Size columns (one entry per unit): energy capacity [kWh] and, for batteries, power
        [kW]; None = no power limit (tanks).
    prev
        Step before each step (:func:`previous_steps`).
    discharge_cost
        Cost per kW discharged over a step, (time, unit) [EUR]; None = 0.
    """
    t = prev.size
    present = np.zeros(n_units, bool)
    present[units] = True
    upper = np.where(present, np.inf, 0.0)
    c = lp.add_cols(names.charge, n_units, t, upper=upper)
    d = lp.add_cols(
        names.discharge,
        n_units,
        t,
        upper=upper,
        cost=0.0 if discharge_cost is None else discharge_cost,
    )
    s = lp.add_cols(names.level, n_units, t, upper=upper)
    if not units.size:
        return
    cs, ds, ss = c.ids()[units], d.ids()[units], s.ids()[units]
    e = energy.ids()[units, :1]
    keep = (1.0 - spec.loss_per_h[units]) ** dt_h
    rows = lp.add_equal_rows(names.rows, units.size, t, 0.0).ids()
    lp.add_coef(rows, ss, 1.0)
    linked = prev >= 0
    lp.add_coef(rows[:, linked], ss[:, prev[linked]], -keep[:, None])
    lp.add_coef(rows, cs, -spec.eta_charge[units, None] * dt_h)
    lp.add_coef(rows, ds, dt_h / spec.eta_discharge[units, None])
    first = np.flatnonzero(~linked)
    lp.add_coef(rows[:, first], e, -(keep * spec.soc_initial[units])[:, None])
    _bounds(lp, names.rows, ss, e, spec.soc_max[units], spec.soc_min[units])
    if power is not None:
        _power_rows(lp, names.rows, (cs, ds), power.ids()[units, :1])
    if first.size:
        end = lp.add_rows(names.rows + "end", units.size, 1, lower=0.0, upper=np.inf).ids()
        lp.add_coef(end, ss[:, -1:], 1.0)
        lp.add_coef(end, e, -spec.soc_initial[units, None])
    bal = lp.rows[names.balance].ids()[units]
    lp.add_coef(bal, cs, -1.0)
    lp.add_coef(bal, ds, 1.0)


def _power_rows(
    lp: LpBuilder, name: str, flows: tuple[np.ndarray, np.ndarray], power: np.ndarray
) -> None:
    """Rows ``c - P <= 0`` and ``d - P <= 0`` (charge and discharge within the power)."""
    for flow, tag in zip(flows, ("pc", "pd"), strict=True):
        rows = lp.add_rows(name + tag, flow.shape[0], flow.shape[1], lower=-np.inf, upper=0.0).ids()
        lp.add_coef(rows, flow, 1.0)
        lp.add_coef(rows, np.broadcast_to(power, rows.shape), -1.0)


def _bounds(
    lp: LpBuilder,
    name: str,
    level: np.ndarray,
    energy: np.ndarray,
    soc_max: np.ndarray,
    soc_min: np.ndarray,
) -> None:
    """Rows ``s - soc_max E <= 0`` and ``s - soc_min E >= 0``."""
    m, t = level.shape
    hi = lp.add_rows(name + "max", m, t, lower=-np.inf, upper=0.0).ids()
    lp.add_coef(hi, level, 1.0)
    lp.add_coef(hi, np.broadcast_to(energy, hi.shape), -soc_max[:, None])
    with_min = np.flatnonzero(soc_min > 0)
    if with_min.size:
        lo = lp.add_rows(name + "min", with_min.size, t, lower=0.0, upper=np.inf).ids()
        lp.add_coef(lo, level[with_min], 1.0)
        lp.add_coef(lo, np.broadcast_to(energy[with_min], lo.shape), -soc_min[with_min, None])
