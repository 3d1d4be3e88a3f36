"""Settings of a planning run: targets, budget, candidate measures, time aggregation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from sparcs.errors import ScenarioError
from sparcs.lp.status import SolverOptions

__all__ = [
    "LARGE_DISTRICT",
    "TARGET_KINDS",
    "PlanConfig",
    "Target",
    "parse_target",
    "typical_days_for",
]

TargetKind = Literal["ped", "co2", "ss", "ghg"]
TARGET_KINDS: tuple[str, ...] = ("ped", "co2", "ss", "ghg")


#: Buildings from which :func:`typical_days_for` gives fewer typical days.
LARGE_DISTRICT = 50


def typical_days_for(n_buildings: int) -> int:
    """Typical days to plan a district of ``n_buildings`` on: 12, or 8 for large districts.

    The sizing LP grows with buildings x days and its cold solve faster than that (100
    buildings, CPU of the cold plan solve: 94 s on 12 typical days, 47 s on 8, 30 s on 6).
    The full-period check and its tightening make the targets hold on any number of days;
    fewer days cost plan quality only where the district's day types are too few to tell
    apart, and a large district's aggregate is smooth: at 100 buildings the verified plan on
    8 days costs what the one on 12 does (7,858,414 against 7,859,375 EUR/a; on 6 days
    7,873,817, +0.2 %). Small districts keep 12.

    Parameters
    ----------
    n_buildings
        Buildings of the district.

    Returns
    -------
    int
        Typical days for :attr:`PlanConfig.typical_days`.

    Examples
    --------
    >>> typical_days_for(9), typical_days_for(100)
    (12, 8)
    """
    return 8 if n_buildings >= LARGE_DISTRICT else 12


@dataclass(frozen=True)
class Target:
    """A target the plan must meet over a year.

    Attributes
    ----------
    kind
        ``"ped"``: primary-energy balance PEE - PEI at least ``value`` [kWh_PE/a];
        ``"co2"``: emissions of delivered energy at most ``value`` [kg CO2-eq/a];
        ``"ss"``: self-sufficiency at least ``value`` [-] (0..1);
        ``"ghg"``: net GHG emissions (the verdict's GHG balance: emissions minus the export
        and virtual credit) at most ``value`` [kg CO2-eq/a]; 0 = net-zero GHG.
    value
        The bound, in the unit of the kind.
    """

    kind: TargetKind
    value: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in TARGET_KINDS:
            msg = f"unknown target {self.kind!r}; choose one of {', '.join(TARGET_KINDS)}"
            raise ScenarioError(msg)
        if self.kind == "ss" and not 0.0 <= self.value <= 1.0:
            msg = f"a self-sufficiency target must lie between 0 and 1, got {self.value}"
            raise ScenarioError(msg)
        if self.kind == "co2" and self.value < 0:
            msg = f"a CO2 target must not be negative, got {self.value}"
            raise ScenarioError(msg)

    def describe(self) -> str:
        """The target in words, e.g. ``"PED balance >= 0 kWh_PE/a"``."""
        if self.kind == "ped":
            return f"PED balance >= {self.value:,.0f} kWh_PE/a"
        if self.kind == "co2":
            return f"CO2 <= {self.value / 1000:,.1f} t/a"
        if self.kind == "ghg":
            return f"net GHG <= {self.value / 1000:,.1f} t CO2-eq/a"
        return f"self-sufficiency >= {100 * self.value:.1f} %"


def parse_target(text: str) -> Target:
    """A target from the command line: ``ped``, ``ped:<kWh_PE/a>``, ``co2:<t/a>``, ``ss:<%>``,
    ``ghg`` or ``ghg:<t/a>``.

    Parameters
    ----------
    text
        ``kind`` or ``kind:value``; ``ped`` alone is a balance of 0 and ``ghg`` alone net-zero
        GHG. Units: kWh_PE/a (ped), t CO2-eq/a (co2, ghg), % (ss).

    Returns
    -------
    Target
        In the model's units (kg for co2 and ghg, a share for ss).

    Raises
    ------
    ScenarioError
        For an unknown kind or a value that is not a number.

    Examples
    --------
    >>> parse_target("co2:120")
    Target(kind='co2', value=120000.0)
    >>> parse_target("ss:40").value
    0.4
    """
    kind, _, raw = text.strip().partition(":")
    kind = kind.strip().lower()
    if kind not in TARGET_KINDS:
        msg = (
            f"target {text!r} is not known; use ped, ped:<kWh_PE/a>, co2:<t CO2/a>, "
            "ghg, ghg:<t CO2-eq/a> or ss:<percent>"
        )
        raise ScenarioError(msg)
    checked = cast("TargetKind", kind)  # one of TARGET_KINDS, tested above
    if not raw.strip():
        if kind in ("ped", "ghg"):
            return Target(checked, 0.0)
        msg = f"target {kind!r} needs a value, e.g. {'co2:150' if kind == 'co2' else 'ss:40'}"
        raise ScenarioError(msg)
    try:
        value = float(raw)
    except ValueError:
        msg = f"target {text!r}: {raw!r} is not a number"
        raise ScenarioError(msg) from None
    scale = {"ped": 1.0, "co2": 1000.0, "ss": 0.01, "ghg": 1000.0}[kind]
    return Target(checked, value * scale)


@dataclass(frozen=True)
class PlanConfig:
    """What the planner may choose and how it models the year.

    Attributes
    ----------
    targets
        Targets to meet (:class:`Target`); none = cost-optimal plan.
    budget_eur
        Largest total investment [EUR]; None = no limit.
    typical_days
        Number of typical days (tsam, medoids of whole days) to operate on; None = every
        step of the period.
    pareto_points
        Points of the cost-CO2 Pareto front (epsilon constraint); 0 = none.
    pv, heat_pump, thermal_storage
        Candidate measures: rooftop PV per building, a heat pump per building (next to the
        heating it has), a hot-water tank per building.
    ev_chargers
        Candidate measure: more power for the EV charge points of each building (and of the
        district, when it has one charger group), up to the catalogue's largest power per
        point; the cars and their sessions stay those of the scenario.
    battery
        Where new battery capacity may go: ``"district"`` (one shared battery at the district
        node), ``"building"`` (one per building), ``"none"``, or ``"auto"``: shared under
        community sharing, where batteries of different buildings are interchangeable (one
        battery gives the same optimum, and the LP is far easier: many interchangeable
        batteries make it massively degenerate), per building under own meters.
    heat_pump_source
        Source of new heat pumps (``"air"`` or ``"ground"``); an existing one keeps its own.
    retrofit
        Names of the catalogue's retrofit packages to offer; None = all, () = none.
    costs
        Cost overrides (:func:`~sparcs.planning.costs.load_costs`), applied over the
        scenario's ``[costs]`` table.
    period
        Steps ``(start, stop)`` of the scenario year to plan on (tests, quick looks); the
        operating cost and balances are scaled to a year. None = the whole year.
    verify
        Round the plan's sizes, operate the rounded plan over the full period with
        ``verify_strategy`` and measure it with the KPI functions: the plan reports those
        figures, and a target missed there tightens the sizing model's bound and the plan
        is made again, up to ``max_corrections`` times (:mod:`.holds`).
    verify_strategy
        How the plan is operated in that check: ``"optimal"`` (``sparcs run --strategy
        optimal``) or ``"rule"`` (the rule-based strategy).
    target_tolerance
        Shortfall a target may have on the full period, relative to the target (to the
        primary energy imported for a PED balance) [-].
    max_corrections
        Most tightenings of the sizing model's bounds.
    error_tolerance
        Largest relative error of the typical-day model against that re-run, over total
        annual cost, PE balance and CO2 [-]. Above it the plan is made again with twice
        the typical days, up to ``max_typical_days``; a plan still above it says so in
        its notes. Needs ``verify``.
    max_typical_days
        Most typical days tried when the error exceeds the tolerance; None = no more than
        ``typical_days`` (the targets hold through the tightening either way; more days
        make the plan's cost more accurate at a full re-run each).
    measure_economics
        Compute each measure's saving by leaving it out (one more LP per measure).
    discrete
        Yes/no decisions (:mod:`.discrete`): retrofit packages all or nothing per building,
        PV, batteries, heat pumps and tanks in catalogue sizes, by a MILP in HiGHS within
        ``options.time_limit_s`` and ``options.mip_rel_gap``; the continuous plan is
        solved first as its lower bound.
    options
        Solver settings.
    """

    targets: tuple[Target, ...] = ()
    budget_eur: float | None = None
    typical_days: int | None = 12
    pareto_points: int = 0
    pv: bool = True
    battery: Literal["auto", "building", "district", "none"] = "auto"
    heat_pump: bool = True
    heat_pump_source: Literal["air", "ground"] = "air"
    thermal_storage: bool = True
    ev_chargers: bool = True
    retrofit: tuple[str, ...] | None = None
    costs: Mapping[str, Any] = field(default_factory=dict)
    period: tuple[int, int] | None = None
    verify: bool = True
    verify_strategy: Literal["optimal", "rule"] = "optimal"
    target_tolerance: float = 0.005
    max_corrections: int = 4
    error_tolerance: float = 0.02
    max_typical_days: int | None = None
    measure_economics: bool = True
    discrete: bool = False
    options: SolverOptions = field(default_factory=lambda: SolverOptions(time_limit_s=600.0))

    def __post_init__(self) -> None:
        kinds = [t.kind for t in self.targets]
        if len(set(kinds)) != len(kinds):
            msg = f"give each kind of target once, got {', '.join(kinds)}"
            raise ScenarioError(msg)
        if self.budget_eur is not None and self.budget_eur < 0:
            msg = f"budget_eur must not be negative, got {self.budget_eur}"
            raise ScenarioError(msg)
        if self.typical_days is not None and self.typical_days < 1:
            msg = (
                f"typical_days must be at least 1 (or None for every step), got {self.typical_days}"
            )
            raise ScenarioError(msg)
        if not 0 < self.error_tolerance < 1:
            msg = f"error_tolerance must lie between 0 and 1, got {self.error_tolerance}"
            raise ScenarioError(msg)
        if self.verify_strategy not in ("optimal", "rule"):
            msg = f"verify_strategy must be 'optimal' or 'rule', got {self.verify_strategy!r}"
            raise ScenarioError(msg)
        if not 0 < self.target_tolerance < 1:
            msg = f"target_tolerance must lie between 0 and 1, got {self.target_tolerance}"
            raise ScenarioError(msg)
        if self.max_corrections < 0:
            msg = f"max_corrections must not be negative, got {self.max_corrections}"
            raise ScenarioError(msg)
        if self.max_typical_days is not None and self.max_typical_days < 1:
            msg = f"max_typical_days must be at least 1, got {self.max_typical_days}"
            raise ScenarioError(msg)
        if self.pareto_points < 0 or self.pareto_points == 1:
            msg = f"pareto_points must be 0 or at least 2, got {self.pareto_points}"
            raise ScenarioError(msg)
        if self.battery not in ("auto", "building", "district", "none"):
            msg = f"battery must be 'auto', 'building', 'district' or 'none', got {self.battery!r}"
            raise ScenarioError(msg)
        if self.heat_pump_source not in ("air", "ground"):
            msg = f"heat_pump_source must be 'air' or 'ground', got {self.heat_pump_source!r}"
            raise ScenarioError(msg)

    @property
    def largest_typical_days(self) -> int:
        """Most typical days tried: ``max_typical_days``, else ``typical_days`` (or 1)."""
        if self.max_typical_days is not None:
            return self.max_typical_days
        return self.typical_days or 1

    def battery_location(self, sharing: str) -> str:
        """Where new batteries go for a scenario with ``boundary.sharing = sharing``."""
        if self.battery != "auto":
            return self.battery
        return "district" if sharing == "community" else "building"

    @property
    def effective_targets(self) -> tuple[Target, ...]:
        """The targets the plan is made and checked for: ``targets``, and with a ``ped``
        target of a balance of 0 or more (to be a PED) also net-zero GHG (``ghg:0``) unless a
        ``ghg`` target is given: a PED in the JPI UE sense needs both (the verdict of
        :func:`sparcs.kpi.ped.ped_class`). A negative balance target (a step towards a PED)
        adds nothing."""
        ped = self.target("ped")
        if ped is not None and ped.value >= 0 and self.target("ghg") is None:
            return (*self.targets, Target("ghg", 0.0))
        return self.targets

    def target(self, kind: str) -> Target | None:
        """The target of ``kind``, if set."""
        return next((t for t in self.targets if t.kind == kind), None)
