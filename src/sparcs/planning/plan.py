"""``plan_district``: which measures make a district positive, and at what cost.

The steps: candidates and the sizing LP (:mod:`.setup`), the baseline (what exists, operated
optimally), the cost-optimal plan under the targets and the budget (or a plain-words
:class:`~sparcs.errors.InfeasibleError` with the best reachable value; a MILP of yes/no
decisions with ``discrete``, :mod:`.discrete`), the rounded plan operated over the full period
and tightened until every target holds there (:mod:`.holds`), the cost-CO2 Pareto front,
economics per measure and per actor (:mod:`.actors`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sparcs.errors import InfeasibleError
from sparcs.planning.actors import actor_economics, measure_flows
from sparcs.planning.ahead import Waypoint, solve_ahead, start_nearest
from sparcs.planning.checker import Checker
from sparcs.planning.config import PlanConfig, Target
from sparcs.planning.discrete import make_discrete
from sparcs.planning.economics import measure_economics, plan_economics
from sparcs.planning.holds import check_targets, largest_miss, tighten
from sparcs.planning.outcomes import CheckedOutcome, LaterOutcome, outcome
from sparcs.planning.pareto import pareto_front
from sparcs.planning.plan_notes import (
    error_notes,
    gap_note,
    plan_description,
    plan_notes,
    target_notes,
)
from sparcs.planning.result import (
    MeasureEconomics,
    ParetoPoint,
    PlanOutcome,
    PlanResult,
    Verification,
)
from sparcs.planning.setup import PlanningSetup, prepare
from sparcs.planning.sizing import SizingSolution
from sparcs.planning.solves import baseline_solution, plan_solution
from sparcs.planning.verify import Measured, verify_plan

if TYPE_CHECKING:
    from sparcs.climate.weather import Weather
    from sparcs.scenario.models import Scenario

__all__ = ["plan_district"]

#: A plan rounded and measured on the full period (:func:`~.outcomes.measured_outcome`).
Measuring = tuple[PlanOutcome, Measured, SizingSolution]


@dataclass
class _Made:
    """The last planning model made, its plans and their first full-period check."""

    setup: PlanningSetup
    config: PlanConfig
    baseline: SizingSolution
    plan: SizingSolution
    base_out: PlanOutcome
    plan_out: PlanOutcome
    timings: dict[str, float]
    check: Verification | None = None
    first_measured: Measuring | None = None
    base_measured: LaterOutcome | None = None
    history: list[tuple[int, float]] = field(default_factory=list)
    continuous: PlanOutcome | None = None
    discrete_notes: tuple[str, ...] = ()
    checker: Checker | None = None  # the plan's checks, keeping their bases
    waypoints: list[Waypoint] = field(default_factory=list)  # bounds solved ahead

    def close(self) -> None:
        """Let the background operations go."""
        if self.base_measured is not None:
            self.base_measured.close()
        self.close_checker()

    def close_checker(self) -> None:
        """Let the worker of the plan's checks go."""
        if self.checker is not None:
            self.checker.close()


def _model(
    scenario: Scenario,
    config: PlanConfig,
    weather: Weather | None,
    history: list[tuple[int, float]],
    jobs: list[LaterOutcome],
) -> _Made:
    """Setup, baseline and plan (continuous, then discrete when asked) of one model.

    With ``config.verify`` the district as it is starts its full-period operation in the
    background (into ``jobs``, once) before the plan's solve: the second core operates it
    while the first solves the plan, instead of beside the plan's check.
    """
    setup = prepare(scenario, config, weather)
    timings = dict(setup.timings)
    start = time.perf_counter()
    baseline = baseline_solution(setup)
    if config.verify and not jobs:
        jobs.append(LaterOutcome(setup, baseline, config, "baseline"))
    plan = plan_solution(setup, config)
    continuous: PlanOutcome | None = None
    notes: tuple[str, ...] = ()
    if config.discrete:
        continuous = outcome(setup, plan, "continuous plan")
        notes = make_discrete(setup.model)
        plan = plan_solution(setup, config)
    timings["solve_s"] = time.perf_counter() - start
    return _Made(
        setup=setup,
        config=config,
        baseline=baseline,
        plan=plan,
        base_out=outcome(setup, baseline, "baseline"),
        plan_out=outcome(setup, plan, "plan", description=plan_description(config)),
        timings=timings,
        base_measured=jobs[0] if jobs else None,
        history=history,
        continuous=continuous,
        discrete_notes=notes,
    )


