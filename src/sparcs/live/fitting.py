"""The live regression's fit: least squares of every series on the predictors.

The fit (:func:`fit_regression`) regresses every series on the shared predictors of
:mod:`sparcs.live.features` plus the heating degrees of one law chosen per series, the one
with the least squared error (as CalTRACK searches balance points). All laws share one
factorisation: with ``G = X'X`` of the shared predictors, adding a column ``h`` lowers the
squared error of series ``y`` by ``(h'y - u'G⁻¹X'y)² / (h'h - u'G⁻¹u)`` with ``u = X'h`` (the
Schur complement), so a law costs one solve with ``G``, not a fit. The fit is kept for a
day (:mod:`sparcs.live.daily_fit`); a cycle only applies it (:func:`predict`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.linalg import cho_factor, cho_solve

from sparcs.live.features import HEATING_CANDIDATES, common_columns, day_type, heating_degrees

__all__ = ["HEATING_LEVELS", "RegressionFit", "error_persistence", "fit_regression", "predict"]

#: Levels of the heating slope: hour of the day × day type (hourly even at 15-min steps:
#: a slope per quarter hour would quadruple the fit for nothing the building's mass shows).
HEATING_LEVELS = 72


@dataclass(frozen=True)
class RegressionFit:
    """A fitted regression of several series.

    Attributes
    ----------
    shared
        Coefficients of the shared predictors, predictors × series.
    law
        Index per series into :data:`~sparcs.live.features.HEATING_CANDIDATES` of its
        heating law, -1 for none.
    heating
        Coefficient of the heating degrees per local hour and day type and series
        [kWh per step and K], 72 × series.
    phi
        Lag-one autocorrelation of each series' residuals, in [0, 0.99].
    """

    shared: np.ndarray
    law: np.ndarray
    heating: np.ndarray
    phi: np.ndarray


def error_persistence(residual: np.ndarray) -> np.ndarray:
    """Lag-one autocorrelation of residuals per series, held in [0, 0.99].

    Least squares through the origin of each residual on the one before it; 0 where the
    residuals are (numerically) zero.

    Parameters
    ----------
    residual
        steps × series.

    Returns
    -------
    numpy.ndarray
        One value per series.

    Examples
    --------
    >>> error_persistence(np.array([[2.0], [1.0], [0.5]])).tolist()
    [0.5]
    """
    lagged, current = residual[:-1], residual[1:]
    power = (lagged * lagged).sum(axis=0)
    phi = np.divide(
        (lagged * current).sum(axis=0), power, out=np.zeros(power.shape), where=power > 1e-12
    )
    result: np.ndarray = np.clip(phi, 0.0, 0.99)
    return result


def _whisper(gram: np.ndarray) -> None:
    """A whisper of ridge, in place: columns never seen (night hours' irradiance, a day type
    absent) get a zero coefficient instead of a singular system; each column's own scale."""
    diagonal = np.diag(gram).copy()
    gram[np.diag_indices_from(gram)] += 1e-11 * diagonal + 1e-12


