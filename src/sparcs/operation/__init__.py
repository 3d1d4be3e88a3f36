"""Operation of a district: rule-based simulation, optimal and rolling-horizon (MPC) dispatch.

All strategies return :class:`Flows`, so every KPI and report works on each of them.
"""

from sparcs.operation.flows import (
    BALANCES,
    DISTRICT_NODE,
    FLOW_NAMES,
    STATE_NAMES,
    Flows,
    balance_residuals,
    check_balance,
)
from sparcs.operation.mpc import run_mpc
from sparcs.operation.optimal import OptimizationResult, solve_optimal
from sparcs.operation.rule import simulate

__all__ = [
    "BALANCES",
    "DISTRICT_NODE",
    "FLOW_NAMES",
    "STATE_NAMES",
    "Flows",
    "OptimizationResult",
    "balance_residuals",
    "check_balance",
    "run_mpc",
    "simulate",
    "solve_optimal",
]