def _make(scenario: Scenario, config: PlanConfig, weather: Weather | None) -> _Made:
    """Plan, and with ``config.verify`` check on the full period; with typical days, double
    them while the model's error exceeds the tolerance (up to ``largest_typical_days``)."""
    history: list[tuple[int, float]] = []
    jobs: list[LaterOutcome] = []  # the district as it is, operated in the background
    m: _Made | None = None
    try:
        while True:
            m = _model(scenario, config, weather, history, jobs)
            weather = m.setup.weather
            if not config.verify or _first_check(m, config):
                return m
            m.close_checker()  # the next model has another layout: its bases are of no use
            days = 2 * (config.typical_days or 0)  # not None: a full period is not redone
            config = replace(config, typical_days=min(days, config.largest_typical_days))
    except BaseException:
        for job in jobs:
            job.close()
        if m is not None:
            m.close_checker()
        raise


def _first_check(m: _Made, config: PlanConfig) -> bool:
    """Check the plan of ``m`` on the full period; whether the typical days may stay."""
    start = time.perf_counter()
    description = plan_description(config)
    m.checker = Checker(m.setup, config.verify_strategy)
    pending = CheckedOutcome(m.setup, m.plan, config, m.checker, description=description)
    if m.checker.in_worker:  # the second core checks while this one solves ahead
        m.waypoints = solve_ahead(m.setup, config, m.plan, pending.done)
    first = pending.result()
    m.first_measured = first
    m.check = verify_plan(
        m.setup,
        m.plan_out,
        first[1],
        annual_investment_eur=first[0].annual_investment_eur,
        tolerance=config.error_tolerance,
    )
    m.timings["verify_s"] = time.perf_counter() - start
    days = config.typical_days
    if days is None:
        return True
    m.history.append((days, m.check.largest_error))
    return m.check.within_tolerance or days >= config.largest_typical_days


def plan_district(
    scenario: Scenario, config: PlanConfig | None = None, *, weather: Weather | None = None
) -> PlanResult:
    """Size PV, batteries, heat pumps, tanks, EV charge points and retrofits in one LP.

    Parameters
    ----------
    scenario
        The district as it is (the baseline).
    config
        Targets, budget, candidates, time aggregation, Pareto points
        (:class:`~sparcs.planning.config.PlanConfig`).
    weather
        Weather to use instead of the scenario's.

    Returns
    -------
    PlanResult
        Baseline, plan (with its scenario), Pareto points, economics and the re-run check.

    Raises
    ------
    InfeasibleError
        When the targets cannot be met; the message names the target and the best value
        that can be reached.
    SolverError
        When the solver fails or hits its time limit.

    Notes
    -----
    With ``config.verify`` the plan's sizes are rounded and the rounded plan is operated over
    the full period with ``config.verify_strategy``; its KPIs are the plan's figures. A
    target missed there by more than ``config.target_tolerance`` tightens the model's bound
    and the plan is made again (:mod:`.holds`). With typical days, while the largest relative
    error of the model (cost, PE balance, CO2) exceeds ``config.error_tolerance``, the plan
    is made again with twice the typical days, up to ``config.max_typical_days``. Pareto
    points and economics use the last model.

    Examples
    --------
    A plan that makes a loaded scenario a PED (a full-year LP; not run here)::

        from sparcs.planning import PlanConfig, parse_target, plan_district
        result = plan_district(scenario, config=PlanConfig(targets=(parse_target("ped"),)))
        assert result.plan.pe_balance_kwh >= 0
    """
    config = config or PlanConfig()
    first = time.perf_counter()
    m = _make(scenario, config, weather)
    try:
        return _finish(scenario, m, first)
    finally:
        m.close()


def _finish(scenario: Scenario, m: _Made, first: float) -> PlanResult:
    """Targets held on the full period, economics, actors and notes of the model made."""
    setup, config, plan, plan_out = m.setup, m.config, m.plan, m.plan_out
    check, timings, base_out, baseline = m.check, m.timings, m.base_out, m.baseline
    verified = None
    money = (plan, baseline)  # what the plan's economics are computed on
    if check is not None and m.first_measured is not None and m.base_measured is not None:
        start = time.perf_counter()
        plan, plan_out, (verified, _, rounded), check = _hold(
            setup, config, plan, plan_out, m.first_measured, check, m.checker, m.waypoints
        )
        check = replace(
            check,
            history=tuple(m.history),
            typical_days=config.typical_days if setup.agg.typical else None,
        )
        base_out, _, base_rounded = m.base_measured.result()
        money = (rounded, base_rounded)
        timings["targets_s"] = time.perf_counter() - start
    # the stages above are the last model's; this is every model tried, re-runs included
    timings["models_s"] = time.perf_counter() - first
    pareto, economics = _extras(setup, config, plan, money, timings)
    finance = actor_economics(
        measure_flows(economics),
        scenario.finance,
        country=setup.costs.country,
        discount_rate=setup.costs.discount_rate,
        horizon_years=setup.costs.horizon_years,
    )
    continuous = m.continuous
    notes_d = (*m.discrete_notes, gap_note(plan, continuous)) if continuous is not None else ()
    notes = (
        *setup.cand.notes,
        *plan_notes(setup),
        *notes_d,
        *error_notes(check),
        *target_notes(check),
        *finance.notes,
        *(f"split incentive: {s.describe()}" for s in finance.split_incentives),
    )
    return PlanResult(
        config=config,
        baseline=base_out,
        plan=verified or plan_out,
        pareto=pareto,
        economics=economics,
        verification=check,
        aggregation=setup.agg.description,
        timings=timings,
        size=setup.model.size,
        notes=notes,
        costs=setup.costs,
        model_plan=plan_out if verified is not None else None,
        finance=finance,
        continuous_plan=continuous,
        mip_gap=plan.mip_gap,
    )


