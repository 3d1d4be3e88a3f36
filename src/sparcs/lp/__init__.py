"""The LP toolkit: sparse LP building, the HiGHS hand-over, reduction, certificates, decomposition.

Both :mod:`sparcs.operation.optimal` (dispatch) and :mod:`sparcs.planning` (sizing) build
their linear programs with it: variables and constraints as array blocks (``builder``), solved
by HiGHS (``highs``), made smaller before solving (``reduce``), cut into windows of steps
(``steps``, ``windows``, ``temporal``) with a certified gap (``certificate``), on forked
workers (``fork``). It knows nothing of districts.
"""

from sparcs.lp.builder import Block, Layout, LpArrays, LpBuilder
from sparcs.lp.status import SolverOptions, SolverStatus, TerminationCondition

__all__ = [
    "Block",
    "Layout",
    "LpArrays",
    "LpBuilder",
    "SolverOptions",
    "SolverStatus",
    "TerminationCondition",
]
