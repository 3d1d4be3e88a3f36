"""What a replay is measured against: perfect foresight from the same start to the same end.

Like for like means the same period, the same actual data and the same state at both ends:

- the stores start at the scenario's levels and perfect foresight must end with each store
  at least where the replay left it (so neither side spends energy the other keeps);
- a car that left within the period needs its full energy on both sides; a car still
  plugged in at the end draws, within the period, exactly what the replay drew for it;
- both are priced with the objective the dispatch LP minimises (electricity at the
  connection, fuel, district heat, battery wear, peak and capacity charges), and the
  electricity bill at the connection is given beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from sparcs.errors import InfeasibleError
from sparcs.live.sessions import window_inputs
from sparcs.live.sizing import with_year_heat_pumps, year_heat_pumps
from sparcs.operation.optimal.adapter import OptimalSettings, scenario_problem
from sparcs.operation.optimal.objective import objective_value
from sparcs.operation.optimal.problem import DispatchProblem
from sparcs.operation.optimal.solve import solve_dispatch
from sparcs.operation.rule import simulate
from sparcs.profiles.inputs import Inputs, slice_inputs
from sparcs.scenario import Scenario

__all__ = ["Foresight", "bill", "perfect_foresight", "rule_bill"]


@dataclass(frozen=True)
class Foresight:
    """Perfect foresight over a replayed period.

    Attributes
    ----------
    problem
        The period's LP (actual data, sessions and end levels as in the module docstring).
    cost_eur
        Its optimal objective [EUR].
    bill_eur
        Its electricity bill at the connection [EUR].
    """

    problem: DispatchProblem
    cost_eur: float
    bill_eur: float


def bill(problem: DispatchProblem, gi: np.ndarray, ge: np.ndarray) -> float:
    """Electricity bill at the connection: import at its cost less export at its price [EUR].

    Parameters
    ----------
    problem
        The LP whose prices apply (per step, EUR/kWh).
    gi, ge
        Grid import and export per step [kW].

    Returns
    -------
    float
        The bill [EUR].
    """
    dt = problem.dt_h
    return float(
        np.dot(np.asarray(problem.import_cost), gi) * dt
        - np.dot(np.asarray(problem.export_price), ge) * dt
    )


def perfect_foresight(
    scenario: Scenario,
    actual: Inputs,
    start: int,
    stop: int,
    *,
    drawn_before: Mapping[int, float],
    drawn_after: Mapping[int, float],
    battery_end_kwh: np.ndarray,
    tank_end_kwh: np.ndarray,
) -> Foresight:
    """Perfect foresight over steps [start, stop) ending in the replay's state.

    Parameters
    ----------
    scenario, actual
        The district and what happened.
    start, stop
        The period.
    drawn_before, drawn_after
        EV session index → energy drawn from the grid before ``start`` and before ``stop``
        in the replay [kWh].
    battery_end_kwh, tank_end_kwh
        Store levels per LP unit the replay ended with [kWh].

    Returns
    -------
    Foresight
        The LP and its cost.

    Raises
    ------
    InfeasibleError
        When the period's LP has no solution.
    """
    period, sessions = window_inputs(actual, start, stop, drawn_before)
    leaving_after = np.asarray(actual.ev_sessions.departure)[sessions.source] > stop
    inside = np.array(
        [drawn_after.get(int(i), 0.0) - drawn_before.get(int(i), 0.0) for i in sessions.source]
    )
    energy = np.where(leaving_after, np.clip(inside, 0.0, None), sessions.sessions.energy_kwh)
    period = replace(period, ev_sessions=replace(sessions.sessions, energy_kwh=energy))
    problem = scenario_problem(scenario, period, OptimalSettings(terminal="initial")).problem
    problem = with_year_heat_pumps(problem, year_heat_pumps(scenario, actual))
    for name, end in (("battery", battery_end_kwh), ("tank", tank_end_kwh)):
        store = getattr(problem, name)
        capacity = np.asarray(store.capacity_kwh, dtype=float)
        if np.any(capacity > 0):
            final = np.clip(np.asarray(end, dtype=float) - 1e-6, 0.0, capacity)
            problem = replace(problem, **{name: replace(store, final_min_kwh=final)})
    result = solve_dispatch(problem, method="monolithic")
    if not result.is_ok:
        msg = f"perfect foresight over the replayed period has no solution: {result.message}"
        raise InfeasibleError(msg)
    solution = result.solution
    gi = np.asarray(solution["gi"]).reshape(-1)
    ge = np.asarray(solution["ge"]).reshape(-1)
    return Foresight(problem, objective_value(problem, solution), bill(problem, gi, ge))


def rule_bill(scenario: Scenario, actual: Inputs, start: int, stop: int) -> float:
    """Electricity bill of the rule strategy over steps [start, stop) [EUR].

    Parameters
    ----------
    scenario, actual
        The district and what happened.
    start, stop
        The period.

    Returns
    -------
    float
        The bill at the connection [EUR].
    """
    period = slice_inputs(actual, start, stop)
    problem = scenario_problem(scenario, period, OptimalSettings(terminal="initial")).problem
    flows = simulate(scenario, period)
    dt = period.dt_h
    return bill(
        problem,
        flows.data["grid_import_kwh"].sum(axis=1) / dt,
        flows.data["grid_export_kwh"].sum(axis=1) / dt,
    )
