"""Assemble :class:`~sparcs.profiles.inputs.Inputs` for a scenario: every profile, every building.

Each profile kind is computed once for all buildings (vectorised); assets are gathered into
parameter arrays so PV, solar-thermal and wind output are computed per unique orientation or
turbine, not per building.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from sparcs.climate.weather import Weather
from sparcs.errors import WeatherError
from sparcs.profiles._generation import (
    pv_output,
    solar_thermal_output,
    virtual_heat_kw,
    virtual_kw,
    wind_output,
)
from sparcs.profiles._solar import solar_geometry
from sparcs.profiles.cooling import cooling_profiles
from sparcs.profiles.demand import site_city, weather_year_demands
from sparcs.profiles.dhw import dhw_profiles
from sparcs.profiles.electricity import electricity_profiles
from sparcs.profiles.ev import (
    ev_sessions,
    uncontrolled_charging_kw,
    uncontrolled_district_charging_kw,
)
from sparcs.profiles.heat import space_heat_profiles
from sparcs.profiles.heat_pump import DHW_SUPPLY_C, combined_cop, distinct_heat_pump_cop
from sparcs.profiles.inputs import EVSessions, Inputs
from sparcs.scenario import Building, HeatPump, Scenario
from sparcs.timeseries import year_index

__all__ = ["build_inputs", "default_heat_pump"]

_OLD_PERIODS = ("before-1950", "1950-1979")


def default_heat_pump(building: Building) -> HeatPump | None:
    """The building's heat pump: its own table, or a default for a heat-pump heating system.

    Older buildings get a higher sink temperature (55 degC) than newer ones (45 degC), because
    their radiators need it. Capacity 1 kW is a placeholder: operation sizes an untabled heat
    pump to the building's peak demand.
    """
    if building.heat_pump is not None:
        return building.heat_pump
    if building.heating not in ("air_source_hp", "ground_source_hp"):
        return None
    source = "air" if building.heating == "air_source_hp" else "ground"
    sink = 55.0 if building.construction_period in _OLD_PERIODS else 45.0
    return HeatPump(source=source, capacity_kw=1.0, sink_temp_c=sink)


def _with_district_column(n_steps: int, n: int) -> np.ndarray:
    """Column-major zeros (time, buildings) in a buffer with one more zero column after them.

    The series that become flows unchanged (electricity, cooling, PV, solar thermal, wind, EV
    charging) are written here, so the rule simulation can use the whole buffer, with the
    district node as its last column, as the flow without a copy (docs/memory.md).
    """
    return np.zeros((n_steps, n + 1), order="F")[:, :n]


def _freeze(values: np.ndarray) -> None:
    """Make ``values`` and the buffer it views read-only: flows may share that memory."""
    values.flags.writeable = False
    if isinstance(values.base, np.ndarray):
        values.base.flags.writeable = False


def _columns(
    n_steps: int,
    n: int,
    owners: Sequence[int] | np.ndarray,
    values: np.ndarray,
    which: np.ndarray | None = None,
) -> np.ndarray:
    """Place the owners' series into (time, building), column-major like the demand profiles.

    Column ``j`` of ``values`` belongs to owner ``owners[j]``, or, given ``which``, to every
    owner ``owners[k]`` with ``which[k] == j`` (series shared by many owners are then copied
    straight to them). Columns of buildings without the asset are zeros that are never
    written, so they take no memory. The result has a district column after it in its
    buffer (:func:`_with_district_column`).
    """
    out = _with_district_column(n_steps, n)
    if not len(owners):
        return out
    positions = np.asarray(owners, dtype=int)
    if which is None:
        out[:, positions] = values
        return out
    for j in range(values.shape[1]):
        for column in positions[which == j]:  # contiguous column copies, no gathered block
            out[:, column] = values[:, j]
    return out


def _cop(
    weather: Weather, pumps: Sequence[HeatPump], *, dhw: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """COP per distinct heat pump (time, d) and each pump's column (see distinct_heat_pump_cop),
    at the pumps' space-heating sink temperature, or with ``dhw`` at the hot-water one."""
    if not pumps:
        return np.zeros((len(weather.time), 0)), np.zeros(0, dtype=int)
    sink = [max(p.sink_temp_c, DHW_SUPPLY_C) if dhw else p.sink_temp_c for p in pumps]
    return distinct_heat_pump_cop(
        weather,
        [p.source for p in pumps],
        sink,
        [p.carnot_efficiency for p in pumps],
    )


