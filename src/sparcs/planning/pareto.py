"""Cost-CO2 Pareto front by the epsilon-constraint method.

The two ends are the cost-optimal plan (its emissions ``CO2_hi``) and the CO2-minimal plan
(``CO2_lo``, then the cheapest plan at that level). Between them the cheapest plan is found
for ``n`` bounds ``CO2 <= eps`` evenly spaced from ``CO2_hi`` to ``CO2_lo``; every other
target and the budget hold throughout. Because each point minimises cost under a tighter
bound than the one before, cost rises as CO2 falls (up to the solver's tolerance).

References
----------
Haimes, Lasdon, Wismer, *On a bicriterion formulation of the problems of integrated system
identification and system optimization*, IEEE Trans. SMC 1(3) 296-297 (1971); Mavrotas,
*Effective implementation of the epsilon-constraint method*, Applied Mathematics and
Computation 213(2) 455-465 (2009).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from sparcs.errors import SolverError

if TYPE_CHECKING:
    from sparcs.planning.config import Target
    from sparcs.planning.result import ParetoPoint
    from sparcs.planning.setup import PlanningSetup
    from sparcs.planning.sizing import SizingSolution

__all__ = ["pareto_front"]


def _solved(sol: SizingSolution, what: str) -> SizingSolution:
    if not sol.ok:
        msg = f"Pareto front: the {what} plan could not be solved ({sol.termination.value})"
        raise SolverError(msg)
    return sol


def pareto_front(
    setup: PlanningSetup,
    n_points: int,
    targets: tuple[Target, ...],
    budget: float | None,
    point: Callable[[float, SizingSolution, int], ParetoPoint],
) -> tuple[ParetoPoint, ...]:
    """``n_points`` cheapest plans from the cost-optimal to the CO2-minimal one.

    Parameters
    ----------
    setup
        The planning setup (its model is changed and restored to cost with ``targets``).
    n_points
        Number of points, at least 2.
    targets
        Targets that hold for every point (a CO2 target caps the front's upper end).
    budget
        Budget that holds for every point [EUR].
    point
        Turns (epsilon bound [kg/a], solution, index) into a :class:`ParetoPoint`.

    Raises
    ------
    SolverError
        When an end of the front cannot be solved.
    """
    model = setup.model
    model.set_targets(targets, budget)
    model.set_objective(cost=1.0)
    high = _solved(model.solve(), "cost-optimal").kpis["co2"]
    model.set_objective(cost=0.0, co2=1.0)
    low = _solved(model.solve(), "CO2-minimal").kpis["co2"]
    model.set_objective(cost=1.0)
    slack = 1e-7 * max(abs(low), 1.0)
    points = []
    try:
        for i, eps in enumerate(np.linspace(high, low, n_points)):
            bound = max(eps, low + slack)
            model.bound_co2(bound)
            sol = model.solve()
            if sol.ok:
                points.append(point(float(bound), sol, i))
    finally:
        model.set_targets(targets, budget)
    return tuple(points)
