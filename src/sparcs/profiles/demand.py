"""Annual demands per building, for a normal year of the city's climate and for a weather year.

Two steps (method and figures in ``docs/demand.md``):

1. **Normal year.** A building's annual demand is the value given in the scenario, or its
   archetype intensity times its floor area. Intensities come from the national typology of
   the city's country (``data/national_demand.toml``; the German table ``archetypes.csv`` for
   DE, for countries without one and for non-residential uses, calibrated per country), moved
   from the typology's reference city to the site by the ratio of normal heating
   degree-hours (:func:`~sparcs.profiles._degree_hours.normal_degree_hours`; degree-day method
   of VDI 3807-1:2013 and EN ISO 15927-6:2007).
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

import csv
import io
import tomllib
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from sparcs.climate.synthetic import daily_mean_sigma_c
from sparcs.climate.weather import Weather
from sparcs.data import PERIODS, City, data_path, get_city
from sparcs.errors import SparcsWarning
from sparcs.profiles._degree_hours import (
    COOLING_BASE_C,
    degree_hours,
    month_hours,
    normal_degree_hours,
)
from sparcs.profiles.heat import THERMAL_USE
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
#: Uses whose space heat comes from the national typology itself.
RESIDENTIAL = ("single_family", "apartment_block")
#: Cooling degree days (base 18 degC, from hourly values) of the climate the archetype cooling
#: intensities are given for [K d].
COOLING_REFERENCE_CDD = 300.0
#: Cooling below this intensity counts as none for the warning [kWh/(m2 a)].
MIN_COOLING_KWH_M2 = 0.5
_REFERENCE_COUNTRY = "DE"
_HOURS_PER_DAY = 24.0


@dataclass(frozen=True)
class Intensity:
    """Normal-year intensities of an archetype [kWh/(m2 a)] and its cooling parameters.

    Attributes
    ----------
    space_heat_kwh_m2, dhw_kwh_m2, electricity_kwh_m2, cooling_kwh_m2
        Useful space heat, useful hot water, appliance electricity and useful cooling in a
        normal year of the city's climate [kWh/(m2 a)].
    cooling_300_kwh_m2
        Cooling in a climate of :data:`COOLING_REFERENCE_CDD` [kWh/(m2 a)].
    cooling_internal_share
        Share of ``cooling_300_kwh_m2`` that does not depend on the weather [-].
    """

    space_heat_kwh_m2: float
    dhw_kwh_m2: float
    electricity_kwh_m2: float
    cooling_kwh_m2: float
    cooling_300_kwh_m2: float
    cooling_internal_share: float


@dataclass(frozen=True)
class Typology:
    """The national calibration a country uses (``data/national_demand.toml``).

    Attributes
    ----------
    country
        ISO code of the country asked for.
    source_country
        Country whose residential space-heat values are used (``country`` or its proxy).
    climate_city
        Embedded city whose normal climate those values refer to.
    space_heat_kwh_m2
        Residential space heat per use, one value per period of :data:`sparcs.data.PERIODS`.
    dhw_kwh_m2
        Hot water per use [kWh/(m2 a)].
    """

    country: str
    source_country: str
    climate_city: str
    space_heat_kwh_m2: dict[str, tuple[float, ...]]
    dhw_kwh_m2: dict[str, float]


@cache
def _national() -> dict[str, dict[str, Any]]:
    return tomllib.loads(data_path("national_demand.toml").read_text(encoding="utf-8"))


@cache
def _archetypes() -> dict[tuple[str, str], dict[str, float]]:
    text = data_path("archetypes.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return {
        (row.pop("use"), row.pop("period")): {k: float(v) for k, v in row.items()}
        for row in csv.DictReader(io.StringIO("\n".join(lines)))
    }


def _de_space_heat() -> dict[str, tuple[float, ...]]:
    rows = _archetypes()
    return {use: tuple(rows[(use, p)]["space_heat_kwh_m2"] for p in PERIODS) for use in RESIDENTIAL}


@cache
def typology(country: str | None) -> Typology:
    """The national typology of ``country`` (ISO code), resolving proxies.

    A country without an entry in ``national_demand.toml`` (or ``None``) uses the German
    typology, moved to its climate by degree-hours as before national data existed.
    """
    table = _national()
    code = (country or "").upper()
    entry = table.get(code, table[_REFERENCE_COUNTRY])
    source = entry.get("proxy", code if code in table else _REFERENCE_COUNTRY)
    source_entry = table[source]
    space = (
        _de_space_heat()
        if source == _REFERENCE_COUNTRY
        else {
            use: tuple(float(v) for v in values)
            for use, values in source_entry["space_heat_kwh_m2"].items()
        }
    )
    dhw = entry.get("dhw_kwh_m2", source_entry["dhw_kwh_m2"])
    return Typology(
        country=code,
        source_country=source,
        climate_city=source_entry["climate_city"],
        space_heat_kwh_m2=space,
        dhw_kwh_m2={use: float(v) for use, v in dhw.items()},
    )


@cache
def _normal_hdh(
    temp_c: tuple[float, ...], temp_amp_c: tuple[float, ...], base_c: float, day_sigma_k: float
) -> float:
    return float(normal_degree_hours(temp_c, temp_amp_c, base_c, day_sigma_k=day_sigma_k)[0])


def _city_hdh(city: City, base_c: float) -> float:
    """Normal heating degree-hours of ``city`` at ``base_c`` [K h]."""
    return _normal_hdh(city.temp_c, city.temp_amp_c, base_c, daily_mean_sigma_c(city.temp_day_sd_c))


def cooling_factor(cdd: float | np.ndarray, internal_share: float | np.ndarray) -> np.ndarray:
    """Cooling relative to the reference climate: ``s + (1 - s) * CDD / 300`` [-].

    Energy signature of a cooled building (ISO 50006:2014; ASHRAE Guideline 14-2014,
    change-point model): a weather-independent part ``s`` (internal gains) plus a part
    proportional to the cooling degree days ``cdd`` [K d] (base 18 degC).
    """
    share = np.asarray(internal_share, dtype=float)
    result: np.ndarray = (
        share + (1.0 - share) * np.asarray(cdd, dtype=float) / COOLING_REFERENCE_CDD
    )
    return result


def _national_factor(typ: Typology, period: int, climate: City, reference: City) -> float:
    """National space heat over the DE value moved to the typology's climate, for ``period``,
    averaged over the residential uses [-] (1 for DE)."""
    if typ.source_country == _REFERENCE_COUNTRY:
        return 1.0
    de = _de_space_heat()
    ratios = []
    for use in RESIDENTIAL:
        base = THERMAL_USE[use].heating_limit_c
        moved = de[use][period] * _city_hdh(climate, base) / _city_hdh(reference, base)
        ratios.append(typ.space_heat_kwh_m2[use][period] / moved)
    return float(np.mean(ratios))


def normal_intensity(use: str, period: str, city: City) -> Intensity:
    """Normal-year intensities of ``use`` and ``period`` in the climate of ``city``.

    Residential space heat is the national value of the city's country
    (:func:`typology`) times ``HDH(city) / HDH(typology city)`` (normal heating degree-hours
    at the use's heating limit); non-residential space heat is the DE value times
    ``HDH(city) / HDH(Leipzig)`` times the country's factor for the period (national homes
    over German homes of the same period in the same climate). Cooling is
    ``c_300 * cooling_factor(CDD(city), s)``.
    """
    row = _archetypes()[(use, period)]
    typ = typology(city.country)
    index = PERIODS.index(period)
    base = THERMAL_USE[use].heating_limit_c
    if use in typ.space_heat_kwh_m2:
        climate = get_city(typ.climate_city)
        space = typ.space_heat_kwh_m2[use][index] * _city_hdh(city, base) / _city_hdh(climate, base)
    else:
        reference = get_city(typology(_REFERENCE_COUNTRY).climate_city)
        factor = _national_factor(typ, index, get_city(typ.climate_city), reference)
        space = (
            row["space_heat_kwh_m2"] * factor * _city_hdh(city, base) / _city_hdh(reference, base)
        )
    cdd = (
        float(
            normal_degree_hours(
                city.temp_c,
                city.temp_amp_c,
                COOLING_BASE_C,
                cooling=True,
                day_sigma_k=daily_mean_sigma_c(city.temp_day_sd_c),
            )[0]
        )
        / _HOURS_PER_DAY
    )
    share = row["cooling_internal_share"]
    return Intensity(
        space_heat_kwh_m2=float(space),
        dhw_kwh_m2=typ.dhw_kwh_m2[use],
        electricity_kwh_m2=row["electricity_kwh_m2"],
        cooling_kwh_m2=float(row["cooling_kwh_m2"] * cooling_factor(cdd, share)),
        cooling_300_kwh_m2=row["cooling_kwh_m2"],
        cooling_internal_share=share,
    )


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
    year_cdd = float(degree_hours(temp, COOLING_BASE_C, weather.dt_h, cooling=True)[0]) / 24.0
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
            / _HOURS_PER_DAY
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
