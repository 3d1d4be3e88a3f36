"""Candidate measures of a district and the *envelope* scenario that holds them at full size.

The envelope is the scenario with every candidate asset at its largest allowed size: PV on
the usable roof, a battery, a heat pump and a hot-water tank per building (and optionally a
shared battery). Its profiles and dispatch LP come from the ordinary code
(:func:`~sparcs.profiles.build.build_inputs`,
:func:`~sparcs.operation.optimal.adapter.scenario_problem`); the sizing model then makes
each size a variable between what exists and the envelope's size. Profiles scale linearly
with the sizes (PV output per kWp, space heat per kWh/a), so an envelope's profile divided
by its size is the profile per unit of size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sparcs.planning._ev import capped_sessions, envelope_sessions, ev_sizes
from sparcs.planning.candidate_types import MIN_SIZE as _MIN_SIZE
from sparcs.planning.candidate_types import Candidates, Sized, StoreSpec
from sparcs.planning.measures import RetrofitPackage, SizingRules
from sparcs.profiles.build import build_inputs, default_heat_pump
from sparcs.profiles.demand import annual_demands, site_city
from sparcs.scenario.assets import PV, Battery, HeatPump, ThermalStorage

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from sparcs.climate.weather import Weather
    from sparcs.planning.config import PlanConfig
    from sparcs.planning.costs import CostTable, TechnologyCost
    from sparcs.scenario.models import Building, Scenario

__all__ = ["HP_HEATING", "Candidates", "Sized", "StoreSpec", "build_candidates"]

#: Heating systems next to which a heat pump may be planned (it takes the heat first; the
#: existing system covers the rest).
HP_HEATING = (
    "gas_boiler",
    "oil_boiler",
    "biomass_boiler",
    "district_heating",
    "electric",
    "air_source_hp",
    "ground_source_hp",
)
_BATTERY = Battery(capacity_kwh=1.0, power_kw=1.0)
_TANK = ThermalStorage(capacity_kwh=1.0)


def _roof_kwp(b: Building, rules: SizingRules) -> float:
    share = rules.roof_share_of_floor.get(b.use, 0.15)
    roof = b.roof_area_m2 if b.roof_area_m2 is not None else share * b.floor_area_m2
    return roof * rules.pv_kwp_per_m2_roof


def _hp_source(b: Building, config: PlanConfig) -> str:
    if b.heat_pump is not None:
        return b.heat_pump.source
    if b.heating in ("air_source_hp", "ground_source_hp"):
        return "air" if b.heating == "air_source_hp" else "ground"
    return config.heat_pump_source if config.heat_pump and b.heating in HP_HEATING else ""


def _envelope_building(
    b: Building,
    config: PlanConfig,
    rules: SizingRules,
    el_kwh: float,
    heat_kwh: float,
    battery: bool,
) -> Building:
    """The building with every candidate asset at its largest size (heat pump at 1 kW)."""
    update: dict[str, object] = {}
    pv_max = max(_roof_kwp(b, rules) if config.pv else 0.0, b.pv.kwp if b.pv else 0.0)
    if pv_max > _MIN_SIZE:
        pv = b.pv or PV(kwp=pv_max)
        update["pv"] = pv.model_copy(update={"kwp": pv_max})
    day_el = el_kwh / 365.0 * rules.battery_days_of_electricity
    if battery and day_el > _MIN_SIZE:
        bat = b.battery or _BATTERY
        cap = max(day_el, bat.capacity_kwh if b.battery else 0.0)
        power = max(cap * rules.battery_max_c_rate, bat.power_kw if b.battery else 0.0)
        update["battery"] = bat.model_copy(update={"capacity_kwh": cap, "power_kw": power})
    day_heat = heat_kwh / 365.0 * rules.thermal_storage_days_of_heat
    if config.thermal_storage and day_heat > _MIN_SIZE:
        tank = b.thermal_storage or _TANK
        cap = max(day_heat, tank.capacity_kwh if b.thermal_storage else 0.0)
        update["thermal_storage"] = tank.model_copy(update={"capacity_kwh": cap})
    source = _hp_source(b, config)
    if source and heat_kwh > 0 and b.heat_pump is None:
        pump = default_heat_pump(b) or HeatPump(source=source, capacity_kw=1.0)
        sink = 55.0 if b.construction_period in ("before-1950", "1950-1979") else 45.0
        update["heat_pump"] = pump.model_copy(update={"source": source, "sink_temp_c": sink})
    return b.model_copy(update=update)


def _district_battery(scenario: Scenario, grow: bool, buildings_max: float) -> object:
    current = scenario.district.battery
    if not grow or buildings_max <= _MIN_SIZE:
        return current
    base = current or _BATTERY
    cap = max(buildings_max, current.capacity_kwh if current else 0.0)
    return base.model_copy(update={"capacity_kwh": cap, "power_kw": cap})


def _envelope(
    scenario: Scenario, config: PlanConfig, rules: SizingRules, annual: dict[str, np.ndarray]
) -> Scenario:
    heat = annual["space_heat"] + annual["dhw"]
    where = config.battery_location(scenario.boundary.sharing)
    buildings = [
        _envelope_building(
            b, config, rules, float(annual["electricity"][i]), float(heat[i]), where == "building"
        )
        for i, b in enumerate(scenario.buildings)
    ]
    day_el = annual["electricity"].sum() / 365.0 * rules.battery_days_of_electricity
    battery = _district_battery(scenario, where == "district", float(day_el))
    district = scenario.district.model_copy(update={"battery": battery})
    return scenario.model_copy(update={"buildings": buildings, "district": district})


def _with_pump_sizes(
    envelope: Scenario, scenario: Scenario, peak_kw: np.ndarray, factor: float
) -> tuple[Scenario, np.ndarray, np.ndarray]:
    """Heat pumps at ``factor`` x peak heat; returns the envelope, existing and upper [kW]."""
    buildings, existing, upper = [], [], []
    for i, (b, orig) in enumerate(zip(envelope.buildings, scenario.buildings, strict=True)):
        sized = 0.0
        if orig.heat_pump is not None:
            sized = orig.heat_pump.capacity_kw
        elif orig.heating in ("air_source_hp", "ground_source_hp"):
            sized = float(peak_kw[i])  # what operation sizes an untabled heat pump to
        top = max(sized, factor * float(peak_kw[i])) if b.heat_pump is not None else sized
        if b.heat_pump is not None and top > _MIN_SIZE:
            b = b.model_copy(
                update={"heat_pump": b.heat_pump.model_copy(update={"capacity_kw": top})}
            )
        buildings.append(b)
        existing.append(sized)
        upper.append(top if b.heat_pump is not None else sized)
    out = envelope.model_copy(update={"buildings": buildings})
    return out, np.array(existing + [0.0]), np.array(upper + [0.0])


def _store_spec(items: Sequence[Battery | ThermalStorage | None]) -> StoreSpec:
    """Store parameters per unit; units without a store get neutral values."""

    def col(get: Callable[[Any], float], default: float) -> np.ndarray:
        return np.array([get(x) if x is not None else default for x in items])

    batteries = all(x is None or isinstance(x, Battery) for x in items)
    if batteries:
        return StoreSpec(
            col(lambda x: x.soc_min, 0.0),
            col(lambda x: x.soc_max, 1.0),
            col(lambda x: x.soc_initial, 0.0),
            col(lambda x: x.charge_efficiency, 1.0),
            col(lambda x: x.discharge_efficiency, 1.0),
            np.zeros(len(items)),
        )
    return StoreSpec(
        np.zeros(len(items)),
        np.ones(len(items)),
        col(lambda x: x.soc_initial, 0.0),
        np.ones(len(items)),
        np.ones(len(items)),
        col(lambda x: x.loss_pct_per_h / 100.0, 0.0),
    )


def _sized(
    name: str, existing: np.ndarray, upper: np.ndarray, tech: list[str], costs: CostTable
) -> Sized:
    def per_unit(get: Callable[[TechnologyCost], float]) -> np.ndarray:
        return np.array([get(costs[t]) if t else 0.0 for t in tech])

    return Sized(
        name=name,
        existing=np.asarray(existing, float),
        upper=np.maximum(np.asarray(upper, float), existing),
        capex=per_unit(lambda c: c.capex),
        annual_cost=per_unit(lambda c: c.annual_cost(costs.discount_rate)),
        lifetime_years=per_unit(lambda c: c.lifetime_years),
        fixed_opex=per_unit(lambda c: c.fixed_opex()),
    )


def _asset_sizes(
    scenario: Scenario,
    envelope: Scenario,
    costs: CostTable,
    hp: tuple[np.ndarray, np.ndarray],
    hp_source: tuple[str, ...],
    ev: tuple[np.ndarray, np.ndarray],
) -> dict[str, Sized]:
    """Existing and largest sizes of every sized technology, per unit."""

    def size(units: Sequence[object], attr: str) -> np.ndarray:
        return np.array([getattr(u, attr) if u is not None else 0.0 for u in units])

    old = [*scenario.buildings, None]
    new = [*envelope.buildings, None]
    bat_old = [*(b.battery for b in scenario.buildings), scenario.district.battery]
    bat_new = [*(b.battery for b in envelope.buildings), envelope.district.battery]
    tank_old = [*(b.thermal_storage for b in scenario.buildings), scenario.district.thermal_storage]
    tank_new = [*(b.thermal_storage for b in envelope.buildings), envelope.district.thermal_storage]
    n = len(old)
    pv_old = size([b.pv if b else None for b in old], "kwp")
    pv_new = size([b.pv if b else None for b in new], "kwp")
    hp_tech = [f"heat_pump_{s}" if s else "" for s in hp_source]
    return {
        "pv": _sized("pv", pv_old, pv_new, ["pv"] * n, costs),
        "hp": _sized("hp", hp[0], hp[1], hp_tech, costs),
        "battery_energy": _sized(
            "battery_energy",
            size(bat_old, "capacity_kwh"),
            size(bat_new, "capacity_kwh"),
            ["battery_energy"] * n,
            costs,
        ),
        "battery_power": _sized(
            "battery_power",
            size(bat_old, "power_kw"),
            size(bat_new, "power_kw"),
            ["battery_power"] * n,
            costs,
        ),
        "tank": _sized(
            "tank",
            size(tank_old, "capacity_kwh"),
            size(tank_new, "capacity_kwh"),
            ["thermal_storage"] * n,
            costs,
        ),
        "ev": _sized("ev", ev[0], ev[1], ["ev_charge_power"] * n, costs),
    }


def _retrofit(
    scenario: Scenario,
    packages: tuple[RetrofitPackage, ...],
    costs: CostTable,
    space_kwh: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Allowed, investment [EUR] and annual cost [EUR/a] per package and unit (K, unit)."""
    area = np.array([b.floor_area_m2 for b in scenario.buildings] + [0.0])
    allowed = np.tile(np.r_[space_kwh > 0, False], (len(packages), 1))
    shape = (len(packages), area.size)
    capex = np.array([costs[p.cost].capex * area for p in packages]).reshape(shape)
    annual = np.array([costs.annual_cost(p.cost) * area for p in packages]).reshape(shape)
    return allowed, capex * allowed, annual * allowed


