"""Move a weather year onto a scenario year and time step.

Measured years (e.g. NSRDB 2019) and typical years (TMYs, relabelled onto 1990 by the
readers) must become the scenario's local calendar year at the scenario's step:

1. **Resample** in the data's own time. Finer to coarser: mean over each coarse interval (only
   complete intervals; irradiance energy conserved; the closure ``ghi = dhi + dni cos(zenith)``
   then holds only approximately). Coarser to finer: irradiance of each coarse interval is
   spread over its sub-intervals in proportion to clear-sky GHI (Ineichen-Perez 2002), so the
   energy is conserved exactly and none falls before sunrise; DHI is spread the same way and
   DNI follows from the closure at each sub-interval; temperature and wind speed are
   interpolated linearly between interval midpoints.
2. **Relabel** each step of the target year (UTC, period-beginning, local calendar year from
   :func:`sparcs.timeseries.year_index`) with the data of the same UTC month, day and time of
   day, whatever the data's year. 29 February of a leap target year takes 28 February when
   the data has none. The data must cover every UTC calendar slot of the target year.

Each step is recorded in :attr:`Weather.repairs`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from sparcs.climate.quality import duration_text
from sparcs.climate.solar import (
    MIN_COS_ZENITH,
    clear_sky,
    interval_midpoints,
    linke_turbidity,
    solar_position,
)
from sparcs.climate.weather import WEATHER_COLUMNS, Weather
from sparcs.errors import WeatherError
from sparcs.timeseries import TIME_NAME, parse_timestep, year_index

__all__ = ["align_to_year", "resample_weather"]


def _ratio(big: pd.Timedelta, small: pd.Timedelta, source: str) -> int:
    ratio = big / small
    if ratio != int(ratio):
        msg = (
            f"{source}: cannot resample between steps {duration_text(big)} and "
            f"{duration_text(small)} (not a whole multiple)"
        )
        raise WeatherError(msg)
    return int(ratio)


def _downsample(weather: Weather, step: pd.Timedelta) -> tuple[pd.DataFrame, str]:
    data = weather.data
    count = _ratio(step, weather.time[1] - weather.time[0], weather.source)
    bins = weather.time.floor(step)
    grouped = data.groupby(bins)
    means = grouped.mean()[grouped.size() == count]
    means.index = pd.DatetimeIndex(means.index, name=TIME_NAME)
    note = (
        f"resampled to {duration_text(step)} by averaging {count} steps (complete intervals only)"
    )
    return means, note


def _upsample(weather: Weather, step: pd.Timedelta) -> tuple[pd.DataFrame, str]:
    source_step = weather.time[1] - weather.time[0]
    count = _ratio(source_step, step, weather.source)
    offsets = pd.TimedeltaIndex(np.tile(np.arange(count), len(weather.time)) * step)
    index = (weather.time.repeat(count) + offsets).rename(TIME_NAME)
    mid = interval_midpoints(index)
    sun = solar_position(mid, weather.latitude, weather.longitude)
    turbidity = linke_turbidity(mid, weather.latitude, weather.longitude)
    shape = clear_sky(mid, sun["apparent_zenith"].to_numpy(), weather.elevation_m, turbidity)
    weight = shape["ghi"].to_numpy().reshape(-1, count)
    total = weight.sum(axis=1, keepdims=True)
    share = np.divide(weight, total, out=np.full_like(weight, 1.0 / count), where=total > 0)
    spread = share * count
    ghi = (weather.data["ghi"].to_numpy()[:, None] * spread).ravel()
    dhi = np.minimum((weather.data["dhi"].to_numpy()[:, None] * spread).ravel(), ghi)
    cos_zenith = np.cos(np.radians(sun["zenith"].to_numpy()))
    low = cos_zenith < MIN_COS_ZENITH
    dni = np.where(low, 0.0, (ghi - dhi) / np.where(low, 1.0, cos_zenith))
    seconds = np.asarray((mid - mid[0]) / pd.Timedelta(seconds=1))
    source_seconds = np.asarray(
        (interval_midpoints(weather.time) - mid[0]) / pd.Timedelta(seconds=1)
    )
    frame = pd.DataFrame({"ghi": ghi, "dni": dni, "dhi": np.where(low, ghi, dhi)}, index=index)
    for column in ("temp_air", "wind_speed"):
        frame[column] = np.interp(seconds, source_seconds, weather.data[column].to_numpy())
    note = (
        f"resampled to {duration_text(step)}: irradiance spread over each "
        f"{duration_text(source_step)} in proportion to "
        "clear-sky GHI (energy conserved, DNI by closure); temp_air and wind_speed "
        "interpolated linearly between interval midpoints"
    )
    return frame[list(WEATHER_COLUMNS)], note


def resample_weather(weather: Weather, step: str | pd.Timedelta) -> Weather:
    """Return ``weather`` at another fixed step (module docstring, step 1).

    Parameters
    ----------
    weather
        Weather on a fixed step.
    step
        New step, e.g. ``"1h"``, ``"15min"`` or a :class:`pandas.Timedelta`.

    Returns
    -------
    Weather
        ``weather`` itself when the step is unchanged, else the resampled weather with the
        resampling recorded in ``repairs``.
    """
    delta = parse_timestep(step) if isinstance(step, str) else step
    current = weather.time[1] - weather.time[0]
    if delta == current:
        return weather
    frame, note = _downsample(weather, delta) if delta > current else _upsample(weather, delta)
    return replace(weather, data=frame, repairs=(*weather.repairs, note))


def _slot(index: pd.DatetimeIndex) -> np.ndarray:
    """UTC calendar slot of each timestamp: month, day and minute of the day as one integer."""
    minutes = index.hour.to_numpy() * 60 + index.minute.to_numpy()
    result: np.ndarray = (index.month.to_numpy() * 100 + index.day.to_numpy()) * 1440 + minutes
    return result


def _positions(weather: Weather, target: pd.DatetimeIndex, what: str) -> tuple[np.ndarray, bool]:
    """Row of ``weather`` for each step of ``target``; whether 29 February was borrowed."""
    slots = pd.Index(_slot(weather.time))
    if slots.has_duplicates:
        first = weather.time[slots.duplicated()][0]
        msg = (
            f"{weather.source}: the data cover more than one year ({weather.time[0]} to "
            f"{weather.time[-1]}, {first} repeats a calendar slot); cut them to one year"
        )
        raise WeatherError(msg)
    wanted = _slot(target)
    leap_day = np.asarray((target.month == 2) & (target.day == 29))
    has_leap_day = ((weather.time.month == 2) & (weather.time.day == 29)).any()
    fill_leap = bool(leap_day.any() and not has_leap_day)
    if fill_leap:
        wanted = np.where(leap_day, wanted - 1440, wanted)
    position = slots.get_indexer(wanted)
    if (position < 0).any():
        msg = (
            f"{weather.source}: the data ({weather.time[0]} to {weather.time[-1]}) miss "
            f"{int((position < 0).sum())} step(s) of {what}, first "
            f"{target[int(np.argmax(position < 0))]}; a full year of data is needed"
        )
        raise WeatherError(msg)
    return position, fill_leap


def align_to_year(
    weather: Weather, year: int, step: str = "1h", *, timezone: str | None = None
) -> Weather:
    """Move ``weather`` onto the local calendar ``year`` at ``step`` (module docstring).

    Parameters
    ----------
    weather
        About one year of weather, any year, any step that is a multiple or a divisor of
        ``step``.
    year
        Target calendar year (local, in ``timezone``).
    step
        Target step, e.g. ``"1h"`` or ``"15min"``.
    timezone
        IANA zone whose calendar year is meant; default ``weather.timezone``.

    Returns
    -------
    Weather
        On :func:`sparcs.timeseries.year_index` ``(year, step, timezone)``.

    Raises
    ------
    WeatherError
        Data that do not cover every calendar slot of the target year, cover a slot twice
        (more than a year), or have a step that does not divide the target step.
    """
    zone = timezone or weather.timezone
    target = year_index(year, step, zone)
    if weather.time.equals(target):
        return replace(weather, timezone=zone)
    resampled = resample_weather(weather, parse_timestep(step))
    position, fill_leap = _positions(resampled, target, f"calendar year {year} in {zone}")
    data = resampled.data.iloc[position].set_axis(target)
    years = sorted(set(resampled.time.year))
    notes = [f"relabelled from {'/'.join(map(str, years))} onto {year} (same UTC month, day, time)"]
    if fill_leap:
        notes.append("29 February filled with the data of 28 February")
    return replace(resampled, data=data, timezone=zone, repairs=(*resampled.repairs, *notes))
