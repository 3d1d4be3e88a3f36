"""Fuel boilers: heat from fuel at a fixed efficiency.

Column ``boiler`` = heat output [kW], ``0 <= boiler <= Q_max``; coefficient +1 in the heat
balance (H); the fuel burnt is ``boiler / efficiency`` and costs ``fuel_cost`` per kWh of
fuel (EN 15316-4-1 style constant efficiency on the net calorific value).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from sparcs.lp.builder import per_step, take_series

if TYPE_CHECKING:
    from sparcs.lp.builder import LpBuilder
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["BoilerParams", "add_boiler"]


@dataclass(frozen=True)
class BoilerParams:
    """Fuel boilers per unit.

    Attributes
    ----------
    max_heat_kw
        Thermal capacity, (unit,) [kW]; 0 = none, ``inf`` = sized to any need.
    efficiency
        Heat out per fuel in, (unit,) [-].
    fuel_cost
        Objective coefficient per kWh of fuel: scalar, (unit,) or (time, unit) [EUR/kWh].
    """

    max_heat_kw: np.ndarray
    efficiency: np.ndarray
    fuel_cost: np.ndarray | float = 0.0

    def take(self, idx: np.ndarray, n_steps: int) -> BoilerParams:
        """These parameters on the steps ``idx``."""
        return replace(self, fuel_cost=take_series(self.fuel_cost, idx, n_steps))

    def fuel_per_heat(self) -> np.ndarray:
        """Fuel burnt per unit of heat, (unit,) [-]."""
        return 1.0 / np.asarray(self.efficiency, dtype=float)


def add_boiler(lp: LpBuilder, p: DispatchProblem) -> None:
    """Column ``boiler`` (heat) with its fuel cost, into the H rows."""
    params = p.boiler
    if params is None or not np.any(np.asarray(params.max_heat_kw) > 0):
        return
    n, t = p.n_units, p.n_steps
    cost = per_step(params.fuel_cost, t, n) * params.fuel_per_heat() * p.dt_tn
    col = lp.add_cols("boiler", n, t, upper=params.max_heat_kw, cost=cost).ids()
    lp.add_coef(lp.rows["H"].ids(), col, 1.0)
