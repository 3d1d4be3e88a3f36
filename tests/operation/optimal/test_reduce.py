"""Exact LP reductions: same optimum, and every reduced point maps back feasible at equal cost."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from dispatch_cases import reference_problem
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from optimal_helpers import week
from reference_data import reference_data

from sparcs.lp import highs
from sparcs.lp.builder import LpArrays
from sparcs.lp.certificate import lagrangian_bound, primal_violation
from sparcs.lp.reduce import reduce_lp
from sparcs.lp.status import TerminationCondition
from sparcs.operation.optimal import SolverOptions
from sparcs.operation.optimal.adapter import OptimalSettings, scenario_problem
from sparcs.operation.optimal.model import DispatchModel

OPTIONS = SolverOptions(threads=1)
EMPTY = (np.zeros(0), np.zeros(0), np.zeros(0))


def _solve(a: LpArrays) -> tuple[TerminationCondition, float, np.ndarray | None, np.ndarray]:
    h = highs.new_highs(OPTIONS)
    highs.pass_model(h, a)
    out = highs.run(h, OPTIONS)
    return out.termination, out.objective, out.col_value, np.asarray(h.getSolution().row_dual)


def _check_exact(a: LpArrays) -> None:
    """The reduced LP has the optimum of ``a``; its solution maps back feasible, same cost."""
    reduced = reduce_lp(a)
    full = _solve(a)
    small = _solve(reduced.arrays)
    assert small[0] == full[0]
    if full[0] is not TerminationCondition.OPTIMAL:
        return
    assert small[1] == pytest.approx(full[1], rel=1e-9, abs=1e-9)
    x = reduced.expand(small[2])
    assert primal_violation(a, x) < 1e-8
    assert float(a.col_cost @ x) + a.offset == pytest.approx(small[1], rel=1e-9, abs=1e-9)
    # the bound of the reduced LP's duals bounds the original optimum
    assert lagrangian_bound(reduced.arrays, small[3]) <= full[1] + 1e-7 * max(1, abs(full[1]))


def test_reference_lp_loses_a_third_and_keeps_its_optimum() -> None:
    n, t = 2, 168
    model = DispatchModel(reference_problem(reference_data(n, t)), OPTIONS)
    reduced = reduce_lp(model.arrays)
    # tank charge/discharge and connection in/out merge; the heat pump goes with the
    # heat balance (COP * hp + td - tc = D_h)
    assert reduced.removed == (3 * n * t, n * t)
    _check_exact(model.arrays)


def test_scenario_lp_with_every_family_keeps_its_optimum() -> None:
    s, inputs = week(days=3)
    problem = scenario_problem(s, inputs, OptimalSettings(thermal_mass=True)).problem
    a = DispatchModel(problem, OPTIONS).arrays
    reduced = reduce_lp(a)
    assert reduced.removed[0] > 0
    _check_exact(a)


@st.composite
def _lps(draw: st.DrawFn) -> LpArrays:
    """Random boxed LPs with opposite column pairs and doubleton equalities built in."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    m, n = draw(st.integers(2, 8)), draw(st.integers(2, 8))
    dense = rng.integers(-3, 4, size=(m, n)) * (rng.random((m, n)) < 0.4)
    lower = rng.choice([0.0, -2.0], size=n)
    upper = lower + rng.uniform(0.5, 4.0, size=n)
    cost = rng.normal(size=n).round(2)
    x0 = rng.uniform(lower, upper)
    pairs = draw(st.integers(0, 3))
    for _ in range(pairs):  # an opposite column (cost negated)
        j = int(rng.integers(dense.shape[1]))
        dense = np.column_stack([dense, -dense[:, j]])
        lower = np.r_[lower, 0.0]
        upper = np.r_[upper, rng.uniform(0.5, 3.0)]
        cost = np.r_[cost, -cost[j]]
        x0 = np.r_[x0, 0.0]
    ax = dense @ x0
    slack = rng.choice([0.0, 1.0], size=m)
    row_lower, row_upper = ax - slack, ax + slack
    for _ in range(draw(st.integers(0, 3))):  # a doubleton equality
        p, q = rng.choice(dense.shape[1], size=2, replace=False)
        row = np.zeros(dense.shape[1])
        row[p], row[q] = rng.choice([-2.0, -1.0, 0.5, 1.5, 3.0], size=2)
        dense = np.vstack([dense, row])
        value = row @ x0 + (draw(st.sampled_from([0.0, 0.0, 50.0])))  # 50: out of reach
        row_lower, row_upper = np.r_[row_lower, value], np.r_[row_upper, value]
    return LpArrays(
        lower,
        upper,
        cost,
        row_lower,
        row_upper,
        sp.csc_matrix(dense.astype(float)),
        EMPTY,
        offset=1.5,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_lps())
def test_random_lps_reduce_exactly(a: LpArrays) -> None:
    _check_exact(a)


def test_opposite_pair_splits_back_within_both_boxes() -> None:
    # x0 - x1 = 1 with x0 in [0, 3], x1 in [0, 2], cost 1 on x0 and -1 on x1
    a = LpArrays(
        np.zeros(2),
        np.array([3.0, 2.0]),
        np.array([1.0, -1.0]),
        np.ones(1),
        np.ones(1),
        sp.csc_matrix(np.array([[1.0, -1.0]])),
        EMPTY,
    )
    reduced = reduce_lp(a)
    assert reduced.removed == (1, 0)
    assert reduced.arrays.col_lower.tolist() == [-2.0] and reduced.arrays.col_upper.tolist() == [
        3.0
    ]
    np.testing.assert_allclose(reduced.expand(np.array([-1.5])), [0.0, 1.5])
    np.testing.assert_allclose(reduced.expand(np.array([2.0])), [2.0, 0.0])


def test_scenario_lp_through_the_temporal_path_equals_one_lp() -> None:
    # EV sessions and a comfort band span steps, so the windows fall back to one LP: the
    # reduced one, solved cold, must give the monolithic optimum and the same flows' balance
    from sparcs.operation.optimal import solve_dispatch

    s, inputs = week(days=3)
    problem = scenario_problem(s, inputs, OptimalSettings(thermal_mass=True)).problem
    one = solve_dispatch(problem, OPTIONS, method="monolithic").raise_for_status()
    split = solve_dispatch(problem, OPTIONS, method="temporal").raise_for_status()
    assert split.objective == pytest.approx(one.objective, rel=1e-9)
    assert split.solution.keys() == one.solution.keys()
    model = DispatchModel(problem, OPTIONS)
    x = np.concatenate(
        [np.asarray(split.solution[name]).T.ravel() for name in model.layout.cols.blocks]
    )
    assert primal_violation(model.arrays, x) < 1e-8


def test_reduced_model_refuses_a_late_reduction_and_an_update() -> None:
    from sparcs.errors import SolverError

    problem = reference_problem(reference_data(1, 168))
    model = DispatchModel(problem, OPTIONS)
    reduced = model.reduce()
    assert model.lp is reduced.arrays and model.size["columns"] == model.arrays.col_cost.size
    result = model.solve()
    assert result.objective == pytest.approx(146.592639226, rel=1e-9)
    assert set(result.solution) == set(model.layout.cols.blocks)
    with pytest.raises(SolverError, match="cannot be updated"):
        model.update(problem)
    with pytest.raises(SolverError, match="reduce it before the first solve"):
        model.reduce()
