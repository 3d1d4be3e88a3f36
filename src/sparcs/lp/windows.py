"""Overlapping windows in time of a step-local LP: solved on forked workers, then stitched.

The machinery behind :func:`sparcs.lp.temporal.solve_temporal`. The period is cut into
segments of ``segment`` steps; each segment is solved inside a window that reaches
``overlap`` steps further on both sides (around the period's end when it is cyclic), with
free levels before its first step. The windows run in ``workers`` forked processes, each a
chain of consecutive windows started from the previous window's basis (same local layout, so
3-4 times fewer simplex iterations). From each window only its core (the segment) is kept:
column values, row duals and basis statuses (:class:`Stitched`). When the cores nearly agree
where they meet, :func:`stitch_feasible` solves every segment again with its boundary levels
held, which gives a solution feasible for the whole LP.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sparcs.lp import highs
from sparcs.lp.builder import LpArrays
from sparcs.lp.fork import run_chains
from sparcs.lp.status import SolverOptions
from sparcs.lp.steps import StepCutter, segments, window

__all__ = ["Stitched", "TemporalPlan", "solve_windows", "stitch_feasible", "warm_basis"]


@dataclass(frozen=True)
class TemporalPlan:
    """Window layout of a temporal decomposition, in steps.

    Attributes
    ----------
    segment
        Steps per segment (the part of a window that is kept).
    overlap
        Steps the window reaches beyond the segment on each side.
    workers
        Processes solving windows at the same time (forked; 1 = in this process).
    tolerance
        Largest relative gap accepted as optimal [-].
    feasibility
        Largest bound violation of the stitched solution, relative to the largest
        right-hand side, accepted as feasible [-].
    """

    segment: int = 168
    overlap: int = 48
    workers: int = 2
    tolerance: float = 1e-6
    feasibility: float = 1e-7


@dataclass
class _Core:
    """What one window leaves for the whole: its core's values, duals and basis."""

    cols: np.ndarray
    rows: np.ndarray
    x: np.ndarray
    y: np.ndarray
    col_status: np.ndarray
    row_status: np.ndarray


@dataclass(frozen=True)
class _WindowJob:
    """What the window workers of :func:`solve_windows` read."""

    cutter: StepCutter
    segments: list[np.ndarray]
    windows: list[np.ndarray]
    options: SolverOptions


@dataclass(frozen=True)
class _RepairJob:
    """What the segment workers of :func:`stitch_feasible` read."""

    cutter: StepCutter
    segments: list[np.ndarray]
    x: np.ndarray  # the stitched values
    linking: np.ndarray  # (column,) bool: levels that link steps
    options: SolverOptions


@dataclass
class _Jobs:
    """The jobs the forked workers run; set before they are forked, so shared, not copied."""

    windows: _WindowJob | None = None
    repair: _RepairJob | None = None


_JOBS = _Jobs()
#: One decomposition at a time per process (``_JOBS`` is shared by the workers it forks).
_JOB_LOCK = threading.Lock()


def _chain(ks: Sequence[int]) -> list[_Core | None]:
    """Solve windows ``ks`` in order, each started from the previous window's basis.

    Windows of one length have the same local layout, so the basis of the last window is a
    good start for the next one (about 3-4 times fewer simplex iterations than cold).
    """
    job = _JOBS.windows
    assert job is not None, "solve_windows sets the job before the chains run"
    cutter, windows, pieces = job.cutter, job.windows, job.segments
    highspy = highs._highspy()
    out: list[_Core | None] = []
    previous = None
    h = highs.new_highs(job.options)  # one per chain: a new model replaces the last one
    for k in ks:
        sub = cutter.cut(windows[k])
        highs.pass_model(h, sub.arrays)
        # a window wrapped round a cyclic period orders its columns differently; its start
        # is then poorer, never wrong (HiGHS repairs an alien basis)
        if previous is not None and previous[0] == sub.cols.size:
            h.setBasis(highs.alien_basis(previous[1], previous[2]))
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            out.append(None)
            previous = None
            continue
        solution, basis = h.getSolution(), h.getBasis()
        col_status = highs.basis_statuses(basis.col_status)
        row_status = highs.basis_statuses(basis.row_status)
        previous = (sub.cols.size, col_status, row_status)
        inside = np.zeros(cutter.n_steps, dtype=bool)
        inside[pieces[k]] = True
        keep_c = inside[cutter.col_step[sub.cols]]
        keep_r = inside[cutter.row_step[sub.rows]]
        out.append(
            _Core(
                sub.cols[keep_c],
                sub.rows[keep_r],
                np.asarray(solution.col_value)[keep_c],
                np.asarray(solution.row_dual)[keep_r],
                col_status[keep_c],
                row_status[keep_r],
            )
        )
    return out


@dataclass(frozen=True)
class Stitched:
    """The window cores put together over the whole LP.

    Attributes
    ----------
    x, y
        Column values and row duals (each from the window whose core holds the entry).
    col_status, row_status
        HiGHS basis status codes, a warm start for the whole LP (:func:`warm_basis`).
    """

    x: np.ndarray
    y: np.ndarray
    col_status: np.ndarray
    row_status: np.ndarray


