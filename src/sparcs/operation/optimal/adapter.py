"""Scenario + Inputs -> :class:`DispatchProblem`: the buildings and the district node as units.

Units are the scenario's buildings (in the column order of the profiles) and, last, the
district node holding the shared assets. Asset parameters come from the same resolution as
the rule simulation (:mod:`sparcs.operation.params`), so both strategies read a scenario
the same way: heat pumps without a table are sized to the building's peak heat demand,
electric heating and heat-pump back-up are unlimited electric heaters, a ``chp`` building's
peak boiler burns the CHP's fuel, and the district's heat plants serve a local heat network
for the buildings on district heating. Differences from the rule simulation, by design:
storage is free to charge from any source, EV charging is smart (per session) unless
``smart_ev=False``, the CHP has no minimum part load (an LP has no on/off decision), grid
limits are hard constraints, and cooling stays a fixed chiller load.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

import numpy as np

from sparcs.errors import DataError
from sparcs.operation.flows import DISTRICT_NODE
from sparcs.operation.optimal._scenario_extras import (
    ComfortBand,
    capacity_for_scenario,
    ev_for_scenario,
    ped_for_scenario,
    thermal_mass_for_scenario,
)
from sparcs.operation.optimal.heat_export import HeatExportParams
from sparcs.operation.optimal.objective import objective_costs, objective_weights
from sparcs.operation.optimal.problem import DispatchProblem, Labels
from sparcs.operation.optimal.unit_params import (
    Terminal,
    heat_supply,
    merge_columns,
    storage_params,
)
from sparcs.operation.params import (
    TOP_DISTRICT_HEAT,
    Columns,
    building_columns,
    check_cop,
    district_columns,
    ordered_buildings,
    outdoor_temperature,
)
from sparcs.profiles.heat_pump import CHILLER_EER, reversible_eer

if TYPE_CHECKING:
    from sparcs.profiles.inputs import Inputs
    from sparcs.scenario.models import Building, Scenario

__all__ = ["ComfortBand", "OptimalSettings", "ScenarioProblem", "scenario_problem"]


@dataclass(frozen=True)
class OptimalSettings:
    """How a scenario is turned into a dispatch LP.

    Attributes
    ----------
    objective
        A name of :data:`~sparcs.operation.optimal.objective.OBJECTIVES` or weights.
    smart_ev
        Schedule EV charging per session; False keeps the uncontrolled profile.
    thermal_mass
        Replace the space-heat demand by a 1R1C building model with a comfort band.
    comfort
        The comfort band of the thermal-mass model.
    terminal
        Storage at the end of the period: ``"initial"`` (at least the initial level),
        ``"cyclic"`` (equal to the level before the first step) or ``"free"``.
    ped
        Constrain the primary-energy balance to be non-negative: ``"none"``, ``"annual"``
        or ``"monthly"``.
    """

    objective: str | Mapping[str, float] = "cost"
    smart_ev: bool = True
    thermal_mass: bool = False
    comfort: ComfortBand = field(default_factory=ComfortBand)
    terminal: Terminal = "initial"
    ped: Literal["none", "annual", "monthly"] = "none"


@dataclass(frozen=True)
class ScenarioProblem:
    """A dispatch problem with what is needed to turn its solution into Flows.

    Attributes
    ----------
    problem
        The LP data; units are the buildings, then the district node.
    series
        Fixed series per step and node (time, node) [kW]: ``electricity``, ``chiller_el``,
        ``cooling``, ``ev_fixed``, ``pv``, ``wind``, ``virtual`` and ``virtual_heat``
        (district only).
    scenario, inputs, buildings
        The source data (buildings in the profiles' order).
    cols, dcols
        Resolved asset parameters of the buildings (heat pumps sized) and the district node.
    notes
        Choices made on the user's behalf.
    """

    problem: DispatchProblem
    series: dict[str, np.ndarray]
    scenario: Scenario
    inputs: Inputs
    buildings: list[Building]
    cols: Columns
    dcols: Columns
    notes: tuple[str, ...] = ()


def _checked(values: np.ndarray, what: str) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    if values.size and not values.min() >= 0:
        msg = f"inputs {what} has negative or missing values (min {values.min():.4g})"
        raise DataError(msg)
    return values


def _node(building: np.ndarray, district: np.ndarray | float) -> np.ndarray:
    """Buildings' (time, building) series with the district's (time,) series appended."""
    d = np.broadcast_to(np.asarray(district, dtype=float), building.shape[:1])
    return np.column_stack([building, d])


def _series(inputs: Inputs, cols: Columns, smart_ev: bool) -> dict[str, np.ndarray]:
    """Fixed series of every node [kW]."""
    b, d = inputs.building, inputs.district
    get = {
        name: _checked(b[name], f"building[{name!r}]")
        for name in (
            "electricity_kw",
            "cooling_kw",
            "pv_kw",
            "wind_kw",
            "ev_kw",
            "space_heat_kw",
            "dhw_kw",
            "solar_thermal_kw",
        )
    }
    chiller = get["cooling_kw"] / CHILLER_EER
    reversible = np.flatnonzero(cols.hp_cooling)
    if reversible.size and get["cooling_kw"].any():
        eer = reversible_eer(outdoor_temperature(inputs), cols.hp_carnot[reversible])
        chiller[:, reversible] = get["cooling_kw"][:, reversible] / eer
    ev = _node(get["ev_kw"], _checked(d["ev_kw"], "district['ev_kw']"))
    return {
        "electricity": _node(get["electricity_kw"], 0.0),
        "chiller_el": _node(chiller, 0.0),
        "cooling": _node(get["cooling_kw"], 0.0),
        "ev_fixed": np.zeros_like(ev) if smart_ev else ev,
        "pv": _node(get["pv_kw"], _checked(d["pv_kw"], "district['pv_kw']")),
        "wind": _node(get["wind_kw"], _checked(d["wind_kw"], "district['wind_kw']")),
        "solar": _node(
            get["solar_thermal_kw"], _checked(d["solar_thermal_kw"], "district['solar_thermal_kw']")
        ),
        "space": _node(get["space_heat_kw"], 0.0),
        "heat": _node(get["space_heat_kw"] + get["dhw_kw"], 0.0),
        "cop": _node(_checked(b["cop_heating"], "building['cop_heating']"), d["cop_heating"]),
        "virtual": _node(np.zeros_like(get["pv_kw"]), d["virtual_kw"]),
        "virtual_heat": _node(
            np.zeros_like(get["pv_kw"]), d.get("virtual_heat_kw", np.zeros(len(inputs.time)))
        ),
    }


def _sized(cols: Columns, heat_kw: np.ndarray, notes: list[str]) -> Columns:
    """Heat pumps without a table take the building's peak heat demand [kW]."""
    unsized = np.flatnonzero(np.isnan(cols.hp_heat_kw))
    if not unsized.size:
        return cols
    peak = heat_kw.max(axis=0) if heat_kw.shape[0] else np.zeros(len(cols))
    names = [cols.ids[i] for i in unsized]
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    notes.append(
        f"heat pumps sized to the peak heat demand (no heat_pump table) in "
        f"{len(names)} building(s): {shown}"
    )
    return cols.with_heat_pumps(peak)


def _units(
    scenario: Scenario, inputs: Inputs, settings: OptimalSettings, notes: list[str]
) -> tuple[list[Building], Columns, Columns, dict[str, np.ndarray]]:
    buildings = ordered_buildings(scenario, inputs)
    district = scenario.district
    network = bool(
        district.solar_thermal
        or district.thermal_storage
        or district.heat_pump
        or district.chp
        or district.electric_boiler
    )
    cols = building_columns(buildings)
    dcols = district_columns(district, DISTRICT_NODE, heat_network=network)
    series = _series(inputs, cols, settings.smart_ev)
    cols = _sized(cols, series["heat"][:, :-1], notes)
    check_cop(inputs.building["cop_heating"], cols.hp_heat_kw > 0, cols.ids)
    if district.heat_pump is not None:
        check_cop(inputs.district["cop_heating"][:, None], dcols.hp_heat_kw > 0, dcols.ids)
    if np.any(cols.chp_min_load > 0) or np.any(dcols.chp_min_load > 0):
        notes.append(
            "CHP minimum part load is not modelled (an LP has no on/off decision): "
            "CHP units may run at any load"
        )
    return buildings, cols, dcols, series


def scenario_problem(
    scenario: Scenario, inputs: Inputs, settings: OptimalSettings | None = None
) -> ScenarioProblem:
    """The dispatch LP of a scenario over the steps of ``inputs``.

    Raises
    ------
    DataError
        When the profiles do not match the scenario or a heat pump has no positive COP.
    ScenarioError
        When a price or factor the objective needs is missing, or fuels conflict.
    """
    settings = settings or OptimalSettings()
    notes: list[str] = []
    buildings, cols, dcols, series = _units(scenario, inputs, settings, notes)
    units = merge_columns(cols, dcols)
    cop = series["cop"]
    hp_max = np.divide(units.hp_heat_kw, cop, out=np.zeros_like(cop), where=cop > 0)
    battery, tank = storage_params(units, settings.terminal)
    battery = replace(battery, discharge_cost=_wear(scenario, buildings, settings.objective))
    # a node draws district heat exactly where district heat is its last heat source
    district_heat = bool(np.any(units.top == TOP_DISTRICT_HEAT))
    costs = objective_costs(
        scenario, inputs.time, units.fuel, settings.objective, district_heat=district_heat
    )
    supply = heat_supply(units, dcols.top[0] == TOP_DISTRICT_HEAT, costs)
    demand_el = series["electricity"] + series["chiller_el"] + series["ev_fixed"]
    labels = Labels(
        time=inputs.time, units=(*(f"building {b.id!r}" for b in buildings), "the district node")
    )
    capacity, dh_capacity = capacity_for_scenario(
        scenario,
        inputs.time,
        objective_weights(settings.objective).get("cost", 0.0),
        district_heat=district_heat,
    )
    problem = DispatchProblem(
        dt_h=inputs.dt_h,
        demand_el_kw=demand_el,
        demand_heat_kw=series["heat"],
        pv_avail_kw=series["pv"] + series["wind"],
        cop=cop,
        hp_max_el_kw=hp_max,
        battery=battery,
        tank=tank,
        connection_kw=np.full(len(units), np.inf),
        grid_import_kw=_limit(scenario.grid.import_limit_kw),
        grid_export_kw=_limit(scenario.grid.export_limit_kw),
        import_cost=costs.import_cost,
        export_price=costs.export_price,
        cyclic=settings.terminal == "cyclic",
        metering="district" if scenario.boundary.sharing == "community" else "building",
        solar_heat_kw=series["solar"] if series["solar"].any() else None,
        ev=ev_for_scenario(scenario, buildings, inputs, settings.smart_ev),
        thermal_mass=thermal_mass_for_scenario(
            scenario, buildings, inputs, series, settings, notes
        ),
        ped=ped_for_scenario(scenario, inputs, units.fuel, settings.ped),
        peak_cost=costs.peak_cost,
        capacity=capacity,
        dh_capacity=dh_capacity,
        labels=labels,
        heat_export=_heat_export(scenario, units, settings.objective),
        electric_boiler=supply.electric_boiler,
        boiler=supply.boiler,
        chp=supply.chp,
        district_heat=supply.district_heat,
    )
    return ScenarioProblem(problem, series, scenario, inputs, buildings, cols, dcols, tuple(notes))


def _heat_export(
    scenario: Scenario, units: Columns, objective: str | Mapping[str, float]
) -> HeatExportParams | None:
    """Heat fed into the district-heating network by the district node and the buildings on
    district heating, priced like the cost objective; None when the scenario exports none."""
    export = scenario.district.heat_export
    if export is None or not export.enabled:
        return None
    connected = units.top == TOP_DISTRICT_HEAT
    connected[-1] = True
    weight = objective_weights(objective).get("cost", 0.0)
    return HeatExportParams(
        max_kw=np.where(connected, np.inf, 0.0),
        total_kw=float("inf") if export.max_kw is None else float(export.max_kw),
        price=weight * export.price_eur_per_kwh,
    )


def _wear(
    scenario: Scenario, buildings: list[Building], objective: str | Mapping[str, float]
) -> np.ndarray | None:
    """Battery wear per kWh discharged, weighted like the cost objective [EUR/kWh]."""
    weight = objective_weights(objective).get("cost", 0.0)
    batteries = [b.battery for b in buildings] + [scenario.district.battery]
    wear = np.array([b.cycle_cost_eur_per_kwh if b else 0.0 for b in batteries]) * weight
    return wear if wear.any() else None


def _limit(value: float | None) -> float:
    return float("inf") if value is None else float(value)