def _hold(
    setup: PlanningSetup,
    config: PlanConfig,
    plan: SizingSolution,
    plan_out: PlanOutcome,
    first: Measuring,
    check: Verification,
    checker: Checker | None = None,
    waypoints: list[Waypoint] | None = None,
) -> tuple[SizingSolution, PlanOutcome, Measuring, Verification]:
    """Tighten the model's bounds and plan again until every target holds on the full period.

    Returns the plan (solution, model outcome, measured outcome, check) whose targets hold,
    or, when they cannot be made to hold within ``config.max_corrections`` rounds or the
    tightened model is infeasible, the plan that came nearest, its check saying so.
    """
    bounds: dict[str, float] = {t.kind: t.value for t in config.effective_targets}
    measuring = first
    verified, measured, _ = first
    checks = check_targets(
        config.effective_targets,
        config.budget_eur,
        measured,
        verified.capex_eur,
        config.target_tolerance,
    )
    best = (plan, plan_out, measuring, checks)
    tried = [tuple(bounds.items())]
    reason = ""
    previous = None
    for _ in range(config.max_corrections):
        if all(c.holds for c in checks):
            break
        if any(c.kind == "budget" and not c.holds for c in checks):
            reason = "the rounded plan costs more than the budget"
            break
        bounds, previous = tighten(bounds, checks, previous=previous), (bounds, checks)
        tried.append(tuple(bounds.items()))
        targets = tuple(Target(t.kind, bounds[t.kind]) for t in config.effective_targets)
        start_nearest(setup, waypoints or [], targets)  # first round: nearest basis ahead
        waypoints = None
        try:
            plan = plan_solution(setup, config, targets, warm=True)
        except InfeasibleError as exc:
            reason = f"the sizing model cannot go further: {exc}"
            break
        description = plan_description(config)
        plan_out = outcome(setup, plan, "plan", description=description)
        checker = checker or Checker(setup, config.verify_strategy)
        measuring = CheckedOutcome(setup, plan, config, checker, description=description).result()
        verified, measured, _ = measuring
        checks = check_targets(
            config.effective_targets,
            config.budget_eur,
            measured,
            verified.capex_eur,
            config.target_tolerance,
        )
        if largest_miss(checks) <= largest_miss(best[3]):
            best = (plan, plan_out, measuring, checks)
    plan, plan_out, measuring, checks = best
    verified, measured, _ = measuring
    if not all(c.holds for c in checks) and not reason:
        reason = f"the targets still miss after {len(tried) - 1} tightening(s)"
    check = verify_plan(
        setup,
        plan_out,
        measured,
        annual_investment_eur=verified.annual_investment_eur,
        tolerance=check.tolerance,
    )
    check = replace(
        check,
        targets=checks,
        corrections=tuple(tried),
        unmet_reason=reason,
    )
    return plan, plan_out, measuring, check


def _extras(
    setup: PlanningSetup,
    config: PlanConfig,
    plan: SizingSolution,
    money: tuple[SizingSolution, SizingSolution],
    timings: dict[str, float],
) -> tuple[tuple[ParetoPoint, ...], tuple[MeasureEconomics, ...]]:
    """Pareto front and economics, each timed into ``timings``."""
    start = time.perf_counter()
    pareto: tuple[ParetoPoint, ...] = ()
    if config.pareto_points:
        pareto = pareto_front(
            setup,
            config.pareto_points,
            config.effective_targets,
            config.budget_eur,
            lambda bound, sol, i: ParetoPoint(bound, outcome(setup, sol, f"pareto {i + 1}")),
        )
    timings["pareto_s"] = time.perf_counter() - start
    start = time.perf_counter()
    economics = measure_economics(setup, plan) if config.measure_economics else ()
    economics = (*economics, plan_economics(setup, *money))
    timings["economics_s"] = time.perf_counter() - start
    return pareto, economics