#: Heat pumps whose effective COP is computed together [columns].
_COP_BLOCK = 64


def _building_cop(
    weather: Weather,
    pumps: Sequence[HeatPump],
    owners: Sequence[int],
    space_kw: np.ndarray,
    dhw_kw: np.ndarray,
    dhw_kwh: np.ndarray,
) -> np.ndarray:
    """Effective heating COP of each building's heat pump (time, building): space heat at the
    pump's sink temperature and hot water at :data:`DHW_SUPPLY_C`, weighted by the building's
    demand in each step (:func:`combined_cop`); zeros where there is no heat pump."""
    n_steps, n = len(weather.time), dhw_kwh.size
    space_cop, space_which = _cop(weather, pumps)
    columns = np.asarray(owners, dtype=int)
    with_dhw = columns[dhw_kwh[columns] > 0]
    if not with_dhw.size:
        return _columns(n_steps, n, columns, space_cop, space_which)
    dhw_cop, dhw_which = _cop(weather, pumps, dhw=True)
    out = _columns(n_steps, n, columns, space_cop, space_which)
    position = {int(o): k for k, o in enumerate(columns)}
    for start in range(0, with_dhw.size, _COP_BLOCK):
        cols = with_dhw[start : start + _COP_BLOCK]
        k = np.array([position[int(c)] for c in cols])
        out[:, cols] = combined_cop(
            space_kw[:, cols],
            dhw_kw[:, cols],
            space_cop[:, space_which[k]],
            dhw_cop[:, dhw_which[k]],
        )
    return out


def _owned(buildings: Sequence[Building], attr: str) -> tuple[list[int], list[Any]]:
    owners, assets = [], []
    for i, building in enumerate(buildings):
        asset = getattr(building, attr)
        if asset is not None:
            owners.append(i)
            assets.append(asset)
    return owners, assets


def _demand_profiles(
    scenario: Scenario, weather: Weather, annual: dict[str, np.ndarray], country: str | None
) -> dict[str, np.ndarray]:
    buildings = scenario.buildings
    uses = [b.use for b in buildings]
    temp = weather.data["temp_air"].to_numpy()
    ghi = weather.data["ghi"].to_numpy()
    time = weather.time
    return {
        "electricity_kw": electricity_profiles(
            time,
            annual["electricity"],
            [b.electricity_profile for b in buildings],
            uses=uses,
            seed=scenario.seed,
            out=_with_district_column(len(time), len(buildings)),
            timezone=scenario.timezone,
            country=country,
        ),
        "space_heat_kw": space_heat_profiles(
            time,
            annual["space_heat"],
            uses,
            temp_air_c=temp,
            ghi_w_m2=ghi,
            seed=scenario.seed + 1,
            timezone=scenario.timezone,
            country=country,
        ),
        "dhw_kw": dhw_profiles(
            time,
            annual["dhw"],
            uses,
            seed=scenario.seed + 2,
            timezone=scenario.timezone,
            country=country,
        ),
        "cooling_kw": cooling_profiles(
            time,
            annual["cooling"],
            uses,
            temp_air_c=temp,
            ghi_w_m2=ghi,
            seed=scenario.seed + 3,
            out=_with_district_column(len(time), len(buildings)),
            timezone=scenario.timezone,
            country=country,
        ),
    }


def _ev(scenario: Scenario, weather: Weather) -> tuple[EVSessions, np.ndarray, np.ndarray]:
    owners, groups = _owned(scenario.buildings, "ev")
    groups = [*groups, *scenario.district.ev]
    owners = [*owners, *([-1] * len(scenario.district.ev))]
    n_steps, n = len(weather.time), len(scenario.buildings)
    if not groups:
        no_charging = _columns(n_steps, n, [], np.zeros((n_steps, 0)))
        return EVSessions.empty(), no_charging, np.zeros(n_steps)
    sessions = ev_sessions(
        weather.time, groups, owners, timezone=scenario.timezone, seed=scenario.seed + 4
    )
    building_kw = uncontrolled_charging_kw(
        sessions, n_steps, weather.dt_h, n, out=_with_district_column(n_steps, n)
    )
    district_kw = uncontrolled_district_charging_kw(sessions, n_steps, weather.dt_h)
    return sessions, building_kw, district_kw


def _sees_sun(scenario: Scenario) -> bool:
    """Whether any PV or solar-thermal collector of ``scenario`` needs the sun's position."""
    district = scenario.district
    return (
        any(b.pv or b.solar_thermal for b in scenario.buildings)
        or bool(district.pv or district.solar_thermal)
        or any(a.kind in ("pv", "solar_thermal") for a in scenario.boundary.virtual_assets)
    )


