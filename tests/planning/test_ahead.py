"""Solving ahead of the first check, and checks in a worker that keeps its bases."""

from __future__ import annotations

import pytest
from planning_helpers import config, small_district

from sparcs.planning import Target
from sparcs.planning.ahead import (
    ahead_bounds,
    operated_at_least_cost,
    solve_ahead,
    start_nearest,
)
from sparcs.planning.checker import Checker
from sparcs.planning.outcomes import outcome
from sparcs.planning.setup import prepare
from sparcs.planning.solves import baseline_solution, plan_solution
from sparcs.planning.verify import measure_plan


@pytest.fixture(scope="module")
def co2_target() -> float:
    cfg = config(typical_days=3)
    return 0.5 * baseline_solution(prepare(small_district(), cfg)).kpis["co2"]


def test_a_plan_operated_at_least_cost_runs_at_its_rounded_sizes(co2_target: float) -> None:
    cfg = config(typical_days=3, targets=(Target("co2", co2_target),))
    setup = prepare(small_district(), cfg)
    plan = plan_solution(setup, cfg)
    operated = operated_at_least_cost(setup, plan)
    assert operated.ok
    rounded = outcome(setup, plan, "plan")  # the sizes written to plan.toml are rounded
    assert sum(operated.sizes["pv"]) == pytest.approx(rounded.sizes["pv"], rel=1e-9)
    moved = ahead_bounds(cfg.effective_targets, operated)
    miss = operated.kpis["co2"] - co2_target
    assert moved == ((Target("co2", co2_target - miss),) if miss > 0 else ())
    twice = ahead_bounds(cfg.effective_targets, operated, 2.0)
    assert twice == ((Target("co2", co2_target - 2 * miss),) if miss > 0 else ())
    # the model's sizes are free again: the plan comes back as it was
    again = plan_solution(setup, cfg)
    assert again.total_annual_cost == pytest.approx(plan.total_annual_cost, rel=1e-7)


def test_solving_ahead_leaves_the_tightened_plan_as_a_cold_solve_finds_it(
    co2_target: float,
) -> None:
    cfg = config(typical_days=3, targets=(Target("co2", co2_target),))
    tighter = (Target("co2", 0.9 * co2_target),)
    setup = prepare(small_district(), cfg)
    baseline_solution(setup)
    plan = plan_solution(setup, cfg)
    waypoints = solve_ahead(setup, cfg, plan)
    start_nearest(setup, waypoints, tighter)
    warm = plan_solution(setup, cfg, tighter, warm=True)
    fresh = prepare(small_district(), cfg)
    cold = plan_solution(fresh, cfg, tighter)
    assert warm.total_annual_cost == pytest.approx(cold.total_annual_cost, rel=1e-7)
    assert warm.kpis["co2"] <= 0.9 * co2_target * (1 + 1e-7)


def test_checks_in_the_worker_measure_what_this_process_measures(co2_target: float) -> None:
    cfg = config(typical_days=3, targets=(Target("co2", co2_target),))
    setup = prepare(small_district(), cfg)
    plan = outcome(setup, plan_solution(setup, cfg), "plan")
    checker = Checker(setup, "optimal")
    try:
        assert checker.in_worker
        first = checker.measure(plan.scenario)
        again = checker.measure(plan.scenario)  # from the bases the worker kept
    finally:
        checker.close()
    here = measure_plan(setup, plan.scenario)
    for m in (first, again):
        assert m.co2 == pytest.approx(here.co2, rel=1e-9)
        assert m.cost == pytest.approx(here.cost, rel=1e-9)
    assert not Checker(setup, "rule").in_worker
