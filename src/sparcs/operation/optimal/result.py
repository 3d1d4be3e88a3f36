"""The typed result of a dispatch solve: :class:`OptimizationResult`.

Status, termination and solver settings are the LP toolkit's (:mod:`sparcs.lp.status`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sparcs.errors import InfeasibleError, SolverError
from sparcs.lp.status import SolverStatus, TerminationCondition

if TYPE_CHECKING:
    from sparcs.operation.flows import Flows

__all__ = ["OptimizationResult"]


@dataclass(frozen=True)
class OptimizationResult:
    """The outcome of an optimisation.

    Attributes
    ----------
    status
        Overall outcome (:class:`SolverStatus`).
    termination
        Why the solver stopped (:class:`TerminationCondition`).
    objective
        Objective value [EUR, or the unit of the chosen objective]; NaN without a solution.
    solution
        Named arrays of the solution: (time, unit) per unit and step, (time,) for ``gi`` and
        ``ge`` [kW, kWh for levels, degC for ``tin``]; empty without a solution.
    timings
        Seconds spent: ``build_s`` (data to the LP arrays), ``solve_s`` (hand-over to HiGHS,
        HiGHS, solution back), and more for composite runs (``windows``, ``windows_s``,
        ``total_s``).
    log
        The solver's log text.
    message
        Plain-words explanation when the model is infeasible or the solver failed.
    mip_gap, dual_bound
        Relative gap and dual bound reported by HiGHS, where available; for an LP solved
        by :func:`~.solve.solve_dispatch`, ``dual_bound`` is a certified lower bound of the
        optimum (:func:`~.certificate.lagrangian_bound`).
    gap
        Certified relative optimality gap ``(objective - dual_bound) / max(|objective|, 1)``
        [-]; None where no bound was computed.
    iterations
        Simplex (or IPM) iterations.
    size
        Columns, rows and nonzeros of the LP (for one window in rolling horizon).
    flows
        Energy flows when the problem was built from a scenario; None otherwise.
    notes
        Remarks: simplifications and limits violated by realised flows.
    """

    status: SolverStatus
    termination: TerminationCondition
    objective: float = float("nan")
    solution: dict[str, np.ndarray] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    log: str = ""
    message: str = ""
    mip_gap: float | None = None
    dual_bound: float | None = None
    gap: float | None = None
    iterations: int = 0
    size: dict[str, int] = field(default_factory=dict)
    flows: Flows | None = None
    notes: tuple[str, ...] = ()

    @property
    def is_ok(self) -> bool:
        """True when the solver proved the solution optimal."""
        return self.status is SolverStatus.OK and self.termination is TerminationCondition.OPTIMAL

    def raise_for_status(self) -> OptimizationResult:
        """Return ``self`` if optimal; raise otherwise.

        Raises
        ------
        InfeasibleError
            The model is infeasible; the message names the constraint family at fault.
        SolverError
            The solver failed, hit a limit, or the model is unbounded.
        """
        if self.is_ok:
            return self
        infeasible = (TerminationCondition.INFEASIBLE, TerminationCondition.INFEASIBLE_OR_UNBOUNDED)
        if self.termination in infeasible:
            msg = self.message or "the dispatch problem is infeasible"
            raise InfeasibleError(msg)
        msg = (
            self.message
            or f"the solver stopped with {self.termination.value} ({self.status.value})"
        )
        raise SolverError(msg)
