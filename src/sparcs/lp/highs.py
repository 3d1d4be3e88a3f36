"""Thin, quiet wrapper of highspy: create, load, change, run, read back.

HiGHS prints a two-line banner to the C-level standard output the first time a ``Highs``
object is made in a process; it is caught here (file descriptor 1 redirected for that one
call) so command-line output stays clean. The log is captured through HiGHS's logging
callback and printed only when :attr:`SolverOptions.log` asks for it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, SupportsInt

import numpy as np

from sparcs.errors import SolverError
from sparcs.lp.status import SolverStatus, TerminationCondition

if TYPE_CHECKING:
    from sparcs.lp.builder import LpArrays
    from sparcs.lp.status import SolverOptions

__all__ = [
    "Outcome",
    "alien_basis",
    "basis_statuses",
    "change_data",
    "new_highs",
    "pass_model",
    "run",
]

_LOCK = threading.Lock()
_STATE: dict[str, Any] = {"banner": None}


def _highspy() -> Any:
    try:
        import highspy
    except ImportError as exc:  # pragma: no cover - highspy is a core dependency
        msg = "the optimal strategies need the HiGHS solver: pip install highspy"
        raise SolverError(msg) from exc
    return highspy


def _construct_quietly(highspy: Any) -> Any:
    """Make a ``Highs`` object; the first one's banner goes to a temporary file."""
    with _LOCK:
        if _STATE["banner"] is not None:
            return highspy.Highs()
        if sys.stdout is not None:
            sys.stdout.flush()
        try:
            saved = os.dup(1)
        except OSError:  # no file descriptor 1: nothing to protect
            _STATE["banner"] = ""
            return highspy.Highs()
        with tempfile.TemporaryFile(mode="w+b") as sink:
            os.dup2(sink.fileno(), 1)
            try:
                h = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            sink.seek(0)
            _STATE["banner"] = sink.read().decode(errors="replace")
        return h


class _Log:
    """Collects the log lines HiGHS sends to its logging callback."""

    def __init__(self, echo: bool) -> None:
        self.lines: list[str] = []
        self.echo = echo

    def __call__(self, event: Any) -> None:
        self.lines.append(event.message)
        if self.echo and sys.stdout is not None:
            sys.stdout.write(event.message)

    def take(self) -> str:
        text, self.lines = "".join(self.lines), []
        return text


def new_highs(options: SolverOptions) -> Any:
    """A configured ``Highs`` object with its log captured (``h.sparcs_log``)."""
    highspy = _highspy()
    h = _construct_quietly(highspy)
    h.setOptionValue("output_flag", True)
    h.setOptionValue("log_to_console", False)
    settings: dict[str, Any] = {
        "solver": options.solver,
        "time_limit": float(options.time_limit_s),
        "mip_rel_gap": float(options.mip_rel_gap),
        "presolve": options.presolve,
    }
    if options.threads is not None:
        settings["threads"] = int(options.threads)
    settings.update(options.extra)
    for name, value in settings.items():
        status = h.setOptionValue(name, value)
        if status != highspy.HighsStatus.kOk:
            msg = f"HiGHS rejected option {name} = {value!r}"
            raise SolverError(msg)
    log = _Log(options.log)
    h.cbLogging.subscribe(log)
    h.sparcs_log = log
    return h


def pass_model(h: Any, a: LpArrays) -> None:
    """Load the LP arrays into ``h`` (the array overload of ``passModel``: no copies to lists)."""
    highspy = _highspy()
    m = a.matrix
    n_col = int(a.col_cost.size)
    status = h.passModel(
        n_col,
        int(a.row_lower.size),
        int(m.nnz),
        int(highspy.MatrixFormat.kColwise.value),
        int(highspy.ObjSense.kMinimize.value),
        float(a.offset),
        np.ascontiguousarray(a.col_cost),
        np.ascontiguousarray(a.col_lower),
        np.ascontiguousarray(a.col_upper),
        np.ascontiguousarray(a.row_lower),
        np.ascontiguousarray(a.row_upper),
        m.indptr.astype(np.int32),
        m.indices.astype(np.int32),
        np.ascontiguousarray(m.data, dtype=float),
        np.zeros(n_col, dtype=np.int32),
    )
    if status == highspy.HighsStatus.kError:
        msg = f"HiGHS could not load the model:\n{h.sparcs_log.take()}"
        raise SolverError(msg)