def build_inputs(scenario: Scenario, weather: Weather) -> Inputs:
    """Compute every profile of every building of ``scenario`` from ``weather``.

    Parameters
    ----------
    scenario
        The validated scenario.
    weather
        Weather on the scenario's year and time step (see :func:`sparcs.climate.load_weather`).

    Returns
    -------
    Inputs
        Time x building arrays [kW] and district series, with the annual demands used. The
        building arrays are read-only and column-major; the series an operation turns into
        flows unchanged (electricity, cooling, PV, solar thermal, wind, EV charging) are the
        first columns of a buffer with one more, zero, column, which the rule simulation
        uses as the flow itself (the district node's column) at hourly steps instead of
        copying it. ``support`` lists the columns where each asset series may be non-zero.

    Raises
    ------
    WeatherError
        When the weather does not cover the scenario's year at its time step.
    """
    time = year_index(scenario.year, scenario.timestep, scenario.timezone)
    if not weather.time.equals(time):
        msg = (
            f"weather ({weather.source}) runs {weather.time[0]} .. {weather.time[-1]} with "
            f"{len(weather.time)} steps; the scenario needs {len(time)} steps of "
            f"{scenario.timestep} from {time[0]} (use sparcs.climate.load_weather)"
        )
        raise WeatherError(msg)
    city = site_city(scenario, weather)
    country = city.country or None
    buildings = scenario.buildings
    n_steps, n = len(time), len(buildings)
    annual = weather_year_demands(buildings, city, weather)
    series = _demand_profiles(scenario, weather, annual, country)
    pv_owners, pv_arrays = _owned(buildings, "pv")
    st_owners, st_arrays = _owned(buildings, "solar_thermal")
    wind_owners, turbines = _owned(buildings, "wind")
    pumps = [default_heat_pump(b) for b in buildings]
    hp_owners = [i for i, p in enumerate(pumps) if p is not None]
    # the asset series fill only their owners' columns, so the others commit no memory
    sessions, ev_building_kw, ev_district_kw = _ev(scenario, weather)
    # one sun position for every collector of the district (NREL SPA: 0.05 s a year)
    sun = solar_geometry(weather) if _sees_sun(scenario) else None
    series |= {
        "pv_kw": _columns(n_steps, n, pv_owners, pv_output(weather, pv_arrays, sun)),
        "solar_thermal_kw": _columns(
            n_steps, n, st_owners, solar_thermal_output(weather, st_arrays, sun)
        ),
        "wind_kw": _columns(n_steps, n, wind_owners, wind_output(weather, turbines)),
        "ev_kw": ev_building_kw,
        "cop_heating": _building_cop(
            weather,
            [p for p in pumps if p],
            hp_owners,
            series["space_heat_kw"],
            series["dhw_kw"],
            annual["dhw"],
        ),
    }
    district = scenario.district
    district_cop = (
        _cop(weather, [district.heat_pump])[0] if district.heat_pump else np.zeros((n_steps, 1))
    )
    district_series = {
        "pv_kw": pv_output(weather, district.pv, sun).sum(axis=1),
        "wind_kw": wind_output(weather, district.wind).sum(axis=1),
        "solar_thermal_kw": solar_thermal_output(weather, district.solar_thermal, sun).sum(axis=1),
        "ev_kw": ev_district_kw,
        "cop_heating": district_cop[:, 0],
        "virtual_kw": virtual_kw(scenario, weather, sun),
        "virtual_heat_kw": virtual_heat_kw(scenario, weather, sun),
    }
    for values in series.values():
        _freeze(values)
    ev_owners, _ = _owned(buildings, "ev")
    owned: dict[str, Sequence[int] | np.ndarray] = {
        "pv_kw": pv_owners,
        "solar_thermal_kw": st_owners,
        "wind_kw": wind_owners,
        "ev_kw": ev_owners,
        "cop_heating": hp_owners,
        "electricity_kw": np.flatnonzero(annual["electricity"] > 0),
        "cooling_kw": np.flatnonzero(annual["cooling"] > 0),
    }
    return Inputs(
        time=time,
        dt_h=weather.dt_h,
        building_ids=tuple(b.id for b in buildings),
        building=series,
        district=district_series,
        annual_kwh=annual,
        ev_sessions=sessions,
        weather=weather,
        support={name: np.isin(np.arange(n), owners) for name, owners in owned.items()},
    )
