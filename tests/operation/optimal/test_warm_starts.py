"""Warm starts from a solve of the same layout: same optimum, fewer iterations, no mix-ups."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from dispatch_cases import reference_problem
from reference_data import reference_data

from sparcs.lp.temporal import TemporalPlan
from sparcs.lp.warm import WarmStarts
from sparcs.operation.optimal import SolverOptions, solve_dispatch
from sparcs.operation.optimal.problem import DispatchProblem
from sparcs.operation.optimal.rolling import RollingPlan, rolling_horizon

OPTIONS = SolverOptions(threads=1)
PLAN = TemporalPlan(segment=48, overlap=24, workers=1)


def _resized(p: DispatchProblem, factor: float) -> DispatchProblem:
    """The problem with other sizes (PV and battery) and more demand: the same layout."""
    battery = replace(p.battery, capacity_kwh=factor * p.battery.capacity_kwh)
    return replace(
        p,
        pv_avail_kw=factor * p.pv_avail_kw,
        demand_el_kw=1.1 * p.demand_el_kw,
        battery=battery,
    )


@pytest.mark.parametrize("method", ["temporal", "monolithic"])
def test_warm_solve_has_the_cold_optimum_in_fewer_iterations(method: str) -> None:
    first = reference_problem(reference_data(2, 336))
    second = _resized(first, 1.5)
    warm = WarmStarts()
    solve_dispatch(first, OPTIONS, method=method, plan=PLAN, warm=warm).raise_for_status()
    assert warm.hits == 0
    again = solve_dispatch(second, OPTIONS, method=method, plan=PLAN, warm=warm)
    cold = solve_dispatch(second, OPTIONS, method="monolithic")
    assert warm.hits == 1
    assert again.objective == pytest.approx(cold.raise_for_status().objective, rel=1e-8)
    assert again.iterations < cold.iterations
    assert again.gap is not None and again.gap <= 1e-6  # certified like any whole solve
    assert any("basis of the last solve" in n for n in again.notes)


def test_other_layout_is_not_started_from_a_kept_basis() -> None:
    warm = WarmStarts()
    two = reference_problem(reference_data(2, 336))
    solve_dispatch(two, OPTIONS, method="temporal", plan=PLAN, warm=warm).raise_for_status()
    three = reference_problem(reference_data(3, 336))
    result = solve_dispatch(three, OPTIONS, method="temporal", plan=PLAN, warm=warm)
    cold = solve_dispatch(three, OPTIONS, method="monolithic").raise_for_status()
    assert warm.hits == 0
    assert result.objective == pytest.approx(cold.objective, rel=1e-6)


def test_rolling_windows_start_from_their_counterparts() -> None:
    first = replace(reference_problem(reference_data(2, 336)), cyclic=False)
    second = _resized(first, 1.3)
    plan = RollingPlan(horizon=72, step=48, n_steps=336, steps_per_day=24)
    warm = WarmStarts()
    rolling_horizon(first, plan, forecast="perfect", options=OPTIONS, warm=warm)
    again = rolling_horizon(second, plan, forecast="perfect", options=OPTIONS, warm=warm)
    cold = rolling_horizon(second, plan, forecast="perfect", options=OPTIONS)
    assert warm.hits == plan.n_windows
    assert again.objective == pytest.approx(cold.objective, rel=1e-6)
    assert again.iterations < cold.iterations
    # the grid exchange is the same step by step (store levels may differ between ties)
    gap = np.abs(again.solution["gi"] - cold.solution["gi"]).max()
    assert gap <= 1e-6 * max(1.0, float(np.abs(cold.solution["gi"]).max()))
