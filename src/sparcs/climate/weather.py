"""The :class:`Weather` container: one year of weather at a site, in UTC."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from sparcs.errors import WeatherError
from sparcs.timeseries import check_index, dt_hours

__all__ = ["WEATHER_COLUMNS", "Weather"]

#: Columns every Weather frame carries (pvlib names): W/m2, W/m2, W/m2, degC, m/s.
WEATHER_COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed")


@dataclass(frozen=True)
class Weather:
    """Weather at a site.

    Attributes
    ----------
    data
        Frame with columns :data:`WEATHER_COLUMNS`: ``ghi``, ``dni``, ``dhi`` [W/m2, interval
        mean], ``temp_air`` [degC], ``wind_speed`` [m/s at 10 m]; tz-aware UTC index named
        ``time`` with period-beginning labels and a fixed step.
    latitude, longitude
        Site [deg].
    elevation_m
        Site elevation [m].
    timezone
        IANA zone of the site (for local calendars).
    source
        Where the data came from, with attribution, e.g. ``"synthetic from normals (espoo)"``.
    synthetic
        True when generated rather than measured.
    repairs
        Human-readable list of repairs made while reading (gaps filled, values clipped).
    """

    data: pd.DataFrame
    latitude: float
    longitude: float
    elevation_m: float
    timezone: str
    source: str
    synthetic: bool = False
    repairs: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        missing = [c for c in WEATHER_COLUMNS if c not in self.data.columns]
        if missing:
            msg = f"weather from {self.source} lacks columns {missing}"
            raise WeatherError(msg)
        check_index(self.data.index, what=f"weather from {self.source}")

    @property
    def time(self) -> pd.DatetimeIndex:
        """The UTC index."""
        index = self.data.index
        # checked in __post_init__: a tz-aware DatetimeIndex; narrows the type for the caller
        assert isinstance(index, pd.DatetimeIndex)
        return index

    @property
    def dt_h(self) -> float:
        """Step length [h]."""
        return dt_hours(self.time)
