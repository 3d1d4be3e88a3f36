"""Economics of the plan and of each measure against the baseline (domain.md §4.3 #20).

The plan's saving is the baseline's operating cost minus the plan's (both optimally
operated by the same model). A measure's saving is what the plan would lose without it: the
plan with that measure taken back to what exists, operation optimised again, minus the plan
(leave-one-out). Measures interact (PV and batteries, heat pumps and retrofits), so the
measures' savings need not add up to the plan's; the report says so.

Cash flows: year 0 the investment, years 1..N the saving less fixed O&M, replacements when
a lifetime ends inside the horizon and a residual value at its end
(:func:`sparcs.planning.finance.measure_cashflows`, VDI 2067-1).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from sparcs.planning.finance import (
    discounted_payback,
    irr,
    lcoe,
    lcoh,
    measure_cashflows,
    npv,
    simple_payback,
)
from sparcs.planning.result import MeasureEconomics

if TYPE_CHECKING:
    from sparcs.planning.setup import PlanningSetup
    from sparcs.planning.sizing import SizingSolution

__all__ = ["MEASURE_TECHS", "measure_economics", "plan_economics"]

#: Measure -> (technologies, unit of the size reported).
MEASURE_TECHS: dict[str, tuple[tuple[str, ...], str]] = {
    "pv": (("pv",), "kWp"),
    "battery": (("battery_energy", "battery_power"), "kWh"),
    "heat_pump": (("hp",), "kW_th"),
    "thermal_storage": (("tank",), "kWh"),
    "ev_chargers": (("ev",), "kW"),
}


def _added(setup: PlanningSetup, sol: SizingSolution, tech: str) -> np.ndarray:
    result: np.ndarray = np.maximum(sol.sizes[tech] - setup.cand.sizes[tech].existing, 0.0)
    return result


def _capex_opex_life(
    setup: PlanningSetup, sol: SizingSolution, techs: tuple[str, ...]
) -> tuple[float, float, float]:
    """Investment [EUR], fixed O&M [EUR/a] and capex-weighted lifetime [a] of added sizes."""
    capex = opex = life = 0.0
    for tech in techs:
        s = setup.cand.sizes[tech]
        added = _added(setup, sol, tech)
        spend = s.capex * added
        capex += float(spend.sum())
        opex += float(np.dot(s.fixed_opex, added))
        life += float(np.sum(spend * s.lifetime_years))
    return capex, opex, (life / capex if capex > 0 else 1.0)


def _appraise(
    setup: PlanningSetup,
    name: str,
    size: float,
    unit: str,
    capex: float,
    opex: float,
    saving: float,
    life: float,
) -> MeasureEconomics:
    rate, horizon = setup.costs.discount_rate, setup.costs.horizon_years
    flows = measure_cashflows(capex, saving - opex, lifetime_years=life, horizon_years=horizon)
    return MeasureEconomics(
        measure=name,
        size=size,
        unit=unit,
        capex_eur=capex,
        opex_eur=opex,
        saving_eur=saving,
        npv_eur=npv(flows, rate),
        irr=irr(flows),
        simple_payback_years=simple_payback(capex, saving - opex),
        discounted_payback_years=discounted_payback(flows, rate),
        lifetime_years=life,
    )


def _without(
    setup: PlanningSetup, plan: SizingSolution, techs: tuple[str, ...], package: int | None = None
) -> float:
    """Operating cost of the plan with ``techs`` (or one retrofit package) taken back [EUR/a]."""
    model = setup.model
    sizes = {t: v.copy() for t, v in plan.sizes.items()}
    for tech in techs:
        sizes[tech] = setup.cand.sizes[tech].existing.copy()
    retro = plan.retrofit.copy()
    if package is not None:
        retro[package] = 0.0
    model.set_targets((), None)
    model.fix_sizes(sizes, retro)
    sol = model.solve()
    model.fix_sizes(None)
    return sol.operating_cost if sol.ok else float("nan")


def _measures(setup: PlanningSetup, plan: SizingSolution) -> Iterator[MeasureEconomics]:
    cand = setup.cand
    for name, (techs, unit) in MEASURE_TECHS.items():
        capex, opex, life = _capex_opex_life(setup, plan, techs)
        if capex <= 0:
            continue
        saving = _without(setup, plan, techs) - plan.operating_cost
        size = float(_added(setup, plan, techs[0]).sum())
        item = _appraise(setup, name, size, unit, capex, opex, saving, life)
        yield _levelised(setup, plan, item, life)
    area = np.array([b.floor_area_m2 for b in setup.scenario.buildings] + [0.0])
    for k, package in enumerate(cand.packages):
        capex = float(np.sum(cand.retrofit_capex[k] * plan.retrofit[k]))
        if capex <= 0:
            continue
        saving = _without(setup, plan, (), package=k) - plan.operating_cost
        tech = setup.costs[package.cost]
        size = float(np.sum(area * plan.retrofit[k]))
        yield _appraise(
            setup,
            f"retrofit:{package.name}",
            size,
            "m2",
            capex,
            capex * tech.opex_fixed_pct / 100.0,
            saving,
            tech.lifetime_years,
        )


def _levelised(
    setup: PlanningSetup, plan: SizingSolution, item: MeasureEconomics, life: float
) -> MeasureEconomics:
    """LCOE of added PV (its potential output) or LCOH of the added heat pumps' heat.

    The heat pumps' electricity is priced at the import price (PV it uses is not
    credited): the LCOH is an upper estimate.
    """
    from dataclasses import replace

    w, dt = setup.agg.weight, setup.model.problem.dt_h
    rate = setup.costs.discount_rate
    if item.measure == "pv":
        agg = setup.agg
        per_kwp = (setup.cand.pv_yield[agg.idx] * (w * agg.factor("pv"))[:, None]).sum(axis=0) * dt
        energy = float(np.dot(per_kwp, _added(setup, plan, "pv")))
        return replace(
            item, lcoe_eur_per_kwh=lcoe(item.capex_eur, item.opex_eur, energy, rate, life)
        )
    if item.measure == "heat_pump" and "hp" in plan.solution:
        # the added capacity's part of each unit's heat-pump operation: existing capacity
        # is no part of the investment appraised
        size = plan.sizes["hp"]
        added = np.divide(_added(setup, plan, "hp"), size, out=np.zeros_like(size), where=size > 0)
        hp = plan.solution["hp"] * added[None, : plan.solution["hp"].shape[1]]
        cop = np.asarray(setup.model.problem.cop, float)
        heat = float(np.sum(hp * cop * w[:, None]) * dt)
        price = np.asarray(setup.model.problem.import_cost, float)
        energy_cost = float(np.sum(hp.sum(axis=1) * price * w) * dt)
        return replace(
            item,
            lcoh_eur_per_kwh=lcoh(
                item.capex_eur, item.opex_eur, heat, rate, life, annual_energy_cost=energy_cost
            ),
        )
    return item


def measure_economics(setup: PlanningSetup, plan: SizingSolution) -> tuple[MeasureEconomics, ...]:
    """Economics of each measure of ``plan`` (leave-one-out savings)."""
    try:
        return tuple(_measures(setup, plan))
    finally:
        setup.model.fix_sizes(None)


def plan_economics(
    setup: PlanningSetup, plan: SizingSolution, baseline: SizingSolution
) -> MeasureEconomics:
    """Economics of the whole plan against the baseline."""
    rate, horizon = setup.costs.discount_rate, setup.costs.horizon_years
    flows = np.zeros(horizon + 1)
    capex = opex = 0.0
    for techs, _ in MEASURE_TECHS.values():
        c, o, life = _capex_opex_life(setup, plan, techs)
        if c > 0:
            flows += measure_cashflows(c, -o, lifetime_years=life, horizon_years=horizon)
            capex, opex = capex + c, opex + o
    for k, package in enumerate(setup.cand.packages):
        c = float(np.sum(setup.cand.retrofit_capex[k] * plan.retrofit[k]))
        if c > 0:
            tech = setup.costs[package.cost]
            o = c * tech.opex_fixed_pct / 100.0
            flows += measure_cashflows(
                c, -o, lifetime_years=tech.lifetime_years, horizon_years=horizon
            )
            capex, opex = capex + c, opex + o
    saving = baseline.operating_cost - plan.operating_cost
    flows[1:] += saving
    return MeasureEconomics(
        measure="plan",
        size=float("nan"),
        unit="",
        capex_eur=capex,
        opex_eur=opex,
        saving_eur=saving,
        npv_eur=npv(flows, rate),
        irr=irr(flows),
        simple_payback_years=simple_payback(capex, saving - opex),
        discounted_payback_years=discounted_payback(flows, rate),
    )
