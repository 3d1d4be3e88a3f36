"""The dispatch LP cut in time: the step of each column and row, segments, windows and
the sub-LP of a set of steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from sparcs.lp.builder import Layout, LpArrays

__all__ = ["StepCutter", "SubLp", "segments", "step_of", "window"]


def step_of(layout: Layout, n_steps: int) -> np.ndarray:
    """Step of every entry of a column or row layout; -1 for entries without one.

    Blocks are unit-major (``start + unit * steps + step``); a block whose length is not
    ``n_steps`` (a peak column, a period-wide balance) has no step.
    """
    out = np.full(layout.size, -1, dtype=np.int64)
    for block in layout.blocks.values():
        if block.steps == n_steps:
            out[block.start : block.stop] = np.tile(np.arange(n_steps), block.units)
    return out


def segments(n_steps: int, segment: int) -> list[np.ndarray]:
    """Consecutive segments of ``segment`` steps; a short remainder joins the last one."""
    edges = list(range(0, n_steps, segment)) + [n_steps]
    if len(edges) > 2 and edges[-1] - edges[-2] < segment // 2:  # no stub at the end
        edges.pop(-2)
    return [np.arange(a, b) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def window(core: np.ndarray, overlap: int, n_steps: int, cyclic: bool) -> np.ndarray:
    """The steps of ``core`` widened by ``overlap`` on each side (wrapped when cyclic)."""
    steps = np.arange(core[0] - overlap, core[-1] + 1 + overlap)
    if cyclic:
        return np.mod(steps, n_steps)
    return steps[(steps >= 0) & (steps < n_steps)]


@dataclass(frozen=True)
class SubLp:
    """A sub-LP cut from the whole: its rows, columns and arrays."""

    rows: np.ndarray
    cols: np.ndarray
    arrays: LpArrays


class StepCutter:
    """Cuts sub-LPs for sets of steps out of the whole LP (rows grouped by step once)."""

    def __init__(
        self, a: LpArrays, col_step: np.ndarray, row_step: np.ndarray, n_steps: int
    ) -> None:
        self.a = a
        self.csr = a.matrix.tocsr()
        self.col_step = col_step
        self.row_step = row_step
        order = np.argsort(row_step, kind="stable")
        self.row_order = order
        self.row_ptr = np.searchsorted(row_step[order], np.arange(n_steps + 1))
        self.n_steps = n_steps

    def rows_of(self, steps: np.ndarray) -> np.ndarray:
        """Rows of ``steps`` (in step order)."""
        lo, hi = self.row_ptr[steps], self.row_ptr[steps + 1]
        return np.concatenate([self.row_order[a:b] for a, b in zip(lo, hi, strict=True)])

    def cut(self, steps: np.ndarray) -> SubLp:
        """The LP of the rows of ``steps`` and every column they touch.

        Columns of other steps (the levels before the first step) get no cost and keep
        their bounds: the window may start from any level.
        """
        a = self.a
        rows = self.rows_of(steps)
        sub = self.csr[rows]
        cols = np.unique(sub.indices)
        local = np.searchsorted(cols, sub.indices)
        matrix = sp.csr_matrix((sub.data, local, sub.indptr), shape=(rows.size, cols.size))
        inside = np.zeros(self.n_steps, dtype=bool)
        inside[steps] = True
        own = inside[self.col_step[cols]]
        arrays = LpArrays(
            col_lower=a.col_lower[cols],
            col_upper=a.col_upper[cols],
            col_cost=np.where(own, a.col_cost[cols], 0.0),
            row_lower=a.row_lower[rows],
            row_upper=a.row_upper[rows],
            matrix=matrix.tocsc(),
            varying=(np.zeros(0),) * 3,
        )
        return SubLp(rows, cols, arrays)