def _with_levels(
    raw: np.ndarray,
    xty: np.ndarray,
    yy: np.ndarray,
    x: np.ndarray,
    by_level: np.ndarray,
    y: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Least squares on ``[x, by_level]`` from the Gram matrix ``raw`` of ``x`` already made.

    Only the new blocks are computed (``by_level`` has one non-zero per row, so its own block
    is diagonal); returns the coefficients and the squared errors from the normal equations.
    """
    cross = by_level.T @ x
    gram = np.block([[raw, cross.T], [cross, np.diag((by_level * by_level).sum(axis=0))]])
    rhs = np.vstack([xty, by_level.T @ y])
    whispered = gram.copy()
    _whisper(whispered)
    coef: np.ndarray = cho_solve(cho_factor(whispered), rhs)
    sse = yy - 2.0 * (coef * rhs).sum(axis=0) + (coef * (gram @ coef)).sum(axis=0)
    return coef, np.maximum(sse, 0.0)


def _bic(sse: np.ndarray, yy: np.ndarray, n: int, parameters: int) -> np.ndarray:
    """Bayesian information criterion of a least-squares fit (Gaussian errors).

    Errors below rounding (``1e-9`` of the series' own energy) count as that: between exact
    fits the one with fewer parameters wins, never the one rounding favours.
    """
    floor = np.maximum(1e-9 * yy, 1e-300)
    result: np.ndarray = n * np.log(np.maximum(sse, floor) / n) + parameters * np.log(n)
    return result


def _levels(time: pd.DatetimeIndex) -> np.ndarray:
    """Heating level of each step: local hour plus 24 times the day type."""
    result: np.ndarray = np.asarray(time.hour, dtype=int) + 24 * day_type(time)
    return result


def _by_level(level: np.ndarray, degrees: np.ndarray) -> np.ndarray:
    """Heating degrees in the column of each step's level (steps × 72)."""
    result = np.zeros((len(level), HEATING_LEVELS))
    result[np.arange(len(level)), level] = degrees
    return result


def _degrees(law: int, temperature: np.ndarray, ghi: np.ndarray, dt_h: float) -> np.ndarray:
    return heating_degrees(HEATING_CANDIDATES[law], temperature, ghi, dt_h)


def fit_regression(
    y: np.ndarray,
    time: pd.DatetimeIndex,
    temperature_c: np.ndarray,
    ghi_w_m2: np.ndarray,
    steps_per_day: int,
    dt_h: float,
) -> RegressionFit:
    """Fit every column of ``y`` on the predictors, the heating law chosen per column.

    Parameters
    ----------
    y
        The window's values, steps × series [kWh per step].
    time
        Local, time-zone aware start of each step.
    temperature_c, ghi_w_m2
        Weather per step [°C], [W/m²].
    steps_per_day
        Steps per day.
    dt_h
        Step length [h].

    Returns
    -------
    RegressionFit
        The coefficients and residual persistence.
    """
    x = common_columns(time, temperature_c, ghi_w_m2, steps_per_day)
    level = _levels(time)
    raw = x.T @ x
    gram = raw.copy()
    _whisper(gram)
    factor = cho_factor(gram)
    xty = x.T @ y
    shared = cho_solve(factor, xty)
    yy = (y * y).sum(axis=0)
    best_gain = 1e-9 * (1.0 + yy)  # a real improvement, not noise
    n, series = y.shape
    law = np.full(series, -1)
    slope = np.zeros(series)
    shift = np.zeros_like(shared)
    for k in range(len(HEATING_CANDIDATES)):
        h = _degrees(k, temperature_c, ghi_w_m2, dt_h)
        hh = float(h @ h)
        if hh <= 0.0:
            continue
        u = x.T @ h
        v = cho_solve(factor, u)
        schur = hh - float(u @ v)
        if schur <= 1e-9 * hh:  # the degrees add nothing the calendar does not have
            continue
        g = h @ y - v @ xty
        gain = g * g / schur
        better = gain > best_gain
        if better.any():
            law[better], slope[better] = k, (g / schur)[better]
            shift[:, better] = -np.outer(v, g / schur)[:, better]
            best_gain = np.where(better, gain, best_gain)
    # three models per series, the one of least BIC kept: the calendar alone, one heating
    # slope, or a slope per step of the day and day type (occupied hours heat against the
    # balance point, set-back hours hardly at all)
    levels = HEATING_LEVELS
    used = int((np.abs(x).sum(axis=0) > 0).sum())
    sse0 = np.maximum(yy - (shared * xty).sum(axis=0), 0.0)
    bic = np.stack(
        [
            _bic(sse0, yy, n, used),
            np.where(law >= 0, _bic(sse0 - best_gain, yy, n, used + 1), np.inf),
            np.full(series, np.inf),
        ]
    )
    per_level: dict[int, np.ndarray] = {}
    for k in np.unique(law[law >= 0]):
        columns = law == k
        by_level = _by_level(level, _degrees(int(k), temperature_c, ghi_w_m2, dt_h))
        coef, sse = _with_levels(raw, xty[:, columns], yy[columns], x, by_level, y[:, columns])
        extra = int((np.abs(by_level).sum(axis=0) > 0).sum())
        bic[2, columns] = _bic(sse, yy[columns], n, used + extra)
        per_level[int(k)] = coef
    choice = np.argmin(bic, axis=0)
    heating = np.zeros((levels, series))
    one = choice == 1
    shared[:, one] += shift[:, one]
    heating[:, one] = slope[one][None, :]
    for k, coef in per_level.items():
        columns = np.flatnonzero(law == k)
        keep = choice[columns] == 2
        shared[:, columns[keep]] = coef[: x.shape[1], keep]
        heating[:, columns[keep]] = coef[x.shape[1] :, keep]
    law = np.where(choice == 0, -1, law)
    fitted = x @ shared
    for k in np.unique(law[law >= 0]):
        columns = law == k
        by_level = _by_level(level, _degrees(int(k), temperature_c, ghi_w_m2, dt_h))
        fitted[:, columns] += by_level @ heating[:, columns]
    return RegressionFit(shared, law, heating, error_persistence(y - fitted))


def predict(
    fit: RegressionFit,
    time: pd.DatetimeIndex,
    temperature_c: np.ndarray,
    ghi_w_m2: np.ndarray,
    rows: slice,
    steps_per_day: int,
    dt_h: float,
) -> np.ndarray:
    """The fit's values on the steps ``rows`` of the weather (averages run from its start).

    Parameters
    ----------
    fit
        The fitted regression.
    time
        Local start of every step of the weather.
    temperature_c, ghi_w_m2
        Weather per step [°C], [W/m²].
    rows
        The steps to give values for.
    steps_per_day, dt_h
        Steps per day; step length [h].

    Returns
    -------
    numpy.ndarray
        rows × series [kWh per step].
    """
    x = common_columns(time[rows], temperature_c[rows], ghi_w_m2[rows], steps_per_day)
    level = _levels(time[rows])
    result: np.ndarray = x @ fit.shared
    for k in np.unique(fit.law[fit.law >= 0]):
        columns = fit.law == k
        degrees = _degrees(int(k), temperature_c, ghi_w_m2, dt_h)[rows]
        result[:, columns] += _by_level(level, degrees) @ fit.heating[:, columns]
    return result
