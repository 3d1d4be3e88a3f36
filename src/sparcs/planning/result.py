"""Typed results of a planning run: plans, Pareto points, economics, verification."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sparcs.planning.checks import TargetCheck, Verification
from sparcs.planning.checks import json_number as _num

if TYPE_CHECKING:
    from sparcs.planning.actors import FinanceResult
    from sparcs.planning.config import PlanConfig
    from sparcs.planning.costs import CostTable
    from sparcs.scenario.models import Scenario

__all__ = [
    "MeasureEconomics",
    "ParetoPoint",
    "PlanOutcome",
    "PlanResult",
    "TargetCheck",
    "Verification",
]


@dataclass(frozen=True)
class PlanOutcome:
    """A plan (or the baseline) as the sizing model sees it, per year.

    Attributes
    ----------
    label
        ``"baseline"``, ``"plan"`` or ``"pareto 3"``.
    scenario
        The scenario with these sizes written in.
    sizes
        Technology -> total size over the district [kWp, kW_th, kWh, kW].
    retrofit_m2
        Package -> floor area retrofitted [m2].
    capex_eur
        Investment in additions [EUR].
    annual_investment_eur
        Annualised investment plus fixed O&M of the additions [EUR/a].
    operating_cost_eur
        Energy cost net of export revenue [EUR/a].
    pe_balance_kwh
        Primary-energy balance PEE - PEI [kWh_PE/a].
    co2_kg
        Emissions of delivered energy [kg CO2-eq/a].
    import_kwh, load_kwh
        Grid import and electrical load [kWh/a].
    self_sufficiency
        1 - import / load [-].
    ghg_kg
        Net GHG emissions: ``co2_kg`` minus the export and virtual credit [kg CO2-eq/a]
        (the verdict's GHG balance; net zero at or below 0).
    """

    label: str
    scenario: Scenario
    sizes: dict[str, float]
    retrofit_m2: dict[str, float]
    capex_eur: float
    annual_investment_eur: float
    operating_cost_eur: float
    pe_balance_kwh: float
    co2_kg: float
    import_kwh: float
    load_kwh: float
    self_sufficiency: float
    ghg_kg: float = float("nan")

    @property
    def total_annual_cost_eur(self) -> float:
        """Operating cost plus annualised investment [EUR/a]."""
        return self.operating_cost_eur + self.annual_investment_eur

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON (no scenario)."""
        return {
            "label": self.label,
            "sizes": {k: _num(v) for k, v in self.sizes.items()},
            "retrofit_m2": {k: _num(v) for k, v in self.retrofit_m2.items()},
            "capex_eur": _num(self.capex_eur),
            "annual_investment_eur": _num(self.annual_investment_eur),
            "operating_cost_eur": _num(self.operating_cost_eur),
            "total_annual_cost_eur": _num(self.total_annual_cost_eur),
            "pe_balance_kwh": _num(self.pe_balance_kwh),
            "co2_kg": _num(self.co2_kg),
            "import_kwh": _num(self.import_kwh),
            "load_kwh": _num(self.load_kwh),
            "self_sufficiency": _num(self.self_sufficiency),
            "ghg_kg": _num(self.ghg_kg),
        }


@dataclass(frozen=True)
class ParetoPoint:
    """A point of the cost-CO2 front: the cheapest plan within a CO2 bound.

    Attributes
    ----------
    co2_bound_kg
        The epsilon bound [kg CO2-eq/a].
    outcome
        The plan at that bound.
    """

    co2_bound_kg: float
    outcome: PlanOutcome


@dataclass(frozen=True)
class MeasureEconomics:
    """Economics of one measure (or of the whole plan) against the baseline.

    Attributes
    ----------
    measure
        ``"pv"``, ``"battery"``, ``"heat_pump"``, ``"thermal_storage"``, ``"ev_chargers"``,
        ``"retrofit:<package>"`` or ``"plan"``.
    size, unit
        Added size and its unit.
    capex_eur, opex_eur
        Investment [EUR] and fixed O&M [EUR/a].
    saving_eur
        Energy cost saved per year [EUR/a]: the plan's operating cost without the measure
        minus with it (the plan's saving against the baseline for ``"plan"``).
    npv_eur, irr, simple_payback_years, discounted_payback_years
        Over the horizon, with replacements and residual value.
    lcoe_eur_per_kwh, lcoh_eur_per_kwh
        Levelised cost of the PV electricity / heat-pump heat; NaN for other measures.
    lifetime_years
        Lifetime, investment-weighted over the measure's technologies [a]; NaN for the plan.
    """

    measure: str
    size: float
    unit: str
    capex_eur: float
    opex_eur: float
    saving_eur: float
    npv_eur: float
    irr: float
    simple_payback_years: float
    discounted_payback_years: float
    lcoe_eur_per_kwh: float = float("nan")
    lcoh_eur_per_kwh: float = float("nan")
    lifetime_years: float = float("nan")

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return {k: (_num(v) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class PlanResult:
    """The outcome of :func:`~sparcs.planning.plan_district`.

    Attributes
    ----------
    config
        The settings.
    baseline, plan
        The district as it is (optimal operation) and the chosen plan. With ``verify`` the
        plan's sizes are rounded (:func:`~sparcs.planning.writeback.round_sizes`) and its
        energy figures are those of its full-period operation, not the sizing model's.
    pareto
        Points of the cost-CO2 front, cost rising as CO2 falls; empty unless asked.
    economics
        Per measure and for the plan (last).
    verification
        The plan's full-period re-run; None when not asked.
    aggregation
        How the year was operated on (full or typical days).
    timings
        Seconds per stage.
    size
        Columns, rows and nonzeros of the sizing LP.
    notes
        Assumptions and simplifications.
    costs
        The cost data used (embedded figures with the scenario's and the configuration's
        overrides); None when not known.
    model_plan
        The plan as the sizing model saw it (typical days, unrounded); None without
        ``verify`` (then it is ``plan``).
    continuous_plan
        With ``config.discrete``: the continuous plan of the sizing model, the MILP's lower
        bound; None otherwise.
    mip_gap
        Relative MIP gap of the discrete plan [-]; None for a continuous plan.
    finance
        Who pays and who gains: cash flows per actor, split incentives, sensitivities
        (:mod:`~sparcs.planning.actors`); None when not computed.
    """

    config: PlanConfig
    baseline: PlanOutcome
    plan: PlanOutcome
    pareto: tuple[ParetoPoint, ...] = ()
    economics: tuple[MeasureEconomics, ...] = ()
    verification: Verification | None = None
    aggregation: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    size: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    costs: CostTable | None = None
    model_plan: PlanOutcome | None = None
    finance: FinanceResult | None = None
    continuous_plan: PlanOutcome | None = None
    mip_gap: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Everything but the scenarios, as plain values for JSON."""
        return {
            "targets": [{"kind": t.kind, "value": t.value} for t in self.config.targets],
            "budget_eur": self.config.budget_eur,
            "aggregation": self.aggregation,
            "baseline": self.baseline.as_dict(),
            "plan": self.plan.as_dict(),
            "model_plan": None if self.model_plan is None else self.model_plan.as_dict(),
            "continuous_plan": (
                None if self.continuous_plan is None else self.continuous_plan.as_dict()
            ),
            "mip_gap": self.mip_gap,
            "pareto": [
                {"co2_bound_kg": _num(p.co2_bound_kg), **p.outcome.as_dict()} for p in self.pareto
            ],
            "economics": [m.as_dict() for m in self.economics],
            "verification": None if self.verification is None else self.verification.as_dict(),
            "timings_s": {k: round(v, 3) for k, v in self.timings.items()},
            "lp_size": dict(self.size),
            "notes": list(self.notes),
            "costs": None if self.costs is None else _costs_dict(self.costs),
            **_finance_dict(self.finance),
        }


def _finance_dict(finance: FinanceResult | None) -> dict[str, Any]:
    if finance is None:
        return {"actors": {}, "finance": None}
    data = finance.as_dict()
    return {"actors": data.pop("actors"), "finance": data}


def _costs_dict(costs: CostTable) -> dict[str, Any]:
    return {
        "country": costs.country,
        "discount_rate": costs.discount_rate,
        "horizon_years": costs.horizon_years,
        "overridden": list(costs.overridden),
        "technologies": {
            name: {
                "unit": t.unit,
                "capex": t.capex,
                "lifetime_years": t.lifetime_years,
                "opex_fixed_pct": t.opex_fixed_pct,
                "source": t.source,
            }
            for name, t in costs.technologies.items()
        },
    }


def total(values: np.ndarray) -> float:
    """Sum of a size array [unit]."""
    return float(np.sum(values))
