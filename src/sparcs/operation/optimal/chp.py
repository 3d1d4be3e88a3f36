"""Combined heat and power: heat and electricity in a fixed ratio from fuel.

Column ``chp`` = heat output [kW], ``0 <= chp <= Q_max``; +1 in the heat balance (H) and
``el_per_heat`` (= eta_el / eta_th) in the electricity balance (E); fuel burnt is
``chp * fuel_per_heat`` (= chp / eta_th). The minimum part load of a real unit needs an
on/off decision (a binary); the LP leaves it out, so the CHP may run at any load.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from sparcs.lp.builder import per_step, take_series

if TYPE_CHECKING:
    from sparcs.lp.builder import LpBuilder
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["CHPParams", "add_chp"]


@dataclass(frozen=True)
class CHPParams:
    """CHP units per unit.

    Attributes
    ----------
    max_heat_kw
        Thermal capacity, (unit,) [kW]; 0 = none.
    el_per_heat
        Electricity per unit of heat, (unit,) [-].
    fuel_per_heat
        Fuel per unit of heat, (unit,) [-].
    fuel_cost
        Objective coefficient per kWh of fuel: scalar, (unit,) or (time, unit) [EUR/kWh].
    """

    max_heat_kw: np.ndarray
    el_per_heat: np.ndarray
    fuel_per_heat: np.ndarray
    fuel_cost: np.ndarray | float = 0.0

    def take(self, idx: np.ndarray, n_steps: int) -> CHPParams:
        """These parameters on the steps ``idx``."""
        return replace(self, fuel_cost=take_series(self.fuel_cost, idx, n_steps))


def add_chp(lp: LpBuilder, p: DispatchProblem) -> None:
    """Column ``chp`` (heat) into the H rows, its electricity into the E rows."""
    params = p.chp
    if params is None or not np.any(np.asarray(params.max_heat_kw) > 0):
        return
    n, t = p.n_units, p.n_steps
    fuel = np.asarray(params.fuel_per_heat, dtype=float)
    cost = per_step(params.fuel_cost, t, n) * fuel * p.dt_tn
    col = lp.add_cols("chp", n, t, upper=params.max_heat_kw, cost=cost).ids()
    lp.add_coef(lp.rows["H"].ids(), col, 1.0)
    lp.add_coef(lp.rows["E"].ids(), col, np.asarray(params.el_per_heat, dtype=float)[:, None])
