"""Heating and cooling degree-hours of a weather year and of a climate's normal year.

The annual space heat of a building is proportional to its heating degree-hours (degree-day
method: VDI 3807-1:2013; EN ISO 15927-6:2007 defines the accumulated temperature differences
from hourly values as well as daily means), so the heat of a weather year is the normal-year
heat times the ratio of the year's degree-hours to the normal's. :func:`degree_hours` counts
them in a weather series; :func:`normal_degree_hours` gives their expected value in the
normal year of a climate known by its monthly normals.

The normal-year value assumes that within month ``m`` the hourly temperature is

.. math::

    \\theta(t) = \\bar\\theta_m + A_m \\cos\\varphi(t) + \\varepsilon(t),
    \\qquad \\varepsilon \\sim N(0, \\sigma_m^2),\\quad
    \\sigma_m^2 = \\sigma_d^2 + s_m^2 / 12,

with :math:`\\bar\\theta_m` the monthly mean, :math:`A_m` half the mean daily range, a
diurnal phase :math:`\\varphi` uniform over the day, the day-to-day spread
:math:`\\sigma_d` = :data:`DAY_SIGMA_K` and :math:`s_m` the change of the monthly mean across
the month (the seasonal trend inside a month, uniform over ``[-s/2, s/2]``). Daily means that
scatter normally around the monthly mean are the model of degree days from monthly normals of
Erbs, Klein and Beckman (ASHRAE Journal 25(6), 1983, 60-65; ASHRAE Handbook Fundamentals,
ch. 14); the expected hinge of a normal variable is
:math:`E[\\max(0, b - X)] = (b - \\mu)\\,\\Phi(z) + \\sigma\\,\\phi(z)`,
:math:`z = (b - \\mu) / \\sigma`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import ndtr

__all__ = [
    "COOLING_BASE_C",
    "DAY_SIGMA_K",
    "HOURS_PER_DAY",
    "degree_hours",
    "month_hours",
    "normal_degree_hours",
]

FloatArray = npt.NDArray[np.float64]

#: Standard deviation of daily mean temperatures around their monthly mean [K]: 2.1 K in
#: Athens and 2.9 K in Potsdam and Prague in the embedded NSRDB 2019 years
#: (data/weather/SOURCES.md). Default only: the demand of a city passes the spread of its own
#: synthetic weather (sparcs.climate.daily_mean_sigma_c of the city's temp_day_sd_c). [est]
DAY_SIGMA_K = 2.7
#: Base temperature of cooling degree-hours [degC] (EN ISO 15927-6:2007; ASHRAE Handbook
#: Fundamentals 2021, ch. 14, use 18 degC for cooling degree days).
COOLING_BASE_C = 18.0
#: Degree-hours per degree-day [h/d].
HOURS_PER_DAY = 24.0
#: Hours of each month in a normal (non-leap) year [h].
NORMAL_MONTH_HOURS = 24.0 * np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], float)
_PHASES = 24


def degree_hours(
    temp_c: npt.ArrayLike, base_c: npt.ArrayLike, dt_h: float, *, cooling: bool = False
) -> FloatArray:
    """Degree-hours of a temperature series for each base temperature [K h].

    Heating: ``sum_t max(0, base - theta_t) * dt_h``; cooling:
    ``sum_t max(0, theta_t - base) * dt_h`` (EN ISO 15927-6:2007, accumulated temperature
    differences from hourly values).

    Parameters
    ----------
    temp_c
        Outdoor air temperature per step [degC], shape (n,).
    base_c
        Base temperatures [degC], shape (k,) or scalar.
    dt_h
        Step length [h].
    cooling
        Count cooling instead of heating degree-hours.

    Returns
    -------
    numpy.ndarray
        Shape (k,) [K h] (a scalar base gives shape (1,)).
    """
    temp = np.asarray(temp_c, dtype=np.float64)[:, None]
    base = np.atleast_1d(np.asarray(base_c, dtype=np.float64))[None, :]
    difference = temp - base if cooling else base - temp
    result: FloatArray = np.maximum(difference, 0.0).sum(axis=0) * dt_h
    return result


def month_hours(time: pd.DatetimeIndex, dt_h: float) -> FloatArray:
    """Hours of each calendar month covered by ``time`` [h], shape (12,)."""
    return np.bincount(np.asarray(time.month) - 1, minlength=12).astype(np.float64) * dt_h


def normal_degree_hours(
    temp_c: npt.ArrayLike,
    temp_amp_c: npt.ArrayLike,
    base_c: npt.ArrayLike,
    *,
    hours: npt.ArrayLike | None = None,
    cooling: bool = False,
    day_sigma_k: float = DAY_SIGMA_K,
) -> FloatArray:
    """Expected degree-hours of a climate's normal year for each base temperature [K h].

    The monthly model of the module docstring: monthly mean, diurnal cosine of half the mean
    daily range and normal day-to-day scatter, averaged over 24 diurnal phases.

    Parameters
    ----------
    temp_c
        Monthly mean air temperature, January first [degC], shape (12,).
    temp_amp_c
        Half the mean daily temperature range per month [K], shape (12,).
    base_c
        Base temperatures [degC], shape (k,) or scalar.
    hours
        Hours counted in each month [h], shape (12,); default a whole non-leap year
        (:data:`NORMAL_MONTH_HOURS`). Pass :func:`month_hours` of a weather index to compare
        with that weather's :func:`degree_hours`.
    cooling
        Cooling instead of heating degree-hours.
    day_sigma_k
        Day-to-day standard deviation of the daily mean [K].

    Returns
    -------
    numpy.ndarray
        Shape (k,) [K h].
    """
    mean = np.asarray(temp_c, dtype=np.float64)
    amplitude = np.asarray(temp_amp_c, dtype=np.float64)
    weights = NORMAL_MONTH_HOURS if hours is None else np.asarray(hours, dtype=np.float64)
    trend = (np.roll(mean, -1) - np.roll(mean, 1)) / 2.0  # change across the month [K]
    sigma = np.sqrt(day_sigma_k**2 + trend**2 / 12.0)[:, None, None]  # (12, 1, 1)
    phase = 2.0 * np.pi * (np.arange(_PHASES) + 0.5) / _PHASES
    level = mean[:, None, None] + amplitude[:, None, None] * np.cos(phase)[None, :, None]
    base = np.atleast_1d(np.asarray(base_c, dtype=np.float64))[None, None, :]
    gap = level - base if cooling else base - level  # (12, phases, k)
    z = gap / sigma
    hinge = gap * ndtr(z) + sigma * np.exp(-0.5 * z * z) / np.sqrt(2.0 * np.pi)
    result: FloatArray = (hinge.mean(axis=1) * weights[:, None]).sum(axis=0)
    return result
