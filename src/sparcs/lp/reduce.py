"""Exact reductions of a dispatch LP that a warm-started simplex cannot get from HiGHS.

HiGHS's presolve shrinks the dispatch LP by a third, but a solve started from a basis (the
windows of :mod:`.temporal` started from each other, the whole LP started from their
stitched basis) runs without presolve. :func:`reduce_lp` does the two reductions that
matter for this LP once, on the arrays, so that every warm-started solve works on the
smaller LP (reference LP, 100 buildings x 720 h, cold dual simplex without presolve: 56.5 s
on the full LP, 29.5 s reduced; 1 building x 8760 h: 1.51 s and 1.00 s).

1. **Opposite columns.** Two columns ``j``, ``k`` with ``A[:, k] = -A[:, j]`` and
   ``c_k = -c_j`` (lossless tank charge and discharge, a unit's flow to and from the
   district node) enter the LP only through ``x_j - x_k``: they become one column
   ``v = x_j - x_k`` in ``[l_j - u_k, u_j - l_k]``, split back as
   ``x_k = max(l_k, l_j - v)``, ``x_j = v + x_k``.
2. **Doubleton equalities.** A row ``a x_j + b x_k = r`` (a heat balance with a heat pump
   and a tank only) fixes ``x_k = (r - a x_j) / b``: ``x_k`` is substituted into its other
   rows and the cost, its bounds become bounds of ``x_j``, and the row is dropped. Only
   columns in at most one other row are eliminated, so the matrix gets no denser.

Both are exact: the reduced LP has the same optimum (``offset`` included), and
:meth:`ReducedLp.expand` turns any of its feasible points into a feasible point of the
original LP with the same cost.

References
----------
.. [1] E. D. Andersen and K. D. Andersen, "Presolving in linear programming",
   Mathematical Programming 71, 221-245 (1995) (doubleton equations, duplicate columns).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from sparcs.lp.builder import LpArrays

__all__ = ["ReducedLp", "reduce_lp"]

#: Smallest |b| / max(|a|, |b|) of a doubleton row whose column ``k`` is eliminated: the
#: substitution multiplies by ``a / b``, so a tiny pivot would amplify rounding errors.
_PIVOT_RATIO = 1e-3


@dataclass(frozen=True)
class ReducedLp:
    """A reduced LP and how its solutions map back to the original columns.

    Attributes
    ----------
    arrays
        The reduced LP (same optimum as the original).
    cols
        Original column of every reduced column (for a merged pair, ``j``).
    rows
        Original row of every reduced row.
    """

    arrays: LpArrays
    cols: np.ndarray
    rows: np.ndarray
    #: original columns after the merge (``x1 = transform @ x + shift`` in that space)
    _merged_cols: np.ndarray
    _transform: sp.csr_matrix
    _shift: np.ndarray
    #: merged pairs: original ``j``, ``k`` and their lower bounds
    _pair_j: np.ndarray
    _pair_k: np.ndarray
    _lower_j: np.ndarray
    _lower_k: np.ndarray
    _n_cols: int
    _n_rows: int

    @property
    def removed(self) -> tuple[int, int]:
        """Columns and rows removed."""
        return self._n_cols - self.cols.size, self._n_rows - self.rows.size

    def expand(self, x: np.ndarray) -> np.ndarray:
        """A point of the original LP from a point ``x`` of the reduced one (same cost)."""
        merged = self._transform @ np.asarray(x, dtype=float) + self._shift
        out = np.zeros(self._n_cols)
        out[self._merged_cols] = merged
        v = out[self._pair_j]
        xk = np.maximum(self._lower_k, self._lower_j - v)
        out[self._pair_k] = xk
        out[self._pair_j] = v + xk
        return out


def _opposite_pairs(
    m: sp.csc_matrix, cost: np.ndarray, lower: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(j, k)`` of columns with ``A[:, k] = -A[:, j]`` and ``c_k = -c_j``.

    Columns with one or two entries and a finite lower bound are considered (every column
    of the dispatch LP has at most a few entries; longer ones are left alone).
    """
    counts = np.diff(m.indptr)
    cand = np.flatnonzero(((counts == 1) | (counts == 2)) & np.isfinite(lower))
    if cand.size < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    first = m.indptr[cand]
    two = counts[cand] == 2
    second = np.where(two, first + 1, first)
    r0, v0 = m.indices[first], m.data[first]
    r1 = np.where(two, m.indices[second], -1)
    v1 = np.where(two, m.data[second], 0.0)
    sign = np.sign(v0)
    keys = (cost[cand] * sign, v1 * sign, v0 * sign, r1, r0)
    order = np.lexsort((-sign, *keys))  # grouped by the keys, positive-oriented first
    changed = np.zeros(cand.size, dtype=bool)
    for key in keys:
        ordered = key[order]
        changed[1:] |= ordered[1:] != ordered[:-1]
    g, s = np.cumsum(changed), sign[order]
    # rank of each column among the columns of its (group, orientation)
    cls = g * 2 + (s < 0)
    starts = np.r_[0, np.flatnonzero(np.diff(cls)) + 1]
    rank = np.arange(cls.size) - np.repeat(starts, np.diff(np.r_[starts, cls.size]))
    pos = order[s > 0]
    neg = order[s < 0]
    pos_key = g[s > 0] * cls.size + rank[s > 0]
    neg_key = g[s < 0] * cls.size + rank[s < 0]
    _, ip, ineg = np.intersect1d(pos_key, neg_key, assume_unique=True, return_indices=True)
    return cand[pos[ip]], cand[neg[ineg]]


