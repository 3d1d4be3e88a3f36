"""Sizes back into a scenario: the plan as a file that ``sparcs run`` reproduces.

Each building gets its planned assets as tables (PV kWp on its existing orientation or the
default one, battery, tank, heat pump next to its heating, the power of its EV charge
points) and, after retrofit, an explicit
``space_heat_kwh``: the space-heat profile scales linearly with the annual value, so the
re-run sees exactly the demand the sizing model saw. Sizes below a small threshold count as
not built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sparcs.planning.candidates import Candidates
    from sparcs.planning.sizing import SizingSolution
    from sparcs.scenario.assets import EVChargers
    from sparcs.scenario.models import Building, Scenario

__all__ = ["MIN_SIZE", "STEPS", "added_cost", "apply_sizes", "clean_sizes", "round_sizes"]

#: Sizes below this are not built [kW, kWp, kWh]; retrofit shares below it are none [-].
MIN_SIZE = 1e-3

#: Rounding step of each technology in plan.toml: kWp to 0.1, kWh to 1, kW to 0.1 (EV: per
#: charge point); retrofit shares to 0.001.
STEPS: dict[str, float] = {
    "pv": 0.1,
    "battery_energy": 1.0,
    "battery_power": 0.1,
    "tank": 1.0,
    "hp": 0.1,
    "ev": 0.1,
}
RETROFIT_STEP = 1e-3


def _round(
    value: np.ndarray, existing: np.ndarray, upper: np.ndarray, step: np.ndarray, down: bool
) -> np.ndarray:
    """Additions rounded to ``step`` (down when ``down``), within the upper bound."""
    grid = np.floor if down else np.round
    cap = np.floor(upper / step + 1e-9) * step
    rounded = np.minimum(
        grid(value / step + (1e-9 if down else 0.0)) * step, np.maximum(cap, existing)
    )
    # rounded to the step's decimals too: 10.2, not 10.200000000000001, in plan.toml
    rounded = np.round(np.maximum(rounded, existing), 9)
    return np.where(np.abs(value - existing) > MIN_SIZE, rounded, existing)


def round_sizes(
    cand: Candidates, sizes: dict[str, np.ndarray], retrofit: np.ndarray, *, down: bool = False
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Sizes rounded for plan.toml (:data:`STEPS`); existing sizes stay as they are.

    Parameters
    ----------
    cand
        The candidates (existing and largest sizes, EV points per unit).
    sizes, retrofit
        Cleaned sizes per technology and unit, and retrofit shares (K, unit)
        (:func:`clean_sizes`).
    down
        Round down instead of to the nearest step (a budget that must hold).
    """
    out = {}
    for tech, value in sizes.items():
        step = np.full(value.shape, STEPS.get(tech, 0.1))
        if tech == "ev":
            step = step * np.maximum(cand.ev_points, 1)
        s = cand.sizes[tech]
        out[tech] = _round(value, s.existing, s.upper, step, down)
    grid = np.floor if down else np.round
    retro = np.minimum(
        grid(retrofit / RETROFIT_STEP + (1e-9 if down else 0.0)) * RETROFIT_STEP, 1.0
    )
    return out, np.where(retrofit > MIN_SIZE, np.round(retro, 9), 0.0)


def added_cost(
    cand: Candidates, sizes: dict[str, np.ndarray], retrofit: np.ndarray
) -> tuple[float, float]:
    """Investment [EUR] and annualised investment plus fixed O&M [EUR/a] of the additions."""
    capex = sum(
        float(np.dot(cand.sizes[t].capex, v - cand.sizes[t].existing)) for t, v in sizes.items()
    )
    annual = sum(
        float(np.dot(cand.sizes[t].annual_cost, v - cand.sizes[t].existing))
        for t, v in sizes.items()
    )
    capex += float(np.sum(cand.retrofit_capex * retrofit))
    annual += float(np.sum(cand.retrofit_annual * retrofit))
    return capex, annual


