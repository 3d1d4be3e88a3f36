"""Forecasts of measured series for live operation: persistence, seasonal naive, regression.

Every forecaster takes the history of one or more series up to the issue time (rows are
steps, columns are series: one per building and quantity) and returns the next ``horizon``
steps for all series at once:

``persistence``
    the same step of the latest day (yesterday's profile, repeated);
``seasonal``
    the same step of the same weekday of the latest week (seasonal naive);
``regression``
    a least-squares fit on the recent history of an intercept per hour of day and day type
    (workday or weekend), heating and cooling degrees against a balance point chosen per
    series from a grid (as CalTRACK searches it), and global horizontal irradiance, applied
    to a weather forecast for the horizon, plus the fit's latest error carried forward as
    an AR(1) of its residuals (a dynamic regression). Without a weather forecast it cannot
    run.

Forecasts of energy per step are never negative: a fit that dips below zero is cut at zero.

References
----------
R. J. Hyndman, G. Athanasopoulos, *Forecasting: Principles and Practice*, 3rd ed., OTexts
2021, sections 5.2 (naive and seasonal naive), 7 (regression with calendar predictors) and
10 (dynamic regression: regression with ARIMA errors).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from sparcs.errors import DataError, InsufficientDataError
from sparcs.live.daily_fit import forecast_with_fit
from sparcs.live.fitting import error_persistence

__all__ = [
    "FORECASTERS",
    "Forecaster",
    "WeatherForecast",
    "forecast",
    "persistence",
    "regression",
    "residual_carry",
    "seasonal_naive",
]

Forecaster = Literal["persistence", "seasonal", "regression"]
#: The forecasters, simplest first (the order breaks ties in skill).
FORECASTERS: tuple[Forecaster, ...] = ("persistence", "seasonal", "regression")

#: History the regression is fitted on [days]: recent enough to follow the season.
REGRESSION_DAYS = 28


@dataclass(frozen=True)
class WeatherForecast:
    """Weather over history and horizon, aligned with the steps of both.

    Attributes
    ----------
    history_temperature_c, history_ghi_w_m2
        Outdoor air temperature [°C] and global horizontal irradiance [W/m²] at each
        history step (measured, or the forecast archived at the time).
    temperature_c, ghi_w_m2
        The forecast for each horizon step [°C], [W/m²].
    """

    history_temperature_c: np.ndarray
    history_ghi_w_m2: np.ndarray
    temperature_c: np.ndarray
    ghi_w_m2: np.ndarray


def _as_matrix(history: np.ndarray) -> np.ndarray:
    values = np.asarray(history, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    if values.ndim != 2:
        msg = f"history must be steps × series, got an array of {values.ndim} dimensions"
        raise DataError(msg)
    if not np.isfinite(values).all():
        rows = np.flatnonzero(~np.isfinite(values).all(axis=1))
        msg = (
            f"history has {rows.size} steps with missing values (first at row {rows[0]}); "
            "fill or drop them before forecasting"
        )
        raise DataError(msg)
    return values


def _repeat_season(history: np.ndarray, horizon: int, season: int, name: str) -> np.ndarray:
    values = _as_matrix(history)
    n = values.shape[0]
    if n < season:
        msg = f"the {name} forecast needs {season} steps of history, only {n} are there"
        raise InsufficientDataError(msg)
    source = n - season + np.mod(np.arange(horizon), season)
    result: np.ndarray = values[source]
    return result


def persistence(history: np.ndarray, horizon: int, steps_per_day: int) -> np.ndarray:
    """The same step of the latest day, repeated over the horizon.

    Parameters
    ----------
    history
        Values up to the issue time, steps × series (or one series) [kWh per step].
    horizon
        Steps to forecast.
    steps_per_day
        Steps per day (24 at 1 h, 96 at 15 min).

    Returns
    -------
    numpy.ndarray
        horizon × series [kWh per step].

    Raises
    ------
    InsufficientDataError
        With less than one day of history.

    Examples
    --------
    >>> persistence(np.arange(6.0), horizon=4, steps_per_day=3)[:, 0].tolist()
    [3.0, 4.0, 5.0, 3.0]
    """
    return _repeat_season(history, horizon, steps_per_day, "persistence")


def seasonal_naive(history: np.ndarray, horizon: int, steps_per_day: int) -> np.ndarray:
    """The same step of the same weekday of the latest week.

    Parameters
    ----------
    history
        Values up to the issue time, steps × series (or one series) [kWh per step].
    horizon
        Steps to forecast.
    steps_per_day
        Steps per day.

    Returns
    -------
    numpy.ndarray
        horizon × series [kWh per step].

    Raises
    ------
    InsufficientDataError
        With less than one week of history.
    """
    return _repeat_season(history, horizon, 7 * steps_per_day, "seasonal")


def regression(
    history: np.ndarray,
    history_time: pd.DatetimeIndex,
    future_time: pd.DatetimeIndex,
    weather: WeatherForecast,
) -> np.ndarray:
    """Least-squares forecast on calendar, irradiance and degrees (see the module).

    The fit covers whole days of the last :data:`REGRESSION_DAYS` up to the start of the
    latest local day and is refitted once a day (kept between calls for the same data,
    :mod:`sparcs.live.daily_fit`); each call applies it to the weather of the horizon and
    carries the latest error ahead.

    Parameters
    ----------
    history
        Values up to the issue time, steps × series [kWh per step].
    history_time, future_time
        Local, time-zone aware start of each history and horizon step.
    weather
        Weather over the history and the horizon.

    Returns
    -------
    numpy.ndarray
        horizon × series [kWh per step], never negative.

    Raises
    ------
    InsufficientDataError
        With less than seven days of history (too few to fit the calendar terms).
    DataError
        Weather arrays that do not match the steps.
    """
    values = _as_matrix(history)
    steps_per_day = max(1, round(pd.Timedelta(days=1) / _step(history_time)))
    keep = min(values.shape[0], REGRESSION_DAYS * steps_per_day)
    if keep < 7 * steps_per_day:
        msg = f"the regression forecast needs 7 days of history, only {keep} steps are there"
        raise InsufficientDataError(msg)
    _check_lengths(values.shape[0], len(future_time), history_time, weather)
    temperature = np.concatenate([weather.history_temperature_c, weather.temperature_c])
    ghi = np.concatenate([weather.history_ghi_w_m2, weather.ghi_w_m2])
    result = forecast_with_fit(
        values,
        history_time,
        future_time,
        temperature.astype(float),
        ghi.astype(float),
        REGRESSION_DAYS,
        steps_per_day,
    )
    clipped: np.ndarray = np.maximum(result, 0.0)
    return clipped


def residual_carry(residual: np.ndarray, horizon: int) -> np.ndarray:
    """What the latest error of a fit says about the next steps: an AR(1) of the residuals.

    The fit's error at the last history step, ``r``, persists with the residuals' lag-one
    autocorrelation ``phi`` (least squares through the origin, held in [0, 0.99]): the
    correction at lead ``h`` (1 = the first step ahead) is ``r * phi ** h``. Errors that do
    not persist (``phi`` = 0) or a fit without error add nothing.

    Parameters
    ----------
    residual
        In-sample residuals of the fit, steps × series [kWh per step].
    horizon
        Steps ahead.

    Returns
    -------
    numpy.ndarray
        horizon × series corrections [kWh per step].

    Examples
    --------
    >>> r = np.array([[1.0], [0.5], [0.25], [0.125]])  # each step half the one before
    >>> residual_carry(r, 3)[:, 0].tolist()
    [0.0625, 0.03125, 0.015625]
    """
    phi = error_persistence(residual)
    lead = np.arange(1, horizon + 1)[:, None]
    result: np.ndarray = residual[-1][None, :] * phi[None, :] ** lead
    return result


def _step(time: pd.DatetimeIndex) -> pd.Timedelta:
    if len(time) < 2:
        msg = "the history needs at least two steps to know its resolution"
        raise InsufficientDataError(msg)
    return pd.Timedelta(time[1] - time[0])


def _check_lengths(
    n_history: int, n_future: int, history_time: pd.DatetimeIndex, weather: WeatherForecast
) -> None:
    expected = {
        "history_time": (len(history_time), n_history),
        "history_temperature_c": (len(weather.history_temperature_c), n_history),
        "history_ghi_w_m2": (len(weather.history_ghi_w_m2), n_history),
        "temperature_c": (len(weather.temperature_c), n_future),
        "ghi_w_m2": (len(weather.ghi_w_m2), n_future),
    }
    for name, (got, want) in expected.items():
        if got != want:
            msg = f"weather {name} has {got} steps where {want} are needed; align it with the steps"
            raise DataError(msg)


def forecast(
    kind: Forecaster,
    history: np.ndarray,
    history_time: pd.DatetimeIndex,
    future_time: pd.DatetimeIndex,
    weather: WeatherForecast | None = None,
) -> np.ndarray:
    """The forecast of ``kind`` for the steps ``future_time``.

    Parameters
    ----------
    kind
        ``"persistence"``, ``"seasonal"`` or ``"regression"``.
    history
        Values up to the issue time, steps × series [kWh per step].
    history_time, future_time
        Local, time-zone aware start of each history and horizon step, evenly spaced.
    weather
        Needed by ``"regression"`` only.

    Returns
    -------
    numpy.ndarray
        ``len(future_time)`` × series [kWh per step].

    Raises
    ------
    DataError
        For an unknown kind, or ``"regression"`` without a weather forecast.
    InsufficientDataError
        With too little history for the kind.
    """
    horizon = len(future_time)
    if kind == "regression":
        if weather is None:
            msg = (
                "the regression forecast needs a weather forecast; ingest one or choose persistence"
            )
            raise DataError(msg)
        return regression(history, history_time, future_time, weather)
    steps_per_day = max(1, round(pd.Timedelta(days=1) / _step(history_time)))
    if kind == "persistence":
        return persistence(history, horizon, steps_per_day)
    if kind == "seasonal":
        return seasonal_naive(history, horizon, steps_per_day)
    msg = f"forecaster {kind!r} is not known; choose one of {', '.join(FORECASTERS)}"
    raise DataError(msg)
