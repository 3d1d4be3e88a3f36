"""The dispatch LP of a receding horizon, kept in HiGHS from one cycle to the next.

Live operation solves the horizon's LP every step, from a window one step further on.
:class:`RecedingModel` builds the LP once (:func:`~.model.assemble`, without its idle
columns: :class:`~sparcs.lp.compact.CompactLp`), and at every later solve changes only its
data in HiGHS — bounds, costs, right-hand sides and the coefficients that differ — and
lets the simplex start from the basis HiGHS kept from the previous solve (HiGHS keeps it
through a change of data). That basis is not moved on by the steps the window moved: reading
it back into Python and shifting it cost more per cycle (a list of enums per column) than the
few simplex iterations it saves. A window whose structure no longer fits (an asset idle
over the first window is used now, another number of steps) is built again and solved from
a cold start, as is a window that goes back; a warm start that does not end optimal is
solved again from a cold start, so a solve never depends on the start. The optimum is the
same either way; where several schedules are equally cheap, which one is returned may
depend on the start.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from sparcs.lp import highs
from sparcs.lp.builder import LpArrays, LpBuilder
from sparcs.lp.compact import CompactLp
from sparcs.lp.pattern import MatrixPattern
from sparcs.lp.status import SolverOptions
from sparcs.operation.optimal.model import assemble, solution_arrays
from sparcs.operation.optimal.problem import DispatchProblem
from sparcs.operation.optimal.result import OptimizationResult

__all__ = ["Adjust", "RecedingModel"]

#: Changes the full LP's arrays in place before they go to HiGHS (e.g. an override fixing
#: an asset's power): called with the column and row layout and the arrays.
Adjust = Callable[[LpBuilder, LpArrays], None]


class RecedingModel:
    """A dispatch LP held in HiGHS across the windows of a receding horizon.

    Parameters
    ----------
    options
        Solver settings (the default: one thread, HiGHS's choice of algorithm).

    Attributes
    ----------
    builds
        Times the LP was built (handed to HiGHS whole).
    solves
        Times it was solved.
    """

    def __init__(self, options: SolverOptions | None = None) -> None:
        self.options = options or SolverOptions()
        self.builds = 0
        self.solves = 0
        self._h: Any = None
        self._compact: CompactLp | None = None
        self._layout: LpBuilder | None = None
        self._steps = 0
        self._pattern: MatrixPattern | None = None

    def _build(self, layout: LpBuilder, full: LpArrays, steps: int) -> None:
        self._compact = CompactLp.of(layout.cols, full)
        self._h = highs.new_highs(self.options)
        highs.pass_model(self._h, self._compact.arrays)
        self._layout, self._steps = layout, steps
        self.builds += 1

    def _push(self, layout: LpBuilder, full: LpArrays, steps: int) -> bool:
        """Hand the new data to the LP in HiGHS; False when the model was built again."""
        compact = self._compact
        kept = None
        if compact is not None and steps == self._steps and self._same_blocks(layout):
            kept = compact.take(full)
        if compact is None or kept is None:
            self._build(layout, full, steps)
            return False
        old = compact.arrays
        highs.change_data(self._h, old, kept)
        differ = np.flatnonzero(old.matrix.data != kept.matrix.data)
        if differ.size:  # the coefficients that changed (the COP, EV arrivals)
            column = np.repeat(np.arange(kept.matrix.shape[1]), np.diff(kept.matrix.indptr))
            rows, cols = kept.matrix.indices[differ], column[differ]
            for r, c, v in zip(
                rows.tolist(), cols.tolist(), kept.matrix.data[differ].tolist(), strict=True
            ):
                self._h.changeCoeff(r, c, v)
        if full.offset != old.offset:
            self._h.changeObjectiveOffset(float(full.offset))
        self._compact = replace(compact, arrays=kept)
        self._layout = layout
        return True

    def _same_blocks(self, layout: LpBuilder) -> bool:
        old = self._layout
        assert old is not None
        shape = {n: (b.start, b.size) for n, b in old.cols.blocks.items()}
        rows = {n: (b.start, b.size) for n, b in old.rows.blocks.items()}
        return shape == {n: (b.start, b.size) for n, b in layout.cols.blocks.items()} and (
            rows == {n: (b.start, b.size) for n, b in layout.rows.blocks.items()}
        )

    def solve(
        self,
        problem: DispatchProblem,
        *,
        shift: int = 1,
        adjust: Adjust | None = None,
        beside: Callable[[], None] | None = None,
    ) -> OptimizationResult:
        """Solve the window of ``problem``, ``shift`` steps after the previous one.

        Parameters
        ----------
        problem
            The window's data.
        shift
            Steps the window moved since the last solve [steps]; a negative value (the
            window went back, or no earlier window) starts cold.
        adjust
            Changes to the LP arrays before the solve (:data:`Adjust`).
        beside
            Work that does not need the solution, run once in this thread while HiGHS
            solves in another (:func:`sparcs.lp.highs.run`): a second core does it for free.

        Returns
        -------
        OptimizationResult
            As :meth:`~.model.DispatchModel.solve`; ``timings`` holds ``build_s`` (data to
            arrays), ``update_s`` (into HiGHS), ``highs_s`` and ``solve_s``, and
            ``rebuilt`` (1 when the LP was built again).
        """
        start = time.perf_counter()
        layout, full = assemble(problem, self._pattern, patterned=True)
        self._pattern = layout.pattern
        if adjust is not None:
            adjust(layout, full)
        build_s = time.perf_counter() - start
        kept = self._push(layout, full, problem.n_steps)
        warm = kept and shift >= 0
        if kept and not warm:  # a window that went back: from a cold start
            self._h.clearSolver()
        update_s = time.perf_counter() - start - build_s
        outcome = highs.run(self._h, self.options, beside)
        if warm and outcome.col_value is None:  # never trust a start alone
            self._build(layout, full, problem.n_steps)
            outcome = highs.run(self._h, self.options)
        self.solves += 1
        assert self._compact is not None
        solution = (
            {}
            if outcome.col_value is None
            else solution_arrays(layout, self._compact.full_point(outcome.col_value))
        )
        a = self._compact.arrays
        return OptimizationResult(
            status=outcome.status,
            termination=outcome.termination,
            objective=outcome.objective,
            solution=solution,
            timings={
                "build_s": build_s,
                "update_s": update_s,
                "highs_s": outcome.run_time_s,
                "solve_s": time.perf_counter() - start,
                "rebuilt": float(not kept),
            },
            log=outcome.log,
            iterations=outcome.iterations,
            size={
                "columns": int(a.col_cost.size),
                "rows": int(a.row_lower.size),
                "nonzeros": int(a.matrix.nnz),
            },
        )
