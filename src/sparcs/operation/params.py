"""Per-node parameters of a district, resolved once from the scenario, for every strategy.

The simulation works on *columns*: one per building, or the single district node. Every asset
parameter becomes an array shaped (column,), with neutral values where a column lacks the asset
(capacity 0, efficiency 1), so one array expression serves every column. The checks of the
profiles against the scenario are in :mod:`sparcs.operation.inputs` (importable from here too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from sparcs.errors import ScenarioError
from sparcs.operation.inputs import check_cop, ordered_buildings, outdoor_temperature
from sparcs.scenario.assets import Boiler, ElectricBoiler, HeatPump

if TYPE_CHECKING:
    from sparcs.scenario.assets import CHP, Battery, ThermalStorage
    from sparcs.scenario.models import Building, District

__all__ = [
    "TOP_BOILER",
    "TOP_DISTRICT_HEAT",
    "TOP_ELECTRIC",
    "TOP_NONE",
    "Columns",
    "building_columns",
    "capacities",
    "check_cop",
    "district_columns",
    "ordered_buildings",
    "outdoor_temperature",
]

#: What covers the heat the CHP and the heat pump leave: nothing, district heat, a fuel boiler
#: or an electric heater.
TOP_NONE, TOP_DISTRICT_HEAT, TOP_BOILER, TOP_ELECTRIC = 0, 1, 2, 3

# Defaults are read from the asset models, so a default is written in one place only.
_BOILER_EFFICIENCY = float(Boiler.model_fields["efficiency"].default)
_HEATER_EFFICIENCY = float(ElectricBoiler.model_fields["efficiency"].default)
_CARNOT = float(HeatPump.model_fields["carnot_efficiency"].default)
_BOILER_FUEL = {"gas_boiler": "gas", "oil_boiler": "oil", "biomass_boiler": "biomass"}


@dataclass(frozen=True)
class Columns:
    """Asset parameters of the simulated columns, each an array shaped (column,).

    Attributes
    ----------
    ids
        Column names (building ids, or ``"district"``).
    heating
        Heating system of each column (for messages; ``"district"`` for the district node).
    chp_heat_kw, chp_min_load, chp_el_per_heat, chp_fuel_per_heat
        CHP thermal capacity [kW] (0 = none), lowest part load [-], electricity and fuel per
        unit of heat [-].
    hp_heat_kw
        Heat-pump thermal capacity [kW]; NaN until sized to the peak heat demand.
    hp_cooling, hp_carnot
        Whether the heat pump also cools, and its share of the Carnot efficiency [-].
    top, top_efficiency, top_capacity_kw
        Kind of the last heat source (``TOP_*``), its efficiency [-] and capacity [kW]
        (inf = unlimited).
    battery_kwh, battery_kw, charge_eff, discharge_eff, soc_min, soc_max, soc_initial
        Battery capacity [kWh], power [kW], efficiencies [-] and state-of-charge fractions [-].
    tes_kwh, tes_loss_per_h, tes_initial
        Thermal-storage capacity [kWh], standing loss [1/h] and initial fill [-].
    p2h_kw, p2h_efficiency
        Power-to-heat (electric boiler on surplus) power [kW] and efficiency [-].
    fuel
        Fuel of the column's boiler and CHP, or ``""``.
    """

    ids: tuple[str, ...]
    heating: tuple[str, ...]
    chp_heat_kw: np.ndarray
    chp_min_load: np.ndarray
    chp_el_per_heat: np.ndarray
    chp_fuel_per_heat: np.ndarray
    hp_heat_kw: np.ndarray
    hp_cooling: np.ndarray
    hp_carnot: np.ndarray
    top: np.ndarray
    top_efficiency: np.ndarray
    top_capacity_kw: np.ndarray
    battery_kwh: np.ndarray
    battery_kw: np.ndarray
    charge_eff: np.ndarray
    discharge_eff: np.ndarray
    soc_min: np.ndarray
    soc_max: np.ndarray
    soc_initial: np.ndarray
    tes_kwh: np.ndarray
    tes_loss_per_h: np.ndarray
    tes_initial: np.ndarray
    p2h_kw: np.ndarray
    p2h_efficiency: np.ndarray
    fuel: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, index: np.ndarray) -> Columns:
        """The columns at the integer positions ``index``."""
        values: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            values[f.name] = (
                value[index] if isinstance(value, np.ndarray) else tuple(value[i] for i in index)
            )
        return Columns(**values)

    @property
    def stateful(self) -> np.ndarray:
        """Columns with a battery, a thermal store or power-to-heat (need the time loop)."""
        return (self.battery_kwh > 0) | (self.tes_kwh > 0) | (self.p2h_kw > 0)

    def with_heat_pumps(self, heat_kw: np.ndarray) -> Columns:
        """A copy whose unsized heat pumps (NaN) take ``heat_kw`` [kW]."""
        sized = np.where(np.isnan(self.hp_heat_kw), heat_kw, self.hp_heat_kw)
        return replace(self, hp_heat_kw=sized)


@dataclass
class _Row:
    """Parameters of one column while they are collected (plain floats)."""

    chp: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    hp: tuple[float, bool, float] = (0.0, False, _CARNOT)
    top: tuple[int, float, float] = (TOP_NONE, 1.0, np.inf)
    battery: tuple[float, ...] = (0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0)
    tes: tuple[float, float, float] = (0.0, 0.0, 0.0)
    p2h: tuple[float, float] = (0.0, 1.0)
    fuel: str = ""


def _chp(chp: CHP | None) -> tuple[float, float, float, float]:
    if chp is None:
        return (0.0, 0.0, 0.0, 0.0)
    ratio = chp.electrical_efficiency / chp.thermal_efficiency
    return (chp.thermal_kw, chp.min_load, ratio, 1.0 / chp.thermal_efficiency)


def _hp(hp: HeatPump | None, sized: bool) -> tuple[float, bool, float]:
    if hp is not None:
        return (hp.capacity_kw, hp.cooling, hp.carnot_efficiency)
    return (np.nan if sized else 0.0, False, _CARNOT)


def _battery(battery: Battery | None) -> tuple[float, ...]:
    if battery is None:
        return (0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0)
    b = battery
    return (
        b.capacity_kwh,
        b.power_kw,
        b.charge_efficiency,
        b.discharge_efficiency,
        b.soc_min,
        b.soc_max,
        b.soc_initial,
    )


def _tes(tes: ThermalStorage | None) -> tuple[float, float, float]:
    if tes is None:
        return (0.0, 0.0, 0.0)
    return (tes.capacity_kwh, tes.loss_pct_per_h / 100.0, tes.soc_initial)


def _one_fuel(where: str, fuels: Sequence[str]) -> str:
    """The single fuel of a column; Flows carry one fuel per node."""
    used = sorted(set(fuels) - {""})
    if len(used) > 1:
        msg = (
            f"{where} burns {' and '.join(used)}; a node has one fuel in the flows, so give its "
            "boiler and CHP the same fuel"
        )
        raise ScenarioError(msg)
    return used[0] if used else ""


def _boiler_top(building: Building, fuel: str) -> tuple[tuple[int, float, float], str]:
    """The fuel boiler of ``building`` burning ``fuel`` unless its table says otherwise."""
    boiler = building.boiler
    if boiler is None:
        return (TOP_BOILER, _BOILER_EFFICIENCY, np.inf), fuel
    if "fuel" in boiler.model_fields_set and boiler.fuel != fuel:
        msg = (
            f"building {building.id!r}: heating = '{building.heating}' burns {fuel} but "
            f"boiler.fuel = '{boiler.fuel}'; make them agree"
        )
        raise ScenarioError(msg)
    capacity = np.inf if boiler.capacity_kw is None else boiler.capacity_kw
    return (TOP_BOILER, boiler.efficiency, capacity), fuel


def _building_row(building: Building) -> _Row:
    """Collect the parameters of one building."""
    heating = building.heating
    heater_eff = (
        building.electric_boiler.efficiency if building.electric_boiler else _HEATER_EFFICIENCY
    )
    row = _Row(
        chp=_chp(building.chp),
        battery=_battery(building.battery),
        tes=_tes(building.thermal_storage),
    )
    row.hp = _hp(building.heat_pump, heating in ("air_source_hp", "ground_source_hp"))
    if building.electric_boiler is not None:
        row.p2h = (building.electric_boiler.power_kw, building.electric_boiler.efficiency)
    chp_fuel = building.chp.fuel if building.chp is not None else ""
    boiler_fuel = ""
    if heating == "district_heating":
        row.top = (TOP_DISTRICT_HEAT, 1.0, np.inf)
    elif heating in _BOILER_FUEL:
        row.top, boiler_fuel = _boiler_top(building, _BOILER_FUEL[heating])
    elif heating == "chp":
        # the peak boiler of a CHP burns the CHP's fuel unless a boiler table names one
        boiler = building.boiler
        named = boiler is not None and "fuel" in boiler.model_fields_set
        peak_fuel = boiler.fuel if boiler is not None and named else chp_fuel
        row.top, boiler_fuel = _boiler_top(building, peak_fuel)
    elif heating in ("electric", "air_source_hp", "ground_source_hp"):
        row.top = (TOP_ELECTRIC, heater_eff, np.inf)
    row.fuel = _one_fuel(f"building {building.id!r}", (chp_fuel, boiler_fuel))
    return row


def _assemble(ids: Sequence[str], heating: Sequence[str], rows: Sequence[_Row]) -> Columns:
    """Stack the rows into arrays."""

    def col(attr: str, k: int, dtype: type = float) -> np.ndarray:
        return np.array([getattr(r, attr)[k] for r in rows], dtype=dtype)

    return Columns(
        ids=tuple(ids),
        heating=tuple(heating),
        chp_heat_kw=col("chp", 0),
        chp_min_load=col("chp", 1),
        chp_el_per_heat=col("chp", 2),
        chp_fuel_per_heat=col("chp", 3),
        hp_heat_kw=col("hp", 0),
        hp_cooling=col("hp", 1, bool),
        hp_carnot=col("hp", 2),
        top=col("top", 0, int),
        top_efficiency=col("top", 1),
        top_capacity_kw=col("top", 2),
        battery_kwh=col("battery", 0),
        battery_kw=col("battery", 1),
        charge_eff=col("battery", 2),
        discharge_eff=col("battery", 3),
        soc_min=col("battery", 4),
        soc_max=col("battery", 5),
        soc_initial=col("battery", 6),
        tes_kwh=col("tes", 0),
        tes_loss_per_h=col("tes", 1),
        tes_initial=col("tes", 2),
        p2h_kw=col("p2h", 0),
        p2h_efficiency=col("p2h", 1),
        fuel=tuple(r.fuel for r in rows),
    )


def building_columns(buildings: Sequence[Building]) -> Columns:
    """Parameters of ``buildings``, in the given order.

    A heat pump heating without a ``heat_pump`` table gets NaN capacity, to be sized to the
    building's peak heat demand (:meth:`Columns.with_heat_pumps`).

    Raises
    ------
    ScenarioError
        When a building's boiler and CHP burn different fuels, or its boiler table contradicts
        its heating system.
    """
    rows = [_building_row(b) for b in buildings]
    return _assemble([b.id for b in buildings], [b.heating for b in buildings], rows)


def district_columns(district: District, node: str, *, heat_network: bool) -> Columns:
    """Parameters of the district node (one column).

    Parameters
    ----------
    district
        The shared assets.
    node
        Name of the district node.
    heat_network
        True when the district's heat plants serve a local heat network; its last source is
        then the external district-heating network.
    """
    row = _Row(
        chp=_chp(district.chp),
        battery=_battery(district.battery),
        tes=_tes(district.thermal_storage),
    )
    if district.heat_pump is not None:
        row.hp = _hp(district.heat_pump, sized=False)
    if district.electric_boiler is not None:
        row.p2h = (district.electric_boiler.power_kw, district.electric_boiler.efficiency)
    if heat_network:
        row.top = (TOP_DISTRICT_HEAT, 1.0, np.inf)
    row.fuel = district.chp.fuel if district.chp is not None else ""
    return _assemble([node], [node], [row])


def capacities(
    buildings: Sequence[Building], district: District, cols: Columns, dcols: Columns
) -> dict[str, np.ndarray]:
    """Installed sizes per node, the district node last."""

    def per_building(get: Callable[[Building], float]) -> list[float]:
        return [float(get(b)) for b in buildings]

    pv = per_building(lambda b: b.pv.kwp if b.pv else 0.0)
    wind = per_building(lambda b: b.wind.capacity_kw if b.wind else 0.0)
    st = per_building(lambda b: b.solar_thermal.area_m2 if b.solar_thermal else 0.0)
    ev = per_building(lambda b: b.ev.count if b.ev else 0)
    chp = per_building(lambda b: b.chp.electric_kw if b.chp else 0.0)
    return {
        "battery_kwh": np.append(cols.battery_kwh, dcols.battery_kwh),
        "tes_kwh": np.append(cols.tes_kwh, dcols.tes_kwh),
        # energy stored before the first step [kWh], the start of the fair-end comparison
        "battery_initial_kwh": np.append(
            cols.soc_initial * cols.battery_kwh, dcols.soc_initial * dcols.battery_kwh
        ),
        "tes_initial_kwh": np.append(
            cols.tes_initial * cols.tes_kwh, dcols.tes_initial * dcols.tes_kwh
        ),
        "pv_kwp": np.array([*pv, sum(p.kwp for p in district.pv)]),
        "ev_points": np.array([*ev, sum(e.count for e in district.ev)], dtype=float),
        "wind_kw": np.array([*wind, sum(w.capacity_kw for w in district.wind)]),
        "solar_thermal_m2": np.array([*st, sum(s.area_m2 for s in district.solar_thermal)]),
        "hp_kw": np.append(cols.hp_heat_kw, dcols.hp_heat_kw),
        "chp_el_kw": np.array([*chp, district.chp.electric_kw if district.chp else 0.0]),
        "eboiler_kw": np.append(cols.p2h_kw, dcols.p2h_kw),
    }
