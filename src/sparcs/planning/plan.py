"""``plan_district``: which measures make a district positive, and at what cost.

The steps: candidates and the sizing LP (:mod:`.setup`), the baseline (what exists, operated
optimally), the cost-optimal plan under the targets and the budget (or a plain-words
:class:`~sparcs.errors.InfeasibleError` with the best reachable value), the plan's re-run
with full-period optimal operation (more typical days while its error exceeds the
tolerance), the cost-CO2 Pareto front and economics per measure.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from sparcs.errors import SolverError
from sparcs.planning.config import PlanConfig
from sparcs.planning.economics import measure_economics, plan_economics
from sparcs.planning.explain import explain_infeasible
from sparcs.planning.pareto import pareto_front
from sparcs.planning.result import (
    MeasureEconomics,
    ParetoPoint,
    PlanOutcome,
    PlanResult,
    Verification,
)
from sparcs.planning.setup import PlanningSetup, prepare
from sparcs.planning.verify import verify_plan
from sparcs.planning.writeback import apply_sizes, clean_sizes

if TYPE_CHECKING:
    from sparcs.climate.weather import Weather
    from sparcs.planning.sizing import SizingSolution
    from sparcs.scenario.models import Scenario

__all__ = ["outcome", "plan_district"]

_INFEASIBLE = ("infeasible", "infeasible_or_unbounded")


def outcome(setup: PlanningSetup, sol: SizingSolution, label: str, *,
            description: str = "") -> PlanOutcome:
    """A solution of the sizing model as a plan with its scenario."""
    cand = setup.cand
    sizes, retro = clean_sizes(cand, sol)
    name = setup.scenario.name if label == "baseline" else f"{setup.scenario.name} ({label})"
    scenario = (setup.scenario if label == "baseline" else
                apply_sizes(setup.scenario, cand, sizes, retro, name=name, description=description))
    area = np.array([b.floor_area_m2 for b in setup.scenario.buildings] + [0.0])
    return PlanOutcome(
        label=label, scenario=scenario, sizes={t: float(v.sum()) for t, v in sizes.items()},
        retrofit_m2={p.name: float(np.dot(area, retro[k])) for k, p in enumerate(cand.packages)},
        capex_eur=max(0.0, sol.kpis["capex"]), annual_investment_eur=sol.annual_investment,
        operating_cost_eur=sol.operating_cost, pe_balance_kwh=sol.kpis["pe"],
        co2_kg=sol.kpis["co2"], import_kwh=sol.kpis["import"], load_kwh=sol.kpis["load"],
        self_sufficiency=sol.kpis["ss"])


def _baseline(setup: PlanningSetup) -> SizingSolution:
    model = setup.model
    existing = {t: s.existing for t, s in setup.cand.sizes.items()}
    model.set_targets((), None)
    model.fix_sizes(existing, np.zeros_like(setup.cand.retrofit_allowed, dtype=float))
    sol = model.solve()
    model.fix_sizes(None)
    if not sol.ok:
        msg = (f"the district as it is cannot be operated ({sol.termination.value}); check grid "
               "limits and heating systems with 'sparcs run --strategy optimal'")
        raise SolverError(msg)
    return sol


def _plan(setup: PlanningSetup, config: PlanConfig) -> SizingSolution:
    model = setup.model
    model.set_targets(config.targets, config.budget_eur)
    model.set_objective(cost=1.0)
    sol = model.solve()
    if sol.termination.value in _INFEASIBLE:
        raise explain_infeasible(setup, config.targets, config.budget_eur)
    if not sol.ok:
        msg = f"the sizing model stopped with {sol.termination.value}; raise options.time_limit_s"
        raise SolverError(msg)
    return sol


def _description(config: PlanConfig) -> str:
    goals = ", ".join(t.describe() for t in config.targets) or "least annual cost"
    budget = f"; budget {config.budget_eur:,.0f} EUR" if config.budget_eur is not None else ""
    return f"Plan by sparcs plan: {goals}{budget}."


def plan_district(scenario: Scenario, config: PlanConfig | None = None, *,
                  weather: Weather | None = None) -> PlanResult:
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
    With typical days and ``config.verify``, the plan is re-run with full-period optimal
    operation; while the largest relative error (cost, PE balance, CO2) exceeds
    ``config.error_tolerance`` the plan is made again with twice the typical days, up to
    ``config.max_typical_days``. Pareto points and economics use the last model.

    Examples
    --------
    A plan that makes a loaded scenario a PED (a full-year LP; not run here)::

        from sparcs.planning import PlanConfig, parse_target, plan_district
        result = plan_district(scenario, config=PlanConfig(targets=(parse_target("ped"),)))
        assert result.plan.pe_balance_kwh >= 0
    """
    config = config or PlanConfig()
    history: list[tuple[int, float]] = []
    first = time.perf_counter()
    while True:
        setup = prepare(scenario, config, weather)
        weather = setup.weather
        timings = dict(setup.timings)
        start = time.perf_counter()
        baseline = _baseline(setup)
        plan = _plan(setup, config)
        timings["solve_s"] = time.perf_counter() - start
        base_out = outcome(setup, baseline, "baseline")
        plan_out = outcome(setup, plan, "plan", description=_description(config))
        start = time.perf_counter()
        check = verify_plan(setup, plan_out, config.error_tolerance) if config.verify else None
        timings["verify_s"] = time.perf_counter() - start
        days = config.typical_days
        if check is None or days is None:
            break
        check = replace(check, typical_days=days)
        history.append((days, check.largest_error))
        if check.within_tolerance or days >= config.max_typical_days:
            break
        config = replace(config, typical_days=min(2 * days, config.max_typical_days))
    if check is not None:
        check = replace(check, history=tuple(history))
    # the stages above are the last model's; this is every model tried, re-runs included
    timings["models_s"] = time.perf_counter() - first
    pareto, economics = _extras(setup, config, plan, baseline, timings)
    notes = (*setup.cand.notes, *_notes(setup), *_error_notes(check))
    return PlanResult(config=config, baseline=base_out, plan=plan_out, pareto=pareto,
                      economics=economics, verification=check,
                      aggregation=setup.agg.description, timings=timings,
                      size=setup.model.size, notes=notes, costs=setup.costs)


