"""Default tariffs of the embedded cities (tariffs.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sparcs.data.files import read_toml
from sparcs.errors import ScenarioError

__all__ = ["Tariff", "get_tariff"]


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
    table = read_toml("tariffs.toml")
    entry = table.get(name)
    if entry is None:
        msg = f"unknown tariff {name!r}; embedded tariffs are: {', '.join(table)}"
        raise ScenarioError(msg)
    return Tariff(name=name, **entry)
