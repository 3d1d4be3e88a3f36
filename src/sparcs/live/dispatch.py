"""The LP of a cycle's horizon: the scenario's dispatch model from the measured levels.

The stores start at their measured levels (the scenario's where no state meter reads them,
stated) and end at least there; an operator's override fixes the asset's power over its
steps, within the asset's limits. The solution is realised into Flows as the optimal
strategy does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from sparcs.errors import DataError
from sparcs.live.sizing import with_year_heat_pumps
from sparcs.live.state import MeasuredState, capacity_floors
from sparcs.operation.flows import DISTRICT_NODE, Flows
from sparcs.operation.optimal.adapter import OptimalSettings, scenario_problem
from sparcs.operation.optimal.ev import EVParams
from sparcs.operation.optimal.model import DispatchModel
from sparcs.operation.optimal.output import to_flows
from sparcs.operation.optimal.problem import DispatchProblem
from sparcs.operation.optimal.realise import realise
from sparcs.operation.optimal.solve import solve_dispatch
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario

__all__ = ["OVERRIDABLE", "Plan", "plan_horizon"]


#: Assets an operator can put in manual mode: kind → LP blocks (drawing, delivering).
OVERRIDABLE: dict[str, tuple[str, ...]] = {
    "battery": ("bc", "bd"),
    "heat_pump": ("hp",),
    "ev_chargers": ("ev_ch", "ev_dis"),
}


@dataclass(frozen=True)
class Plan:
    """The dispatch LP a cycle solved and its solution (named arrays, kW per step)."""

    problem: DispatchProblem
    solution: dict[str, np.ndarray]


def _fix_overrides(
    model: DispatchModel,
    nodes: tuple[str, ...],
    time: pd.DatetimeIndex,
    manual: pd.DataFrame,
    notes: list[str],
) -> None:
    """Fix the power of overridden assets in ``model`` (before its first solve)."""
    arrays = model.arrays
    for row in manual.to_dict("records"):
        node, _, kind = str(row["asset"]).rpartition("/")
        if kind == "ev_chargers":  # per car, by _fix_charging (live.sessions.manual_charging)
            continue
        blocks = OVERRIDABLE.get(kind)
        if node not in nodes or blocks is None or blocks[0] not in model.layout.cols:
            notes.append(
                f"override of {row['asset']} ignored: no such asset; overridable are "
                f"<node>/{' and <node>/'.join(OVERRIDABLE)} of the district's nodes"
            )
            continue
        steps = np.flatnonzero((time >= row["start_time"]) & (time < row["end_time"]))
        unit = nodes.index(node)
        kw = float(row["kw"])
        for block, value in zip(blocks, (max(kw, 0.0), max(-kw, 0.0)), strict=False):
            if block not in model.layout.cols:
                continue
            ids = model.layout.cols[block].ids()[unit, steps]
            low, high = arrays.col_lower[ids], arrays.col_upper[ids]
            fixed = np.clip(value, low, high)
            if np.any(np.abs(fixed - value) > 1e-9):
                notes.append(
                    f"override of {row['asset']} at {kw:g} kW is beyond its limits; held at them"
                )
            arrays.col_lower[ids] = fixed
            arrays.col_upper[ids] = fixed
        notes.append(f"{row['asset']} in manual mode at {kw:g} kW for {steps.size} steps")


def _fix_charging(model: DispatchModel, ev: EVParams | None, forced: np.ndarray) -> None:
    """Fix each plugged car's charging where its charger is in manual mode (forced kW)."""
    if ev is None or "ev_ch" not in model.layout.cols:
        return
    step, lane = np.nonzero(ev.session >= 0)
    kw = forced[step, ev.session[step, lane]]
    held = ~np.isnan(kw)
    for block, value in (("ev_ch", kw[held]), ("ev_dis", 0.0)):
        ids = model.layout.cols[block].ids()[lane[held], step[held]]
        model.arrays.col_lower[ids] = value
        model.arrays.col_upper[ids] = value


def plan_horizon(
    scenario: Scenario,
    window: Inputs,
    state: MeasuredState,
    notes: list[str],
    manual: pd.DataFrame | None = None,
    forced: np.ndarray | None = None,
    heat_pumps_kw: np.ndarray | None = None,
) -> tuple[Flows, Plan]:
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

    Returns
    -------
    flows, plan
        The planned flows of the horizon, and the LP with its solution.

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
    if manual is not None and len(manual):
        model = DispatchModel(problem)
        _fix_overrides(model, nodes, window.time, manual, notes)
        if forced is not None:
            _fix_charging(model, problem.ev, forced)
        result = model.solve()
    else:
        # one LP of a few hundred steps: one process, no decomposition, whatever its width
        result = solve_dispatch(problem, method="monolithic")
    if not result.is_ok:
        raise DataError(result.message or f"the LP ended {result.termination.value}")
    realised, realise_notes = realise(problem, problem, result.solution)
    notes += realise_notes
    return to_flows(replace(sp, problem=problem), realised), Plan(problem, result.solution)
