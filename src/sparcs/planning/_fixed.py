"""Columns of the sizing LP that are fixed for good, taken out before HiGHS sees the LP.

The sizing model is the dispatch LP of the envelope scenario: every unit has columns for
every family, and most of them are fixed at zero (a building without a boiler, a chiller, a
tank of its own). HiGHS's presolve removes them from a cold solve, but a solve started from
a basis (the tightened plan of :mod:`.holds`) runs on the LP as it was passed, and each of
its simplex iterations then pays for the fixed columns and the rows left empty by them.
:func:`drop_fixed` removes them once, exactly: a fixed column's value moves into the row
bounds and the offset, a row with no column left is dropped when its bounds hold (kept
otherwise, so HiGHS still reports the infeasibility). Columns whose bounds the model
changes later (sizes, retrofits, KPIs) are never taken out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from sparcs.lp.builder import LpArrays

__all__ = ["FixedColumns", "drop_fixed"]

#: Largest violation [-, relative to 1 + |bound|] of a row left without columns that still
#: counts as holding.
_ROW_TOLERANCE = 1e-9


@dataclass(frozen=True)
class FixedColumns:
    """Which columns and rows of the sizing LP HiGHS holds, and the values of the others.

    Attributes
    ----------
    cols
        Model column of every column HiGHS holds, ascending (int32).
    rows
        Model row of every row HiGHS holds, ascending (int32).
    value
        Value of every model column that HiGHS does not hold (0 for those it does).
    """

    cols: np.ndarray
    rows: np.ndarray
    value: np.ndarray
    _col_pos: np.ndarray
    _row_pos: np.ndarray

    @property
    def dropped(self) -> int:
        """Model columns HiGHS does not hold."""
        return int(self.value.size - self.cols.size)

    def col(self, ids: np.ndarray | list[int]) -> np.ndarray:
        """HiGHS column of model columns ``ids`` (each one HiGHS holds), int32."""
        return _held(self._col_pos, ids, "column")

    def row(self, ids: np.ndarray | list[int]) -> np.ndarray:
        """HiGHS row of model rows ``ids`` (each one HiGHS holds), int32."""
        return _held(self._row_pos, ids, "row")

    def costs(self, values: np.ndarray) -> np.ndarray:
        """Costs of HiGHS's columns from the model's (columns added later keep theirs)."""
        n = self.value.size
        return np.concatenate([values[self.cols], values[n:]])

    def expand(self, x: np.ndarray) -> np.ndarray:
        """A solution of HiGHS's LP as one of the model's: fixed columns at their value.

        Examples
        --------
        >>> import numpy as np
        >>> f = FixedColumns(np.array([1]), np.array([0]), np.array([2.0, 0.0]),
        ...                  np.array([-1, 0]), np.array([0]))
        >>> f.expand(np.array([5.0, 7.0])).tolist()  # column 0 fixed at 2, then one added
        [2.0, 5.0, 7.0]
        """
        full = self.value.copy()
        full[self.cols] = x[: self.cols.size]
        return np.concatenate([full, x[self.cols.size :]])


def drop_fixed(
    a: LpArrays, keep_cols: np.ndarray, keep_rows: np.ndarray
) -> tuple[LpArrays, FixedColumns]:
    """The LP without its fixed columns (but ``keep_cols``) and the rows they leave empty.

    Parameters
    ----------
    a
        The model's LP.
    keep_cols, keep_rows
        Columns and rows to keep whatever their bounds (the model changes them later).

    Returns
    -------
    tuple
        The reduced LP (same optimum; its objective lacks the fixed columns' constant cost,
        which goes to ``offset``) and the map back to the model's columns and rows.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> from sparcs.lp.builder import LpArrays
    >>> m = sp.csc_matrix(np.array([[1.0, 1.0], [0.0, 1.0]]))
    >>> lp = LpArrays(np.array([0.0, 3.0]), np.array([5.0, 3.0]), np.array([1.0, 2.0]),
    ...               np.array([4.0, 3.0]), np.array([9.0, 3.0]), m, (np.zeros(0, int),) * 3)
    >>> small, f = drop_fixed(lp, np.zeros(0, int), np.zeros(0, int))
    >>> f.cols.tolist(), f.rows.tolist(), small.row_lower.tolist(), small.offset
    ([0], [0], [1.0], 6.0)
    """
    n_cols, n_rows = a.col_cost.size, a.row_lower.size
    fixed = a.col_lower == a.col_upper
    fixed[keep_cols] = False
    if a.varying[1].size:  # coefficients updated in place stay in the model
        fixed[a.varying[1]] = False
    value = np.where(fixed, a.col_lower, 0.0)
    cols = np.flatnonzero(~fixed).astype(np.int32)
    shift = a.matrix @ value
    kept = a.matrix[:, cols].tocsr()
    lower, upper = a.row_lower - shift, a.row_upper - shift
    empty = np.diff(kept.indptr) == 0
    holds = (lower <= _ROW_TOLERANCE * (1.0 + np.abs(lower))) & (
        upper >= -_ROW_TOLERANCE * (1.0 + np.abs(upper))
    )
    drop_row = empty & holds
    drop_row[keep_rows] = False
    rows = np.flatnonzero(~drop_row).astype(np.int32)
    col_pos = np.full(n_cols, -1, np.int64)
    col_pos[cols] = np.arange(cols.size)
    row_pos = np.full(n_rows, -1, np.int64)
    row_pos[rows] = np.arange(rows.size)
    small = replace(
        a,
        col_lower=a.col_lower[cols],
        col_upper=a.col_upper[cols],
        col_cost=a.col_cost[cols],
        row_lower=lower[rows],
        row_upper=upper[rows],
        matrix=kept[rows].tocsc(),
        varying=(row_pos[a.varying[0]], col_pos[a.varying[1]], a.varying[2]),
        offset=a.offset + float(np.dot(a.col_cost, value)),
    )
    return small, FixedColumns(cols, rows, value, col_pos, row_pos)


def _held(position: np.ndarray, ids: np.ndarray | list[int], kind: str) -> np.ndarray:
    """HiGHS index of each model ``kind`` in ``ids`` (``position``: -1 where not held)."""
    out: np.ndarray = position[np.asarray(ids)]
    if np.any(out < 0):
        msg = f"a {kind} of the sizing model that HiGHS does not hold was changed"
        raise ValueError(msg)
    return out.astype(np.int32)
