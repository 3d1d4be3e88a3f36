"""Shared fixtures for the supply and device profile tests (PV, solar thermal, wind, heat pump,
EV).

Weather is built directly as :class:`sparcs.climate.weather.Weather` (the climate readers are
tested on their own).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from sparcs.climate.weather import Weather

DATA = Path(__file__).resolve().parents[1] / "data"
#: Hourly cut of NREL NSRDB 2019, Prague (see tests/data/README.md for provenance).
PRAGUE_HOURLY = DATA / "nsrdb_2019_60min_prague_50.09_14.42.csv"
PRAGUE = {"latitude": 50.09, "longitude": 14.42, "elevation_m": 202.0}

MakeWeather = Callable[..., Weather]


@pytest.fixture(scope="session")
def prague_nsrdb() -> tuple[pd.DataFrame, dict]:
    """The hourly Prague 2019 file read by pvlib's NSRDB reader; index in UTC named time."""
    data, meta = pvlib.iotools.read_nsrdb_psm4(PRAGUE_HOURLY, map_variables=True)
    data.index = data.index.tz_convert("UTC").rename("time")
    return data, meta


@pytest.fixture(scope="session")
def prague_weather(prague_nsrdb: tuple[pd.DataFrame, dict]) -> Weather:
    """One measured year (NSRDB 2019, Prague), hourly interval means."""
    data, meta = prague_nsrdb
    return Weather(
        data=data[["ghi", "dni", "dhi", "temp_air", "wind_speed"]],
        latitude=float(meta["latitude"]),
        longitude=float(meta["longitude"]),
        elevation_m=float(meta["altitude"]),
        timezone="Europe/Prague",
        source="NREL NSRDB 2019 Prague (hourly cut, tests/data)",
    )


@pytest.fixture(scope="session")
def make_weather() -> MakeWeather:
    """Factory: a Weather at Prague from arrays over a UTC index (constant temp and wind)."""

    def build(
        index: pd.DatetimeIndex,
        *,
        ghi: np.ndarray | float = 0.0,
        dni: np.ndarray | float = 0.0,
        dhi: np.ndarray | float = 0.0,
        temp_air: np.ndarray | float = 10.0,
        wind_speed: np.ndarray | float = 2.0,
        latitude: float = PRAGUE["latitude"],
    ) -> Weather:
        n = len(index)
        frame = pd.DataFrame(
            {
                name: np.broadcast_to(np.asarray(value, dtype=float), (n,)).copy()
                for name, value in {
                    "ghi": ghi,
                    "dni": dni,
                    "dhi": dhi,
                    "temp_air": temp_air,
                    "wind_speed": wind_speed,
                }.items()
            },
            index=index.rename("time"),
        )
        return Weather(
            data=frame,
            latitude=latitude,
            longitude=PRAGUE["longitude"],
            elevation_m=PRAGUE["elevation_m"],
            timezone="Europe/Prague",
            source="test arrays",
            synthetic=True,
        )

    return build


@pytest.fixture(scope="session")
def clear_sky_weather(make_weather: MakeWeather) -> MakeWeather:
    """Factory: Ineichen clear-sky weather at Prague over an index, sampled at midpoints."""

    def build(index: pd.DatetimeIndex, *, temp_air: float = 20.0) -> Weather:
        step = index[1] - index[0]
        location = pvlib.location.Location(
            PRAGUE["latitude"], PRAGUE["longitude"], tz="UTC", altitude=PRAGUE["elevation_m"]
        )
        sky = location.get_clearsky(index + step / 2, model="ineichen")
        return make_weather(
            index,
            ghi=sky["ghi"].to_numpy(),
            dni=sky["dni"].to_numpy(),
            dhi=sky["dhi"].to_numpy(),
            temp_air=temp_air,
        )

    return build


@pytest.fixture(scope="session")
def clear_june_hourly(clear_sky_weather: MakeWeather) -> Weather:
    """Three clear June days at Prague, hourly."""
    index = pd.date_range("2019-06-20", periods=72, freq="1h", tz="UTC", name="time")
    return clear_sky_weather(index)


@pytest.fixture(scope="session")
def clear_june_15min(clear_sky_weather: MakeWeather) -> Weather:
    """The same three clear June days at Prague, 15-minute steps."""
    index = pd.date_range("2019-06-20", periods=288, freq="15min", tz="UTC", name="time")
    return clear_sky_weather(index)
