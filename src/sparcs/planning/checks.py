"""Targets and the planning model checked on the plan's full-period operation: typed results."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["TargetCheck", "Verification", "json_number"]


def json_number(value: float | None) -> float | None:
    """``value`` for JSON: None when missing or not finite (NaN, inf)."""
    return None if value is None or not math.isfinite(value) else float(value)


@dataclass(frozen=True)
class TargetCheck:
    """A target (or the budget) against the plan's full-period operation.

    Attributes
    ----------
    kind
        ``"ped"``, ``"co2"``, ``"ghg"``, ``"ss"`` or ``"budget"``.
    target
        The bound, in the kind's unit [kWh_PE/a, kg CO2-eq/a, -, EUR].
    achieved
        The value of the plan's full-period operation (investment for ``"budget"``).
    holds
        True when ``achieved`` meets ``target`` within the tolerance.
    tolerance
        Shortfall accepted, relative to ``scale`` [-].
    scale
        What the tolerance is relative to: the target itself (CO2, self-sufficiency,
        budget) or the primary energy imported (PED balance) [unit of the kind].
    """

    kind: str
    target: float
    achieved: float
    holds: bool
    tolerance: float
    scale: float

    @property
    def shortfall(self) -> float:
        """How far ``achieved`` misses ``target``, in the kind's unit; negative = slack."""
        if self.kind in ("co2", "ghg", "budget"):
            return self.achieved - self.target
        return self.target - self.achieved

    def describe(self) -> str:
        """The check in words, e.g. ``"CO2 <= 800.0 t/a: 799.2 t/a, holds"``."""
        word = "holds" if self.holds else "MISSED"
        if self.kind == "co2":
            return f"CO2 <= {self.target / 1000:,.1f} t/a: {self.achieved / 1000:,.1f} t/a, {word}"
        if self.kind == "ghg":
            return (
                f"net GHG <= {self.target / 1000:,.1f} t CO2-eq/a: "
                f"{self.achieved / 1000:+,.1f} t CO2-eq/a, {word}"
            )
        if self.kind == "ped":
            return (
                f"PED balance >= {self.target / 1000:,.1f} MWh_PE/a: "
                f"{self.achieved / 1000:,.1f} MWh_PE/a, {word}"
            )
        if self.kind == "ss":
            return (
                f"self-sufficiency >= {100 * self.target:.1f} %: "
                f"{100 * self.achieved:.2f} %, {word}"
            )
        return f"investment <= {self.target:,.0f} EUR: {self.achieved:,.0f} EUR, {word}"

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return {
            "kind": self.kind,
            "target": json_number(self.target),
            "achieved": json_number(self.achieved),
            "holds": self.holds,
            "tolerance": self.tolerance,
            "scale": json_number(self.scale),
        }


@dataclass(frozen=True)
class Verification:
    """The plan re-run with full-period optimal operation, against the planning model.

    Attributes
    ----------
    operating_cost_eur, pe_balance_kwh, co2_kg
        Values of the re-run over a year (same scaling as the plan).
    cost_error, pe_error, co2_error
        Relative differences of the plan's total annual cost, PE balance (relative to the
        annual primary energy imported) and CO2 [-].
    description
        What was compared.
    tolerance
        Largest relative error accepted [-] (:attr:`PlanConfig.error_tolerance`); NaN =
        none.
    typical_days
        Typical days asked for in the planning model checked (the peak day comes on top);
        None = every step.
    history
        ``(typical days, largest relative error)`` of each planning model tried, in order:
        the number of days is raised while the error exceeds the tolerance.
    strategy
        How the plan was operated: ``"optimal"`` or ``"rule"``.
    self_sufficiency
        Of the full-period operation [-].
    ped_class
        PED verdict of the full-period operation (:func:`~sparcs.kpi.compute_kpis`).
    targets
        Each target and the budget against the full-period operation of the rounded plan.
    corrections
        Bounds the sizing model was given, one tuple of ``(kind, bound)`` per solve, the
        first the targets themselves: tightened while a target missed.
    unmet_reason
        Why a target could not be made to hold, in words; empty when they hold.
    """

    operating_cost_eur: float
    pe_balance_kwh: float
    co2_kg: float
    cost_error: float
    pe_error: float
    co2_error: float
    description: str
    tolerance: float = float("nan")
    typical_days: int | None = None
    history: tuple[tuple[int, float], ...] = ()
    strategy: str = "optimal"
    self_sufficiency: float = float("nan")
    ped_class: str = ""
    targets: tuple[TargetCheck, ...] = ()
    corrections: tuple[tuple[tuple[str, float], ...], ...] = ()
    unmet_reason: str = ""

    @property
    def targets_hold(self) -> bool:
        """True when every target and the budget hold on the full period."""
        return all(t.holds for t in self.targets)

    @property
    def largest_error(self) -> float:
        """Largest of the relative errors of cost, PE balance and CO2 in magnitude [-]."""
        return max(abs(self.cost_error), abs(self.pe_error), abs(self.co2_error))

    @property
    def within_tolerance(self) -> bool:
        """True when the largest error is within the tolerance (or no tolerance is set)."""
        return not math.isfinite(self.tolerance) or self.largest_error <= self.tolerance

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        out = {k: (json_number(v) if isinstance(v, float) else v) for k, v in self.__dict__.items()}
        out["history"] = [[k, json_number(e)] for k, e in self.history]
        out["targets"] = [t.as_dict() for t in self.targets]
        out["corrections"] = [{k: json_number(v) for k, v in c} for c in self.corrections]
        out["targets_hold"] = self.targets_hold
        out["largest_error"] = json_number(self.largest_error)
        out["within_tolerance"] = self.within_tolerance
        return out
