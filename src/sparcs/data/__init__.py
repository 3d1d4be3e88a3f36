"""Embedded data with provenance: the seven SPARCS cities, factor sets, tariffs, archetypes,
and hourly grid CO2 of 2019 for CZ, DE, FI, GR and PT (:mod:`sparcs.data.grid_co2`).

Every number in the files of this folder carries its source; estimates are marked ``[est]``.
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from sparcs.data.grid_co2 import (
    GRID_CO2_COUNTRIES,
    hourly_grid_co2,
    hourly_grid_renewable_share,
)
from sparcs.errors import ScenarioError

__all__ = [
    "CARRIERS",
    "GRID_CO2_COUNTRIES",
    "USES",
    "PERIODS",
    "ArchetypeIntensity",
    "City",
    "CarrierFactors",
    "FactorSet",
    "Tariff",
    "archetype_intensity",
    "city_names",
    "data_path",
    "factor_set_names",
    "get_city",
    "get_factor_set",
    "get_tariff",
    "hourly_grid_co2",
    "hourly_grid_renewable_share",
]

CARRIERS = ("electricity", "district_heat", "district_cold", "gas", "oil", "biomass")
USES = (
    "single_family",
    "apartment_block",
    "office",
    "retail",
    "school",
    "mixed_use",
    "hotel",
    "sports",
)
PERIODS = ("before-1950", "1950-1979", "1980-1999", "2000-2015", "after-2015")
REFERENCE_CITY = "leipzig"
COOLING_REFERENCE_CDD = 300.0
#: Days of each month; February as the mean over leap and common years [d].
_MONTH_DAYS = np.array([31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def data_path(name: str) -> resources.abc.Traversable:
    """Return the path of the embedded data file ``name``."""
    return resources.files("sparcs.data").joinpath(name)


@cache
def _toml(name: str) -> dict[str, dict]:
    return tomllib.loads(data_path(name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class City:
    """An embedded SPARCS city: location, time zone, climate normals and defaults.

    Attributes
    ----------
    key
        Identifier used in scenario files, e.g. ``"espoo"``.
    latitude, longitude
        Location [deg].
    elevation_m
        Elevation [m].
    timezone
        IANA time-zone name.
    temp_c
        Monthly mean air temperature, January first [degC].
    temp_amp_c
        Half the mean daily temperature range per month [degC].
    ghi_kwh_m2
        Monthly global horizontal irradiation [kWh/m2 per month].
    wind_m_s
        Annual mean wind speed at 10 m [m/s].
    sources
        Source of each group of numbers.
    """

    key: str
    name: str
    country: str
    latitude: float
    longitude: float
    elevation_m: float
    timezone: str
    factor_set: str
    tariff: str
    temp_c: tuple[float, ...]
    temp_amp_c: tuple[float, ...]
    ghi_kwh_m2: tuple[float, ...]
    wind_m_s: float
    embedded_weather: str
    sources: dict[str, str]

    @property
    def annual_ghi_kwh_m2(self) -> float:
        """Annual global horizontal irradiation [kWh/m2]."""
        return float(sum(self.ghi_kwh_m2))

    def heating_degree_days(self, base_c: float = 15.0) -> float:
        """Heating degree days from monthly normals [K d].

        Uses monthly means, which underestimates degree days in shoulder months; fine for the
        relative scaling it serves (archetype intensities between cities).
        """
        # np.maximum, not np.clip: the same values at a fraction of the call overhead, which
        # counts as this runs once per building
        return float(np.sum(np.maximum(base_c - np.asarray(self.temp_c), 0.0) * _MONTH_DAYS))

    def cooling_degree_days(self, base_c: float = 18.0) -> float:
        """Cooling degree days from monthly normals [K d]."""
        return float(np.sum(np.maximum(np.asarray(self.temp_c) - base_c, 0.0) * _MONTH_DAYS))


def city_names() -> tuple[str, ...]:
    """Keys of the embedded cities."""
    return tuple(_toml("cities.toml"))


@cache
def get_city(key: str) -> City:
    """Return the embedded city ``key`` (case-insensitive).

    Raises
    ------
    ScenarioError
        When the city is not embedded; the message lists the embedded ones.
    """
    table = _toml("cities.toml")
    entry = table.get(key.lower())
    if entry is None:
        msg = f"unknown city {key!r}; embedded cities are: {', '.join(table)}"
        raise ScenarioError(msg)
    sources = {k: v for k, v in entry.items() if k.endswith("_source")}
    return City(
        key=key.lower(),
        name=entry["name"],
        country=entry["country"],
        latitude=float(entry["latitude"]),
        longitude=float(entry["longitude"]),
        elevation_m=float(entry["elevation_m"]),
        timezone=entry["timezone"],
        factor_set=entry["factor_set"],
        tariff=entry["tariff"],
        temp_c=tuple(float(v) for v in entry["temp_c"]),
        temp_amp_c=tuple(float(v) for v in entry["temp_amp_c"]),
        ghi_kwh_m2=tuple(float(v) for v in entry["ghi_kwh_m2"]),
        wind_m_s=float(entry["wind_m_s"]),
        embedded_weather=entry["embedded_weather"],
        sources=sources,
    )


@dataclass(frozen=True)
class CarrierFactors:
    """Primary-energy and CO2 factors of one carrier.

    Attributes
    ----------
    pef, pef_export
        Non-renewable primary-energy factor of delivered and exported energy [kWh_PE/kWh].
    co2_kg_per_kwh, co2_export_kg_per_kwh
        Emission factor of delivered energy and credit for exported energy [kg CO2-eq/kWh].
    """

    pef: float
    pef_export: float
    co2_kg_per_kwh: float
    co2_export_kg_per_kwh: float
    source: str


@dataclass(frozen=True)
class FactorSet:
    """A named, versioned set of factors for every carrier."""

    name: str
    description: str
    country: str
    version: str
    kind: str
    dh_allocation: str
    grid_renewable_share: float
    carriers: dict[str, CarrierFactors]
    dh_renewable_share: float = 0.0

    def __getitem__(self, carrier: str) -> CarrierFactors:
        return self.carriers[carrier]


def factor_set_names() -> tuple[str, ...]:
    """Names of the embedded factor sets."""
    return tuple(_toml("factors.toml"))


@cache
def get_factor_set(name: str) -> FactorSet:
    """Return the embedded factor set ``name``.

    Raises
    ------
    ScenarioError
        When no such set is embedded; the message lists the embedded ones.
    """
    table = _toml("factors.toml")
    entry = table.get(name)
    if entry is None:
        msg = f"unknown factor set {name!r}; embedded sets are: {', '.join(table)}"
        raise ScenarioError(msg)
    carriers = {
        c: CarrierFactors(
            pef=float(entry[c]["pef"]),
            pef_export=float(entry[c]["pef_export"]),
            co2_kg_per_kwh=float(entry[c]["co2_kg_per_kwh"]),
            co2_export_kg_per_kwh=float(entry[c]["co2_export_kg_per_kwh"]),
            source=entry[c]["source"],
        )
        for c in CARRIERS
    }
    return FactorSet(
        name=name,
        description=entry["description"],
        country=entry["country"],
        version=entry["version"],
        kind=entry["kind"],
        dh_allocation=entry["dh_allocation"],
        grid_renewable_share=float(entry["grid_renewable_share"]),
        carriers=carriers,
        dh_renewable_share=float(entry.get("dh_renewable_share", 0.0)),
    )


@dataclass(frozen=True)
class Tariff:
    """Flat energy prices [EUR/kWh] and capacity charges [EUR/(kW period)].

    ``*_capacity_eur_per_kw_year`` is the charge per kW of the peak power in each charge
    period, expressed per year (a monthly charge is twelve times its monthly price); 0 = none.
    """

    name: str
    electricity_import_eur_per_kwh: float
    electricity_export_eur_per_kwh: float
    district_heat_eur_per_kwh: float
    gas_eur_per_kwh: float
    source: str
    electricity_capacity_eur_per_kw_year: float = 0.0
    electricity_capacity_period: str = "month"
    district_heat_capacity_eur_per_kw_year: float = 0.0
    district_heat_capacity_period: str = "year"
    capacity_source: str = ""


@cache
def get_tariff(name: str) -> Tariff:
    """Return the embedded default tariff ``name``."""
    table = _toml("tariffs.toml")
    entry = table.get(name)
    if entry is None:
        msg = f"unknown tariff {name!r}; embedded tariffs are: {', '.join(table)}"
        raise ScenarioError(msg)
    return Tariff(name=name, **entry)


@dataclass(frozen=True)
class ArchetypeIntensity:
    """Annual demand intensities of a building archetype [kWh/(m2 a)]."""

    space_heat_kwh_m2: float
    dhw_kwh_m2: float
    electricity_kwh_m2: float
    cooling_kwh_m2: float


@cache
def _archetype_rows() -> dict[tuple[str, str], ArchetypeIntensity]:
    text = data_path("archetypes.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = {}
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        rows[(row["use"], row["period"])] = ArchetypeIntensity(
            space_heat_kwh_m2=float(row["space_heat_kwh_m2"]),
            dhw_kwh_m2=float(row["dhw_kwh_m2"]),
            electricity_kwh_m2=float(row["electricity_kwh_m2"]),
            cooling_kwh_m2=float(row["cooling_kwh_m2"]),
        )
    return rows


def archetype_intensity(use: str, period: str, city: City) -> ArchetypeIntensity:
    """Archetype intensities for ``use`` and ``period`` in the climate of ``city``.

    Space heat scales with heating degree days (base 15 degC) relative to the reference climate
    of Leipzig. Cooling values in the table are for a warm-temperate climate of 300 cooling
    degree days (base 18 degC) and scale with the city's cooling degree days, between a quarter
    (internal loads still need some cooling) and three times the table value.

    Parameters
    ----------
    use
        Building use, one of :data:`USES`.
    period
        Construction period, one of :data:`PERIODS`.
    city
        City whose climate scales the reference values.

    Returns
    -------
    ArchetypeIntensity
        Intensities [kWh/(m2 a)].
    """
    base = _archetype_rows()[(use, period)]
    reference = get_city(REFERENCE_CITY)
    heat_ratio = city.heating_degree_days() / reference.heating_degree_days()
    cool_ratio = min(max(city.cooling_degree_days() / COOLING_REFERENCE_CDD, 0.25), 3.0)
    return ArchetypeIntensity(
        space_heat_kwh_m2=base.space_heat_kwh_m2 * heat_ratio,
        dhw_kwh_m2=base.dhw_kwh_m2,
        electricity_kwh_m2=base.electricity_kwh_m2,
        cooling_kwh_m2=base.cooling_kwh_m2 * cool_ratio,
    )
