"""The sizing LP without its fixed columns: the same optimum, the same solution, in HiGHS."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.lp import highs
from sparcs.lp.builder import LpArrays
from sparcs.lp.status import SolverOptions
from sparcs.planning._fixed import drop_fixed


def _solve(a: LpArrays) -> tuple[float, np.ndarray]:
    h = highs.new_highs(SolverOptions(threads=1))
    highs.pass_model(h, a)
    out = highs.run(h, SolverOptions())
    assert out.col_value is not None, out.termination
    return out.objective, out.col_value


def _lp(seed: int, n_rows: int, n_cols: int) -> LpArrays:
    """A feasible, bounded LP with some columns fixed (some at non-zero values) and rows
    that only fixed columns enter."""
    rng = np.random.default_rng(seed)
    dense = rng.uniform(-1, 2, (n_rows, n_cols)) * (rng.random((n_rows, n_cols)) < 0.4)
    lower = np.zeros(n_cols)
    upper = rng.uniform(1, 5, n_cols)
    fixed = rng.random(n_cols) < 0.4
    upper[fixed] = lower[fixed] = rng.choice([0.0, 1.5], fixed.sum())
    dense[0, :] = np.where(fixed, dense[0, :], 0.0)  # a row left empty by the fixed columns
    point = np.where(fixed, lower, rng.uniform(0, 1, n_cols) * upper)  # feasible by design
    activity = dense @ point
    return LpArrays(
        col_lower=lower,
        col_upper=upper,
        col_cost=rng.uniform(-1, 1, n_cols),
        row_lower=activity - rng.uniform(0, 1, n_rows),
        row_upper=activity + rng.uniform(0, 1, n_rows),
        matrix=sp.csc_matrix(dense),
        varying=(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)),
    )


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n_rows=st.integers(2, 12), n_cols=st.integers(2, 15))
def test_same_optimum_and_feasible_expansion(seed: int, n_rows: int, n_cols: int) -> None:
    a = _lp(seed, n_rows, n_cols)
    keep = np.array([n_cols - 1])  # a column the model changes later stays, fixed or not
    small, fixed = drop_fixed(a, keep, np.zeros(0, np.int64))
    assert n_cols - 1 in fixed.cols
    full_obj, _ = _solve(a)
    small_obj, x = _solve(small)
    assert small_obj == pytest.approx(full_obj, abs=1e-7 * (1 + abs(full_obj)))
    z = fixed.expand(x)
    assert z.size == n_cols
    activity = a.matrix @ z
    assert np.all(activity >= a.row_lower - 1e-7) and np.all(activity <= a.row_upper + 1e-7)
    assert float(a.col_cost @ z) == pytest.approx(full_obj, abs=1e-7 * (1 + abs(full_obj)))


def test_an_empty_row_that_fails_is_kept_for_highs_to_report() -> None:
    m = sp.csc_matrix(np.array([[1.0, 0.0], [0.0, 1.0]]))
    a = LpArrays(
        col_lower=np.array([2.0, 0.0]),
        col_upper=np.array([2.0, 1.0]),
        col_cost=np.ones(2),
        row_lower=np.array([3.0, 0.0]),  # 2 >= 3 cannot hold
        row_upper=np.array([4.0, 1.0]),
        matrix=m,
        varying=(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)),
    )
    small, fixed = drop_fixed(a, np.zeros(0, np.int64), np.zeros(0, np.int64))
    assert fixed.rows.tolist() == [0, 1]
    h = highs.new_highs(SolverOptions(threads=1))
    highs.pass_model(h, small)
    assert highs.run(h, SolverOptions()).termination.value == "infeasible"


def test_changing_a_dropped_column_is_refused() -> None:
    m = sp.csc_matrix(np.array([[1.0, 1.0]]))
    a = LpArrays(
        np.array([0.0, 0.0]),
        np.array([0.0, 1.0]),
        np.ones(2),
        np.array([0.0]),
        np.array([1.0]),
        m,
        (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)),
    )
    _, fixed = drop_fixed(a, np.zeros(0, np.int64), np.zeros(0, np.int64))
    assert fixed.col([1]).tolist() == [0]
    with pytest.raises(ValueError, match="does not hold"):
        fixed.col([0])