def clean_sizes(
    cand: Candidates, solution: SizingSolution
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Sizes with additions below :data:`MIN_SIZE` dropped, and clean retrofit shares."""
    sizes = {}
    for tech, value in solution.sizes.items():
        existing = cand.sizes[tech].existing
        sizes[tech] = np.where(value - existing > MIN_SIZE, value, existing)
    no_battery = (sizes["battery_energy"] <= MIN_SIZE) | (sizes["battery_power"] <= MIN_SIZE)
    sizes["battery_energy"] = np.where(no_battery, 0.0, sizes["battery_energy"])
    sizes["battery_power"] = np.where(no_battery, 0.0, sizes["battery_power"])
    retro = np.where(solution.retrofit > MIN_SIZE, np.minimum(solution.retrofit, 1.0), 0.0)
    return sizes, retro


def _ev_group(group: EVChargers, total_kw: float, points: float) -> EVChargers:
    """The group with its planned power per point (the total over its points) [kW]."""
    return group.model_copy(update={"power_kw": total_kw / points})


def _building(
    b: Building,
    env: Building,
    i: int,
    cand: Candidates,
    sizes: dict[str, np.ndarray],
    retro: np.ndarray,
) -> Building:
    update: dict[str, object] = {}
    if env.pv is not None:
        kwp = float(sizes["pv"][i])
        update["pv"] = env.pv.model_copy(update={"kwp": kwp}) if kwp > MIN_SIZE else None
    if env.battery is not None:
        e, p = float(sizes["battery_energy"][i]), float(sizes["battery_power"][i])
        update["battery"] = (
            env.battery.model_copy(update={"capacity_kwh": e, "power_kw": p})
            if e > MIN_SIZE
            else None
        )
    if env.thermal_storage is not None:
        e = float(sizes["tank"][i])
        update["thermal_storage"] = (
            env.thermal_storage.model_copy(update={"capacity_kwh": e}) if e > MIN_SIZE else None
        )
    if env.heat_pump is not None:
        q = float(sizes["hp"][i])
        update["heat_pump"] = (
            env.heat_pump.model_copy(update={"capacity_kw": q}) if q > MIN_SIZE else None
        )
    if env.ev is not None and cand.ev_points[i] > 0:
        update["ev"] = _ev_group(env.ev, float(sizes["ev"][i]), cand.ev_points[i])
    cut = float(sum(p.space_heat_reduction * retro[k, i] for k, p in enumerate(cand.packages)))
    if cut > 0:
        update["space_heat_kwh"] = float(cand.base_space_heat_kwh[i] * (1.0 - cut))
    return b.model_copy(update=update)


def apply_sizes(
    scenario: Scenario,
    cand: Candidates,
    sizes: dict[str, np.ndarray],
    retrofit: np.ndarray,
    *,
    name: str | None = None,
    description: str = "",
) -> Scenario:
    """``scenario`` with the planned sizes and retrofits, validated again.

    Parameters
    ----------
    scenario
        The baseline scenario.
    cand
        The candidates (envelope assets give orientations and store parameters).
    sizes, retrofit
        Cleaned sizes per technology and unit, and retrofit shares (K, unit)
        (:func:`clean_sizes`).
    name, description
        Name and description of the plan; default ``"<name> (plan)"``.
    """
    from sparcs.scenario.models import Scenario

    buildings = [
        _building(b, env, i, cand, sizes, retrofit)
        for i, (b, env) in enumerate(zip(scenario.buildings, cand.envelope.buildings, strict=True))
    ]
    district = scenario.district
    env_battery = cand.envelope.district.battery
    if env_battery is not None:
        e, p = float(sizes["battery_energy"][-1]), float(sizes["battery_power"][-1])
        battery = (
            env_battery.model_copy(update={"capacity_kwh": e, "power_kw": p})
            if e > MIN_SIZE
            else None
        )
        district = district.model_copy(update={"battery": battery})
    if cand.ev_points[-1] > 0:
        group = _ev_group(district.ev[0], float(sizes["ev"][-1]), cand.ev_points[-1])
        district = district.model_copy(update={"ev": [group]})
    data = scenario.model_copy(update={"buildings": buildings, "district": district}).model_dump()
    data["name"] = name or f"{scenario.name} (plan)"
    data["description"] = description or scenario.description
    data.pop("buildings_file", None)
    return Scenario.model_validate(data)
