"""Connections: each unit to the district node, and the district to the public grid.

Columns (dispatch-benchmark.md §4): ``cin``/``cout`` (district -> unit / unit -> district,
``<= C_b``), ``gi``/``ge`` (grid import / export, ``<= G_imp`` / ``<= G_exp``), with the cost
``c_imp(t) * gi - p_exp(t) * ge`` per kWh. Rows (D), per step:

* ``metering = "district"`` (one meter at the connection, the reference LP):
  ``gi - ge + sum_b (cout - cin) = 0``;
* ``metering = "building"`` (every unit on its own meter): ``gi - sum_b cin = 0`` and
  ``ge - sum_b cout = 0`` (rows ``D`` and ``Dx``), so the prices apply to each unit's own
  import and export.

An optional peak column ``peak >= gi(t)`` (rows ``P``) carries a cost per kW. An optional
time-varying import cap (rows ``IC``: ``gi(t) - gs(t) <= cap(t)``) with a penalised slack
column ``gs`` answers flexibility requests: the slack is what cannot be delivered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sparcs.lp.builder import LpBuilder
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["add_connections", "add_import_cap", "add_peak"]


def add_connections(lp: LpBuilder, p: DispatchProblem) -> None:
    """Columns ``cin``, ``cout``, ``gi``, ``ge`` and the district rows."""
    n, t, dt = p.n_units, p.n_steps, p.dt_t
    cin = lp.add_cols("cin", n, t, upper=p.connection_kw)
    cout = lp.add_cols("cout", n, t, upper=p.connection_kw)
    e_rows = lp.rows["E"].ids()
    lp.add_coef(e_rows, cin.ids(), 1.0)
    lp.add_coef(e_rows, cout.ids(), -1.0)
    gi = lp.add_cols(
        "gi", 1, t, upper=p.grid_import_kw, cost=np.asarray(p.import_cost, dtype=float) * dt
    )
    ge = lp.add_cols(
        "ge", 1, t, upper=p.grid_export_kw, cost=-np.asarray(p.export_price, dtype=float) * dt
    )
    if p.metering == "district":
        d = lp.add_equal_rows("D", 1, t, 0.0).ids()[0]
        lp.add_coef(d, gi.ids()[0], 1.0)
        lp.add_coef(d, ge.ids()[0], -1.0)
        lp.add_coef(d[None, :], cout.ids(), 1.0)
        lp.add_coef(d[None, :], cin.ids(), -1.0)
    else:
        d = lp.add_equal_rows("D", 1, t, 0.0).ids()[0]
        dx = lp.add_equal_rows("Dx", 1, t, 0.0).ids()[0]
        lp.add_coef(d, gi.ids()[0], 1.0)
        lp.add_coef(d[None, :], cin.ids(), -1.0)
        lp.add_coef(dx, ge.ids()[0], 1.0)
        lp.add_coef(dx[None, :], cout.ids(), -1.0)


def add_peak(lp: LpBuilder, p: DispatchProblem) -> None:
    """Column ``peak`` (highest grid import [kW]) with rows ``gi(t) - peak <= 0``."""
    if p.peak_cost <= 0:
        return
    t = p.n_steps
    peak = lp.add_cols("peak", 1, 1, lower=p.peak_floor_kw, upper=np.inf, cost=p.peak_cost)
    rows = lp.add_rows("P", 1, t, lower=-np.inf, upper=0.0).ids()[0]
    lp.add_coef(rows, lp.cols["gi"].ids()[0], 1.0)
    lp.add_coef(rows, np.full(t, peak.start), -1.0)


def add_import_cap(lp: LpBuilder, p: DispatchProblem) -> None:
    """Rows ``gi(t) - gs(t) <= cap(t)``; slack ``gs`` costs ``import_cap_penalty`` per kWh.

    With a zero penalty the cap is hard (no slack column): an unreachable cap is infeasible.
    """
    if p.import_cap_kw is None:
        return
    t, cap = p.n_steps, np.asarray(p.import_cap_kw, dtype=float)
    rows = lp.add_rows("IC", 1, t, lower=-np.inf, upper=cap).ids()[0]
    lp.add_coef(rows, lp.cols["gi"].ids()[0], 1.0)
    if p.import_cap_penalty > 0:
        cost = np.full(t, 0.0) + p.import_cap_penalty * p.dt_t
        gs = lp.add_cols("gs", 1, t, upper=np.inf, cost=cost)
        lp.add_coef(rows, gs.ids()[0], -1.0)
