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

#: Heating balance points tried per series [°C].
HEATING_BALANCE_C = np.arange(10.0, 20.5, 1.0)
#: Cooling balance point [°C]; cooling degrees above it enter every fit.
COOLING_BALANCE_C = 22.0
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


def _calendar(time: pd.DatetimeIndex) -> np.ndarray:
    """Category per step: hour of day, plus 24 on weekends (local time of ``time``)."""
    hour = np.asarray(time.hour, dtype=int)
    weekend = np.asarray(time.dayofweek, dtype=int) >= 5
    result: np.ndarray = hour + 24 * weekend
    return result


def _design(
    category: np.ndarray, temperature: np.ndarray, ghi: np.ndarray, base: float
) -> np.ndarray:
    columns = np.zeros((category.size, 48 + 3))
    columns[np.arange(category.size), category] = 1.0
    columns[:, 48] = np.maximum(base - temperature, 0.0)
    columns[:, 49] = np.maximum(temperature - COOLING_BALANCE_C, 0.0)
    columns[:, 50] = ghi / 1000.0
    return columns


def regression(
    history: np.ndarray,
    history_time: pd.DatetimeIndex,
    future_time: pd.DatetimeIndex,
    weather: WeatherForecast,
) -> np.ndarray:
    """Least-squares forecast on calendar, degree days and irradiance (see the module).

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
    rows = slice(values.shape[0] - keep, values.shape[0])
    past_cat, future_cat = _calendar(history_time[rows]), _calendar(future_time)
    past_t, past_g = weather.history_temperature_c[rows], weather.history_ghi_w_m2[rows]
    y = values[rows]
    best_sse = np.full(y.shape[1], np.inf)
    yy = (y * y).sum(axis=0)
    result = np.zeros((len(future_time), y.shape[1]))
    residual = np.zeros_like(y)
    for base in HEATING_BALANCE_C:
        x = _design(past_cat, past_t, past_g, base)
        # normal equations of 51 unknowns: a small solve, whatever the history's length;
        # lstsq on the (possibly singular) Gram matrix gives the minimum-norm fit
        gram, xty = x.T @ x, x.T @ y
        coef = np.linalg.pinv(gram) @ xty
        # the residual sum of squares from the normal equations, without the n × series residuals
        sse = yy - 2.0 * (coef * xty).sum(axis=0) + (coef * (gram @ coef)).sum(axis=0)
        better = sse < best_sse - 1e-9 * (1.0 + sse)  # a real improvement, not noise
        if better.any():
            future = _design(future_cat, weather.temperature_c, weather.ghi_w_m2, base)
            result[:, better] = (future @ coef)[:, better]
            residual[:, better] = (y - x @ coef)[:, better]
            best_sse = np.where(better, sse, best_sse)
    result += residual_carry(residual, len(future_time))
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
    lagged, current = residual[:-1], residual[1:]
    power = (lagged * lagged).sum(axis=0)
    phi = np.divide(
        (lagged * current).sum(axis=0), power, out=np.zeros(power.shape), where=power > 1e-12
    )
    phi = np.clip(phi, 0.0, 0.99)
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
