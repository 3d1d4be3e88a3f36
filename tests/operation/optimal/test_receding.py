"""The LP kept across a receding horizon: each window's optimum, with far less simplex work."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from optimal_helpers import cut, week

from sparcs.lp.certificate import primal_violation
from sparcs.lp.compact import CompactLp
from sparcs.operation.optimal import SolverOptions
from sparcs.operation.optimal.adapter import OptimalSettings, scenario_problem
from sparcs.operation.optimal.model import DispatchModel
from sparcs.operation.optimal.problem import DispatchProblem
from sparcs.operation.optimal.receding import RecedingModel

OPTIONS = SolverOptions(threads=1)
HORIZON = 48


def _windows(first: int, count: int, every: int = 1) -> list[DispatchProblem]:
    s, inputs = week(days=5)
    return [
        scenario_problem(
            s, cut(inputs, k, k + HORIZON), OptimalSettings(terminal="initial")
        ).problem
        for k in range(first, first + count * every, every)
    ]


def test_every_window_has_the_cold_optimum_from_a_fraction_of_the_iterations() -> None:
    model = RecedingModel(OPTIONS)
    warm_iterations = cold_iterations = 0
    for k, problem in enumerate(_windows(6, 8)):
        warm = model.solve(problem, shift=1)
        cold = DispatchModel(problem, OPTIONS).solve()
        assert warm.is_ok and cold.is_ok
        assert warm.objective == pytest.approx(cold.objective, rel=1e-9, abs=1e-9)
        # the solution, idle columns at zero, is a point of the whole LP
        full = DispatchModel(problem, OPTIONS)
        parts = [warm.solution[name] for name in full.layout.cols.blocks]
        x = np.concatenate([v.T.ravel() if v.ndim == 2 else v.ravel() for v in parts])
        assert primal_violation(full.arrays, x) < 1e-7
        if k:
            warm_iterations += warm.iterations
            cold_iterations += cold.iterations
    assert model.builds == 1 and model.solves == 8
    assert warm_iterations < cold_iterations / 2


def test_a_window_that_jumps_or_goes_back_still_solves_exactly() -> None:
    problems = _windows(6, 3, every=7)
    model = RecedingModel(OPTIONS)
    for problem, shift in zip((*problems, problems[0]), (1, 7, 7, -1), strict=True):
        warm = model.solve(problem, shift=shift)
        assert warm.objective == pytest.approx(
            DispatchModel(problem, OPTIONS).solve().objective, rel=1e-9
        )


def test_an_asset_idle_in_the_first_window_and_used_later_rebuilds_the_lp() -> None:
    first, second = _windows(10, 2)
    battery = first.battery
    unit = int(np.flatnonzero(np.asarray(battery.capacity_kwh) > 0)[0])
    charge, discharge = (
        np.array(v, dtype=float) for v in (battery.charge_kw, battery.discharge_kw)
    )
    charge[unit] = discharge[unit] = 0.0
    first = replace(first, battery=replace(battery, charge_kw=charge, discharge_kw=discharge))
    model = RecedingModel(OPTIONS)
    assert model.solve(first, shift=-1).timings["rebuilt"] == 1.0
    again = model.solve(second, shift=1)
    assert again.timings["rebuilt"] == 1.0 and model.builds == 2
    assert again.objective == pytest.approx(
        DispatchModel(second, OPTIONS).solve().objective, rel=1e-9
    )
    assert np.max(np.abs(again.solution["bc"][:, unit])) > 0  # the battery is used again


def test_the_compact_lp_leaves_out_only_idle_lines_and_their_empty_rows() -> None:
    (problem,) = _windows(6, 1)
    model = DispatchModel(problem, OPTIONS)
    compact = CompactLp.of(model.layout.cols, model.arrays)
    a = model.arrays
    out = np.setdiff1d(np.arange(a.col_cost.size), compact.cols)
    assert out.size > 0
    assert np.all(a.col_lower[out] == 0) and np.all(a.col_upper[out] == 0)
    assert compact.take(a) is not None
    freed = replace(a, col_upper=a.col_upper.copy())
    freed.col_upper[out[0]] = 1.0
    assert compact.take(freed) is None
