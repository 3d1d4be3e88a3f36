"""The five measured NSRDB 2019 years of the project and statistics of daily clearness.

Imported by name from the climate tests. The daily clearness index is computed here with
pvlib's NREL SPA and extraterrestrial irradiance, independently of the generator's code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pvlib import irradiance, solarposition

from sparcs.climate import ClimateNormals, Weather, read_nsrdb_psm, resample_weather

#: Measured file of the project (``/work/shared/data/weather``) that stands in for each city.
MEASURED = {
    "kladno": "nsrdb_2019_15min_prague_50.09_14.42.csv",
    "kifissia": "nsrdb_2019_15min_athens_37.97_23.74.csv",
    "leipzig": "nsrdb_2019_15min_potsdam_52.41_13.06.csv",
    "lviv": "nsrdb_2019_15min_warsaw_52.25_21.02.csv",
    "espoo": "nsrdb_2019_15min_stockholm_59.33_18.06.csv",
}
#: The project's shared weather folder: ``shared/data/weather`` next to this checkout or above it.
SHARED_WEATHER = next(
    (
        parent / "shared" / "data" / "weather"
        for parent in Path(__file__).resolve().parents
        if (parent / "shared" / "data" / "weather").is_dir()
    ),
    None,
)
OVERCAST_KT = 0.3  # daily clearness index below which a day counts as overcast [-]


@dataclass(frozen=True)
class ClearnessStats:
    """Statistics of the daily clearness index ``KT = H / H0`` of a year."""

    overcast_days: int  # days with KT < 0.3
    clear_days: int  # days with KT > 0.6
    mean: float
    std: float
    iqr: float
    lag1: float  # lag-one autocorrelation of daily KT
    overcast_spell_days: float  # mean length of runs of overcast days


def daily_kt(weather: Weather) -> np.ndarray:
    """Daily clearness index of each whole local solar day of ``weather`` [-]."""
    mid = weather.time + (weather.time[1] - weather.time[0]) / 2
    sun = solarposition.get_solarposition(mid, weather.latitude, weather.longitude)
    cos_z = np.clip(np.cos(np.radians(sun["zenith"].to_numpy())), 0.0, None)
    h0 = irradiance.get_extra_radiation(mid).to_numpy() * cos_z
    days = (mid - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(days=1) + weather.longitude / 360.0
    day = np.floor(np.asarray(days)).astype(int)
    day -= day[0]
    ghi = np.bincount(day, weights=weather.data["ghi"].to_numpy())[1:-1]
    return ghi / np.bincount(day, weights=h0)[1:-1]  # first and last solar day are partial


def clearness_stats(kt: np.ndarray) -> ClearnessStats:
    """Statistics of a sequence of daily clearness indices."""
    overcast = kt < OVERCAST_KT
    edges = np.diff(np.concatenate(([0], overcast.astype(int), [0])))
    runs = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
    q25, q75 = np.percentile(kt, [25, 75])
    return ClearnessStats(
        overcast_days=int(overcast.sum()),
        clear_days=int((kt > 0.6).sum()),
        mean=float(kt.mean()),
        std=float(kt.std()),
        iqr=float(q75 - q25),
        lag1=float(np.corrcoef(kt[:-1], kt[1:])[0, 1]),
        overcast_spell_days=float(runs.mean()),
    )


def daily_temperature_anomalies(weather: Weather) -> np.ndarray:
    """Daily mean temperature minus its centred 31-day running mean [degC].

    Days are calendar days in UTC+1; the running mean wraps around the year, so every day of
    the year has an anomaly. The same definition as ``temp_day_sd_c`` of the city normals.
    """
    daily = weather.data["temp_air"].tz_convert("Etc/GMT-1").resample("1D").mean().to_numpy()
    half = 15
    padded = np.concatenate([daily[-half:], daily, daily[:half]])
    running = np.convolve(padded, np.ones(2 * half + 1) / (2 * half + 1), mode="valid")
    return daily - running


@cache
def measured(city: str) -> Weather:
    """The measured 2019 year that stands in for ``city``, hourly."""
    if SHARED_WEATHER is None:
        pytest.skip("the shared NSRDB weather files (shared/data/weather) are not present")
    return resample_weather(read_nsrdb_psm(SHARED_WEATHER / MEASURED[city]), "1h")


def normals_of(weather: Weather, name: str) -> ClimateNormals:
    """Monthly normals of one measured year (its own GHI, temperature and wind)."""
    zone = "Etc/GMT-1"
    month = weather.time.tz_convert(zone).month
    data = weather.data
    daily = data["temp_air"].tz_convert(zone).resample("1D")
    half_range = ((daily.max() - daily.min()) / 2.0).groupby(lambda t: t.month).mean()
    return ClimateNormals(
        name=name,
        latitude=weather.latitude,
        longitude=weather.longitude,
        elevation_m=weather.elevation_m,
        timezone=zone,
        temp_c=tuple(data["temp_air"].groupby(month).mean()),
        temp_amp_c=tuple(half_range),
        ghi_kwh_m2=tuple(data["ghi"].groupby(month).sum() * weather.dt_h / 1000.0),
        wind_m_s=float(data["wind_speed"].mean()),
        temp_day_sd_c=float(daily_temperature_anomalies(weather).std()),
    )
