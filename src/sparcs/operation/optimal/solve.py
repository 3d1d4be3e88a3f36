"""Solve a :class:`~sparcs.operation.optimal.problem.DispatchProblem` with HiGHS.

:func:`solve_dispatch` is the reference core: arrays in, typed result out. Before solving,
:func:`~.infeasible.precheck` tests necessary conditions of feasibility; a problem that fails
them, or that HiGHS proves infeasible, comes back with ``termination = infeasible`` and a
``message`` that names the constraint family at fault in plain words.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

import numpy as np

from sparcs.errors import ScenarioError
from sparcs.lp.certificate import lagrangian_bound, relative_gap
from sparcs.lp.status import SolverOptions, SolverStatus, TerminationCondition
from sparcs.lp.temporal import LONG_PERIOD_STEPS, TemporalPlan
from sparcs.lp.warm import WarmStarts
from sparcs.operation.optimal._scenario_extras import ComfortBand
from sparcs.operation.optimal.infeasible import elastic_diagnosis, explain, precheck
from sparcs.operation.optimal.model import DispatchModel
from sparcs.operation.optimal.problem import DispatchProblem
from sparcs.operation.optimal.result import OptimizationResult

if TYPE_CHECKING:
    from sparcs.operation.optimal.unit_params import Terminal
    from sparcs.profiles.inputs import Inputs
    from sparcs.scenario.models import Scenario

__all__ = [
    "AUTO_MONOLITHIC",
    "AUTO_TEMPORAL_STEPS",
    "AUTO_WIDE_STEPS",
    "AUTO_WIDE_UNITS",
    "solve_dispatch",
    "solve_optimal",
]

_INFEASIBLE = (TerminationCondition.INFEASIBLE, TerminationCondition.INFEASIBLE_OR_UNBOUNDED)


Method = Literal["auto", "monolithic", "temporal"]

#: Shortest period (steps) that ``method="auto"`` splits into overlapping windows: twelve
#: weeks of hours; shorter periods of at least :data:`AUTO_WIDE_UNITS` units from
#: :data:`AUTO_WIDE_STEPS` steps (a month of 100 buildings) are split too. Smaller LPs solve
#: faster as one (measured in benchmarks/dispatch, docs/dispatch-benchmark.md).
AUTO_TEMPORAL_STEPS = LONG_PERIOD_STEPS
AUTO_WIDE_UNITS = 50
AUTO_WIDE_STEPS = 600


def solve_dispatch(
    problem: DispatchProblem,
    options: SolverOptions | None = None,
    *,
    check: bool = True,
    method: Method = "auto",
    plan: TemporalPlan | None = None,
    warm: WarmStarts | None = None,
) -> OptimizationResult:
    """Build the dispatch LP of ``problem`` and solve it with HiGHS.

    Parameters
    ----------
    problem
        The data (:class:`~sparcs.operation.optimal.problem.DispatchProblem`).
    options
        Solver settings; default :class:`SolverOptions` (one thread, 300 s, 1 % MIP gap,
        log captured, not printed).
    check
        Test necessary conditions of feasibility before solving.
    method
        ``"monolithic"``: one LP, HiGHS from a cold start. ``"temporal"``: overlapping
        windows in time (:mod:`.temporal`, ``plan``), solved in parallel processes and
        warm-started from each other; when their stitched solution is certified within
        ``plan.tolerance`` it is the result, otherwise the whole LP is solved from the
        windows' stitched basis. ``"auto"`` (default): ``"temporal"`` for periods of at
        least :data:`AUTO_TEMPORAL_STEPS` steps and for wide ones (at least
        :data:`AUTO_WIDE_UNITS` units and :data:`AUTO_WIDE_STEPS` steps), ``"monolithic"``
        otherwise.
    plan
        Window layout, workers and tolerance of ``"temporal"``
        (:class:`~.temporal.TemporalPlan`; default :func:`~.temporal.default_plan`: weekly
        segments and 48 h overlap for long periods, 120/12 h for shorter ones, 2 workers).
    warm
        Bases of earlier solves (:class:`~sparcs.lp.warm.WarmStarts`): an LP of the layout
        of the last one solved with it is solved whole from that basis, without windows
        (same optimum, fewer iterations); the basis it ends with is kept.

    Returns
    -------
    OptimizationResult
        ``objective`` [EUR], ``solution`` (named arrays), ``dual_bound`` (a certified lower
        bound of the optimum) and ``gap`` (certified relative gap), ``timings``
        (``build_s``, ``solve_s``, ``check_s``; when split also ``windows``, ``windows_s``,
        ``bound_s``, ``reduce_s`` (:func:`~.reduce.reduce_lp`) and ``temporal_s``, the whole
        decomposition);
        when infeasible, ``message`` says why. Call :meth:`OptimizationResult.raise_for_status`
        to turn a failure into an exception.

    Raises
    ------
    ScenarioError
        For an unknown ``method``.

    Examples
    --------
    One unit, two hours, no PV and no stores: the demand is bought from the grid.

    >>> import numpy as np
    >>> from sparcs.operation.optimal import DispatchProblem, StorageParams, SolverOptions
    >>> z = np.zeros((2, 1))
    >>> none = StorageParams(*(np.zeros(1),) * 3, np.ones(1), np.ones(1), np.zeros(1))
    >>> problem = DispatchProblem(
    ...     dt_h=1.0, demand_el_kw=np.array([[2.0], [1.0]]), demand_heat_kw=z, pv_avail_kw=z,
    ...     cop=np.full((2, 1), 3.0), hp_max_el_kw=np.zeros(1), battery=none, tank=none,
    ...     connection_kw=np.full(1, np.inf), grid_import_kw=np.inf, grid_export_kw=np.inf,
    ...     import_cost=np.array([0.30, 0.20]), export_price=np.zeros(2), cyclic=True)
    >>> result = solve_dispatch(problem, options=SolverOptions(threads=1))
    >>> result.is_ok, round(result.objective, 2)  # 2 kWh at 0.30 + 1 kWh at 0.20 [EUR]
    (True, 0.8)
    """
    if method not in ("auto", "monolithic", "temporal"):
        msg = f"method must be 'auto', 'monolithic' or 'temporal', got {method!r}"
        raise ScenarioError(msg)
    options = options or SolverOptions()
    start = time.perf_counter()
    reasons = precheck(problem) if check else []
    check_s = time.perf_counter() - start
    if reasons:
        return OptimizationResult(
            status=SolverStatus.WARNING,
            termination=TerminationCondition.INFEASIBLE,
            message=explain(reasons),
            timings={"check_s": check_s},
        )
    model = DispatchModel(problem, options)
    long = problem.n_steps >= AUTO_TEMPORAL_STEPS
    wide = problem.n_units >= AUTO_WIDE_UNITS and problem.n_steps >= AUTO_WIDE_STEPS
    temporal = method == "temporal" or (method == "auto" and (long or wide))
    result = _by_windows(model, problem, plan, warm) if temporal else _whole_lp(model, warm)
    timings = {**result.timings, "check_s": check_s}
    if result.termination in _INFEASIBLE:
        reasons = elastic_diagnosis(problem, options)
        return replace(result, message=explain(reasons), timings=timings)
    return replace(result, timings=timings)


def _certify(model: DispatchModel, result: OptimizationResult) -> OptimizationResult:
    """``result`` with the Lagrangian bound of HiGHS's row duals and the gap to it."""
    if not result.is_ok:
        return result
    bound = lagrangian_bound(model.lp, model.row_dual())
    return replace(result, dual_bound=bound, gap=relative_gap(result.objective, bound))


