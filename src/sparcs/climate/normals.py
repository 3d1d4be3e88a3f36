"""Monthly climate normals of a site: the input of the synthetic weather generator."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sparcs.data import City, get_city
from sparcs.errors import ScenarioError
from sparcs.timeseries import to_zoneinfo

__all__ = ["ClimateNormals", "as_normals"]


def _twelve(name: str, values: tuple[float, ...], low: float, high: float) -> None:
    if len(values) != 12:
        msg = f"climate normals: {name} needs 12 monthly values (January first), got {len(values)}"
        raise ScenarioError(msg)
    for month, value in enumerate(values, start=1):
        if not (math.isfinite(value) and low <= value <= high):
            msg = f"climate normals: {name} of month {month} is {value!r}; expected {low}..{high}"
            raise ScenarioError(msg)


@dataclass(frozen=True)
class ClimateNormals:
    """Location and monthly climate normals of a site.

    Attributes
    ----------
    name
        Label used in the weather's ``source``, e.g. a city key.
    latitude, longitude
        Site [deg], north and east positive.
    elevation_m
        Site elevation [m].
    timezone
        IANA zone of the site; months and years are local calendar months and years.
    temp_c
        Monthly mean air temperature, January first [degC].
    temp_amp_c
        Half the mean daily temperature range per month, (Tmax - Tmin)/2 [degC].
    ghi_kwh_m2
        Monthly global horizontal irradiation [kWh/m2 per month].
    wind_m_s
        Annual mean wind speed at 10 m [m/s].
    temp_day_sd_c
        Standard deviation of the daily mean temperature about its centred 31-day running
        mean [degC]: the size of day-to-day anomalies (1.7 in Athens to 2.9 in Warsaw in the
        NSRDB 2019 years). Default 2.6, the median of the five measured years.
    """

    name: str
    latitude: float
    longitude: float
    elevation_m: float
    timezone: str
    temp_c: tuple[float, ...]
    temp_amp_c: tuple[float, ...]
    ghi_kwh_m2: tuple[float, ...]
    wind_m_s: float
    temp_day_sd_c: float = 2.6

    def __post_init__(self) -> None:
        if not -90.0 <= self.latitude <= 90.0 or not -180.0 <= self.longitude <= 180.0:
            msg = (
                f"climate normals: latitude/longitude {self.latitude}, {self.longitude} "
                "out of range"
            )
            raise ScenarioError(msg)
        to_zoneinfo(self.timezone)
        for name in ("temp_c", "temp_amp_c", "ghi_kwh_m2"):
            object.__setattr__(self, name, tuple(float(v) for v in getattr(self, name)))
        _twelve("temp_c", self.temp_c, -60.0, 60.0)
        _twelve("temp_amp_c", self.temp_amp_c, 0.0, 30.0)
        _twelve("ghi_kwh_m2", self.ghi_kwh_m2, 0.0, 400.0)
        if not (math.isfinite(self.wind_m_s) and 0.0 < self.wind_m_s <= 30.0):
            msg = f"climate normals: wind_m_s is {self.wind_m_s!r}; expected 0 < value <= 30 m/s"
            raise ScenarioError(msg)
        if not (math.isfinite(self.temp_day_sd_c) and 0.0 <= self.temp_day_sd_c <= 10.0):
            msg = (
                f"climate normals: temp_day_sd_c is {self.temp_day_sd_c!r}; expected 0..10 degC "
                "(day-to-day temperature anomaly, e.g. 2.6)"
            )
            raise ScenarioError(msg)

    @classmethod
    def from_city(cls, city: City) -> ClimateNormals:
        """Normals of an embedded city (:func:`sparcs.data.get_city`)."""
        return cls(
            name=city.key,
            latitude=city.latitude,
            longitude=city.longitude,
            elevation_m=city.elevation_m,
            timezone=city.timezone,
            temp_c=city.temp_c,
            temp_amp_c=city.temp_amp_c,
            ghi_kwh_m2=city.ghi_kwh_m2,
            wind_m_s=city.wind_m_s,
            temp_day_sd_c=city.temp_day_sd_c,
        )


def as_normals(city_or_params: str | City | ClimateNormals) -> ClimateNormals:
    """Return the normals of an embedded city key, a :class:`City` or given normals.

    Raises
    ------
    ScenarioError
        When a city key is not embedded (the message lists the embedded cities).
    """
    if isinstance(city_or_params, ClimateNormals):
        return city_or_params
    if isinstance(city_or_params, City):
        return ClimateNormals.from_city(city_or_params)
    if isinstance(city_or_params, str):
        return ClimateNormals.from_city(get_city(city_or_params))
    msg = (
        "synthetic weather needs a city key, a sparcs.data.City or ClimateNormals, "
        f"got {type(city_or_params).__name__}"
    )
    raise ScenarioError(msg)
