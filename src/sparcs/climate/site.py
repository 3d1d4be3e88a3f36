"""Does a weather file belong to the scenario's site? Coordinates, solar noon, seasons, normals.

Checked by :func:`~sparcs.climate.load.load_weather` for every weather *file* (the embedded
years are chosen per city and the synthetic year is made for the site):

=====================================  ========================================  ===========
check                                  tolerance                                 otherwise
=====================================  ========================================  ===========
distance file coordinates - site       <= :data:`WARN_KM` km                     warning
                                       <= :data:`MAX_KM` km                      WeatherError
solar noon of the GHI (>= 1 sunny day) within :data:`MAX_NOON_H` h of the site's  WeatherError
seasonal cycle (>= 300 days, |lat|>20) summer half sunnier than winter half      WeatherError
monthly mean temperature (embedded     within :data:`MAX_NORMALS_K` K of the     WeatherError
city, months with >= 20 days)          city's normals                            (UnitError
                                                                                 for degF/K)
=====================================  ========================================  ===========
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pvlib import solarposition

from sparcs.climate.weather import Weather
from sparcs.errors import UnitError, WeatherError
from sparcs.plausibility import QUANTITIES, warn

__all__ = ["MAX_KM", "MAX_NOON_H", "MAX_NORMALS_K", "WARN_KM", "check_site"]

#: Distance between the file's coordinates and the site above which a warning is given [km].
WARN_KM = 50.0
#: Distance above which the file is refused [km] (about 2.3 deg of latitude).
MAX_KM = 250.0
#: Largest offset of the GHI-weighted solar noon from the site's [h] (22.5 deg of longitude).
MAX_NOON_H = 1.5
#: Largest deviation of a monthly mean temperature from the city's normals [K].
MAX_NORMALS_K = 10.0
_EARTH_RADIUS_KM = 6371.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) [km]."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return float(2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(a)))


def _noon_offset_h(data: pd.DataFrame, longitude: float) -> float | None:
    """GHI-weighted mean of solar time minus 12 h at the site [h]; None without sun."""
    ghi = data["ghi"].to_numpy()
    if len(data) < 2 or np.nansum(ghi) <= 0:
        return None
    step = data.index[1] - data.index[0]
    mid = data.index + step / 2
    if (mid[-1] - mid[0]) < pd.Timedelta(hours=20) or step > pd.Timedelta(hours=1):
        return None
    hours = mid.hour + mid.minute / 60 + mid.second / 3600
    eot = solarposition.equation_of_time_spencer71(mid.dayofyear) / 60.0
    angle = (np.asarray(hours) + longitude / 15.0 + np.asarray(eot) - 12.0) * np.pi / 12.0
    weights = np.nan_to_num(ghi)
    mean = np.arctan2(np.sum(weights * np.sin(angle)), np.sum(weights * np.cos(angle)))
    return float(mean * 12.0 / np.pi)


def _seasons(data: pd.DataFrame, latitude: float, source: str) -> None:
    if abs(latitude) < 20 or data.index[-1] - data.index[0] < pd.Timedelta(days=300):
        return
    months = pd.DatetimeIndex(data.index).month
    north_summer = np.isin(months, (4, 5, 6, 7, 8, 9))
    summer = north_summer if latitude > 0 else ~north_summer
    ghi = data["ghi"].to_numpy()
    if np.nanmean(ghi[summer]) < np.nanmean(ghi[~summer]):
        hemisphere = "northern" if latitude > 0 else "southern"
        msg = (
            f"{source}: the file's sunniest half-year is the {hemisphere} winter (Oct-Mar "
            f"vs Apr-Sep), so it is not for the site at latitude {latitude:g}; use a weather "
            "file of the site's hemisphere"
        )
        raise WeatherError(msg)


def _normals(data: pd.DataFrame, normals_c: tuple[float, ...], timezone: str, source: str) -> None:
    local = data["temp_air"].tz_convert(timezone)
    local_months = np.asarray(pd.DatetimeIndex(local.index).month)
    grouped = local.groupby(local_months)
    counts, means = grouped.count(), grouped.mean()
    step_days = (data.index[1] - data.index[0]) / pd.Timedelta(days=1)
    for month, count, mean in zip(
        means.index.astype(int), counts.to_numpy(), means.to_numpy(), strict=True
    ):
        if count * step_days < 20:
            continue
        normal = normals_c[month - 1]
        if abs(mean - normal) <= MAX_NORMALS_K:
            continue
        values = local.to_numpy()[local_months == month]
        for mixup in QUANTITIES["temp_air"].mixups:
            if abs(float(np.mean(mixup.to_internal(values))) - normal) <= MAX_NORMALS_K / 2:
                msg = (
                    f"{source}: column 'temp_air': likely a unit mix-up: month {int(month)} has "
                    f"a mean of {mean:.1f}, the site's normal is {normal:.1f} degC, but in "
                    f"{mixup.unit} it would fit; {mixup.fix}"
                )
                raise UnitError(msg)
        msg = (
            f"{source}: column 'temp_air': month {int(month)} has a mean of {mean:.1f} degC, "
            f"{abs(mean - normal):.1f} K from the site's normal {normal:.1f} degC (tolerance "
            f"{MAX_NORMALS_K:g} K); is the file for another site or another unit?"
        )
        raise WeatherError(msg)


def check_site(
    weather: Weather,
    *,
    latitude: float,
    longitude: float,
    source: str,
    normals_c: tuple[float, ...] | None = None,
) -> None:
    """Check that ``weather`` (read from a file) belongs to the site (module table).

    Parameters
    ----------
    weather
        As read, before alignment to the scenario year.
    latitude, longitude
        The scenario's site [deg].
    source
        The file, for messages.
    normals_c
        Monthly mean air temperatures of the site, January first [degC], when known.

    Raises
    ------
    WeatherError, UnitError
        When the file is for another site (or in another unit); the message names the check.
    """
    far = distance_km(weather.latitude, weather.longitude, latitude, longitude)
    if far > MAX_KM:
        msg = (
            f"{source}: the file is for {weather.latitude:g}, {weather.longitude:g}, "
            f"{far:,.0f} km from the scenario's site ({latitude:g}, {longitude:g}); the "
            f"tolerance is {MAX_KM:g} km. Use a weather file of the site"
        )
        raise WeatherError(msg)
    if far > WARN_KM:
        warn(
            f"{source}: the weather file is for {weather.latitude:g}, {weather.longitude:g}, "
            f"{far:,.0f} km from the site ({latitude:g}, {longitude:g}); its climate may differ"
        )
    offset = _noon_offset_h(weather.data, longitude)
    if offset is not None and abs(offset) > MAX_NOON_H:
        msg = (
            f"{source}: the sun peaks {abs(offset):.1f} h {'after' if offset > 0 else 'before'} "
            f"solar noon at the site (longitude {longitude:g}; tolerance {MAX_NOON_H:g} h): the "
            "file is for another longitude or its timestamps have a wrong UTC offset"
        )
        raise WeatherError(msg)
    _seasons(weather.data, latitude, source)
    if normals_c is not None:
        _normals(weather.data, normals_c, weather.timezone, source)
