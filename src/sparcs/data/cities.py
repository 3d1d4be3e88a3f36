"""The seven SPARCS cities: site, climate normals, default factor set and tariff (cities.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal, get_args

import numpy as np

from sparcs.data.files import read_toml
from sparcs.errors import ScenarioError

__all__ = ["PERIODS", "USES", "City", "Period", "Use", "city_names", "get_city"]

#: Building uses of the archetype table (``archetypes.csv``).
Use = Literal[
    "single_family",
    "apartment_block",
    "office",
    "retail",
    "school",
    "mixed_use",
    "hotel",
    "sports",
]
USES: tuple[str, ...] = get_args(Use)
#: Construction periods of the archetype table.
Period = Literal["before-1950", "1950-1979", "1980-1999", "2000-2015", "after-2015"]
PERIODS: tuple[str, ...] = get_args(Period)
#: Days of each month; February as the mean over leap and common years [d].
_MONTH_DAYS = np.array([31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


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
    temp_day_sd_c
        Standard deviation of the daily mean temperature about its centred 31-day running
        mean: the day-to-day anomaly [degC].
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
    temp_day_sd_c: float = 2.6

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
    """Keys of the embedded cities.

    Returns
    -------
    tuple of str
        City keys, in the order of ``data/cities.toml``.
    """
    return tuple(read_toml("cities.toml"))


@cache
def get_city(key: str) -> City:
    """Return the embedded city ``key`` (case-insensitive).

    Raises
    ------
    ScenarioError
        When the city is not embedded; the message lists the embedded ones.
    """
    table = read_toml("cities.toml")
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
        temp_day_sd_c=float(entry["temp_day_sd_c"]),
    )
