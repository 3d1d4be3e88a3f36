"""Normal-year demand intensities of building archetypes [kWh/(m2 a)], by national typology.

Intensities come from the national typology of the city's country
(``data/national_demand.toml``; the German table ``archetypes.csv`` for DE, for countries
without one and for non-residential uses, calibrated per country), moved from the
typology's reference city to the site by the ratio of normal heating degree-hours
(:func:`~sparcs.profiles._degree_hours.normal_degree_hours`; degree-day method of
VDI 3807-1:2013 and EN ISO 15927-6:2007). Cooling follows an energy signature in the cooling
degree days (:func:`cooling_factor`). How a building's annual demand is made of them is in
:mod:`sparcs.profiles.demand`; method and figures in ``docs/demand.md``.
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from sparcs.climate.synthetic import daily_mean_sigma_c
from sparcs.data import PERIODS, City, data_path, get_city
from sparcs.profiles._degree_hours import COOLING_BASE_C, HOURS_PER_DAY, normal_degree_hours
from sparcs.profiles.heat import THERMAL_USE

__all__ = [
    "COOLING_REFERENCE_CDD",
    "RESIDENTIAL",
    "Intensity",
    "Typology",
    "cooling_factor",
    "normal_intensity",
    "typology",
]

#: Uses whose space heat comes from the national typology itself.
RESIDENTIAL = ("single_family", "apartment_block")
#: Cooling degree days (base 18 degC, from hourly values) of the climate the archetype cooling
#: intensities are given for [K d].
COOLING_REFERENCE_CDD = 300.0
_REFERENCE_COUNTRY = "DE"


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
        / HOURS_PER_DAY
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