def solve_windows(
    a: LpArrays,
    col_step: np.ndarray,
    row_step: np.ndarray,
    n_steps: int,
    *,
    cyclic: bool,
    plan: TemporalPlan | None = None,
    options: SolverOptions | None = None,
) -> Stitched | str:
    """Solve the overlapping windows of ``a`` and stitch their cores.

    Returns
    -------
    Stitched or str
        The stitched values, duals and basis; a string saying why not when the LP cannot be
        split in time or a window has no solution.
    """
    plan = plan or TemporalPlan()
    if np.any(col_step < 0) or np.any(row_step < 0):
        return "the LP has period-wide columns or rows"
    pieces = segments(n_steps, plan.segment)
    if len(pieces) < 3 or plan.segment + 2 * plan.overlap > n_steps:
        return "the period is too short to split"
    with _JOB_LOCK:
        _JOBS.windows = _WindowJob(
            cutter=StepCutter(a, col_step, row_step, n_steps),
            segments=pieces,
            windows=[window(core, plan.overlap, n_steps, cyclic) for core in pieces],
            options=options or SolverOptions(threads=1),
        )
        try:
            cores = run_chains(_chain, len(pieces), plan.workers)
        finally:
            _JOBS.windows = None
    if any(core is None for core in cores):
        return "a window has no solution"
    x = np.zeros(a.col_cost.size)
    y = np.zeros(a.row_lower.size)
    col_status = np.zeros(a.col_cost.size, dtype=np.int8)  # kLower
    row_status = np.ones(a.row_lower.size, dtype=np.int8)  # kBasic
    for core in cores:
        assert core is not None
        x[core.cols], y[core.rows] = core.x, core.y
        col_status[core.cols], row_status[core.rows] = core.col_status, core.row_status
    return Stitched(x, y, col_status, row_status)


def warm_basis(stitched: Stitched) -> object:
    """The stitched basis as a ``highspy.HighsBasis`` (alien: HiGHS completes it)."""
    return highs.alien_basis(stitched.col_status, stitched.row_status)


def _linking(a: LpArrays, col_step: np.ndarray, row_step: np.ndarray) -> np.ndarray:
    """Mask of the columns that appear in a row of another step (storage levels)."""
    m = a.matrix
    own = np.repeat(col_step, np.diff(m.indptr))
    other = row_step[m.indices] != own
    linking = np.zeros(m.shape[1], dtype=bool)
    np.logical_or.at(linking, np.repeat(np.arange(m.shape[1]), np.diff(m.indptr))[other], True)
    return linking


def _repair_chain(ks: Sequence[int]) -> list[tuple[np.ndarray, np.ndarray] | None]:
    """Segments ``ks`` solved with their boundary levels held at the stitched values."""
    job = _JOBS.repair
    assert job is not None, "stitch_feasible sets the job before the chains run"
    cutter, pieces, x, linking = job.cutter, job.segments, job.x, job.linking
    highspy = highs._highspy()
    h = highs.new_highs(job.options)
    out: list[tuple[np.ndarray, np.ndarray] | None] = []
    for k in ks:
        steps = pieces[k]
        sub = cutter.cut(steps)
        step = cutter.col_step[sub.cols]
        inside = np.isin(step, steps)
        hold = ~inside | ((step == steps[-1]) & linking[sub.cols])
        lower, upper = sub.arrays.col_lower.copy(), sub.arrays.col_upper.copy()
        lower[hold] = upper[hold] = x[sub.cols[hold]]
        highs.pass_model(
            h,
            LpArrays(
                lower,
                upper,
                sub.arrays.col_cost,
                sub.arrays.row_lower,
                sub.arrays.row_upper,
                sub.arrays.matrix,
                sub.arrays.varying,
            ),
        )
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            out.append(None)
            continue
        out.append((sub.cols[inside], np.asarray(h.getSolution().col_value)[inside]))
    return out


def stitch_feasible(
    a: LpArrays,
    col_step: np.ndarray,
    row_step: np.ndarray,
    n_steps: int,
    x: np.ndarray,
    *,
    plan: TemporalPlan | None = None,
    options: SolverOptions | None = None,
) -> np.ndarray | None:
    """A feasible solution of the whole LP near the stitched values ``x``.

    Every segment is solved again with the linking columns (levels) at its start and at its
    end held at their values in ``x``; the segments are then independent (solved in
    ``plan.workers`` processes) and their solutions together satisfy every row. Its cost is
    an upper bound of the optimum.

    Returns
    -------
    numpy.ndarray or None
        The solution, or None when a segment cannot reach the levels it is held to.
    """
    plan = plan or TemporalPlan()
    pieces = segments(n_steps, plan.segment)
    with _JOB_LOCK:
        _JOBS.repair = _RepairJob(
            cutter=StepCutter(a, col_step, row_step, n_steps),
            segments=pieces,
            x=np.asarray(x, dtype=float),
            linking=_linking(a, col_step, row_step),
            options=options or SolverOptions(threads=1),
        )
        try:
            parts = run_chains(_repair_chain, len(pieces), plan.workers)
        finally:
            _JOBS.repair = None
    out = np.array(x, dtype=float, copy=True)
    for part in parts:
        if part is None:
            return None
        out[part[0]] = part[1]
    return out
