"""Batteries and hot-water tanks: state-of-energy equations, cyclic or from an initial level.

For a store with charge ``c``, discharge ``d`` and content ``s`` (end of step) per unit and
step (dispatch-benchmark.md §4, rows B and S)::

    s(t) = keep * s(t-1) + eta_c * dt * c(t) - dt / eta_d * d(t),   keep = (1 - loss) ** dt

with ``s(-1) = s(T-1)`` when the problem is cyclic, else ``s(-1) = initial``. Bounds:
``0 <= c <= charge_kw``, ``0 <= d <= discharge_kw``, ``min_kwh <= s <= capacity_kwh`` and
``s(T-1) >= final_min_kwh``. Charging enters the electricity (battery) or heat (tank)
balance with -1, discharging with +1. A store absent from every unit adds no columns.

References
----------
The standard linear storage model, e.g. PyPSA ``StorageUnit`` (state-of-charge constraint in
``pypsa/optimization/constraints.py``) and linopy ``benchmarks/models/storage.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sparcs.lp.builder import Block, LpBuilder
    from sparcs.operation.optimal.problem import DispatchProblem, StorageParams

__all__ = ["add_battery", "add_tank", "add_storage", "state_rows"]


def state_rows(
    lp: LpBuilder,
    name: str,
    level: Block,
    keep: np.ndarray,
    *,
    cyclic: bool,
    initial: np.ndarray | None,
) -> Block:
    """Rows ``level(t) - keep * level(t-1) [- flows] = rhs`` for a block of levels.

    Parameters
    ----------
    lp
        The builder.
    name
        Name of the row block.
    level
        Column block of the levels, shaped (units, steps).
    keep
        Share of the level kept from one step to the next, (units,) or (units, steps) [-].
    cyclic
        Link the first step to the last; otherwise ``initial`` is moved to the right-hand
        side of the first row.
    initial
        Level before the first step, (units,) [kWh]; None = 0.

    Returns
    -------
    Block
        The rows; the caller adds the flow coefficients.
    """
    units, steps = level.units, level.steps
    keep = np.broadcast_to(np.asarray(keep, dtype=float).reshape(units, -1), (units, steps))
    rhs = np.zeros((units, steps))
    if not cyclic and initial is not None:
        rhs[:, 0] = keep[:, 0] * np.asarray(initial, dtype=float)
    rows = lp.add_equal_rows(name, units, steps, rhs.T)
    ids, cols = rows.ids(), level.ids()
    lp.add_coef(ids, cols, 1.0)
    prev = np.roll(cols, 1, axis=1)
    if cyclic:
        lp.add_coef(ids, prev, -keep)
    else:
        lp.add_coef(ids[:, 1:], prev[:, 1:], -keep[:, 1:])
    return rows


def add_storage(
    lp: LpBuilder, p: DispatchProblem, store: StorageParams, names: tuple[str, ...], balance: str
) -> None:
    """Columns charge, discharge, level and the state rows of one kind of store.

    Parameters
    ----------
    names
        Names of the charge, discharge and level columns and of the state rows.
    balance
        Row block the store charges from and discharges to (``"E"`` or ``"H"``).
    """
    if not store.present:
        return
    n, t, dt = p.n_units, p.n_steps, p.dt_t
    c_name, d_name, s_name, row_name = names
    cap = np.asarray(store.capacity_kwh, dtype=float)
    cost = 0.0 if store.discharge_cost is None else np.asarray(store.discharge_cost) * p.dt_tn
    charge = lp.add_cols(c_name, n, t, upper=store.charge_kw)
    discharge = lp.add_cols(d_name, n, t, upper=store.discharge_kw, cost=cost)
    lower = np.zeros((t, n)) if store.min_kwh is None else np.tile(store.min_kwh, (t, 1))
    if store.final_min_kwh is not None:
        end = -1 if p.terminal_step is None else p.terminal_step
        lower[end] = np.maximum(lower[end], store.final_min_kwh)
    level = lp.add_cols(s_name, n, t, lower=np.minimum(lower, cap), upper=cap)
    kept_per_h = 1.0 - np.asarray(store.loss_per_h, dtype=float)
    # steps of their own length keep (units, steps) shares
    keep = kept_per_h**dt if np.ndim(dt) == 0 else kept_per_h[:, None] ** dt
    rows = state_rows(lp, row_name, level, keep, cyclic=p.cyclic, initial=store.initial_kwh)
    eta_c = np.asarray(store.eta_charge, dtype=float)[:, None]
    eta_d = np.asarray(store.eta_discharge, dtype=float)[:, None]
    lp.add_coef(rows.ids(), charge.ids(), -eta_c * dt)
    lp.add_coef(rows.ids(), discharge.ids(), dt / eta_d)
    bal = lp.rows[balance].ids()
    lp.add_coef(bal, charge.ids(), -1.0)
    lp.add_coef(bal, discharge.ids(), 1.0)


def add_battery(lp: LpBuilder, p: DispatchProblem) -> None:
    """Batteries: columns ``bc``, ``bd``, ``bs`` and rows ``B``, charging from (E)."""
    add_storage(lp, p, p.battery, ("bc", "bd", "bs", "B"), "E")


def add_tank(lp: LpBuilder, p: DispatchProblem) -> None:
    """Hot-water tanks: columns ``tc``, ``td``, ``ts`` and rows ``S``, charging from (H)."""
    add_storage(lp, p, p.tank, ("tc", "td", "ts", "S"), "H")
