"""Temporal decomposition of the dispatch LP with a certified optimality gap.

Stores in a district are small next to a year: a decision in January does not depend on
July (the turnpike property). :func:`solve_temporal` uses that on the assembled LP (any
:class:`~.builder.LpArrays` whose columns and rows each belong to one step):

1. **Windows** (:mod:`sparcs.lp.windows`). The period is cut into segments of ``segment``
   steps; each segment is solved inside a window that reaches ``overlap`` steps further on
   both sides (around the period's end when it is cyclic), with free levels before its first
   step. The windows run in ``workers`` forked processes, each a chain of consecutive
   windows started from the previous window's basis (same local layout, so 3-4 times fewer
   simplex iterations).
2. **Stitching.** From each window only its core (the segment) is kept: column values, row
   duals and basis statuses.
3. **Certificate.** The stitched duals give a lower bound of the optimum
   (:func:`~.certificate.lagrangian_bound`, valid for any multipliers because every column
   is boxed); the stitched values, when they are feasible (the windows agree where they
   meet), an upper bound. Their relative gap is the certified distance to the optimum.

When the gap is above the tolerance, the stitched basis is a warm start for the whole LP
(:func:`warm_basis`): HiGHS then needs about a sixth of its cold-start simplex iterations
(10 buildings over a year). An LP that is not step-local (a peak column, a period-wide
balance) is reported in :attr:`TemporalOutcome.reason` and solved as one LP by the caller.

References
----------
.. [1] L. Grüne, "Approximation properties of receding horizon optimal control",
   Jahresbericht der DMV 118, 3-37 (2016) (turnpike and receding horizons).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from sparcs.lp.builder import LpArrays
from sparcs.lp.certificate import lagrangian_bound, primal_violation, relative_gap
from sparcs.lp.status import SolverOptions
from sparcs.lp.steps import segments
from sparcs.lp.windows import Stitched, TemporalPlan, solve_windows, stitch_feasible, warm_basis

__all__ = [
    "LONG_PERIOD_STEPS",
    "Stitched",
    "TemporalOutcome",
    "TemporalPlan",
    "default_plan",
    "solve_temporal",
    "solve_windows",
    "stitch_feasible",
    "warm_basis",
]


@dataclass(frozen=True)
class TemporalOutcome:
    """What :func:`solve_temporal` found.

    Attributes
    ----------
    col_value
        The stitched solution (feasible for the whole LP), or None without one.
    objective
        Its cost, an upper bound of the optimum [EUR, or the objective's unit].
    bound
        The certified lower bound of the optimum.
    gap
        Relative gap ``(objective - bound) / max(|objective|, 1)`` [-].
    reason
        Empty when the gap is within the tolerance; otherwise why the result is not
        certified.
    timings
        Seconds per pass (``windows_s``; ``bound_s``: the bound and, when the windows
        nearly agree, the repair pass) and the number of ``windows``.
    """

    col_value: np.ndarray | None
    objective: float
    bound: float
    gap: float
    reason: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def certified(self) -> bool:
        """True when the solution is proven optimal within the tolerance."""
        return not self.reason


#: Steps from which a period counts as long for :func:`default_plan` (12 weeks of hours).
LONG_PERIOD_STEPS = 2016


def default_plan(n_units: int, n_steps: int) -> TemporalPlan:
    """The plan ``solve_dispatch`` uses, as measured on the reference LP (2 cores).

    Long periods: weekly segments, 48 h overlap (10 buildings x 8760 h: 12 s against 32 s as
    one LP; a week's overlap certifies from the windows alone, 1.1e-7, but doubles their
    work). Shorter, wide periods: 120 h segments, 12 h overlap, whose windows stay small
    (100 buildings x 720 h: 18 s against 33 s; 168/48 took 27 s, 48/24 19 s).
    """
    del n_units  # the window length adapts to the period; the width decides the method
    if n_steps >= LONG_PERIOD_STEPS:
        return TemporalPlan()
    return TemporalPlan(segment=120, overlap=12)


def solve_temporal(
    a: LpArrays,
    col_step: np.ndarray,
    row_step: np.ndarray,
    n_steps: int,
    *,
    cyclic: bool,
    plan: TemporalPlan | None = None,
    options: SolverOptions | None = None,
) -> tuple[TemporalOutcome, Stitched | None]:
    """Solve the LP ``a`` by overlapping windows in time and try to certify the result.

    Parameters
    ----------
    a
        The whole LP.
    col_step, row_step
        Step of every column and row (:func:`step_of`); -1 where there is none.
    n_steps
        Number of steps of the period.
    cyclic
        Whether the last step links back to the first (windows then wrap around).
    plan
        Segment and overlap lengths, workers, tolerance (:class:`TemporalPlan`).
    options
        Settings of each window's HiGHS solve (one thread each).

    Returns
    -------
    tuple of TemporalOutcome and Stitched
        The outcome: the stitched solution when it is feasible, its cost, the certified lower
        bound and the relative gap; ``reason`` says why it is not certified. The stitched
        cores (None when the windows failed) give a warm start for one LP.
    """
    plan = plan or TemporalPlan()
    start = time.perf_counter()
    stitched = solve_windows(
        a, col_step, row_step, n_steps, cyclic=cyclic, plan=plan, options=options
    )
    timings = {
        "windows_s": time.perf_counter() - start,
        "windows": float(len(segments(n_steps, plan.segment))),
    }
    # bound_s below covers the bound and, when the windows nearly agree, the repair pass
    if isinstance(stitched, str):
        return TemporalOutcome(None, math.nan, -math.inf, math.inf, stitched, timings), None
    start = time.perf_counter()
    lower = lagrangian_bound(a, stitched.y)
    x = stitched.x
    feasible = primal_violation(a, x) <= plan.feasibility
    estimate = float(a.col_cost @ x) + a.offset
    if not feasible and abs(relative_gap(estimate, lower)) <= plan.tolerance:
        # the windows agree on the cost but not quite on the levels where they meet: worth
        # a pass that holds the levels and re-solves each segment
        repaired = stitch_feasible(a, col_step, row_step, n_steps, x, plan=plan, options=options)
        if repaired is not None and primal_violation(a, repaired) <= plan.feasibility:
            x, feasible = repaired, True
    upper = float(a.col_cost @ x) + a.offset if feasible else math.inf
    gap = relative_gap(upper, lower) if feasible else math.inf
    timings["bound_s"] = time.perf_counter() - start
    if not feasible:
        reason = "the windows disagree where they meet (the stitched solution is infeasible)"
    elif gap > plan.tolerance:
        reason = f"certified gap {gap:.2e} above the tolerance {plan.tolerance:.0e}"
    else:
        reason = ""
    outcome = TemporalOutcome(x if feasible else None, upper, lower, gap, reason, timings)
    return outcome, stitched