def _differs(old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Mask of the entries that differ (NaN equals NaN)."""
    same: np.ndarray = (old == new) | (np.isnan(old) & np.isnan(new))
    return ~same


def change_data(h: Any, old: LpArrays, new: LpArrays) -> None:
    """Push the entries of ``new`` that differ from ``old`` into ``h`` (same structure).

    The changed positions come from masks (no sorting), and the coefficients that changed
    go to ``changeCoeff`` from plain lists: HiGHS has no call for many coefficients at once,
    and a rolling window of 100 buildings changes ~28,000 of them (COPs, EV rows).
    """
    cols = np.flatnonzero(
        _differs(old.col_lower, new.col_lower) | _differs(old.col_upper, new.col_upper)
    ).astype(np.int32)
    if cols.size:
        h.changeColsBounds(cols.size, cols, new.col_lower[cols], new.col_upper[cols])
    cost = np.flatnonzero(_differs(old.col_cost, new.col_cost)).astype(np.int32)
    if cost.size:
        h.changeColsCost(cost.size, cost, new.col_cost[cost])
    rows = np.flatnonzero(
        _differs(old.row_lower, new.row_lower) | _differs(old.row_upper, new.row_upper)
    ).astype(np.int32)
    if rows.size:
        h.changeRowsBounds(rows.size, rows, new.row_lower[rows], new.row_upper[rows])
    r, c, v = new.varying
    k = np.flatnonzero(old.varying[2] != v)  # only coefficients that changed
    change = h.changeCoeff
    for row, col, value in zip(r[k].tolist(), c[k].tolist(), v[k].tolist(), strict=True):
        change(row, col, value)


@dataclass(frozen=True)
class Outcome:
    """What one HiGHS run returned."""

    status: SolverStatus
    termination: TerminationCondition
    objective: float
    col_value: np.ndarray | None
    log: str
    mip_gap: float | None
    dual_bound: float | None
    iterations: int
    run_time_s: float


def _termination(h: Any) -> TerminationCondition:
    highspy = _highspy()
    s = highspy.HighsModelStatus
    table = {
        s.kOptimal: TerminationCondition.OPTIMAL,
        s.kInfeasible: TerminationCondition.INFEASIBLE,
        s.kUnboundedOrInfeasible: TerminationCondition.INFEASIBLE_OR_UNBOUNDED,
        s.kUnbounded: TerminationCondition.UNBOUNDED,
        s.kTimeLimit: TerminationCondition.TIME_LIMIT,
        s.kIterationLimit: TerminationCondition.ITERATION_LIMIT,
        s.kInterrupt: TerminationCondition.INTERRUPTED,
    }
    errors = (
        s.kNotset,
        s.kLoadError,
        s.kModelError,
        s.kPresolveError,
        s.kSolveError,
        s.kPostsolveError,
    )
    model_status = h.getModelStatus()
    if model_status in errors:
        return TerminationCondition.ERROR
    return table.get(model_status, TerminationCondition.OTHER)


def _run_beside(h: Any, beside: Callable[[], None]) -> None:
    """Run HiGHS in a worker thread (``Highs.run`` releases the GIL) while ``beside`` runs here.

    HiGHS does not log meanwhile: each log line is a call back into Python, which waits for
    the GIL while ``beside`` holds it (up to the interpreter's 5 ms switch interval; a warm
    10-building solve logs 18 lines). The worker is joined before anything is raised: ``h``
    is never left solving.
    """
    failed: list[BaseException] = []

    def solve() -> None:
        try:
            h.run()
        except BaseException as exc:  # handed to the caller's thread below
            failed.append(exc)

    h.setOptionValue("output_flag", False)
    worker = threading.Thread(target=solve, name="sparcs-highs", daemon=True)
    worker.start()
    try:
        beside()
    finally:
        worker.join()
        h.setOptionValue("output_flag", True)
    h.sparcs_log.lines.append("(HiGHS ran beside other work: its log of this run was not kept)\n")
    if failed:
        raise failed[0]


def run(h: Any, options: SolverOptions, beside: Callable[[], None] | None = None) -> Outcome:
    """Run HiGHS and read the outcome.

    ``h`` is an object from :func:`new_highs` (it carries the captured log). ``beside`` is
    work that does not need the solution (it must not touch ``h``): it runs in this thread
    while HiGHS solves in another, on a second core, without logging; the run ends when
    both have.
    """
    del options
    start = time.perf_counter()
    if beside is None:
        h.run()
    else:
        _run_beside(h, beside)
    run_time = time.perf_counter() - start
    termination = _termination(h)
    info = h.getInfo()
    has_primal = int(info.primal_solution_status) == 2  # kSolutionStatusFeasible
    status = (
        SolverStatus.OK
        if termination is TerminationCondition.OPTIMAL
        else SolverStatus.ERROR
        if termination is TerminationCondition.ERROR
        else SolverStatus.WARNING
    )
    col_value = np.asarray(h.getSolution().col_value, dtype=float) if has_primal else None
    objective = float(info.objective_function_value) if has_primal else float("nan")
    gap = float(info.mip_gap) if np.isfinite(info.mip_gap) else None
    bound = float(info.mip_dual_bound) if info.mip_node_count > 0 else None
    iterations = int(info.simplex_iteration_count) + int(info.ipm_iteration_count)
    return Outcome(
        status,
        termination,
        objective,
        col_value,
        h.sparcs_log.take(),
        gap,
        bound,
        iterations,
        run_time,
    )


def basis_statuses(values: Sequence[SupportsInt]) -> np.ndarray:
    """HiGHS basis statuses (``HighsBasisStatus`` values) as int8 codes."""
    return np.fromiter(map(int, values), dtype=np.int8, count=len(values))


def alien_basis(col_status: np.ndarray, row_status: np.ndarray) -> Any:
    """A ``HighsBasis`` from status codes; ``alien`` lets HiGHS complete or repair it."""
    highspy = _highspy()
    kinds = [highspy.HighsBasisStatus(k) for k in range(5)]
    basis = highspy.HighsBasis()
    basis.col_status = [kinds[k] for k in col_status.tolist()]
    basis.row_status = [kinds[k] for k in row_status.tolist()]
    basis.valid = True
    basis.alien = True
    return basis
