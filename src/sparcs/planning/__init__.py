"""Planning: which measures make a district positive, and at what cost.

One LP sizes rooftop PV, batteries, heat pumps, hot-water tanks and retrofit packages and
operates the district at once (:mod:`.sizing`), on every step or on typical days
(:mod:`.typical`), under targets (PED balance, CO2, self-sufficiency) and a budget; it
explains targets out of reach (:mod:`.explain`), traces the cost-CO2 Pareto front
(:mod:`.pareto`), appraises each measure (:mod:`.economics`) and writes the plan back as a
scenario that ``sparcs run --strategy optimal`` reproduces (:mod:`.writeback`,
:mod:`.verify`).

>>> from sparcs.planning import PlanConfig, parse_target, plan_district
>>> config = PlanConfig(targets=(parse_target("ped"),))

``plan_district(scenario, config=config)`` then returns a :class:`PlanResult`.
"""

from sparcs.planning.config import (
    TARGET_KINDS,
    PlanConfig,
    Target,
    parse_target,
    typical_days_for,
)
from sparcs.planning.costs import CostTable, TechnologyCost, load_costs, read_cost_overrides
from sparcs.planning.io import write_plan
from sparcs.planning.measures import RetrofitPackage, retrofit_packages, sizing_rules
from sparcs.planning.plan import plan_district
from sparcs.planning.result import (
    MeasureEconomics,
    ParetoPoint,
    PlanOutcome,
    PlanResult,
    Verification,
)

__all__ = [
    "TARGET_KINDS",
    "CostTable",
    "MeasureEconomics",
    "ParetoPoint",
    "PlanConfig",
    "PlanOutcome",
    "PlanResult",
    "RetrofitPackage",
    "Target",
    "TechnologyCost",
    "Verification",
    "load_costs",
    "parse_target",
    "plan_district",
    "read_cost_overrides",
    "retrofit_packages",
    "sizing_rules",
    "typical_days_for",
    "write_plan",
]
