"""The sizing model's solves: the district as it is, and the cost-optimal plan under targets.

When HiGHS stops without a plan, the message says what HiGHS reported and what to change
(:func:`stopped_message`): only a solve that hit the time limit is told to raise it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sparcs.errors import SolverError
from sparcs.lp.status import TerminationCondition
from sparcs.planning.explain import explain_infeasible
from sparcs.planning.sizing import SizingSolution

if TYPE_CHECKING:
    from sparcs.lp.status import SolverOptions
    from sparcs.planning.config import PlanConfig, Target
    from sparcs.planning.setup import PlanningSetup
    from sparcs.planning.sizing import SizingModel

__all__ = ["baseline_solution", "operated_at", "plan_solution", "stopped_message"]

_INFEASIBLE = ("infeasible", "infeasible_or_unbounded")


def operated_at(
    model: SizingModel, sizes: dict[str, np.ndarray], retrofit: np.ndarray
) -> SizingSolution:
    """The sizing model at fixed sizes, operated at least cost with no target.

    Parameters
    ----------
    model
        The sizing model; its sizes are free again afterwards, its targets cleared.
    sizes
        Size per technology and building [the technology's unit].
    retrofit
        Share of each retrofit package in each building, shape (packages, buildings) [-].

    Returns
    -------
    SizingSolution
        HiGHS's solution (not ``ok`` if it found none).
    """
    model.set_targets((), None)
    model.set_objective(cost=1.0)
    model.fix_sizes(sizes, retrofit)
    try:
        return model.solve()
    finally:
        model.fix_sizes(None)


def baseline_solution(setup: PlanningSetup) -> SizingSolution:
    """The district as it is (existing sizes, no retrofit) operated by the sizing model.

    Parameters
    ----------
    setup
        The planning setup.

    Returns
    -------
    SizingSolution
        The optimal solution of the model with the sizes fixed at the existing ones.

    Raises
    ------
    SolverError
        When the district cannot be operated, or HiGHS stops without a verdict.
    """
    model = setup.model
    existing = {t: s.existing for t, s in setup.cand.sizes.items()}
    sol = operated_at(model, existing, np.zeros_like(setup.cand.retrofit_allowed, dtype=float))
    if not sol.ok and sol.termination.value not in _INFEASIBLE:
        raise SolverError(stopped_message(sol, model.options, "the baseline of the sizing model"))
    if not sol.ok:
        msg = (
            f"the district as it is cannot be operated ({sol.termination.value}); check grid "
            "limits and heating systems with 'sparcs run --strategy optimal'"
        )
        raise SolverError(msg)
    return sol


def plan_solution(
    setup: PlanningSetup,
    config: PlanConfig,
    targets: tuple[Target, ...] | None = None,
    *,
    warm: bool = False,
) -> SizingSolution:
    """The cost-optimal plan under ``targets`` (default: the configuration's).

    ``warm`` starts from the last basis: after a tightened bound the dual simplex goes on
    from the last plan (Kladno: 1.7 s against 4.9 s cold); a MILP starts cold.

    Parameters
    ----------
    setup
        The planning setup.
    config
        Targets, budget and solver options.
    targets
        Targets to plan for instead of the configuration's (a tightened bound).
    warm
        Start from the last basis.

    Returns
    -------
    SizingSolution
        The optimal plan.

    Raises
    ------
    InfeasibleError
        When the targets cannot be met (the message names the best reachable value).
    SolverError
        When HiGHS stops without an optimal plan (the message says what HiGHS reported).
    """
    model = setup.model
    targets = config.effective_targets if targets is None else targets
    model.set_targets(targets, config.budget_eur)
    model.set_objective(cost=1.0)
    sol = model.solve(warm=warm and not model.discrete)
    if sol.termination.value in _INFEASIBLE:
        raise explain_infeasible(setup, targets, config.budget_eur)
    if not sol.ok:
        raise SolverError(stopped_message(sol, config.options))
    return sol


def stopped_message(
    sol: SizingSolution, options: SolverOptions, what: str = "the sizing model"
) -> str:
    """One line on why the sizing model gave no plan, in HiGHS's words, and what to change.

    Parameters
    ----------
    sol
        The solve that is not optimal.
    options
        The solver settings it ran with.
    what
        The solve named at the start of the message.

    Returns
    -------
    str
        The message; only a solve that hit the time limit is told to raise it.

    Examples
    --------
    >>> from sparcs.lp.status import SolverOptions, TerminationCondition
    >>> sol = SizingSolution(TerminationCondition.OTHER, solver_status="Unknown")
    >>> print(stopped_message(sol, SolverOptions())[:91])
    the sizing model stopped without a plan: HiGHS reported 'Unknown' (termination other), with
    >>> "time_limit_s" in stopped_message(sol, SolverOptions())
    False
    """
    said = f"HiGHS reported '{sol.solver_status or sol.termination.value}'"
    head = f"{what} stopped without a plan: {said} (termination {sol.termination.value})"
    if sol.termination is TerminationCondition.TIME_LIMIT:
        return f"{head} after options.time_limit_s = {options.time_limit_s:g} s; raise it"
    if sol.termination is TerminationCondition.ITERATION_LIMIT:
        return f"{head}; raise the iteration limit in options.extra or remove it"
    return (
        f"{head}, with no time or iteration limit hit: a numerical difficulty of the LP; "
        "try options.solver='ipm' or options.presolve='on', and check the scenario's "
        "magnitudes (sizes, prices, demands)"
    )
