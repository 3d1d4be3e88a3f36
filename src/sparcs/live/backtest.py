"""Forecast skill from history alone: every forecaster replayed at past issue times.

Before a district's cycles have kept any forecast there is nothing to score
(:func:`sparcs.live.archive.choose_forecasters`); a backtest makes the forecasts each
forecaster *would* have made at past issue times, from the history before each, and scores
them against what was then measured (:func:`sparcs.live.scores.score_forecasts`). Only data
before each issue time enter its forecast: the measured history, and the weather of the
horizon as the weather input gives it (measured weather standing in for a forecast makes
weather-driven forecasters look better than a real forecast would let them be).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sparcs.errors import DataError, InsufficientDataError
from sparcs.live.forecasters import FORECASTERS, WeatherForecast, forecast
from sparcs.live.meter_feed import measured_series
from sparcs.live.scores import best_forecasters, score_forecasts
from sparcs.profiles.inputs import Inputs

__all__ = ["backtest_choice", "backtest_forecasts", "choice_before"]


def backtest_forecasts(
    values: np.ndarray,
    time: pd.DatetimeIndex,
    temperature_c: np.ndarray,
    ghi_w_m2: np.ndarray,
    series: Sequence[tuple[str, str]],
    origins: Sequence[int],
    *,
    horizon: int,
    history_steps: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every forecaster's forecasts at each origin, and the measured values to score them.

    Parameters
    ----------
    values
        Measured energy per step, steps × series [kWh per step].
    time
        Local, time-zone aware start of each step, evenly spaced.
    temperature_c, ghi_w_m2
        Weather per step [°C], [W/m²] (the regression's input over history and horizon).
    series
        (quantity, node) of each column of ``values``.
    origins
        Issue times as step indices: each forecast uses the steps before its origin.
    horizon
        Steps forecast from each origin.
    history_steps
        Longest history a forecast is given [steps].

    Returns
    -------
    forecasts, measured
        Tables with the columns of :data:`~sparcs.live.scores.FORECAST_COLUMNS` and
        :data:`~sparcs.live.scores.MEASURED_COLUMNS` (series named ``"<node>/<quantity>"``).

    Raises
    ------
    DataError
        Arrays whose lengths do not match ``time``, or a column count unlike ``series``.
    """
    data = np.asarray(values, dtype=float)
    if data.ndim != 2 or data.shape[1] != len(series):
        msg = f"values must be steps × {len(series)} series, got shape {data.shape}"
        raise DataError(msg)
    for name, array in (("values", data), ("temperature_c", temperature_c), ("ghi_w_m2", ghi_w_m2)):
        if len(array) != len(time):
            msg = f"{name} has {len(array)} steps where time has {len(time)}; align them"
            raise DataError(msg)
    names = np.array([f"{node}/{quantity}" for quantity, node in series], dtype=object)
    quantities = np.array([quantity for quantity, _ in series], dtype=object)
    utc = time.tz_convert("UTC")
    parts = []
    for origin in origins:
        first, stop = max(0, origin - history_steps), min(len(time), origin + horizon)
        if stop <= origin or origin - first < 2:
            continue
        past, ahead = slice(first, origin), slice(origin, stop)
        weather = WeatherForecast(
            temperature_c[past], ghi_w_m2[past], temperature_c[ahead], ghi_w_m2[ahead]
        )
        for kind in FORECASTERS:
            try:
                got = forecast(kind, data[past], time[past], time[ahead], weather)
            except InsufficientDataError:
                continue
            steps, columns = got.shape
            parts.append(
                pd.DataFrame(
                    {
                        "belief_time": utc[origin],
                        "time": np.tile(utc[ahead], columns),
                        "series": np.repeat(names, steps),
                        "quantity": np.repeat(quantities, steps),
                        "forecaster": kind,
                        "value_kwh": got.T.reshape(-1),
                    }
                )
            )
    forecasts = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(
            {
                "belief_time": pd.DatetimeIndex([], tz="UTC"),
                "time": pd.DatetimeIndex([], tz="UTC"),
                "series": [],
                "quantity": [],
                "forecaster": [],
                "value_kwh": [],
            }
        )
    )
    measured = pd.DataFrame(
        {
            "time": np.tile(utc, len(series)),
            "series": np.repeat(names, len(time)),
            "value_kwh": data.T.reshape(-1),
        }
    )
    return forecasts, measured


def backtest_choice(
    values: np.ndarray,
    time: pd.DatetimeIndex,
    temperature_c: np.ndarray,
    ghi_w_m2: np.ndarray,
    series: Sequence[tuple[str, str]],
    origins: Sequence[int],
    *,
    horizon: int,
    history_steps: int,
) -> tuple[dict[str, str], pd.DataFrame]:
    """The forecaster of best backtested skill per quantity (lowest nMAE, ties to the simpler).

    Parameters
    ----------
    values, time, temperature_c, ghi_w_m2, series, origins, horizon, history_steps
        As for :func:`backtest_forecasts`.

    Returns
    -------
    choice, scores
        Quantity → forecaster, and the scores over all leads it was chosen on.

    Examples
    --------
    >>> t = pd.date_range("2025-03-01", periods=24 * 10, freq="h", tz="UTC")
    >>> daily = np.tile(np.r_[np.zeros(12), np.ones(12)], 10)[:, None]
    >>> choice, _ = backtest_choice(daily, t, np.full(t.size, 10.0), np.zeros(t.size),
    ...     [("electricity_demand_kwh", "b1")], [24 * 8, 24 * 9], horizon=24, history_steps=24 * 8)
    >>> choice
    {'electricity_demand_kwh': 'persistence'}
    """
    forecasts, measured = backtest_forecasts(
        values,
        time,
        temperature_c,
        ghi_w_m2,
        series,
        origins,
        horizon=horizon,
        history_steps=history_steps,
    )
    scores = score_forecasts(forecasts, measured, by_lead=False)
    return best_forecasters(scores), scores


def choice_before(
    actual: Inputs, start: int, timezone: str, *, days: int = 14
) -> tuple[dict[str, str], pd.DataFrame]:
    """The forecasters a backtest over the ``days`` before step ``start`` chooses.

    Issue times every 6 h over those days, each forecasting a day ahead from the 28 days of
    history before it, on the profiles taken as measured
    (:func:`sparcs.live.meter_feed.measured_series`) and their weather.

    Parameters
    ----------
    actual
        Profiles taken as what the meters measured, with their weather.
    start
        First step that is not history.
    timezone
        The district's time zone (calendar predictors).
    days
        Days of issue times before ``start``.

    Returns
    -------
    choice, scores
        As :func:`backtest_choice`.
    """
    dt = actual.dt_h
    day = round(24 / dt)
    first = max(0, start - (28 + days) * day)
    truth = measured_series(actual)
    series = [(q, node) for q in truth for node in actual.building_ids]
    values = np.column_stack([truth[q][first:start] * dt for q in truth])
    weather = actual.weather.data.reindex(actual.time[first:start], method="nearest")
    origins = range(max(7 * day, start - first - days * day), start - first - day + 1, day // 4)
    return backtest_choice(
        values,
        actual.time[first:start].tz_convert(timezone),
        weather["temp_air"].to_numpy(float),
        weather["ghi"].to_numpy(float),
        series,
        list(origins),
        horizon=day,
        history_steps=28 * day,
    )
