"""Plain-words reasons why targets cannot be met, with the best value that can be reached.

When the sizing model with targets is infeasible, each target is dropped in turn and its own
KPI optimised within the other targets and the budget (the auxiliary problem): the largest
PED balance, the least CO2, the largest self-sufficiency (Dinkelbach's method for the ratio
``1 - import / load``). A target whose best value falls short is reported with that value
and with the limits the best plan runs into (roofs full, heat pumps at their largest size,
the budget spent).

References
----------
Dinkelbach, *On nonlinear fractional programming*, Management Science 13(7) 492-498 (1967).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sparcs.errors import InfeasibleError

if TYPE_CHECKING:
    from sparcs.planning.config import Target
    from sparcs.planning.setup import PlanningSetup
    from sparcs.planning.sizing import SizingSolution

__all__ = ["best_value", "explain_infeasible"]

_DINKELBACH_STEPS = 8


def _self_sufficiency_best(setup: PlanningSetup) -> tuple[float, SizingSolution | None]:
    """Largest ``1 - import / load`` (Dinkelbach iterations on ``import - lam * load``)."""
    model = setup.model
    lam, best = 1.0, None
    for _ in range(_DINKELBACH_STEPS):
        model.set_objective(cost=0.0, **{"import": 1.0, "load": -lam})
        sol = model.solve()
        if not sol.ok:
            return float("nan"), best
        best = sol
        ratio = sol.kpis["import"] / sol.kpis["load"] if sol.kpis["load"] > 0 else 0.0
        if abs(ratio - lam) <= 1e-7 * max(1.0, lam):
            break
        lam = ratio
    return (float("nan"), None) if best is None else (best.kpis["ss"], best)


def best_value(
    setup: PlanningSetup, target: Target, others: tuple[Target, ...], budget: float | None
) -> tuple[float, SizingSolution | None]:
    """Best value of ``target``'s KPI within ``others`` and ``budget``; NaN if none exists."""
    model = setup.model
    model.set_targets(others, budget)
    try:
        if target.kind == "ss":
            return _self_sufficiency_best(setup)
        kpi, weight = {"ped": ("pe", -1.0), "co2": ("co2", 1.0), "ghg": ("ghg", 1.0)}[target.kind]
        model.set_objective(cost=0.0, **{kpi: weight})
        sol = model.solve()
        if not sol.ok:
            return float("nan"), None
        return sol.kpis[kpi], sol
    finally:
        model.set_objective(cost=1.0)


def _limits(setup: PlanningSetup, sol: SizingSolution, budget: float | None) -> list[str]:
    """The limits the best plan runs into, in words."""
    out = []
    cand = setup.cand
    pv = cand.sizes["pv"]
    full = pv.candidate & (sol.sizes["pv"] >= pv.upper - 1e-3)
    if full.any():
        out.append(
            f"roofs allow at most {pv.upper.sum():,.0f} kWp of PV and "
            f"{int(full.sum())} of {int(pv.candidate.sum())} roofs are full"
        )
    hp = cand.sizes["hp"]
    at_top = hp.candidate & (sol.sizes["hp"] >= hp.upper - 1e-3)
    if at_top.any():
        out.append(
            f"{int(at_top.sum())} heat pump(s) at their largest size (peak heat demand x "
            "the catalogue's factor)"
        )
    if cand.retrofit_allowed.any():
        share = float(sol.retrofit.sum(axis=0).max()) if sol.retrofit.size else 0.0
        if share > 0.999:
            out.append("some buildings are fully retrofitted")
    if budget is not None and sol.kpis["capex"] >= budget * (1 - 1e-6):
        out.append(f"the budget of {budget:,.0f} EUR is spent")
    return out


def _value_text(kind: str, value: float) -> str:
    if kind == "ped":
        return f"{value / 1e6:,.2f} GWh_PE/a" if abs(value) >= 1e6 else f"{value:,.0f} kWh_PE/a"
    if kind == "co2":
        return f"{value / 1000:,.1f} t CO2/a"
    if kind == "ghg":
        return f"{value / 1000:,.1f} t CO2-eq/a net"
    return f"{100 * value:.1f} %"


def explain_infeasible(
    setup: PlanningSetup, targets: tuple[Target, ...], budget: float | None
) -> InfeasibleError:
    """The error to raise: which target cannot be met and the best value reachable."""
    reasons = []
    for target in targets:
        others = tuple(t for t in targets if t is not target)
        value, sol = best_value(setup, target, others, budget)
        if (sol is None or not np.isfinite(value)) and others:
            # the others cannot be met either: the best value of this target alone
            others = ()
            value, sol = best_value(setup, target, others, budget)
        if sol is None or not np.isfinite(value):
            continue
        met = value >= target.value if target.kind in ("ped", "ss") else value <= target.value
        if met:
            continue
        limits = _limits(setup, sol, budget)
        where = f" with {', '.join(o.describe() for o in others)}" if others else ""
        reasons.append(
            f"{target.describe()} cannot be reached{where}"
            + (f": {'; '.join(limits)}" if limits else "")
            + f"; the best reachable value is {_value_text(target.kind, value)}"
        )
    setup.model.set_targets(targets, budget)
    if not reasons:
        budget_text = f" within a budget of {budget:,.0f} EUR" if budget is not None else ""
        reasons.append(
            f"the targets {', '.join(t.describe() for t in targets)} cannot be met "
            f"together{budget_text}, although each can be met alone"
        )
    msg = "no plan meets the targets: " + " | ".join(reasons)
    return InfeasibleError(msg)
