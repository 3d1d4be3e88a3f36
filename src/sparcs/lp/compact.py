"""An LP without its idle columns, kept in HiGHS and started from the last basis, shifted.

A receding-horizon controller solves the same LP every step, one step further on. Two
things make those solves cheap, and HiGHS does neither by itself:

1. **No idle columns.** Most columns of a district's dispatch LP belong to assets a node
   does not have (a battery of zero capacity): their bounds are zero at every step. HiGHS's
   presolve removes them, but a solve started from a basis runs without presolve, on the
   whole LP. :class:`CompactLp` leaves out every (unit) line of a block whose columns are
   all fixed at zero, and the rows left empty by that, once, when the model is built.
2. **The basis of the last solve, moved on.** The optimal basis of the window that started
   one step earlier, shifted by that step in every block (the status of step ``t + s``
   becomes that of step ``t``; the new last steps repeat the old last one), is nearly
   optimal for the new window: a few hundred simplex iterations instead of tens of
   thousands. HiGHS receives it as an *alien* basis and repairs it where it is not one.

Both are exact: the columns left out are zero in every feasible point, the rows left out
hold ``0`` within their bounds; the LP in HiGHS has the optimum of the whole one.
:meth:`CompactLp.take` tells when new data no longer fits the kept structure (a column left
out that is free now), and the model is then built again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from sparcs.lp.builder import Layout, LpArrays

__all__ = ["BASIC", "LOWER", "CompactLp", "shift_statuses"]

#: HiGHS basis status codes (``HighsBasisStatus``): at its lower bound, basic.
LOWER, BASIC = 0, 1


def _idle_lines(layout: Layout, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Mask of entries in a (block, unit) line whose every entry is fixed at zero."""
    idle = (lower == 0.0) & (upper == 0.0)
    out = np.zeros(lower.size, dtype=bool)
    for block in layout.blocks.values():
        lines = idle[block.start : block.stop].reshape(block.units, block.steps)
        out[block.start : block.stop] = np.repeat(lines.all(axis=1), block.steps)
    return out