def _error_notes(check: Verification | None) -> tuple[str, ...]:
    """What the typical-day check found, in words."""
    if check is None or check.typical_days is None:
        return ()
    tried = ", ".join(f"{k} days: {100 * e:.2f} %" for k, e in check.history)
    if check.within_tolerance:
        return (f"typical-day error against the full-year re-run: {100 * check.largest_error:.2f} "
                f"% at most (cost, PE balance, CO2), within the tolerance of "
                f"{100 * check.tolerance:g} % (tried {tried})",)
    return (f"WARNING: the typical-day error against the full-year re-run is "
            f"{100 * check.largest_error:.2f} %, above the tolerance of "
            f"{100 * check.tolerance:g} % (tried {tried}); plan on every step "
            "(typical_days=None, 'sparcs plan --typical-days 0') for exact figures",)


def _extras(setup: PlanningSetup, config: PlanConfig, plan: SizingSolution,
            baseline: SizingSolution, timings: dict[str, float],
            ) -> tuple[tuple[ParetoPoint, ...], tuple[MeasureEconomics, ...]]:
    """Pareto front and economics, each timed into ``timings``."""
    start = time.perf_counter()
    pareto: tuple[ParetoPoint, ...] = ()
    if config.pareto_points:
        pareto = pareto_front(
            setup, config.pareto_points, config.targets, config.budget_eur,
            lambda bound, sol, i: ParetoPoint(bound, outcome(setup, sol, f"pareto {i + 1}")))
    timings["pareto_s"] = time.perf_counter() - start
    start = time.perf_counter()
    economics = measure_economics(setup, plan) if config.measure_economics else ()
    economics = (*economics, plan_economics(setup, plan, baseline))
    timings["economics_s"] = time.perf_counter() - start
    return pareto, economics


def _notes(setup: PlanningSetup) -> tuple[str, ...]:
    notes = [setup.agg.description,
             "retrofit packages are shares in [0, 1] (linear relaxation): a share below 1 is a "
             "part of the floor area retrofitted",
             "a retrofit scales the space-heat profile down; heat-pump COP does not change "
             "with it",
             "measure savings are leave-one-out: without that measure, operation re-optimised; "
             "they need not add up to the plan's saving",
             f"costs: {setup.costs.country}, discount rate {100 * setup.costs.discount_rate:g} "
             f"%/a, horizon {setup.costs.horizon_years} a (data/costs.toml, [est] values"
             + (f"; {len(setup.costs.overridden)} figure(s) replaced, see the cost data)"
                if setup.costs.overridden else ")")]
    if not setup.scenario.boundary.include_mobility:
        notes.append("targets count EV charging although boundary.include_mobility = false")
    return tuple(notes)