def build_candidates(
    scenario: Scenario,
    weather: Weather,
    config: PlanConfig,
    costs: CostTable,
    rules: SizingRules,
    packages: tuple[RetrofitPackage, ...],
) -> Candidates:
    """The envelope scenario, its profiles and the size bounds of every candidate.

    Parameters
    ----------
    scenario
        The district as it is (the baseline).
    weather
        Weather of the scenario year.
    config
        Which measures are candidates.
    costs
        Cost table of the scenario's country.
    rules
        Size limits of the catalogue.
    packages
        Retrofit packages offered.
    """
    annual = annual_demands(scenario.buildings, site_city(scenario, weather))
    envelope = _envelope(scenario, config, rules, annual)
    inputs = build_inputs(envelope, weather)
    heat = inputs.building["space_heat_kw"] + inputs.building["dhw_kw"]
    peak = heat.max(axis=0) if heat.shape[0] else np.zeros(heat.shape[1])
    envelope, hp_old, hp_new = _with_pump_sizes(
        envelope, scenario, peak, rules.heat_pump_peak_factor
    )
    hp_source = tuple(
        _hp_source(b, config) if b.heat_pump is not None else "" for b in envelope.buildings
    ) + ("",)
    points, ev_old, ev_new = ev_sizes(scenario, config.ev_chargers, rules.ev_max_power_kw)
    sizes = _asset_sizes(scenario, envelope, costs, (hp_old, hp_new), hp_source, (ev_old, ev_new))
    n = len(scenario.buildings)
    # sessions name owners by their index in scenario.buildings; units follow the profiles
    unit_of_owner = np.array([inputs.building_ids.index(b.id) for b in scenario.buildings] + [n])
    capped = capped_sessions(inputs, unit_of_owner, points)
    inputs = envelope_sessions(inputs, unit_of_owner, points, ev_new)
    district_ev = scenario.district.ev
    ev_eff = np.ones(n + 1)  # per unit; units without chargers keep 1
    ev_eff[unit_of_owner[:-1]] = [b.ev.efficiency if b.ev else 1.0 for b in scenario.buildings]
    if district_ev:
        ev_eff[n] = float(np.mean([g.efficiency for g in district_ev]))
    kwp = sizes["pv"].upper[:-1]
    pv = inputs.building["pv_kw"]
    pv_yield = np.column_stack(
        [np.divide(pv, kwp, out=np.zeros_like(pv), where=kwp > 0), np.zeros(pv.shape[0])]
    )
    pv_yield[pv_yield < 1e-6] = 0.0  # dust at dawn: below 1 mW/kWp
    bats = [*(b.battery for b in envelope.buildings), envelope.district.battery]
    tanks = [*(b.thermal_storage for b in envelope.buildings), envelope.district.thermal_storage]
    space = inputs.annual_kwh["space_heat"]
    allowed, capex, annual_cost = _retrofit(scenario, packages, costs, space)
    notes = list(costs.notes)
    if capped and config.ev_chargers:
        notes.append(
            f"{capped} EV session(s) get less than their cars need because today's "
            "charge points cannot deliver more while they are plugged; the plan "
            "serves them as today, a re-run with more power per point serves them "
            "fully (more load than planned)"
        )
    if any(b.roof_area_m2 is None for b in scenario.buildings) and config.pv:
        notes.append(
            "buildings without roof_area_m2: usable roof estimated from the floor "
            "area and use (data/measures.toml [sizing.roof_share_of_floor]) [est]"
        )
    return Candidates(
        envelope=envelope,
        inputs=inputs,
        pv_yield=pv_yield,
        sizes=sizes,
        battery=_store_spec(bats),
        tank=_store_spec(tanks),
        hp_source=hp_source,
        packages=packages,
        retrofit_allowed=allowed,
        retrofit_capex=capex,
        retrofit_annual=annual_cost,
        base_space_heat_kwh=np.asarray(annual["space_heat"], float),
        ev_points=points,
        ev_unit_of_owner=unit_of_owner,
        ev_efficiency=ev_eff,
        notes=tuple(notes),
    )