def _whole_lp(
    model: DispatchModel, warm: WarmStarts | None, key: str = "", basis: object | None = None
) -> OptimizationResult:
    """The whole LP from ``basis`` (default: the kept basis of its layout, if any); the
    basis it ends with is kept under ``key`` (default: the model's fingerprint)."""
    if warm is not None:
        key = key or model.fingerprint()
        basis = warm.get("whole", key) if basis is None else basis
    result = _certify(model, model.solve(basis=basis))
    if warm is not None and result.is_ok:
        warm.put("whole", key, model.highs)
    if basis is not None:
        note = "solved as one LP from the basis of the last solve of the same layout"
        result = replace(result, notes=(*result.notes, note))
    return result


def _by_windows(
    model: DispatchModel,
    problem: DispatchProblem,
    plan: TemporalPlan | None,
    warm: WarmStarts | None = None,
) -> OptimizationResult:
    """Overlapping windows; certified, or the whole LP from their stitched basis.

    Windows and the final LP are warm-started, so HiGHS solves them without its presolve;
    they work on the LP reduced once by :meth:`DispatchModel.reduce` instead (same optimum).
    With a kept basis of the same layout (``warm``) the whole LP starts from it instead.
    """
    from sparcs.lp.steps import step_of
    from sparcs.lp.temporal import default_plan, solve_temporal, warm_basis

    plan = plan or default_plan(problem.n_units, problem.n_steps)
    start = time.perf_counter()
    n = problem.n_steps
    reduced = model.reduce()
    reduce_s = time.perf_counter() - start
    key = model.fingerprint(reduced.cols, reduced.rows) if warm is not None else ""
    kept = None if warm is None else warm.get("whole", key)
    result = None if kept is None else _whole_lp(model, warm, key, kept)
    if result is not None and result.is_ok:
        solve_s = result.timings["solve_s"] + reduce_s
        return replace(result, timings={**result.timings, "reduce_s": reduce_s, "solve_s": solve_s})
    window_options = replace(model.options, threads=1, log=False)
    outcome, stitched = solve_temporal(
        reduced.arrays,
        step_of(model.layout.cols, n)[reduced.cols],
        step_of(model.layout.rows, n)[reduced.rows],
        n,
        cyclic=problem.cyclic,
        plan=plan,
        options=window_options,
    )
    windows_s = time.perf_counter() - start  # reduction, windows, bound and repair
    split = {**outcome.timings, "reduce_s": reduce_s, "temporal_s": windows_s}
    if outcome.certified and outcome.col_value is not None:
        note = (
            f"solved in {split['windows']:.0f} overlapping windows; the stitched solution "
            f"is certified within a relative gap of {outcome.gap:.1e} (Lagrangian bound)"
        )
        return OptimizationResult(
            status=SolverStatus.OK,
            termination=TerminationCondition.OPTIMAL,
            objective=outcome.objective,
            solution=model.solution(model.full(outcome.col_value)),
            timings={"build_s": model.build_s, "solve_s": windows_s, **split},
            dual_bound=outcome.bound,
            gap=outcome.gap,
            size=model.size,
            notes=(note,),
        )
    basis = warm_basis(stitched) if stitched is not None else None
    result = _certify(model, model.solve(basis=basis))
    if warm is not None and result.is_ok:
        warm.put("whole", key, model.highs)
    timings = {**result.timings, **split, "solve_s": result.timings["solve_s"] + windows_s}
    how = "from a cold start" if basis is None else "started from the stitched basis of the windows"
    note = f"solved as one LP {how} ({outcome.reason})"
    return replace(result, timings=timings, notes=(*result.notes, note))


