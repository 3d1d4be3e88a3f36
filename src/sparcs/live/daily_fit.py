"""The live regression refitted once a day and applied every cycle.

A cycle's forecast (:func:`forecast_with_fit`) uses the fit of the history up to the start
of the latest local day (:func:`fit_window`) and the weather from the window on: the fit
only changes when a new day of readings is in, so it is kept (:func:`cached_fit`, keyed by
the window's data, never a stale fit for other data) and a cycle only applies it. The latest
error of the fit is carried ahead as an AR(1) of its residuals.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

import numpy as np
import pandas as pd

from sparcs.live.fitting import RegressionFit, fit_regression, predict

__all__ = ["CACHE_SIZE", "cached_fit", "fit_window", "forecast_with_fit"]

#: Fits kept between cycles (a few districts, or a loop and a replay, at once).
CACHE_SIZE = 16
_FITS: OrderedDict[tuple[object, ...], RegressionFit] = OrderedDict()


def fit_window(history_time: pd.DatetimeIndex, days: int, steps_per_day: int) -> slice:
    """The history rows a fit uses: whole days up to the start of the latest local day.

    The latest day of readings, still coming in, waits for the next day's fit, and the
    oldest day is left out (a rolling history cuts it a step at a time); with less than
    seven whole days, the last ``days`` days of every row are used instead.

    Parameters
    ----------
    history_time
        Local, time-zone aware start of each history step.
    days
        Longest window [days].
    steps_per_day
        Steps per day.

    Returns
    -------
    slice
        Rows of the history.

    Examples
    --------
    >>> t = pd.date_range("2025-06-01 00:00", periods=24 * 9 + 5, freq="h", tz="UTC")
    >>> fit_window(t, 28, 24)
    slice(24, 216, None)
    """
    n = len(history_time)
    step = history_time[1] - history_time[0]
    end = int(history_time.searchsorted((history_time[-1] + step).normalize()))
    # not the oldest day: a rolling history loses it a step at a time, and the window must
    # stay the same all day for the fit to be kept
    whole = min(days, (end - 1) // steps_per_day)
    if whole >= 7:
        return slice(end - whole * steps_per_day, end)
    return slice(max(0, n - days * steps_per_day), n)


def _key(
    window: slice, y: np.ndarray, time: pd.DatetimeIndex, *weather: np.ndarray
) -> tuple[object, ...]:
    digest = hashlib.blake2b(digest_size=16)
    for part in (y[window], *(w[window] for w in weather)):
        digest.update(np.ascontiguousarray(part, dtype=float).tobytes())
    first = time[window.start]
    return (first.value, str(time.tz), window.stop - window.start, y.shape[1], digest.hexdigest())


def cached_fit(
    y: np.ndarray,
    time: pd.DatetimeIndex,
    temperature_c: np.ndarray,
    ghi_w_m2: np.ndarray,
    window: slice,
    steps_per_day: int,
    dt_h: float,
) -> RegressionFit:
    """The fit of ``y`` over ``window``: kept from an earlier cycle when its data are the same.

    Parameters
    ----------
    y
        History, steps × series [kWh per step].
    time
        Local start of each history step.
    temperature_c, ghi_w_m2
        History weather per step.
    window
        The rows to fit (:func:`fit_window`).
    steps_per_day, dt_h
        Steps per day; step length [h].

    Returns
    -------
    RegressionFit
        The fit (the same object for the same data).
    """
    key = (*_key(window, y, time, temperature_c, ghi_w_m2), steps_per_day, dt_h)
    found = _FITS.get(key)
    if found is not None:
        _FITS.move_to_end(key)
        return found
    fit = fit_regression(
        y[window], time[window], temperature_c[window], ghi_w_m2[window], steps_per_day, dt_h
    )
    _FITS[key] = fit
    while len(_FITS) > CACHE_SIZE:
        _FITS.popitem(last=False)
    return fit


def forecast_with_fit(
    y: np.ndarray,
    history_time: pd.DatetimeIndex,
    future_time: pd.DatetimeIndex,
    temperature_c: np.ndarray,
    ghi_w_m2: np.ndarray,
    days: int,
    steps_per_day: int,
) -> np.ndarray:
    """The regression's forecast for ``future_time``, with the latest error carried.

    Parameters
    ----------
    y
        History, steps × series [kWh per step].
    history_time, future_time
        Local start of each history and horizon step.
    temperature_c, ghi_w_m2
        Weather of the history steps then the horizon steps [°C], [W/m²].
    days
        Longest fit window [days].
    steps_per_day
        Steps per day.

    Returns
    -------
    numpy.ndarray
        horizon × series [kWh per step] (not yet cut at zero).
    """
    n = y.shape[0]
    dt_h = (history_time[1] - history_time[0]) / pd.Timedelta(hours=1)
    window = fit_window(history_time, days, steps_per_day)
    fit = cached_fit(y, history_time, temperature_c[:n], ghi_w_m2[:n], window, steps_per_day, dt_h)
    # from the window's start on (the moving averages run from there, as in the fit)
    time = pd.DatetimeIndex(history_time[window.start :].append(future_time))
    temp, ghi = temperature_c[window.start :], ghi_w_m2[window.start :]
    tail = slice(n - 1 - window.start, len(time))  # the last history step, then the horizon
    values = predict(fit, time, temp, ghi, tail, steps_per_day, dt_h)
    latest_error = y[-1] - values[0]
    lead = np.arange(1, len(future_time) + 1)[:, None]
    result: np.ndarray = values[1:] + latest_error[None, :] * fit.phi[None, :] ** lead
    return result
