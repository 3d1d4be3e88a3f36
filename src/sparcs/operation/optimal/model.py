"""The dispatch LP in HiGHS: build once, update in place, solve.

:func:`assemble` runs every constraint family in a fixed order on an
:class:`~sparcs.lp.builder.LpBuilder` and returns the LP arrays; the order
gives the canonical column and row layout of dispatch-benchmark.md §4 for the reference
fields. :class:`DispatchModel` passes them to HiGHS (``Highs.passModel``) at its first
solve and, for rolling horizon, :meth:`DispatchModel.update` changes bounds, costs,
right-hand sides and the data-dependent coefficients (COP, EV arrivals) in place, keeping
the model and its basis.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from sparcs.errors import SolverError
from sparcs.lp import highs
from sparcs.lp.builder import LpArrays, LpBuilder
from sparcs.lp.pattern import MatrixPattern
from sparcs.lp.reduce import ReducedLp, reduce_lp
from sparcs.lp.status import SolverOptions
from sparcs.lp.warm import layout_key
from sparcs.operation.optimal.balance import add_balance_rows, add_renewables, add_solar_heat
from sparcs.operation.optimal.boiler import add_boiler
from sparcs.operation.optimal.capacity import add_capacity
from sparcs.operation.optimal.chp import add_chp
from sparcs.operation.optimal.district_heat import add_district_heat
from sparcs.operation.optimal.electric_boiler import add_electric_boiler
from sparcs.operation.optimal.ev import add_ev
from sparcs.operation.optimal.grid import add_connections, add_import_cap, add_peak
from sparcs.operation.optimal.heat_export import add_heat_export
from sparcs.operation.optimal.heat_pump import add_heat_pump
from sparcs.operation.optimal.ped import add_ped
from sparcs.operation.optimal.result import OptimizationResult
from sparcs.operation.optimal.storage import add_battery, add_tank
from sparcs.operation.optimal.thermal_mass import add_thermal_mass

if TYPE_CHECKING:
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["FAMILIES", "DispatchModel", "assemble", "solution_arrays"]

#: Constraint families in the order they add columns and rows.
FAMILIES: tuple[Callable[[LpBuilder, DispatchProblem], None], ...] = (
    add_balance_rows,
    add_renewables,
    add_heat_pump,
    add_battery,
    add_tank,
    add_connections,
    add_electric_boiler,
    add_boiler,
    add_chp,
    add_district_heat,
    add_solar_heat,
    add_heat_export,
    add_ev,
    add_thermal_mass,
    add_peak,
    add_capacity,
    add_import_cap,
    add_ped,
)

#: Blocks with one entry per step (returned as (time,) arrays).
STEP_BLOCKS = ("gi", "ge", "gs", "ger", "gec", "hxr", "hxc")
#: Blocks with one entry per charge period (returned as (period,) arrays).
PERIOD_BLOCKS = ("cpi", "cph")


def assemble(
    problem: DispatchProblem, pattern: MatrixPattern | None = None, *, patterned: bool = False
) -> tuple[LpBuilder, LpArrays]:
    """Run every constraint family on ``problem``; return the layout and the LP arrays
    (``pattern`` and ``patterned`` as :meth:`~sparcs.lp.builder.LpBuilder.arrays` takes them)."""
    lp = LpBuilder()
    for family in FAMILIES:
        family(lp, problem)
    return lp, lp.arrays(pattern, patterned=patterned)


class DispatchModel:
    """A dispatch LP held in HiGHS.

    Parameters
    ----------
    problem
        The data; its shape (steps, units, present families) fixes the model's structure.
    options
        Solver settings.
    """

    def __init__(self, problem: DispatchProblem, options: SolverOptions | None = None) -> None:
        start = time.perf_counter()
        self.options = options or SolverOptions()
        self.layout, self.arrays = assemble(problem)
        #: The LP handed to HiGHS: ``arrays``, or its reduction after :meth:`reduce`.
        self.lp = self.arrays
        self._reduced: ReducedLp | None = None
        self.highs = highs.new_highs(self.options)
        self._passed = False
        #: Seconds from the data to the LP arrays (dispatch-benchmark.md §7 "build"); the
        #: hand-over to HiGHS happens in the first :meth:`solve` and is counted there.
        self.build_s = time.perf_counter() - start

    @property
    def size(self) -> dict[str, int]:
        """Columns, rows and nonzeros."""
        a = self.arrays
        return {
            "columns": int(a.col_cost.size),
            "rows": int(a.row_lower.size),
            "nonzeros": int(a.matrix.nnz),
        }

    def fingerprint(self, *index_arrays: np.ndarray) -> str:
        """The layout of the LP handed to HiGHS (:func:`~sparcs.lp.warm.layout_key`): its
        size, the starts of its column and row blocks, and ``index_arrays`` (a reduction's
        kept columns and rows). A basis fits any LP with the same fingerprint."""
        starts = [b.start for b in self.layout.cols.blocks.values()]
        starts += [-1, *(b.start for b in self.layout.rows.blocks.values())]
        n_cols, n_rows = self.lp.col_cost.size, self.lp.row_lower.size
        return layout_key(n_cols, n_rows, np.array(starts), *index_arrays)

    def reduce(self) -> ReducedLp:
        """Hand HiGHS the exactly reduced LP (:func:`~.reduce.reduce_lp`) from now on.

        Worth it for solves started from a basis, which HiGHS runs without its presolve.
        Solutions still come back in the full LP's terms; :meth:`row_dual` gives the duals
        of the reduced rows (``lp``).

        Raises
        ------
        SolverError
            When HiGHS holds the model already (reduce before the first :meth:`solve`).
        """
        if self._passed:
            msg = "the model is in HiGHS already; reduce it before the first solve"
            raise SolverError(msg)
        self._reduced = reduce_lp(self.arrays)
        self.lp = self._reduced.arrays
        return self._reduced

    def update(self, problem: DispatchProblem) -> float:
        """Replace the data by that of ``problem`` (same structure); return seconds taken.

        Raises
        ------
        SolverError
            When ``problem`` does not have the structure the model was built with, or the
            model was reduced.
        """
        if self._reduced is not None:
            msg = "a reduced model cannot be updated in place; build a new model"
            raise SolverError(msg)
        start = time.perf_counter()
        _, new = assemble(problem)
        old = self.arrays
        if new.col_cost.size != old.col_cost.size or new.row_lower.size != old.row_lower.size:
            msg = (
                "the new data has another structure (steps, units or families) than the "
                "model; build a new model"
            )
            raise SolverError(msg)
        if self._passed:  # otherwise the first solve hands over the new arrays
            highs.change_data(self.highs, old, new)
        self.arrays = new
        return time.perf_counter() - start

    def solve(self, basis: object | None = None) -> OptimizationResult:
        """Solve and return the result (no flows; see :mod:`.solve`).

        The first call hands the LP to HiGHS (``passModel``); ``timings["solve_s"]`` counts
        that hand-over, the HiGHS run and reading the solution back (dispatch-benchmark.md
        §7), ``timings["handover_s"]`` the hand-over alone.

        Parameters
        ----------
        basis
            A ``highspy.HighsBasis`` to start the simplex from (e.g. the stitched basis of
            :mod:`.temporal`); None keeps HiGHS's own start (the last basis, if any).
        """
        start = time.perf_counter()
        if not self._passed:
            highs.pass_model(self.highs, self.lp)
            self._passed = True
        handover_s = time.perf_counter() - start
        if basis is not None:
            self.highs.setBasis(basis)
        outcome = highs.run(self.highs, self.options)
        solution = {} if outcome.col_value is None else self.solution(self.full(outcome.col_value))
        timings = {
            "build_s": self.build_s,
            "solve_s": time.perf_counter() - start,
            "handover_s": handover_s,
            "highs_s": outcome.run_time_s,
        }
        return OptimizationResult(
            status=outcome.status,
            termination=outcome.termination,
            objective=outcome.objective,
            solution=solution,
            timings=timings,
            log=outcome.log,
            mip_gap=outcome.mip_gap,
            dual_bound=outcome.dual_bound,
            iterations=outcome.iterations,
            size=self.size,
        )

    def full(self, col_value: np.ndarray) -> np.ndarray:
        """A point of ``lp`` as a point of the full LP (``arrays``), at the same cost."""
        return col_value if self._reduced is None else self._reduced.expand(col_value)

    def row_dual(self) -> np.ndarray:
        """Row duals of the last solve, one per row of ``lp`` (HiGHS's sign: reduced costs
        are ``c - A^T y``)."""
        return np.asarray(self.highs.getSolution().row_dual, dtype=float)

    def solution(self, col_value: np.ndarray) -> dict[str, np.ndarray]:
        """Named arrays of a solution vector: (time, unit), or (time,) for per-step blocks."""
        return solution_arrays(self.layout, col_value)


def solution_arrays(layout: LpBuilder, col_value: np.ndarray) -> dict[str, np.ndarray]:
    """Named arrays of a solution vector: (time, unit), (time,) for ``gi``/``ge``."""
    out: dict[str, np.ndarray] = {}
    for name, block in layout.cols.blocks.items():
        values = block.values(col_value)
        if name in STEP_BLOCKS:
            values = values[:, 0]
        elif name == "peak":
            values = values.reshape(())
        elif name in PERIOD_BLOCKS:
            values = values[:, 0]
        out[name] = values
    return out
