"""The weather a cycle's regression runs on: an ingested forecast when there is one.

Weather meters (``quantity = "temp_air_c"`` or ``"ghi_w_m2"``, any ``node``: the station)
bring measured weather and forecasts into the store the same way; a reading at or after
``now`` can only be a forecast (a weather service's, ingested before the cycle). Per
quantity and step, the mean over the stations is taken:

- history steps: the ingested (measured) value where there is one, else the scenario's
  weather year;
- horizon steps: the ingested forecast where there is one (gaps inside it interpolated),
  else the scenario's weather year — stated, with how many steps each covered.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sparcs.live.forecasters import WeatherForecast
from sparcs.profiles.inputs import Inputs
from sparcs.store import Store
from sparcs.store.recent import meter_codes

__all__ = ["WEATHER_COLUMNS", "horizon_weather", "ingested_weather"]

#: Quantity of a weather meter → column of the scenario's weather data.
WEATHER_COLUMNS = {"temp_air_c": "temp_air", "ghi_w_m2": "ghi"}


def ingested_weather(
    store: Store, start: pd.Timestamp, end: pd.Timestamp, step: pd.Timedelta
) -> pd.DataFrame:
    """Ingested weather per step in [start, end): mean over stations and sub-steps.

    Parameters
    ----------
    store
        The open store.
    start, end
        The steps to read (time-zone aware).
    step
        The step length the values are averaged to.

    Returns
    -------
    pandas.DataFrame
        Index ``time`` (UTC, step starts with a value), a column per quantity of
        :data:`WEATHER_COLUMNS` that has readings (°C, W/m²).
    """
    # the meters as plain rows: a cycle asks every quarter hour, mostly to hear there are none
    meters = {i: q for i, _, _, q in meter_codes(store) if q in WEATHER_COLUMNS}
    if not meters:
        return pd.DataFrame(index=pd.DatetimeIndex([], tz="UTC", name="time"))
    rows = store.readings(list(meters), start=start, end=end)
    rows = rows[np.isfinite(rows["value"].to_numpy(dtype=float))]
    quantity = pd.Series(meters)
    rows = rows.assign(
        quantity=rows["meter"].map(quantity),
        time=pd.DatetimeIndex(rows["time"]).tz_convert("UTC").floor(step),
    )
    wide: pd.DataFrame = rows.pivot_table(
        index="time", columns="quantity", values="value", aggfunc="mean"
    )
    wide.columns.name = None
    return wide


def _column(
    ingested: pd.DataFrame, quantity: str, time: pd.DatetimeIndex, interpolate: bool
) -> np.ndarray:
    """Ingested values of ``quantity`` on ``time`` (NaN where none)."""
    if quantity not in ingested.columns:
        return np.full(len(time), np.nan)
    values = ingested[quantity].reindex(time)
    if interpolate:  # gaps inside the forecast, never past its last value
        values = values.interpolate(limit_area="inside")
    return values.to_numpy(dtype=float)


def horizon_weather(
    ingested: pd.DataFrame,
    inputs: Inputs,
    history_time: pd.DatetimeIndex,
    future_time: pd.DatetimeIndex,
) -> tuple[WeatherForecast, str]:
    """The weather of the history and horizon steps, and which input it came from.

    Parameters
    ----------
    ingested
        Ingested weather per step (:func:`ingested_weather`).
    inputs
        The scenario's profiles: their weather year fills what was not ingested.
    history_time, future_time
        Steps of the history and of the horizon (time-zone aware).

    Returns
    -------
    weather, source
        The weather per step, and in words which input each quantity used over the horizon.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> time = pd.date_range("2025-01-01", periods=4, freq="h", tz="UTC")
    >>> year = pd.DataFrame({"temp_air": 10.0, "ghi": 0.0}, index=time)
    >>> inputs = SimpleNamespace(weather=SimpleNamespace(data=year))
    >>> forecast = pd.DataFrame({"temp_air_c": [2.0, np.nan, 4.0]}, index=time[1:])
    >>> weather, source = horizon_weather(forecast, inputs, time[:1], time[1:])
    >>> weather.temperature_c.tolist(), weather.history_temperature_c.tolist()
    ([2.0, 3.0, 4.0], [10.0])
    >>> source
    'temp_air_c: ingested forecast (3 of 3 steps); ghi_w_m2: the scenario weather year'
    """
    data = inputs.weather.data
    parts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    said = []
    for quantity, column in WEATHER_COLUMNS.items():
        year_past = data[column].reindex(history_time.tz_convert("UTC"), method="nearest")
        year_ahead = data[column].reindex(future_time.tz_convert("UTC"), method="nearest")
        past = _column(ingested, quantity, history_time.tz_convert("UTC"), interpolate=False)
        ahead = _column(ingested, quantity, future_time.tz_convert("UTC"), interpolate=True)
        covered = int(np.isfinite(ahead).sum())
        parts[quantity] = (
            np.where(np.isfinite(past), past, year_past.to_numpy(dtype=float)),
            np.where(np.isfinite(ahead), ahead, year_ahead.to_numpy(dtype=float)),
        )
        if covered == 0:
            said.append(f"{quantity}: the scenario weather year")
        elif covered == len(future_time):
            said.append(f"{quantity}: ingested forecast ({covered} of {covered} steps)")
        else:
            said.append(
                f"{quantity}: ingested forecast ({covered} of {len(future_time)} steps), "
                "the scenario weather year for the rest"
            )
    weather = WeatherForecast(
        parts["temp_air_c"][0], parts["ghi_w_m2"][0], parts["temp_air_c"][1], parts["ghi_w_m2"][1]
    )
    return weather, "; ".join(said)
