"""Rolling-horizon (model predictive) operation of a scenario: plan on forecasts, commit, repeat.

Every ``step_h`` hours a plan is made for the next ``horizon_h`` hours from forecasts
(:mod:`sparcs.operation.optimal.forecast`) and the states reached so far; its first ``step_h``
hours are carried out on the actual data. The loop is
:func:`~sparcs.operation.optimal.rolling.rolling_horizon`; this module adapts a scenario to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from sparcs.errors import ScenarioError
from sparcs.operation.optimal.adapter import ComfortBand, OptimalSettings, scenario_problem
from sparcs.operation.optimal.output import to_flows
from sparcs.operation.optimal.rolling import Progress, RollingPlan, rolling_horizon

if TYPE_CHECKING:
    from sparcs.lp.status import SolverOptions
    from sparcs.operation.optimal.forecast import Forecast
    from sparcs.operation.optimal.result import OptimizationResult
    from sparcs.profiles.inputs import Inputs
    from sparcs.scenario.models import Scenario

__all__ = ["run_mpc"]


def run_mpc(
    scenario: Scenario,
    inputs: Inputs,
    *,
    horizon_h: float = 48.0,
    step_h: float = 24.0,
    forecast: Forecast = "persistence",
    objective: str | Mapping[str, float] = "cost",
    smart_ev: bool = True,
    thermal_mass: bool = False,
    comfort: ComfortBand | None = None,
    terminal: Literal["initial", "free"] = "initial",
    options: SolverOptions | None = None,
    progress: Progress | None = None,
) -> OptimizationResult:
    """Rolling-horizon operation of a scenario over the period of ``inputs``.

    Parameters
    ----------
    scenario, inputs
        The district and its profiles (the actual data).
    horizon_h, step_h
        Planning horizon and commit length [h]; ``step_h <= horizon_h``.
    forecast
        ``"persistence"``, ``"seasonal"`` or ``"perfect"``
        (:mod:`sparcs.operation.optimal.forecast`).
    objective, smart_ev, thermal_mass, comfort
        As in :func:`~sparcs.operation.optimal.solve.solve_optimal`.
    terminal
        ``"initial"``: every window ends with the stores at least at their initial level;
        ``"free"``: no end condition.
    options
        Solver settings of each window.
    progress
        Called with (windows done, windows in total) after each window.

    Returns
    -------
    OptimizationResult
        ``objective`` of the realised operation on the actual data, ``flows`` (balanced),
        ``timings`` and ``notes``; on failure ``termination`` and ``message`` say which
        window and why.

    Raises
    ------
    ScenarioError
        For a horizon shorter than the step or not a whole number of steps.
    """
    dt = inputs.dt_h
    horizon, step = round(horizon_h / dt), round(step_h / dt)
    if (
        step < 1
        or horizon < step
        or abs(horizon * dt - horizon_h) > 1e-9
        or abs(step * dt - step_h) > 1e-9
    ):
        msg = (
            f"horizon_h = {horizon_h:g} and step_h = {step_h:g} must be whole multiples of "
            f"the {dt:g} h step with 0 < step_h <= horizon_h"
        )
        raise ScenarioError(msg)
    settings = OptimalSettings(
        objective=objective,
        smart_ev=smart_ev,
        thermal_mass=thermal_mass,
        terminal=terminal,
        comfort=comfort or ComfortBand(),
    )
    sp = scenario_problem(scenario, inputs, settings)
    plan = RollingPlan(min(horizon, inputs.n_steps), step, inputs.n_steps, round(24 / dt))
    result = rolling_horizon(
        sp.problem, plan, forecast=forecast, options=options, progress=progress
    )
    if not result.solution:
        return replace(result, notes=sp.notes)
    flows = to_flows(sp, result.solution, result.notes)
    return replace(result, flows=flows, notes=flows.notes)
