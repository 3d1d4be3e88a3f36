"""The LP of a cycle's horizon: the scenario's dispatch model from the measured levels.

The stores start at their measured levels (the scenario's where no state meter reads them,
stated) and end at least there; an operator's override fixes the asset's power over its
steps, within the asset's limits. The solution is realised into Flows as the optimal
strategy does.

An :class:`Operator` carries the LP from one cycle to the next: it stays in HiGHS, only its
data change, and the simplex starts from the basis HiGHS kept from the last cycle
(:class:`~sparcs.operation.optimal.receding.RecedingModel`). Without one, a cycle builds
and solves its LP from a cold start.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from sparcs.errors import DataError
from sparcs.live.recent import RecentReadings
from sparcs.live.sizing import with_year_heat_pumps, year_heat_pumps
from sparcs.live.state import MeasuredState, capacity_floors
from sparcs.lp.builder import LpArrays, LpBuilder
from sparcs.lp.status import SolverOptions
from sparcs.operation.flows import DISTRICT_NODE, Flows
from sparcs.operation.optimal.adapter import OptimalSettings, ScenarioProblem, scenario_problem
from sparcs.operation.optimal.blocking import (
    block_mean,
    blocked,
    blocks,
    clock_phase,
    expanded,
    steps_of,
)
from sparcs.operation.optimal.ev import EVParams
from sparcs.operation.optimal.model import DispatchModel
from sparcs.operation.optimal.output import to_flows
from sparcs.operation.optimal.problem import DispatchProblem
from sparcs.operation.optimal.realise import realise
from sparcs.operation.optimal.receding import RecedingModel
from sparcs.operation.optimal.result import OptimizationResult
from sparcs.operation.optimal.solve import solve_dispatch
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario

__all__ = ["OVERRIDABLE", "Operator", "Plan", "plan_horizon"]


#: Assets an operator can put in manual mode: kind → LP blocks (drawing, delivering).
OVERRIDABLE: dict[str, tuple[str, ...]] = {"battery": ("bc", "bd"), "heat_pump": ("hp",)}


@dataclass(frozen=True)
class Plan:
    """The dispatch LP a cycle solved and its solution (named arrays, kW per step); with a
    coarser tail (``problem.step_h`` set) one LP step per block (:mod:`~sparcs.operation.
    optimal.blocking`), the first steps those of the horizon."""

    problem: DispatchProblem
    solution: dict[str, np.ndarray]


class Operator:
    """What one district's operation keeps from cycle to cycle: its LP, held in HiGHS.

    Give the same operator to every cycle of a district (:func:`~sparcs.live.cycle.
    operate_cycle`'s ``operator``; :func:`~sparcs.live.loop.run_loop` does): each cycle then
    updates the LP's data instead of building it and starts the simplex from the previous
    cycle's basis, kept in HiGHS (the same optimum in a fraction of the simplex iterations).

    Parameters
    ----------
    options
        Solver settings.

    Attributes
    ----------
    model
        The LP across cycles.
    last_start
        UTC start of the last solved window, or None.
    """

    def __init__(self, options: SolverOptions | None = None) -> None:
        self.model = RecedingModel(options)
        self.last_start: pd.Timestamp | None = None
        self._sized: tuple[Inputs, np.ndarray] | None = None
        #: The district's recent readings, brought up to date by each cycle (not re-read).
        self.recent = RecentReadings()
        self._lanes: np.ndarray | None = None

    def steady_lanes(self, ev: EVParams, n_units: int) -> EVParams:
        """``ev`` on as many lanes per unit as the most any window of the district has had.

        The number of cars plugged in at once changes over a day; with it, the EV blocks
        of the LP would change size and the model be built again from a cold start (one
        cycle in 25 of a 10-building district). Lanes without a car are zero columns.
        """
        have = np.bincount(ev.unit, minlength=n_units)
        if self._lanes is not None and self._lanes.size == have.size:
            have = np.maximum(self._lanes, have)
        self._lanes = have
        return ev.padded(have)

    def heat_pumps_kw(self, scenario: Scenario, inputs: Inputs) -> np.ndarray:
        """:func:`~sparcs.live.sizing.year_heat_pumps` of ``inputs``, sized once per year of
        profiles rather than every cycle (a pass over the whole year's heat demand)."""
        if self._sized is None or self._sized[0] is not inputs:
            self._sized = (inputs, year_heat_pumps(scenario, inputs))
        return self._sized[1]

    def shift(self, time: pd.DatetimeIndex, dt_h: float) -> int:
        """Steps from the last solved window to the one starting at ``time[0]``; -1: none."""
        if self.last_start is None:
            return -1
        steps = (time[0] - self.last_start) / pd.Timedelta(hours=dt_h)
        return int(steps) if steps >= 0 and float(steps).is_integer() else -1


def _fix_overrides(
    layout: LpBuilder,
    arrays: LpArrays,
    nodes: tuple[str, ...],
    time: pd.DatetimeIndex,
    manual: pd.DataFrame,
    notes: list[str],
) -> None:
    """Fix the power of overridden assets in the LP ``arrays`` (before they are solved)."""
    for row in manual.to_dict("records"):
        node, _, kind = str(row["asset"]).rpartition("/")
        if kind == "ev_chargers":  # per car, by _fix_charging (live.sessions.manual_charging)
            continue
        blocks = OVERRIDABLE.get(kind)
        if node not in nodes or blocks is None or blocks[0] not in layout.cols:
            notes.append(
                f"override of {row['asset']} ignored: no such asset; overridable are "
                f"<node>/{' and <node>/'.join(OVERRIDABLE)} of the district's nodes"
            )
            continue
        steps = np.flatnonzero((time >= row["start_time"]) & (time < row["end_time"]))
        unit = nodes.index(node)
        kw = float(row["kw"])
        for block, value in zip(blocks, (max(kw, 0.0), max(-kw, 0.0)), strict=False):
            if block not in layout.cols:
                continue
            ids = layout.cols[block].ids()[unit, steps]
            low, high = arrays.col_lower[ids], arrays.col_upper[ids]
            fixed = np.clip(value, low, high)
            if np.any(np.abs(fixed - value) > 1e-9):
                notes.append(
                    f"override of {row['asset']} at {kw:g} kW is beyond its limits; held at them"
                )
            arrays.col_lower[ids] = fixed
            arrays.col_upper[ids] = fixed
        notes.append(f"{row['asset']} in manual mode at {kw:g} kW for {steps.size} steps")


def _fix_charging(
    layout: LpBuilder, arrays: LpArrays, ev: EVParams | None, forced: np.ndarray
) -> None:
    """Fix each plugged car's charging where its charger is in manual mode (forced kW)."""
    if ev is None or "ev_ch" not in layout.cols:
        return
    step, lane = np.nonzero(ev.session >= 0)
    kw = forced[step, ev.session[step, lane]]
    held = ~np.isnan(kw)
    for block, value in (("ev_ch", kw[held]), ("ev_dis", 0.0)):
        ids = layout.cols[block].ids()[lane[held], step[held]]
        # within the lane's limit: a block of a coarser tail holds a car for part of it
        held_at = np.minimum(value, arrays.col_upper[ids])
        arrays.col_lower[ids] = held_at
        arrays.col_upper[ids] = held_at


def plan_horizon(
    scenario: Scenario,
    window: Inputs,
    state: MeasuredState,
    notes: list[str],
    manual: pd.DataFrame | None = None,
    forced: np.ndarray | None = None,
    heat_pumps_kw: np.ndarray | None = None,
    operator: Operator | None = None,
    beside_solve: Callable[[], None] | None = None,
    fine_h: float | None = None,
) -> tuple[Callable[[], Flows], Plan]:
    """Solve the horizon's dispatch LP from the measured levels.

    Parameters
    ----------
    scenario
        The district.
    window
        The horizon's inputs, forecasts in place.
    state
        The measured levels of batteries and thermal stores.
    notes
        Stand-ins are appended here, in words.
    manual
        Overrides overlapping the horizon (columns asset, start_time, end_time, kw).
    forced
        Power each EV session draws where its charger is in manual mode, (time, session)
        [kW], NaN elsewhere (:func:`sparcs.live.sessions.manual_charging`).
    heat_pumps_kw
        Heat output of each building's heat pump [kW], sized on the year
        (:func:`sparcs.live.sizing.year_heat_pumps`); None: sized on the horizon.
    operator
        The LP of the previous cycles, updated and warm-started (None: built here).
    beside_solve
        Work that does not need the schedule, run once while HiGHS solves the operator's
        LP (in this thread; HiGHS in another, on a second core); without an operator, run
        before the solve.
    fine_h
        Hours of the horizon planned at the window's step [h]; the rest in hour blocks
        (:mod:`~sparcs.operation.optimal.blocking`). None: every step.

    Returns
    -------
    flows, plan
        What makes the planned flows of the horizon on the window's steps when called (a
        block's powers hold over its steps, levels move linearly; made only when asked
        for), and the LP with its solution.

    Raises
    ------
    DataError
        When the LP has no solution (the cycle then falls back to the rules).
    """
    sp = scenario_problem(scenario, window, OptimalSettings(terminal="initial"))
    problem = sp.problem
    if heat_pumps_kw is not None:
        problem = with_year_heat_pumps(problem, heat_pumps_kw)
    nodes = (*sp.cols.ids, DISTRICT_NODE)
    for quantity, name in (("battery_soc_kwh", "battery"), ("tes_soc_kwh", "tank")):
        store_params = getattr(problem, name)
        capacity = np.asarray(store_params.capacity_kwh, dtype=float)
        if not np.any(capacity > 0):
            continue
        initial = np.array(
            np.zeros(len(nodes)) if store_params.initial_kwh is None else store_params.initial_kwh,
            dtype=float,
        )
        for j, node in enumerate(nodes):
            if capacity[j] <= 0:
                continue
            level = state.levels.get((quantity, node))
            if level is None:
                notes.append(
                    f"{node} {name}: no {quantity} reading; it starts at the scenario's "
                    f"initial level {initial[j]:.1f} kWh"
                )
                continue
            initial[j] = float(np.clip(level[0], 0.0, capacity[j]))
        final = None if store_params.final_min_kwh is None else initial
        problem = replace(
            problem, **{name: replace(store_params, initial_kwh=initial, final_min_kwh=final)}
        )
    if problem.capacity is not None:  # the peak this charge period has already paid for
        floors = capacity_floors(state, scenario, window.time, problem.capacity.n_periods)
        problem = replace(problem, capacity=replace(problem.capacity, floor_kw=floors))
    if operator is not None and problem.ev is not None:
        problem = replace(problem, ev=operator.steady_lanes(problem.ev, len(nodes)))
    phase = clock_phase(window.time[0], window.dt_h)
    sizes, time = blocks(problem, fine_h, phase=phase), window.time
    if sizes is not None:  # a coarser tail: the LP's steps start at the blocks' first steps
        problem, starts = blocked(problem, sizes), np.cumsum(sizes) - sizes
        forced, time = None if forced is None else forced[starts], time[starts]
    result = _solve(problem, nodes, window, time, manual, forced, notes, operator, beside_solve)
    if not result.is_ok:
        raise DataError(result.message or f"the LP ended {result.termination.value}")
    realised, realise_notes = realise(problem, problem, result.solution)
    notes += realise_notes
    return functools.partial(_flows, sp, problem, realised, sizes), Plan(problem, result.solution)


def _flows(
    sp: ScenarioProblem,
    problem: DispatchProblem,
    realised: dict[str, np.ndarray],
    sizes: np.ndarray | None,
) -> Flows:
    """Flows of the realised plan on the window's steps (a blocked plan expanded)."""
    if sizes is None:
        return to_flows(replace(sp, problem=problem), realised)
    fine, realised = expanded(problem, realised, sizes)
    steps, rep = int(sizes.sum()), steps_of(sizes)
    series = {
        name: block_mean(v, sizes)[rep] if np.ndim(v) and np.shape(v)[0] == steps else v
        for name, v in sp.series.items()
    }
    return to_flows(replace(sp, problem=fine, series=series), realised)


def _solve(
    problem: DispatchProblem,
    nodes: tuple[str, ...],
    window: Inputs,
    time: pd.DatetimeIndex,
    manual: pd.DataFrame | None,
    forced: np.ndarray | None,
    notes: list[str],
    operator: Operator | None,
    beside: Callable[[], None] | None = None,
) -> OptimizationResult:
    """The horizon's LP solved: by the operator's model, or built for this cycle alone."""
    overrides = manual is not None and len(manual) > 0

    def fix(layout: LpBuilder, arrays: LpArrays) -> None:
        assert manual is not None
        _fix_overrides(layout, arrays, nodes, time, manual, notes)
        if forced is not None:
            _fix_charging(layout, arrays, problem.ev, forced)

    if operator is not None:
        result = operator.model.solve(
            problem,
            shift=operator.shift(window.time, window.dt_h),
            adjust=fix if overrides else None,
            beside=beside,
        )
        operator.last_start = window.time[0]
        if result.is_ok or overrides:
            return result
        # no plan: the full check says which constraint family is at fault
        return solve_dispatch(problem, method="monolithic")
    if beside is not None:
        beside()
    if overrides:
        model = DispatchModel(problem)
        fix(model.layout, model.arrays)
        return model.solve()
    # one LP of a few hundred steps: one process, no decomposition, whatever its width
    return solve_dispatch(problem, method="monolithic")