#: Largest problem (units x steps) solved as one LP when ``decompose="auto"``: about 13
#: units over a year. The monolithic LP of 10 buildings and the district node for a year
#: solves in ~30 s; weekly windows give the same cost within 1e-5 in a seventh of the time.
AUTO_MONOLITHIC = 120_000

Decompose = Literal["auto", "none", "rolling"]


def _use_windows(decompose: Decompose, n_cells: int, terminal: str, ped: str) -> bool:
    """Whether to solve in windows; period-wide constraints need one LP."""
    if decompose not in ("auto", "none", "rolling"):
        msg = f"decompose must be 'auto', 'none' or 'rolling', got {decompose!r}"
        raise ScenarioError(msg)
    whole = terminal == "cyclic" or ped != "none"
    if decompose == "rolling" and whole:
        msg = (
            "a cyclic storage condition or a primary-energy balance spans the whole period; "
            "solve it as one LP (decompose='none')"
        )
        raise ScenarioError(msg)
    return decompose == "rolling" or (
        decompose == "auto" and not whole and n_cells > AUTO_MONOLITHIC
    )


def solve_optimal(
    scenario: Scenario,
    inputs: Inputs,
    *,
    objective: str | Mapping[str, float] = "cost",
    smart_ev: bool = True,
    thermal_mass: bool = False,
    comfort: ComfortBand | None = None,
    terminal: Terminal = "initial",
    ped: Literal["none", "annual", "monthly"] = "none",
    decompose: Decompose = "auto",
    window_h: float = 192.0,
    commit_h: float = 168.0,
    grid_import_limit_kw: np.ndarray | None = None,
    import_limit_penalty_eur_per_kwh: float = 0.0,
    options: SolverOptions | None = None,
    warm: WarmStarts | None = None,
) -> OptimizationResult:
    """Optimal operation of a scenario with perfect foresight over the period of ``inputs``.

    Parameters
    ----------
    scenario
        The validated scenario.
    inputs
        Profiles on the steps to optimise (a year, or any shorter period).
    objective, smart_ev, thermal_mass, comfort, terminal, ped
        How the scenario becomes an LP (:class:`~.adapter.OptimalSettings`): the objective
        (``"cost"``, ``"co2"``, ``"co2_net"``, ``"import"``, ``"pe"``, ``"peak"`` or weights
        such as ``{"cost": 1, "co2": 0.08}``), smart EV charging, thermal mass within a
        comfort band, the storage level at the end (``"initial"``, ``"cyclic"``, ``"free"``)
        and a non-negative primary-energy balance (``"annual"``, ``"monthly"``).
    decompose
        ``"none"``: one LP over the period. ``"rolling"``: windows of ``window_h`` hours
        with perfect foresight, keeping the first ``commit_h`` hours of each (the model is
        built once). ``"auto"`` (default): one LP up to :data:`AUTO_MONOLITHIC` units x
        steps, windows above (large districts), one LP whenever a cyclic or PED
        condition spans the period.
    window_h, commit_h
        Window and kept length of the rolling decomposition [h].
    grid_import_limit_kw
        Time-varying cap on the district's grid import, (time,) [kW], ``inf`` where there is
        none (e.g. a flexibility request); a cap always solves as one LP.
    import_limit_penalty_eur_per_kwh
        Cost of importing above the cap [EUR/kWh]; 0 = a hard cap.
    options
        Solver settings.
    warm
        Bases of earlier solves of the same layout (the scenario with other sizes;
        :class:`~sparcs.lp.warm.WarmStarts`): the LP, or each rolling window, starts from
        its counterpart's basis and keeps its own. Same optimum, fewer iterations.

    Returns
    -------
    OptimizationResult
        With ``flows`` (every carrier balances in every step and node) when solved;
        otherwise ``termination`` and a plain-words ``message``. A decomposed solve says so
        in ``notes`` and ``timings["windows"]``.
    """
    from sparcs.operation.optimal.adapter import OptimalSettings, scenario_problem
    from sparcs.operation.optimal.output import to_flows

    settings = OptimalSettings(
        objective=objective,
        smart_ev=smart_ev,
        thermal_mass=thermal_mass,
        comfort=comfort or ComfortBand(),
        terminal=terminal,
        ped=ped,
    )
    start = time.perf_counter()
    sp = scenario_problem(scenario, inputs, settings)
    adapt_s = time.perf_counter() - start
    p = sp.problem
    if grid_import_limit_kw is not None:
        cap = np.asarray(grid_import_limit_kw, dtype=float)
        p = replace(
            p, import_cap_kw=cap, import_cap_penalty=float(import_limit_penalty_eur_per_kwh)
        )
        sp = replace(sp, problem=p)
        decompose = "none"
    if _use_windows(decompose, p.n_units * p.n_steps, terminal, ped):
        result = _windows(p, inputs.dt_h, window_h, commit_h, options, warm)
    else:
        result = _whole(p, options, warm)
    if not result.is_ok:
        return replace(result, notes=(*sp.notes, *result.notes))
    start = time.perf_counter()
    flows = to_flows(sp, result.solution, result.notes)
    timings = {**result.timings, "adapt_s": adapt_s, "flows_s": time.perf_counter() - start}
    return replace(result, flows=flows, timings=timings, notes=flows.notes)


