"""Electric boilers and heaters: electricity to heat at a fixed efficiency.

Column ``eboiler`` = electric input [kW], ``0 <= eboiler <= P_max``; coefficient -1 in the
electricity balance (E) and ``efficiency`` in the heat balance (H). It stands for both an
``electric_boiler`` asset (power-to-heat) and the direct electric heating or back-up heater
of a building, which the rule simulation also books as ``eboiler``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sparcs.lp.builder import LpBuilder
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["ElectricBoilerParams", "add_electric_boiler"]


@dataclass(frozen=True)
class ElectricBoilerParams:
    """Electric boilers per unit.

    Attributes
    ----------
    max_el_kw
        Electric power limit, (unit,) [kW]; 0 = none, ``inf`` = unlimited.
    efficiency
        Heat out per electricity in, (unit,) [-].
    """

    max_el_kw: np.ndarray
    efficiency: np.ndarray


def add_electric_boiler(lp: LpBuilder, p: DispatchProblem) -> None:
    """Column ``eboiler`` and its coefficients in the E and H rows."""
    params = p.electric_boiler
    if params is None or not np.any(np.asarray(params.max_el_kw) > 0):
        return
    n, t = p.n_units, p.n_steps
    col = lp.add_cols("eboiler", n, t, upper=params.max_el_kw).ids()
    lp.add_coef(lp.rows["E"].ids(), col, -1.0)
    lp.add_coef(lp.rows["H"].ids(), col, np.asarray(params.efficiency, dtype=float)[:, None])