@dataclass(frozen=True)
class CompactLp:
    """Which columns and rows of an LP are kept, and the kept LP.

    Attributes
    ----------
    cols, rows
        Kept columns and rows of the full LP (sorted indices).
    arrays
        The kept LP (its ``varying`` is empty: coefficients are compared whole).
    n_cols, n_rows
        Size of the full LP.
    """

    cols: np.ndarray
    rows: np.ndarray
    arrays: LpArrays
    n_cols: int
    n_rows: int
    #: The full matrix's structure (indptr, indices) and, for each kept entry, its place
    #: in the full matrix's data: a full matrix of that structure is kept by one gather.
    gather: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    @classmethod
    def of(cls, cols_layout: Layout, full: LpArrays) -> CompactLp:
        """Leave out the idle column lines of ``full`` and the rows they leave empty.

        Parameters
        ----------
        cols_layout
            The column blocks of ``full``.
        full
            The LP arrays.

        Returns
        -------
        CompactLp
            The kept LP; a row whose bounds exclude 0 is kept even when empty, so HiGHS
            reports the infeasibility.
        """
        cols = np.flatnonzero(~_idle_lines(cols_layout, full.col_lower, full.col_upper))
        by_row = full.matrix[:, cols].tocsr()
        filled = np.diff(by_row.indptr) > 0
        holds_zero = (full.row_lower <= 0.0) & (full.row_upper >= 0.0)
        rows = np.flatnonzero(filled | ~holds_zero)
        kept = _take(full, cols, rows, _kept_matrix(by_row, rows))
        # the same slicing of the entries' numbers (1, 2, ...) tells where each kept entry
        # sits in the full data
        m = full.matrix
        ids = sp.csc_matrix((np.arange(1.0, m.nnz + 1), m.indices, m.indptr), shape=m.shape)
        numbered = sp.csc_matrix(ids[:, cols].tocsr()[rows])
        numbered.sort_indices()
        same = np.array_equal(numbered.indptr, kept.matrix.indptr) and np.array_equal(
            numbered.indices, kept.matrix.indices
        )
        gather = (m.indptr, m.indices, numbered.data.astype(np.int64) - 1) if same else None
        return cls(cols, rows, kept, full.col_cost.size, full.row_lower.size, gather)

    def take(self, full: LpArrays) -> LpArrays | None:
        """The kept part of ``full`` (same structure), or None when it does not fit.

        It does not fit when a column left out may be non-zero now, a row left out has
        bounds without 0 or meets a kept column, or the kept matrix has another pattern.
        """
        if full.col_cost.size != self.n_cols or full.row_lower.size != self.n_rows:
            return None
        out_cols = np.ones(self.n_cols, dtype=bool)
        out_cols[self.cols] = False
        if np.any(full.col_lower[out_cols] != 0.0) or np.any(full.col_upper[out_cols] != 0.0):
            return None
        out_rows = np.ones(self.n_rows, dtype=bool)
        out_rows[self.rows] = False
        if np.any(full.row_lower[out_rows] > 0.0) or np.any(full.row_upper[out_rows] < 0.0):
            return None
        if self.gather is not None and _same_structure(full.matrix, *self.gather[:2]):
            # the full matrix's structure is the one kept from: the rows left out are still
            # empty in the kept columns, and each kept entry is where it was
            old = self.arrays.matrix
            matrix = sp.csc_matrix(
                (full.matrix.data[self.gather[2]], old.indices, old.indptr), shape=old.shape
            )
            return _take(full, self.cols, self.rows, matrix)
        by_row = full.matrix[:, self.cols].tocsr()
        if np.any(np.diff(by_row.indptr)[out_rows] > 0):
            return None
        kept = _take(full, self.cols, self.rows, _kept_matrix(by_row, self.rows))
        old = self.arrays.matrix
        same = np.array_equal(kept.matrix.indptr, old.indptr) and np.array_equal(
            kept.matrix.indices, old.indices
        )
        return kept if same else None

    def full_point(self, col_value: np.ndarray) -> np.ndarray:
        """A point of the full LP from one of the kept LP (left-out columns at zero)."""
        out = np.zeros(self.n_cols)
        out[self.cols] = col_value
        return out

    def full_statuses(
        self, col_status: np.ndarray, row_status: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Basis statuses over the full LP: left-out columns at their bound, rows basic."""
        cols = np.full(self.n_cols, LOWER, dtype=np.int8)
        cols[self.cols] = col_status
        rows = np.full(self.n_rows, BASIC, dtype=np.int8)
        rows[self.rows] = row_status
        return cols, rows


def _same_structure(matrix: sp.csc_matrix, indptr: np.ndarray, indices: np.ndarray) -> bool:
    if matrix.indptr is indptr and matrix.indices is indices:  # one MatrixPattern's arrays
        return True
    return np.array_equal(matrix.indptr, indptr) and np.array_equal(matrix.indices, indices)


def _kept_matrix(by_row: sp.csr_matrix, rows: np.ndarray) -> sp.csc_matrix:
    """The rows ``rows`` of the kept columns (``by_row``), as a CSC matrix, indices sorted."""
    matrix = sp.csc_matrix(by_row[rows])
    matrix.sort_indices()
    return matrix


def _take(full: LpArrays, cols: np.ndarray, rows: np.ndarray, matrix: sp.csc_matrix) -> LpArrays:
    empty = np.zeros(0)
    return LpArrays(
        col_lower=full.col_lower[cols],
        col_upper=full.col_upper[cols],
        col_cost=full.col_cost[cols],
        row_lower=full.row_lower[rows],
        row_upper=full.row_upper[rows],
        matrix=matrix,
        varying=(empty, empty, empty),
        offset=full.offset,
    )


def shift_statuses(status: np.ndarray, layout: Layout, steps: int, shift: int) -> np.ndarray:
    """Basis statuses moved ``shift`` steps earlier in every block of ``steps`` steps.

    Parameters
    ----------
    status
        One status code per entry of ``layout`` (columns or rows).
    layout
        The blocks; those of another length (a peak, a period) keep their statuses.
    steps
        Steps of the window.
    shift
        Steps the window moved on (0 keeps every status).

    Returns
    -------
    numpy.ndarray
        The statuses of the new window: step ``t`` takes those of ``t + shift``; the last
        ``shift`` steps repeat the old last step.

    Examples
    --------
    >>> lay = Layout()
    >>> _ = lay.add("x", 1, 4)
    >>> shift_statuses(np.array([0, 1, 2, 1], dtype=np.int8), lay, 4, 1).tolist()
    [1, 2, 1, 1]
    """
    out = np.array(status, dtype=np.int8)
    if shift <= 0:
        return out
    for block in layout.blocks.values():
        if block.steps != steps:
            continue
        lines = out[block.start : block.stop].reshape(block.units, steps)
        if shift >= steps:
            moved = np.repeat(lines[:, -1:], steps, axis=1)
        else:
            moved = np.concatenate(
                [lines[:, shift:], np.repeat(lines[:, -1:], shift, axis=1)], axis=1
            )
        out[block.start : block.stop] = moved.ravel()
    return out