def _whole(
    p: DispatchProblem, options: SolverOptions | None, warm: WarmStarts | None = None
) -> OptimizationResult:
    """One LP; its solution realised on its own data (balances closed exactly)."""
    from sparcs.operation.optimal.realise import realise

    result = solve_dispatch(p, options, warm=warm)
    if not result.is_ok:
        return result
    realised, notes = realise(p, p, result.solution)
    return replace(result, solution=realised, notes=tuple(notes))


def _windows(
    p: DispatchProblem,
    dt_h: float,
    window_h: float,
    commit_h: float,
    options: SolverOptions | None,
    warm: WarmStarts | None = None,
) -> OptimizationResult:
    """Rolling windows with perfect foresight (built once, data updated)."""
    from sparcs.operation.optimal.rolling import RollingPlan, rolling_horizon

    window, commit = round(window_h / dt_h), round(commit_h / dt_h)
    if commit < 1 or window < commit:
        msg = f"need 0 < commit_h ({commit_h:g}) <= window_h ({window_h:g})"
        raise ScenarioError(msg)
    plan = RollingPlan(min(window, p.n_steps), commit, p.n_steps, max(1, round(24 / dt_h)))
    result = rolling_horizon(p, plan, forecast="perfect", options=options, warm=warm)
    note = (
        f"solved in {plan.n_windows} windows of {window_h:g} h (first {commit_h:g} h kept) "
        "with perfect foresight: each window is optimal, the period as a whole is not "
        "proven optimal (on 10- and 100-building years the cost was within 1e-5 of one LP)"
    )
    return replace(result, notes=(note, *result.notes))
