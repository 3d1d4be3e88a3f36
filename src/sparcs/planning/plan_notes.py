"""The notes of a plan in plain words: targets held or missed, the PED verdict, the typical-day
error, the discrete plan's gap and the model's assumptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sparcs.planning.result import (
    PlanOutcome,
    Verification,
)
from sparcs.planning.setup import PlanningSetup
from sparcs.planning.sizing import SizingSolution

if TYPE_CHECKING:
    from sparcs.planning.config import PlanConfig


__all__ = [
    "error_notes",
    "gap_note",
    "plan_description",
    "plan_notes",
    "target_notes",
]


def plan_description(config: PlanConfig) -> str:
    """The description written into plan.toml: the targets (the PED target's GHG condition
    included) and the budget."""
    goals = ", ".join(t.describe() for t in config.effective_targets) or "least annual cost"
    budget = f"; budget {config.budget_eur:,.0f} EUR" if config.budget_eur is not None else ""
    return f"Plan by sparcs plan: {goals}{budget}."


def gap_note(plan: SizingSolution, continuous: PlanOutcome) -> str:
    """The discrete plan against its lower bound, the continuous plan, in words."""
    gap = "n/a" if plan.mip_gap is None else f"{100 * plan.mip_gap:.2f} %"
    stop = (
        "stopped at the time limit"
        if plan.termination.value == "time_limit"
        else "solved within the gap asked for"
    )
    return (
        f"discrete plan ({stop}): total annual cost {plan.total_annual_cost:,.0f} EUR/a in "
        f"the sizing model, MIP gap {gap}; the continuous plan (a lower bound) costs "
        f"{continuous.total_annual_cost_eur:,.0f} EUR/a"
    )


def target_notes(check: Verification | None) -> tuple[str, ...]:
    """Whether the targets hold on the full period, in words."""
    if check is None or not check.targets:
        return ()
    how = f"full-period {check.strategy} operation of the rounded plan"
    listed = "; ".join(c.describe() for c in check.targets)
    rounds = len(check.corrections) - 1
    tightened = f" after {rounds} tightening(s) of the sizing model" if rounds else ""
    verdict = _verdict_note(check)
    if check.targets_hold:
        return (
            f"targets on the {how}{tightened}: {listed} (tolerance "
            f"{100 * check.targets[0].tolerance:g} %)",
            *verdict,
        )
    return (
        f"WARNING: not every target holds on the {how}: {listed}. Why: "
        f"{check.unmet_reason}. The plan written is the nearest one found; plan on "
        "more typical days (--typical-days) or loosen the target",
        *verdict,
    )


def _verdict_note(check: Verification) -> tuple[str, ...]:
    """The PED verdict of the full-period run when the target is to be a PED (``ped``).

    The target bounds the PED balance of the KPI report; the verdict of
    :func:`~sparcs.kpi.compute_kpis` may add conditions (a class, a GHG condition) that a
    balance of zero does not meet: then this says so.
    """
    ped = next((c for c in check.targets if c.kind == "ped"), None)
    if ped is None or not check.ped_class:
        return ()
    if ped.target == 0.0 and check.ped_class in ("not PED", "pre-PED"):
        return (
            f"WARNING: the PED balance target holds, but the PED verdict of the full-period "
            f"run is {check.ped_class!r}: see the verdict's reason with 'sparcs run' on "
            "plan.toml",
        )
    return (f"PED verdict of the full-period run: {check.ped_class}",)


def error_notes(check: Verification | None) -> tuple[str, ...]:
    """What the typical-day check found, in words."""
    if check is None or check.typical_days is None:
        return ()
    tried = ", ".join(f"{k} days: {100 * e:.2f} %" for k, e in check.history)
    if check.within_tolerance:
        return (
            f"typical-day error against the full-year re-run: {100 * check.largest_error:.2f} "
            f"% at most (cost, PE balance, CO2), within the tolerance of "
            f"{100 * check.tolerance:g} % (tried {tried})",
        )
    return (
        f"WARNING: the typical-day error against the full-year re-run is "
        f"{100 * check.largest_error:.2f} %, above the tolerance of "
        f"{100 * check.tolerance:g} % (tried {tried}); the figures reported are the "
        "full-period ones, but the choice of measures may not be the cheapest: plan on "
        "more typical days or on every step (typical_days=None, 'sparcs plan "
        "--typical-days 0')",
    )


def plan_notes(setup: PlanningSetup) -> tuple[str, ...]:
    notes = [
        setup.agg.description,
        "retrofit packages are shares in [0, 1] (linear relaxation): a share below 1 is a "
        "part of the floor area retrofitted",
        "a retrofit scales the space-heat profile down; heat-pump COP does not change with it",
        "measure savings are leave-one-out: without that measure, operation re-optimised; "
        "they need not add up to the plan's saving",
        f"costs: {setup.costs.country}, discount rate {100 * setup.costs.discount_rate:g} "
        f"%/a, horizon {setup.costs.horizon_years} a (data/costs.toml, [est] values"
        + (
            f"; {len(setup.costs.overridden)} figure(s) replaced, see the cost data)"
            if setup.costs.overridden
            else ")"
        ),
    ]
    if not setup.scenario.boundary.include_mobility:
        notes.append("targets count EV charging although boundary.include_mobility = false")
    return tuple(notes)
