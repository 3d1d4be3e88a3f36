"""Heat pumps: electric input ``hp`` [kW] turned into ``COP * hp`` of heat.

Column ``hp`` with ``0 <= hp(b,t) <= HP_b`` (or a per-step limit, e.g. a thermal capacity
divided by the COP); coefficient -1 in the electricity balance (E) and ``COP(b,t)`` in the
heat balance (H) (dispatch-benchmark.md §4). The COP is data of the matrix, so a model used
again (rolling horizon) updates these coefficients in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sparcs.lp.builder import LpBuilder
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["add_heat_pump"]


def add_heat_pump(lp: LpBuilder, p: DispatchProblem) -> None:
    """Column ``hp`` and its coefficients in the E and H rows."""
    n, t = p.n_units, p.n_steps
    hp = lp.add_cols("hp", n, t, upper=p.hp_max())
    ids = hp.ids()
    lp.add_coef(lp.rows["E"].ids(), ids, -1.0)
    lp.add_coef(lp.rows["H"].ids(), ids, np.asarray(p.cop, dtype=float).T, varying=True)
