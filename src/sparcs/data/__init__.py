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
from typing import Any

import numpy as np

from sparcs.data.grid_co2 import (
    GRID_CO2_COUNTRIES,
    hourly_grid_co2,
    hourly_grid_renewable_share,
)
from sparcs.errors import DataError, ScenarioError

__all__ = [
    "CARRIERS",
    "CO2_SCOPES",
    "EXPORT_CREDITS",
    "GRID_CO2_COUNTRIES",
    "PEF_KINDS",
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
    "parse_factor_set",
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
def _toml(name: str) -> dict[str, dict[str, Any]]:
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
    """Primary-energy and CO2 factors of one carrier, in the kinds of EN ISO 52000-1.

    Attributes
    ----------
    f_p_nren, f_p_tot
        Non-renewable and total primary-energy factor of delivered energy [kWh_PE/kWh].
    co2_kg_per_kwh
        Emission factor of delivered energy, in the set's ``co2_scope`` [kg CO2-eq/kWh].
    f_p_nren_exp, f_p_tot_exp, co2_exp_kg_per_kwh
        The same for exported energy (the avoided-grid factors of EN ISO 52000-1 §9.6.6.2
        step B, before ``k_exp``); equal to the delivered ones in a symmetric set.
    source
        Where the values come from.
    """

    f_p_nren: float
    f_p_tot: float
    co2_kg_per_kwh: float
    f_p_nren_exp: float
    f_p_tot_exp: float
    co2_exp_kg_per_kwh: float
    source: str

    @property
    def f_p_ren(self) -> float:
        """Renewable primary-energy factor, f_P,tot - f_P,nren [kWh_PE/kWh]."""
        return self.f_p_tot - self.f_p_nren

    @property
    def pef(self) -> float:
        """The factor of the PED balance: f_P,nren of delivered energy [kWh_PE/kWh]."""
        return self.f_p_nren

    @property
    def pef_export(self) -> float:
        """f_P,nren of exported energy [kWh_PE/kWh]."""
        return self.f_p_nren_exp

    @property
    def co2_export_kg_per_kwh(self) -> float:
        """Emission factor credited for exported energy [kg CO2-eq/kWh]."""
        return self.co2_exp_kg_per_kwh


#: Kinds a set may declare for its primary-energy factors; only "nren" feeds the PED balance.
PEF_KINDS = ("nren", "tot", "weighting")
CO2_SCOPES = ("life-cycle", "combustion")
EXPORT_CREDITS = ("symmetric", "asymmetric-regulatory")
_SET_KEYS = ("description", "country", "version", "updated", "pef_kind", "method", "co2_scope",
             "k_exp", "export_credit", "dh_allocation", "grid_renewable_share")
_CARRIER_KEYS = ("f_p_nren", "f_p_tot", "co2_kg_per_kwh", "source")


@dataclass(frozen=True)
class FactorSet:
    """A named, versioned and dated set of factors for every carrier (EN 17423 reporting).

    Attributes
    ----------
    pef_kind
        Kind of the balance factors; always ``"nren"`` once loaded (others are refused).
    method
        How the factors were determined.
    co2_scope
        ``"life-cycle"`` or ``"combustion"``, for every carrier of the set.
    k_exp
        Weighting of the export credit, EN ISO 52000-1 §9.6.6.2 [-] (1 = full credit).
    export_credit
        ``"symmetric"`` or ``"asymmetric-regulatory"`` (export factors differ, e.g. GEG).
    updated
        Date of the last review of the values.
    """

    name: str
    description: str
    country: str
    version: str
    dh_allocation: str
    grid_renewable_share: float
    carriers: dict[str, CarrierFactors]
    dh_renewable_share: float = 0.0
    pef_kind: str = "nren"
    method: str = ""
    co2_scope: str = "life-cycle"
    k_exp: float = 1.0
    export_credit: str = "symmetric"
    updated: str = ""

    def __getitem__(self, carrier: str) -> CarrierFactors:
        return self.carriers[carrier]

    @property
    def kind(self) -> str:
        """One-line label of the factor kinds, e.g. ``"f_P,nren/f_P,tot; CO2 life-cycle"``."""
        return (f"f_P,{self.pef_kind}/f_P,tot; CO2 {self.co2_scope}; k_exp {self.k_exp:g}; "
                f"{self.export_credit} export credit")


def factor_set_names() -> tuple[str, ...]:
    """Names of the embedded factor sets."""
    return tuple(_toml("factors.toml"))


def _refuse(name: str, where: str, text: str) -> DataError:
    return DataError(f"factor set {name!r}{where}: {text}")


def _number(name: str, carrier: str, entry: dict[str, Any], key: str, low: float, high: float) -> float:
    where = f", carrier {carrier!r}" if carrier else ""
    if key not in entry:
        hint = (" (the old key 'pef' is ambiguous: declare f_p_nren and f_p_tot, EN ISO 52000-1)"
                if "pef" in entry else "")
        raise _refuse(name, where, f"field {key!r} is missing{hint}")
    value = entry[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise _refuse(name, where, f"field {key!r} = {value!r} is not a number in [{low:g}, {high:g}]")
    return float(value)


def _carrier(name: str, carrier: str, entry: dict[str, Any], symmetric: bool) -> CarrierFactors:
    for key in _CARRIER_KEYS:
        if key not in entry:
            _number(name, carrier, entry, key, 0.0, 0.0)  # raises with the field named
    nren = _number(name, carrier, entry, "f_p_nren", 0.0, 10.0)
    tot = _number(name, carrier, entry, "f_p_tot", 0.0, 20.0)
    co2 = _number(name, carrier, entry, "co2_kg_per_kwh", 0.0, 2.0)
    nren_exp = _number(name, carrier, {"f_p_nren_exp": nren, **entry}, "f_p_nren_exp", 0.0, 10.0)
    tot_exp = _number(name, carrier, {"f_p_tot_exp": tot, **entry}, "f_p_tot_exp", 0.0, 20.0)
    co2_exp = _number(name, carrier, {"co2_exp_kg_per_kwh": co2, **entry}, "co2_exp_kg_per_kwh",
                      0.0, 2.0)
    where = f", carrier {carrier!r}"
    if nren > tot or nren_exp > tot_exp:
        field_name = "f_p_tot" if nren > tot else "f_p_tot_exp"
        raise _refuse(name, where, f"field {field_name!r} is below f_p_nren; f_P,tot = f_P,nren + "
                                   "f_P,ren cannot be smaller than f_P,nren")
    if symmetric and (nren_exp, tot_exp, co2_exp) != (nren, tot, co2):
        raise _refuse(name, where, "export factors differ from the delivered ones; declare "
                                   "export_credit = 'asymmetric-regulatory' to use them")
    return CarrierFactors(f_p_nren=nren, f_p_tot=tot, co2_kg_per_kwh=co2, f_p_nren_exp=nren_exp,
                          f_p_tot_exp=tot_exp, co2_exp_kg_per_kwh=co2_exp, source=str(entry["source"]))


def _choice(name: str, entry: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = entry[key]
    if value not in allowed:
        raise _refuse(name, "", f"field {key!r} = {value!r} is not one of {', '.join(allowed)}")
    return str(value)


def parse_factor_set(name: str, entry: dict[str, Any]) -> FactorSet:
    """Check a factor set's table and return it; refuse what the PED balance cannot use.

    Parameters
    ----------
    name
        Name of the set.
    entry
        Its table, as in ``data/factors.toml``.

    Raises
    ------
    DataError
        One line naming the set, the carrier and the field: a missing or out-of-range field,
        a ``pef_kind`` other than ``"nren"`` (total or weighting factors cannot give the
        non-renewable PED balance), f_P,tot below f_P,nren, an unknown CO2 scope, or export
        factors that differ from the delivered ones in a set not labelled asymmetric.

    References
    ----------
    EN ISO 52000-1:2017 §9.6 (f_P,nren, f_P,tot, k_exp); EN 17423:2020 (reporting of PEFs and
    CO2 coefficients, their scope and method).
    """
    for key in _SET_KEYS:
        if key not in entry:
            raise _refuse(name, "", f"field {key!r} is missing")
    kind = _choice(name, entry, "pef_kind", PEF_KINDS)
    if kind != "nren":
        text = {"tot": "total primary-energy factors (f_P,tot)",
                "weighting": "policy weighting coefficients"}[kind]
        raise _refuse(name, "", f"field 'pef_kind' = {kind!r}: the set holds {text}; the PED "
                                "balance needs non-renewable factors f_P,nren (EN ISO 52000-1)")
    scope = _choice(name, entry, "co2_scope", CO2_SCOPES)
    credit = _choice(name, entry, "export_credit", EXPORT_CREDITS)
    k_exp = _number(name, "", entry, "k_exp", 0.0, 1.0)
    carriers = {}
    for c in CARRIERS:
        if not isinstance(entry.get(c), dict):
            raise _refuse(name, f", carrier {c!r}", "the carrier's table is missing")
        carriers[c] = _carrier(name, c, entry[c], credit == "symmetric")
    return FactorSet(
        name=name,
        description=entry["description"],
        country=entry["country"],
        version=str(entry["version"]),
        dh_allocation=entry["dh_allocation"],
        grid_renewable_share=_number(name, "", entry, "grid_renewable_share", 0.0, 1.0),
        carriers=carriers,
        dh_renewable_share=_number(name, "", {"dh_renewable_share": 0.0, **entry},
                                   "dh_renewable_share", 0.0, 1.0),
        pef_kind=kind,
        method=entry["method"],
        co2_scope=scope,
        k_exp=k_exp,
        export_credit=credit,
        updated=str(entry["updated"]),
    )


@cache
def get_factor_set(name: str) -> FactorSet:
    """Return the embedded factor set ``name``, checked by :func:`parse_factor_set`.

    Raises
    ------
    ScenarioError
        When no such set is embedded; the message lists the embedded ones.
    DataError
        When the set is refused (:func:`parse_factor_set`).
    """
    table = _toml("factors.toml")
    entry = table.get(name)
    if entry is None:
        msg = f"unknown factor set {name!r}; embedded sets are: {', '.join(table)}"
        raise ScenarioError(msg)
    return parse_factor_set(name, entry)


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
