"""Annual demands per building, for a normal year of the city's climate and for a weather year.

Two steps (method and figures in ``docs/demand.md``):

1. **Normal year.** A building's annual demand is the value given in the scenario, or its
   archetype intensity times its floor area. The intensities of the national typologies,
   moved to the site's climate by normal heating degree-hours, are in
   :mod:`sparcs.profiles.intensity`.
2. **Weather year.** Space heat is proportional to heating degree-hours at the use's heating
   limit, so the weather year's heat is the normal-year heat times
   ``HDH(weather) / HDH(normal)``. Cooling follows an energy signature (ISO 50006:2014,
   ASHRAE Guideline 14-2014 change-point form) in the cooling degree days ``CDD`` (base
   18 degC, from hourly values): ``c = c_300 * (s + (1 - s) * CDD / 300)`` with the
   weather-independent share ``s`` of the use. Given annual values (``space_heat_kwh``,
   ``cooling_kwh``) are read as normal-year figures, as weather-normalised consumption is
   reported (VDI 3807-1), and move to the weather year in the same way. Hot water and
   electricity do not depend on the weather year.

A building that asks for cooling (``cooling = true``) but whose cooling comes out (nearly)
zero draws a :class:`~sparcs.errors.SparcsWarning`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from sparcs.climate.synthetic import daily_mean_sigma_c
from sparcs.climate.weather import Weather
from sparcs.data import City, get_city
from sparcs.errors import SparcsWarning
from sparcs.profiles._degree_hours import (
    COOLING_BASE_C,
    HOURS_PER_DAY,
    degree_hours,
    month_hours,
    normal_degree_hours,
)
from sparcs.profiles.heat import THERMAL_USE
from sparcs.profiles.intensity import (
    COOLING_REFERENCE_CDD,
    RESIDENTIAL,
    Intensity,
    Typology,
    cooling_factor,
    normal_intensity,
    typology,
)
from sparcs.scenario import Building, Scenario

__all__ = [
    "COOLING_REFERENCE_CDD",
    "DEMANDS",
    "MIN_COOLING_KWH_M2",
    "RESIDENTIAL",
    "Intensity",
    "Typology",
    "annual_demands",
    "cooling_factor",
    "normal_intensity",
    "site_city",
    "typology",
    "weather_year_demands",
]

DEMANDS = ("electricity", "space_heat", "dhw", "cooling")
#: Cooling below this intensity counts as none for the warning [kWh/(m2 a)].
MIN_COOLING_KWH_M2 = 0.5


def site_city(scenario: Scenario, weather: Weather) -> City:
    """The embedded city of the scenario, or a custom-site city whose normals come from ``weather``.

    For a custom site, monthly mean temperatures of the weather replace normals, so archetype
    intensities scale with the degree-hours of the weather the user supplied, and the weather
    year counts as the normal year.
    """
    if scenario.site.city is not None:
        return get_city(scenario.site.city)
    reference = get_city("leipzig")
    local = weather.data["temp_air"].tz_convert(scenario.timezone)
    monthly = (
        local.groupby(pd.DatetimeIndex(local.index).month)
        .mean()
        .reindex(range(1, 13))
        .interpolate()
        .bfill()
        .ffill()
    )
    return replace(
        reference,
        key="custom",
        name="custom site",
        country=(scenario.site.country or "").upper(),
        latitude=weather.latitude,
        longitude=weather.longitude,
        timezone=scenario.timezone,
        temp_c=tuple(float(v) for v in monthly),
    )


def _intensities(buildings: Sequence[Building], city: City) -> list[Intensity]:
    table: dict[tuple[str, str], Intensity] = {}
    for b in buildings:
        key = (b.use, b.construction_period)
        if key not in table:
            table[key] = normal_intensity(b.use, b.construction_period, city)
    return [table[(b.use, b.construction_period)] for b in buildings]


def _annual(building: Building, intensity: Intensity) -> tuple[float, float, float, float]:
    area = building.floor_area_m2
    electricity = building.electricity_kwh
    if electricity is None:
        electricity = intensity.electricity_kwh_m2 * area
    space_heat = building.space_heat_kwh
    if space_heat is None:
        space_heat = intensity.space_heat_kwh_m2 * area if building.heating != "none" else 0.0
    dhw = building.dhw_kwh
    if dhw is None:
        dhw = (
            intensity.dhw_kwh_m2 * area
            if building.hot_water and building.heating != "none"
            else 0.0
        )
    cooling = building.cooling_kwh
    if cooling is None:
        cooling = intensity.cooling_kwh_m2 * area if building.cooling else 0.0
    return float(electricity), float(space_heat), float(dhw), float(cooling)


def annual_demands(buildings: list[Building], city: City) -> dict[str, np.ndarray]:
    """Normal-year annual demand per building [kWh]: the given value, else intensity x area.

    Parameters
    ----------
    buildings
        The buildings, in column order.
    city
        The climate whose normal year the intensities are for (:func:`normal_intensity`).

    Returns
    -------
    dict
        ``electricity``, ``space_heat``, ``dhw``, ``cooling`` -> array (building,) [kWh/a].
    """
    intensities = _intensities(buildings, city)
    values = np.array(
        [_annual(b, i) for b, i in zip(buildings, intensities, strict=True)], dtype=float
    ).reshape(-1, 4)
    return {name: values[:, i] for i, name in enumerate(DEMANDS)}


def weather_year_demands(
    buildings: list[Building], city: City, weather: Weather
) -> dict[str, np.ndarray]:
    """Annual demand per building over the weather's period [kWh]: :func:`annual_demands`
    moved from the normal year to the weather by degree-hours.

    Space heat times ``HDH(weather) / HDH(normal)`` at the use's heating limit (the normal
    over the same calendar months, :func:`~sparcs.profiles._degree_hours.month_hours`); cooling
    from :func:`cooling_factor` of the weather's cooling degree days instead of the normal's
    (a given ``cooling_kwh`` times the ratio of the two, when the normal's is positive). For a
    custom site (``city.key == "custom"``) the weather is the normal year.

    Warns
    -----
    SparcsWarning
        When buildings ask for cooling but theirs is below :data:`MIN_COOLING_KWH_M2`.
    """
    normal = annual_demands(buildings, city)
    out = {name: values.copy() for name, values in normal.items()}
    if not buildings:
        return out
    temp = weather.data["temp_air"].to_numpy(dtype=float)
    hours = month_hours(weather.time, weather.dt_h)
    uses = sorted({b.use for b in buildings})
    limits = np.array([THERMAL_USE[u].heating_limit_c for u in uses])
    year_hdh = degree_hours(temp, limits, weather.dt_h)
    year_cdd = (
        float(degree_hours(temp, COOLING_BASE_C, weather.dt_h, cooling=True)[0]) / HOURS_PER_DAY
    )
    if city.key == "custom":
        normal_hdh, normal_cdd = year_hdh, year_cdd
    else:
        sigma = daily_mean_sigma_c(city.temp_day_sd_c)
        normal_hdh = normal_degree_hours(
            city.temp_c, city.temp_amp_c, limits, hours=hours, day_sigma_k=sigma
        )
        normal_cdd = (
            float(
                normal_degree_hours(
                    city.temp_c,
                    city.temp_amp_c,
                    COOLING_BASE_C,
                    hours=hours,
                    cooling=True,
                    day_sigma_k=sigma,
                )[0]
            )
            / HOURS_PER_DAY
        )
    heat_ratio = dict(
        zip(
            uses,
            np.divide(year_hdh, normal_hdh, out=np.ones_like(year_hdh), where=normal_hdh > 0),
            strict=True,
        )
    )
    out["space_heat"] *= np.array([heat_ratio[b.use] for b in buildings])
    intensities = _intensities(buildings, city)
    for i, (b, intensity) in enumerate(zip(buildings, intensities, strict=True)):
        if not b.cooling and b.cooling_kwh is None:
            continue
        year = float(cooling_factor(year_cdd, intensity.cooling_internal_share))
        if b.cooling_kwh is None:
            out["cooling"][i] = intensity.cooling_300_kwh_m2 * b.floor_area_m2 * year
        else:
            ref = float(cooling_factor(normal_cdd, intensity.cooling_internal_share))
            out["cooling"][i] = b.cooling_kwh * (year / ref if ref > 0 else 1.0)
    _warn_no_cooling(buildings, out["cooling"], year_cdd)
    return out


def _warn_no_cooling(buildings: Sequence[Building], cooling: np.ndarray, cdd: float) -> None:
    """One :class:`SparcsWarning` naming the buildings that ask for cooling but get (almost)
    none."""
    area = np.array([b.floor_area_m2 for b in buildings])
    asked = np.array([b.cooling and b.cooling_kwh is None for b in buildings])
    none = np.flatnonzero(asked & (cooling < MIN_COOLING_KWH_M2 * area))
    if not none.size:
        return
    names = ", ".join(repr(buildings[i].id) for i in none[:5]) + (" ..." if none.size > 5 else "")
    msg = (
        f"{none.size} building(s) ask for cooling (cooling = true) but need less than "
        f"{MIN_COOLING_KWH_M2:g} kWh/m2a of it: {names}. The weather has {cdd:.0f} K d of "
        f"cooling degree days (base {COOLING_BASE_C:g} degC) and their use cools only with "
        "the weather; give cooling_kwh to set a cooling demand, or cooling = false"
    )
    warnings.warn(msg, SparcsWarning, stacklevel=3)