def _doubletons(
    m: sp.csr_matrix, row_lower: np.ndarray, row_upper: np.ndarray, col_count: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Independent doubleton equalities: rows, kept column, eliminated column, a, b, rhs."""
    counts = np.diff(m.indptr)
    rows = np.flatnonzero((counts == 2) & (row_lower == row_upper) & np.isfinite(row_lower))
    p, q = m.indices[m.indptr[rows]], m.indices[m.indptr[rows] + 1]
    alpha, beta = m.data[m.indptr[rows]], m.data[m.indptr[rows] + 1]
    # each column in at most one selected row, so the substitutions are independent
    seen = np.bincount(np.r_[p, q], minlength=m.shape[1])
    ok = (seen[p] == 1) & (seen[q] == 1) & (p != q)
    # eliminate the column in fewer rows; on a tie the one with the larger coefficient
    drop_q = (col_count[q] < col_count[p]) | (
        (col_count[q] == col_count[p]) & (np.abs(beta) >= np.abs(alpha))
    )
    keep = np.where(drop_q, p, q)
    gone = np.where(drop_q, q, p)
    a = np.where(drop_q, alpha, beta)
    b = np.where(drop_q, beta, alpha)
    ok &= (col_count[gone] <= 2) & (np.abs(b) >= _PIVOT_RATIO * np.maximum(np.abs(a), np.abs(b)))
    sel = np.flatnonzero(ok)
    return rows[sel], keep[sel], gone[sel], a[sel], b[sel], row_lower[rows[sel]]


def _doubleton_bounds(
    lower: np.ndarray,
    upper: np.ndarray,
    kept: np.ndarray,
    gone: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    rhs: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bounds of ``x_kept`` once ``x_gone = (rhs - a x_kept) / b`` brings its own bounds.

    Returns the new lower and upper bounds and the mask of the rows where they meet (an
    empty range means the LP is infeasible: such a row is left for HiGHS to report).
    """
    ends = np.stack([(rhs - b * lower[gone]) / a, (rhs - b * upper[gone]) / a])
    lo = np.maximum(lower[kept], ends.min(axis=0))
    hi = np.minimum(upper[kept], ends.max(axis=0))
    meet = lo <= hi + 1e-9 * np.maximum(1.0, np.abs(hi))
    return lo, np.maximum(lo, hi), meet


def _without(n: int, drop: np.ndarray) -> np.ndarray:
    """``0..n-1`` without ``drop``, sorted: ``np.setdiff1d(np.arange(n), drop)`` by a mask
    (setdiff1d sorts and hashes both arrays: seconds on a year of ten units)."""
    keep = np.ones(n, dtype=bool)
    keep[np.asarray(drop, dtype=np.int64)] = False
    return np.flatnonzero(keep)


def reduce_lp(a: LpArrays) -> ReducedLp:
    """The LP ``a`` with opposite columns merged and doubleton equalities substituted.

    Parameters
    ----------
    a
        The LP arrays (any LP; columns with a finite lower bound can be merged).

    Returns
    -------
    ReducedLp
        The reduced arrays (``varying`` empty: the reduced LP is solved, not updated) and
        the maps back to the original columns and rows.
    """
    m = sp.csc_matrix(a.matrix, copy=True)  # the caller's matrix stays as it is
    m.eliminate_zeros()
    m.sort_indices()
    n_cols, n_rows = m.shape[1], a.row_lower.size
    lower, upper, cost = (
        np.asarray(v, dtype=float).copy() for v in (a.col_lower, a.col_upper, a.col_cost)
    )

    # 1. opposite pairs: column j carries v = x_j - x_k, column k goes
    j, k = _opposite_pairs(m, cost, lower)
    lower_j, lower_k = lower[j].copy(), lower[k].copy()
    lower[j], upper[j] = lower[j] - upper[k], upper[j] - lower[k]
    merged_cols = _without(n_cols, k)  # sorted, as the columns were
    merged = m[:, merged_cols]
    lower, upper, cost = lower[merged_cols], upper[merged_cols], cost[merged_cols]

    # 2. doubleton equalities a x_kept + b x_gone = rhs: x_gone goes, so does the row
    by_row = merged.tocsr()
    by_row.sort_indices()
    rows, kept, gone, ca, cb, rhs = _doubletons(
        by_row, a.row_lower, a.row_upper, np.diff(merged.indptr)
    )
    lo, hi, meet = _doubleton_bounds(lower, upper, kept, gone, ca, cb, rhs)
    rows, kept, gone, ca, cb, rhs = (v[meet] for v in (rows, kept, gone, ca, cb, rhs))
    lower[kept], upper[kept] = lo[meet], hi[meet]
    # x_merged = transform @ x_reduced + shift
    survivors = _without(merged_cols.size, gone)
    position = np.full(merged_cols.size, -1)
    position[survivors] = np.arange(survivors.size)
    transform = sp.csr_matrix(
        (
            np.r_[np.ones(survivors.size), -ca / cb],
            (np.r_[survivors, gone], np.r_[position[survivors], position[kept]]),
        ),
        shape=(merged_cols.size, survivors.size),
    )
    shift = np.zeros(merged_cols.size)
    shift[gone] = rhs / cb
    row_ids = _without(n_rows, rows)
    moved = (merged @ shift)[row_ids]
    matrix = (by_row[row_ids] @ transform).tocsc()
    matrix.eliminate_zeros()
    matrix.sort_indices()
    reduced = LpArrays(
        col_lower=lower[survivors],
        col_upper=upper[survivors],
        col_cost=transform.T @ cost,
        row_lower=a.row_lower[row_ids] - moved,
        row_upper=a.row_upper[row_ids] - moved,
        matrix=matrix,
        varying=(np.zeros(0), np.zeros(0), np.zeros(0)),
        offset=a.offset + float(cost @ shift),
    )
    return ReducedLp(
        reduced,
        merged_cols[survivors],
        row_ids,
        merged_cols,
        transform,
        shift,
        j,
        k,
        lower_j,
        lower_k,
        n_cols,
        n_rows,
    )
