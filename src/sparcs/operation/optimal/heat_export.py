"""Heat export: heat fed into the external district-heating network.

Column ``hx`` = heat fed in by a unit [kW], ``0 <= hx <= max_kw`` (``inf`` where the unit is
connected to the network: the district node and the buildings on district heating, 0
elsewhere); -1 in its heat balance (H), a revenue of ``price`` per kWh in the objective.
Only the unit's own solar, CHP, heat-pump and stored heat may be fed in, rows ``HXS`` per
connected unit: ``hx - solar - chp - COP hp - td <= 0``; heat bought from the network and
heat of boilers and electric heaters (often unlimited in size) never is, so no price makes
the LP unbounded. With a limit on the district's total, rows ``HX``:
``sum_b hx(t, b) <= total_kw``. Its credit in the primary-energy balance (renewable part
only) is in :mod:`.ped`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sparcs.lp.builder import LpBuilder
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["HeatExportParams", "add_heat_export"]


@dataclass(frozen=True)
class HeatExportParams:
    """Heat fed into the district-heating network.

    Attributes
    ----------
    max_kw
        Largest feed-in per unit, (unit,) [kW]; 0 = not connected, ``inf`` = unlimited.
    total_kw
        Largest feed-in of all units together [kW] (``inf`` = none).
    price
        Revenue per kWh fed in (objective coefficient): scalar or (time,) [EUR/kWh].
    """

    max_kw: np.ndarray
    total_kw: float = float("inf")
    price: np.ndarray | float = 0.0

    def take(self, idx: np.ndarray, n_steps: int) -> HeatExportParams:
        """These parameters on the steps ``idx``."""
        price = np.asarray(self.price, dtype=float)
        return replace(
            self, price=price[idx] if price.ndim == 1 and price.size == n_steps else self.price
        )

    def price_t(self, n_steps: int) -> np.ndarray:
        """Revenue per kWh as (time,) [EUR/kWh]."""
        return np.broadcast_to(np.asarray(self.price, dtype=float), (n_steps,))


def add_heat_export(lp: LpBuilder, p: DispatchProblem) -> None:
    """Column ``hx`` out of the H rows, with its revenue and the district's limit."""
    params = p.heat_export
    if params is None or not np.any(np.asarray(params.max_kw) > 0):
        return
    n, t = p.n_units, p.n_steps
    revenue = np.broadcast_to(params.price_t(t)[:, None], (t, n)) * p.dt_tn
    col = lp.add_cols("hx", n, t, upper=np.asarray(params.max_kw, dtype=float), cost=-revenue).ids()
    lp.add_coef(lp.rows["H"].ids(), col, -1.0)
    _own_heat_only(lp, p, np.flatnonzero(np.asarray(params.max_kw) > 0), col)
    if np.isfinite(params.total_kw):
        rows = lp.add_rows("HX", 1, t, lower=-np.inf, upper=params.total_kw).ids()[0]
        lp.add_coef(np.broadcast_to(rows, (n, t)), col, 1.0)


def _own_heat_only(
    lp: LpBuilder, p: DispatchProblem, connected: np.ndarray, col: np.ndarray
) -> None:
    """Rows ``HXS``: a connected unit feeds in at most its solar, CHP, heat-pump and stored heat."""
    t, m = p.n_steps, connected.size
    rows = lp.add_rows("HXS", m, t, lower=-np.inf, upper=0.0).ids()
    lp.add_coef(rows, col[connected], 1.0)
    for name in ("solar", "chp", "td"):
        if name in lp.cols:
            lp.add_coef(rows, lp.cols[name].ids()[connected], -1.0)
    if "hp" in lp.cols:
        cop = np.asarray(p.cop, dtype=float).T[connected]
        lp.add_coef(rows, lp.cols["hp"].ids()[connected], -cop, varying=True)
