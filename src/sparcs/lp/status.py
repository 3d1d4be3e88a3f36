"""Solver settings and outcomes shared by every LP of the package: status, termination, options.

Defaults every scheduler needs (peers.md §5.1): a time limit, a relative MIP gap of 1 %, the
solver log kept as text instead of printed, and a result that says what happened in a status
and a termination condition, never a bare string.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

__all__ = ["SolverOptions", "SolverStatus", "TerminationCondition"]


class SolverStatus(StrEnum):
    """Overall outcome: ``ok`` (solved), ``warning`` (stopped early or no solution exists),
    ``error`` (the solver failed)."""

    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


class TerminationCondition(StrEnum):
    """Why the solver stopped."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    INFEASIBLE_OR_UNBOUNDED = "infeasible_or_unbounded"
    TIME_LIMIT = "time_limit"
    ITERATION_LIMIT = "iteration_limit"
    INTERRUPTED = "interrupted"
    ERROR = "error"
    OTHER = "other"


@dataclass(frozen=True)
class SolverOptions:
    """Settings of a HiGHS solve.

    Attributes
    ----------
    solver
        HiGHS algorithm: ``"choose"`` (HiGHS picks; dual simplex for these LPs),
        ``"simplex"``, ``"ipm"`` or ``"pdlp"``.
    threads
        Threads HiGHS may use; None = HiGHS's default.
    time_limit_s
        Wall-clock limit of one solve [s].
    mip_rel_gap
        Relative MIP gap at which a MIP stops [-] (the LPs here have no integers).
    log
        Print the solver log as it runs; it is always kept in the result's ``log``.
    presolve
        ``"choose"``, ``"on"`` or ``"off"``.
    extra
        Further HiGHS options by name, passed as they are.
    """

    solver: Literal["choose", "simplex", "ipm", "pdlp"] = "choose"
    threads: int | None = 1
    time_limit_s: float = 300.0
    mip_rel_gap: float = 0.01
    log: bool = False
    presolve: Literal["choose", "on", "off"] = "choose"
    extra: dict[str, Any] = field(default_factory=dict)
