"""A kept matrix pattern builds the matrix scipy builds; a kept LP gathers what slicing takes."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "operation" / "optimal"))

from optimal_helpers import cut, week  # noqa: E402

from sparcs.lp.compact import CompactLp  # noqa: E402
from sparcs.lp.pattern import MatrixPattern  # noqa: E402
from sparcs.operation.optimal.adapter import OptimalSettings, scenario_problem  # noqa: E402
from sparcs.operation.optimal.model import assemble  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(1, 6),
    st.integers(0, 40),
    st.integers(0, 2**31 - 1),
)
def test_a_pattern_builds_scipys_matrix_duplicates_and_zeros_included(
    n_rows: int, n_cols: int, n: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    rows, cols = rng.integers(0, n_rows, n), rng.integers(0, n_cols, n)
    # small integers: sums of duplicates are exact in any order; some values are zero
    values = rng.integers(-3, 4, n).astype(float)
    expected = sp.csc_matrix((values, (rows, cols)), shape=(n_rows, n_cols))
    expected.sort_indices()
    pattern = MatrixPattern.of(rows, cols, (n_rows, n_cols))
    for vals in (values, values[::-1].copy()):  # the same pattern with other values
        got = pattern.matrix(vals)
        want = sp.csc_matrix((vals, (rows, cols)), shape=(n_rows, n_cols))
        want.sort_indices()
        np.testing.assert_array_equal(got.indptr, want.indptr)
        np.testing.assert_array_equal(got.indices, want.indices)
        np.testing.assert_array_equal(got.data, want.data)
    assert pattern.fits(rows, cols, (n_rows, n_cols))
    assert not pattern.fits(rows, cols, (n_rows + 1, n_cols))
    if n:
        assert not pattern.fits(rows[::-1], cols, (n_rows, n_cols)) or np.array_equal(
            rows, rows[::-1]
        )


def _problems() -> list:
    s, inputs = week(days=5)
    return [
        scenario_problem(s, cut(inputs, k, k + 48), OptimalSettings(terminal="initial")).problem
        for k in (6, 7, 30)
    ]


def test_a_dispatch_lp_assembled_through_a_kept_pattern_is_the_same_lp() -> None:
    first, *later = _problems()
    layout, _ = assemble(first, patterned=True)
    kept = layout.pattern
    assert kept is not None
    for problem in later:
        _, plain = assemble(problem)
        lay, patterned = assemble(problem, kept)
        assert lay.pattern is kept  # the structure did not change: the pattern was used
        for a, b in ((plain.matrix, patterned.matrix),):
            np.testing.assert_array_equal(a.indptr, b.indptr)
            np.testing.assert_array_equal(a.indices, b.indices)
            np.testing.assert_allclose(a.data, b.data, rtol=1e-15, atol=0)


def test_a_kept_lp_gathers_the_entries_slicing_would_take() -> None:
    first, *later = _problems()
    layout, full = assemble(first, patterned=True)
    compact = CompactLp.of(layout.cols, full)
    assert compact.gather is not None
    for problem in later:
        lay, new = assemble(problem, layout.pattern)
        gathered = compact.take(new)
        # the slicing path: the same LP through a matrix of the same structure, other arrays
        copy = replace(new, matrix=new.matrix.copy())
        sliced = replace(compact, gather=None).take(copy)
        assert gathered is not None and sliced is not None
        for name in ("col_lower", "col_upper", "col_cost", "row_lower", "row_upper"):
            np.testing.assert_array_equal(getattr(gathered, name), getattr(sliced, name))
        np.testing.assert_array_equal(gathered.matrix.indptr, sliced.matrix.indptr)
        np.testing.assert_array_equal(gathered.matrix.indices, sliced.matrix.indices)
        np.testing.assert_array_equal(gathered.matrix.data, sliced.matrix.data)
        # a row left out that must hold a non-zero: the gather refuses it as slicing does
        out = np.setdiff1d(np.arange(new.row_lower.size), compact.rows)
        if out.size:
            bad = replace(new, row_lower=new.row_lower.copy())
            bad.row_lower[out[0]] = 1.0
            assert compact.take(bad) is None
