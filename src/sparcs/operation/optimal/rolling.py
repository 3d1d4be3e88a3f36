"""The rolling-horizon loop: plan a window on forecasts, commit its first steps, repeat.

Every ``step_h`` hours a plan is made for the next ``horizon_h`` hours from forecasts
(:mod:`sparcs.operation.optimal.forecast`) and the storage, EV and thermal states reached so
far; its first ``step_h`` hours are committed and carried out on the actual data
(:func:`~sparcs.operation.optimal.realise.realise`: decisions kept, the grid absorbs the
forecast errors, balances close exactly). The window LP is built once
(:class:`~sparcs.operation.optimal.model.DispatchModel`) and only its data change from window
to window: bounds, costs, right-hand sides (initial levels) and the COP and EV coefficients.

Windows that run past the end of the period are padded with the period's last day, so every
window has the same structure. Storage must end each window at least at its initial level
when ``terminal="initial"`` (the default; ``"free"`` lets each window empty the stores).
A primary-energy balance over the year cannot be enforced window by window; it is refused
rather than silently broken. Capacity charges (:mod:`.capacity`) are priced window by window:
the peak reached so far in each charge period is the floor of the window's peak column, so a
window pays only for raising it (it cannot see a higher peak later in the period).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from sparcs.lp.status import SolverOptions, SolverStatus, TerminationCondition
from sparcs.lp.warm import WarmStarts
from sparcs.operation.optimal.capacity import dh_units, raise_floors
from sparcs.operation.optimal.forecast import Forecast, forecast_index, forecast_problem
from sparcs.operation.optimal.infeasible import elastic_diagnosis, explain, soft_solve
from sparcs.operation.optimal.model import DispatchModel
from sparcs.operation.optimal.objective import objective_value
from sparcs.operation.optimal.problem import DispatchProblem, take_steps
from sparcs.operation.optimal.realise import realise
from sparcs.operation.optimal.result import OptimizationResult

__all__ = ["Progress", "RollingPlan", "rolling_horizon"]

#: Called with (windows done, windows in total) after each window.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RollingPlan:
    """Window layout of a rolling-horizon run, in steps."""

    horizon: int
    step: int
    n_steps: int
    steps_per_day: int

    @property
    def n_windows(self) -> int:
        """Number of windows."""
        return math.ceil(self.n_steps / self.step)

    def window(self, k: int) -> tuple[np.ndarray, int]:
        """Steps of window ``k`` (padded past the end with the last day) and steps committed."""
        start = k * self.step
        steps = start + np.arange(self.horizon)
        day = min(self.steps_per_day, self.n_steps)
        past = steps >= self.n_steps
        steps[past] = self.n_steps - day + np.mod(steps[past] - self.n_steps, day)
        return steps, min(self.step, self.n_steps - start)


@dataclass(frozen=True)
class _State:
    """The levels one window hands to the next."""

    battery_kwh: np.ndarray  # (unit,)
    tank_kwh: np.ndarray  # (unit,)
    ev_kwh: np.ndarray | None  # (lane,); None without EVs
    indoor_c: np.ndarray | None  # (building,) [degC]; None without thermal mass
    peak_kw: float  # highest grid import so far
    capacity_kw: np.ndarray | None  # peak so far per capacity-charge period, (period,)
    dh_capacity_kw: np.ndarray | None  # the same for district heat


def _with_state(p: DispatchProblem, state: _State) -> DispatchProblem:
    """``p`` starting from the levels in ``state``."""
    changed = replace(
        p,
        battery=replace(p.battery, initial_kwh=state.battery_kwh),
        tank=replace(p.tank, initial_kwh=state.tank_kwh),
        peak_floor_kw=state.peak_kw,
    )
    if p.ev is not None:
        changed = replace(changed, ev=replace(p.ev, initial_kwh=state.ev_kwh))
    if p.thermal_mass is not None:
        changed = replace(changed, thermal_mass=replace(p.thermal_mass, initial_c=state.indoor_c))
    # the peaks reached so far are the floors
    if p.capacity is not None and state.capacity_kw is not None:
        changed = replace(changed, capacity=p.capacity.with_floors(state.capacity_kw))
    if p.dh_capacity is not None and state.dh_capacity_kw is not None:
        changed = replace(changed, dh_capacity=p.dh_capacity.with_floors(state.dh_capacity_kw))
    return changed


def _initial_state(p: DispatchProblem) -> _State:
    zeros = np.zeros(p.n_units)
    tm = p.thermal_mass
    return _State(
        battery_kwh=zeros if p.battery.initial_kwh is None else np.asarray(p.battery.initial_kwh),
        tank_kwh=zeros if p.tank.initial_kwh is None else np.asarray(p.tank.initial_kwh),
        ev_kwh=None if p.ev is None else np.zeros(p.ev.n_lanes),
        indoor_c=None if tm is None else (tm.t_set_c if tm.initial_c is None else tm.initial_c),
        peak_kw=p.peak_floor_kw,
        capacity_kw=None if p.capacity is None else p.capacity.floor(),
        dh_capacity_kw=None if p.dh_capacity is None else p.dh_capacity.floor(),
    )


def _next_state(state: _State, done: dict[str, np.ndarray], window: DispatchProblem) -> _State:
    """The state after the committed steps ``done`` of ``window``."""

    def last(name: str, before: np.ndarray | None) -> np.ndarray | None:
        return done[name][-1] if name in done else before

    capacity = state.capacity_kw
    if window.capacity is not None and capacity is not None:
        capacity = raise_floors(capacity, window.capacity, done["gi"])
    dh_capacity = state.dh_capacity_kw
    units = dh_units(window)
    if window.dh_capacity is not None and dh_capacity is not None and units.size and "dh" in done:
        draw = np.asarray(done["dh"], dtype=float)[:, units].sum(axis=1)
        dh_capacity = raise_floors(dh_capacity, window.dh_capacity, draw)
    return _State(
        battery_kwh=done["bs"][-1] if "bs" in done else state.battery_kwh,
        tank_kwh=done["ts"][-1] if "ts" in done else state.tank_kwh,
        ev_kwh=last("ev_e", state.ev_kwh),
        indoor_c=last("tin", state.indoor_c),
        peak_kw=max(state.peak_kw, float(np.max(done["gi"], initial=0.0))),
        capacity_kw=capacity,
        dh_capacity_kw=dh_capacity,
    )


def _failed(
    result: OptimizationResult, window: DispatchProblem, k: int, options: SolverOptions
) -> OptimizationResult:
    """The result of a window that could not be solved, with the reason."""
    reasons = [
        f"window {k} from {window.labels.step(0)} could not be solved ({result.termination.value})"
    ]
    if result.termination in (
        TerminationCondition.INFEASIBLE,
        TerminationCondition.INFEASIBLE_OR_UNBOUNDED,
    ):
        reasons += elastic_diagnosis(window, options)
    return replace(result, solution={}, message=explain(reasons))


def _soft(
    result: OptimizationResult,
    window: DispatchProblem,
    k: int,
    soften: bool,
    options: SolverOptions,
    notes: list[str],
) -> dict[str, np.ndarray] | OptimizationResult:
    """A plan with soft limits for a window with no solution on its forecast, or the failure."""
    infeasible = result.termination in (
        TerminationCondition.INFEASIBLE,
        TerminationCondition.INFEASIBLE_OR_UNBOUNDED,
    )
    if not (soften and infeasible):
        return _failed(result, window, k, options)
    solution, families = soft_solve(window, options)
    if not solution:
        return _failed(result, window, k, options)
    notes.append(
        f"window {k} from {window.labels.step(0)}: no plan met every limit on the "
        f"forecast; planned with soft limits on {', '.join(families)}"
    )
    return solution


class _Run:
    """State of a rolling-horizon run: the one model, storage states, realised parts."""

    def __init__(
        self,
        problem: DispatchProblem,
        plan: RollingPlan,
        forecast: Forecast,
        options: SolverOptions,
        soften: bool,
        warm: WarmStarts | None = None,
    ) -> None:
        self.problem, self.plan, self.forecast = problem, plan, forecast
        self.options, self.soften, self.warm = options, soften, warm
        self.state = _initial_state(problem)
        self.parts: list[dict[str, np.ndarray]] = []
        self.notes: list[str] = []
        self.times = {"update_s": 0.0, "solve_s": 0.0, "realise_s": 0.0, "highs_s": 0.0}
        self.model: DispatchModel | None = None
        self.iterations = 0

    def _plan(self, k: int) -> tuple[DispatchProblem, DispatchProblem, int]:
        """Window ``k`` on the actual data and on the forecast, and the steps it commits."""
        idx, commit = self.plan.window(k)
        actual = _with_state(take_steps(self.problem, idx), self.state)
        source = forecast_index(self.forecast, idx, k * self.plan.step, self.plan.steps_per_day)
        return actual, forecast_problem(actual, source, self.problem, idx), commit

    def window(self, k: int) -> OptimizationResult | None:
        """Plan, commit and realise window ``k``; a result only when it fails."""
        actual, planned, commit = self._plan(k)
        if self.model is None:
            self.model = DispatchModel(planned, self.options)
        else:
            self.times["update_s"] += self.model.update(planned)
        # a window of an earlier run of the same layout is a closer start than the last window
        key = "" if self.warm is None else self.model.fingerprint()
        basis = None if self.warm is None else self.warm.get(("rolling", k), key)
        result = self.model.solve(basis=basis)
        if self.warm is not None and result.is_ok:
            self.warm.put(("rolling", k), key, self.model.highs)
        self.times["solve_s"] += result.timings["solve_s"]
        self.times["highs_s"] += result.timings["highs_s"]
        self.iterations += result.iterations
        solution = result.solution
        if not result.is_ok:
            soft = _soft(result, planned, k, self.soften, self.options, self.notes)
            if isinstance(soft, OptimizationResult):
                return soft
            solution = soft
        tick = time.perf_counter()
        head = np.arange(commit)
        decided = {n: v[:commit] if v.ndim else v for n, v in solution.items()}
        done, notes = realise(take_steps(actual, head), take_steps(planned, head), decided)
        self.notes += [f"window {k}: {n}" for n in notes]
        self.parts.append(done)
        self.state = _next_state(self.state, done, actual)
        self.times["realise_s"] += time.perf_counter() - tick
        return None

    def result(self, total_s: float) -> OptimizationResult:
        """The realised solution over the period, its objective on the actual data."""
        first = self.parts[0]
        solution = {n: np.concatenate([p[n] for p in self.parts]) for n in first if first[n].ndim}
        p = self.problem
        if p.peak_cost > 0:
            solution["peak"] = np.asarray(max(float(solution["gi"].max()), p.peak_floor_kw))
        model = self.model
        times = {
            **self.times,
            "build_s": model.build_s if model else 0.0,
            "windows": float(self.plan.n_windows),
            "total_s": total_s,
        }
        return OptimizationResult(
            status=SolverStatus.OK,
            termination=TerminationCondition.OPTIMAL,
            objective=objective_value(p, solution),
            solution=solution,
            timings=times,
            iterations=self.iterations,
            size=model.size if model else {},
            notes=tuple(self.notes),
        )


def rolling_horizon(
    problem: DispatchProblem,
    plan: RollingPlan,
    *,
    forecast: Forecast,
    options: SolverOptions | None = None,
    progress: Progress | None = None,
    soften: bool | None = None,
    warm: WarmStarts | None = None,
) -> OptimizationResult:
    """Solve ``problem`` window by window; return the realised solution over the period.

    The window model is built once and its data updated; HiGHS starts each window from the
    previous basis (about 2.5 times fewer simplex iterations than a cold start). A window
    with no solution on its forecast is planned again with soft limits (high penalty) when
    ``soften`` (default: unless the forecast is perfect), and a note says so; otherwise the
    run stops with the window's diagnosis. With ``warm`` (:class:`~sparcs.lp.warm.WarmStarts`)
    window ``k`` starts from the basis window ``k`` ended with in an earlier run of the same
    layout (the same scenario with other sizes), and keeps its own for the next run.

    Returns
    -------
    OptimizationResult
        ``objective`` evaluated on the realised solution with the actual data; ``timings``
        with ``build_s`` (the one model build), ``update_s``, ``solve_s``, ``realise_s``,
        ``total_s`` and ``windows``; ``notes`` on limits exceeded.
    """
    start = time.perf_counter()
    soften = forecast != "perfect" if soften is None else soften
    run = _Run(problem, plan, forecast, options or SolverOptions(), soften, warm)
    for k in range(plan.n_windows):
        failure = run.window(k)
        if failure is not None:
            return failure
        if progress is not None:
            progress(k + 1, plan.n_windows)
    return run.result(time.perf_counter() - start)
