"""District heat: heat drawn from a network, bought or produced by the district's plants.

Column ``dh`` = heat drawn by a unit [kW], ``0 <= dh <= max_kw``, +1 in its heat balance (H).

* Without a local network every draw is bought at ``cost`` per kWh.
* With a local network (``network_unit``), the draws of the ``served`` units are the load of
  the network unit's heat balance (coefficient -1 in its H row); the district's plants
  (heat pump, tank, CHP, boilers, solar heat) and the network unit's own ``dh`` column, the
  heat bought from the external network at ``cost``, cover it. Only that purchase is priced.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from sparcs.lp.builder import per_step

if TYPE_CHECKING:
    from sparcs.lp.builder import LpBuilder
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["DistrictHeatParams", "add_district_heat"]


@dataclass(frozen=True)
class DistrictHeatParams:
    """District-heat connections per unit.

    Attributes
    ----------
    max_kw
        Largest draw, (unit,) [kW]; 0 = not connected, ``inf`` = unlimited.
    cost
        Price of bought heat: scalar, (time,) or (time, unit) [EUR/kWh].
    network_unit
        Index of the unit whose plants serve a local network, or -1 for none.
    served
        Units whose draw comes through the local network, (unit,) bool; None = none.
    """

    max_kw: np.ndarray
    cost: np.ndarray | float = 0.0
    network_unit: int = -1
    served: np.ndarray | None = None

    def take(self, idx: np.ndarray, n_steps: int) -> DistrictHeatParams:
        """These parameters on the steps ``idx``."""
        per_step_cost = np.asarray(self.cost, dtype=float)
        if per_step_cost.ndim >= 1 and per_step_cost.shape[0] == n_steps:
            return replace(self, cost=per_step_cost[idx])
        return self

    def served_mask(self, n_units: int) -> np.ndarray:
        """Units fed through the local network, (unit,) bool."""
        if self.network_unit < 0 or self.served is None:
            return np.zeros(n_units, dtype=bool)
        mask = np.asarray(self.served, dtype=bool).copy()
        mask[self.network_unit] = False
        return mask

    def priced(self, n_units: int) -> np.ndarray:
        """1 where a unit's draw is bought from outside, 0 where it comes from the network."""
        return (~self.served_mask(n_units)).astype(float)

    def cost_tn(self, n_steps: int, n_units: int) -> np.ndarray:
        """Price as (time, unit) [EUR/kWh]."""
        cost = np.asarray(self.cost, dtype=float)
        return per_step(cost[:, None] if cost.ndim == 1 else cost, n_steps, n_units)


def add_district_heat(lp: LpBuilder, p: DispatchProblem) -> None:
    """Column ``dh``, its price, and the local network's load."""
    params = p.district_heat
    if params is None or not np.any(np.asarray(params.max_kw) > 0):
        return
    n, t = p.n_units, p.n_steps
    cost = params.cost_tn(t, n) * params.priced(n) * p.dt_tn
    col = lp.add_cols("dh", n, t, upper=params.max_kw, cost=cost).ids()
    h_rows = lp.rows["H"].ids()
    lp.add_coef(h_rows, col, 1.0)
    served = np.flatnonzero(params.served_mask(n))
    if served.size:
        network = h_rows[params.network_unit]
        lp.add_coef(np.broadcast_to(network, (served.size, t)), col[served], -1.0)
