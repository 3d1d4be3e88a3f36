"""Operation of a district: simulate (rule-based baseline) and the :class:`Flows` it returns."""

from sparcs.operation.flows import (
    BALANCES,
    DISTRICT_NODE,
    FLOW_NAMES,
    STATE_NAMES,
    Flows,
    balance_residuals,
    check_balance,
)
from sparcs.operation.rule import simulate

__all__ = [
    "BALANCES",
    "DISTRICT_NODE",
    "FLOW_NAMES",
    "STATE_NAMES",
    "Flows",
    "balance_residuals",
    "check_balance",
    "simulate",
]
