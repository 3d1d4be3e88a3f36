"""Adjustments: what the planner adds to a replicated district that is not PED in its new city.

The screening (:mod:`.replicate`) bounds the PV a gap needs; this runs the planner itself
(:func:`sparcs.planning.plan_district`) on the district in the target city with the PED
target: the least-cost measures (rooftop PV, batteries, heat pumps, hot-water tanks, retrofit
packages, EV charge points) that make it positive there, sized on typical days and checked by
the rule simulation over the full year. When no on-site plan reaches PED, the planner's own
explanation (what is at its limit, the best balance it can reach) is the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sparcs.errors import InfeasibleError, SolverError
from sparcs.planning import PlanConfig, parse_target, plan_district
from sparcs.scenario import Scenario

__all__ = ["SCREENING_PLAN", "Adjustment", "plan_adjustments"]

#: The planner's settings in replication: the PED target, 12 typical days, the plan checked
#: by the rule simulation (as the screening runs), no per-measure appraisal, and HiGHS's
#: interior-point method. A district moved to a city whose grid is almost all renewable is
#: badly scaled for the simplex: in Reykjavik (electricity f_P,nren 0.003) the PED row's
#: coefficients and the costs span 3e-9 to 2e5, and the dual simplex stopped after 8,620
#: iterations with model status "Unknown" (33 s of CPU, no answer); the interior-point method
#: proves in 4 s that no on-site plan reaches PED there (docs/network.md, "Replication").
SCREENING_PLAN = PlanConfig(
    targets=(parse_target("ped"),),
    typical_days=12,
    verify_strategy="rule",
    measure_economics=False,
    options=replace(PlanConfig().options, solver="ipm"),
)
#: Units of the planner's technologies, for the measures in words.
_UNITS = {
    "pv": ("PV", "kWp"),
    "hp": ("heat pumps", "kW_th"),
    "battery_energy": ("battery", "kWh"),
    "battery_power": ("battery power", "kW"),
    "tank": ("hot-water tanks", "kWh"),
}


@dataclass(frozen=True)
class Adjustment:
    """What the planner found for a replicated district.

    Attributes
    ----------
    status
        ``"planned"`` (a plan reaches PED), ``"out of reach"`` (no on-site plan does) or
        ``"failed"`` (the solver failed).
    added
        Technology -> size added [kWp, kW_th, kWh, kW]; empty unless planned.
    retrofit_m2
        Retrofit package -> floor area [m2]; empty unless planned.
    capex_eur
        Investment in the additions [EUR]; NaN unless planned.
    annual_cost_change_eur
        Total annual cost (energy, annualised investment, O&M) of the plan less that of the
        district as it is [EUR/a]; NaN unless planned.
    peb_after
        The plan's primary-energy balance [kWh_PE/a]; NaN unless planned.
    message
        The plan's measures in words, or the planner's explanation.
    scenario
        The district with the plan's sizes written in (``sparcs run`` reproduces it); None
        unless planned.
    """

    status: str
    added: dict[str, float] = field(default_factory=dict)
    retrofit_m2: dict[str, float] = field(default_factory=dict)
    capex_eur: float = float("nan")
    annual_cost_change_eur: float = float("nan")
    peb_after: float = float("nan")
    message: str = ""
    scenario: Scenario | None = None


def _measures(added: dict[str, float], retrofit_m2: dict[str, float]) -> str:
    parts = [
        f"{_UNITS.get(tech, (tech, ''))[0]} +{size:,.0f} {_UNITS.get(tech, ('', ''))[1]}".strip()
        for tech, size in added.items()
    ]
    parts += [f"retrofit '{name}' on {area:,.0f} m2" for name, area in retrofit_m2.items()]
    return "; ".join(parts) or "operation only (no new measure)"


def plan_adjustments(scenario: Scenario, config: PlanConfig = SCREENING_PLAN) -> Adjustment:
    """Run the planner with the PED target on ``scenario`` and describe what it adds.

    Parameters
    ----------
    scenario
        The replicated district (in its target city).
    config
        The planner's settings; default :data:`SCREENING_PLAN`.

    Returns
    -------
    Adjustment
        The measures and their cost, or why PED is out of reach on site.
    """
    try:
        result = plan_district(scenario, config)
    except InfeasibleError as exc:
        return Adjustment("out of reach", message=str(exc))
    except SolverError as exc:
        return Adjustment("failed", message=str(exc))
    base, plan = result.baseline, result.plan
    added = {
        tech: size - base.sizes.get(tech, 0.0)
        for tech, size in plan.sizes.items()
        if size - base.sizes.get(tech, 0.0) > 0.5
    }
    retrofit = {name: area for name, area in plan.retrofit_m2.items() if area > 0.5}
    return Adjustment(
        status="planned",
        added=added,
        retrofit_m2=retrofit,
        capex_eur=plan.capex_eur,
        annual_cost_change_eur=plan.total_annual_cost_eur - base.total_annual_cost_eur,
        peb_after=plan.pe_balance_kwh,
        message=_measures(added, retrofit),
        scenario=plan.scenario,
    )
