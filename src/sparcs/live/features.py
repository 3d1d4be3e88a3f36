"""Predictors of the live regression: calendar, irradiance by hour, heating and cooling degrees.

Every predictor is known at the issue time: the local calendar, and the weather of the
history (measured) and of the horizon (the ingested forecast, or the scenario's weather year
standing in for it):

* a level per step of the day and day type (working day, Saturday, Sunday): the shape of
  standard load profiles, which differ between the three (BDEW);
* global horizontal irradiance per local hour: PV output is irradiance times a factor that
  follows the sun's angle to the modules through the day, learnt per hour from the history
  (a plane-of-array transposition without knowing the array);
* cooling degrees above :data:`COOLING_BALANCE_C`;
* heating degrees below a balance point, on an *effective* temperature: the share
  :data:`VENTILATION_SHARE` of the losses follows the air at once, the rest follows it
  through the building's mass (an exponential moving average with time constant ``tau``),
  and irradiance buffered by the same mass heats the building as a few degrees would
  (EN ISO 13790:2008, sec. 7.2 and annex C). The balance point, ``tau`` and the weight of
  the irradiance are chosen per series from :data:`HEATING_CANDIDATES`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd
from scipy.signal import lfilter

__all__ = [
    "COOLING_BALANCE_C",
    "HEATING_CANDIDATES",
    "VENTILATION_SHARE",
    "HeatingLaw",
    "common_columns",
    "day_type",
    "heating_degrees",
    "moving_average",
]

#: Cooling balance point [°C].
COOLING_BALANCE_C = 22.0
#: Share of a building's heat losses that follows the outdoor air at once (ventilation) [-].
VENTILATION_SHARE = 0.3


@dataclass(frozen=True)
class HeatingLaw:
    """One candidate law of heating degrees.

    Attributes
    ----------
    balance_c
        Balance point [°C]: heating degrees are ``max(balance - effective temperature, 0)``.
    inertia_h
        Time constant of the building's mass [h]; 0: the air temperature alone.
    solar_k_per_w_m2
        Degrees of heating that one W/m² of (buffered) irradiance saves [K/(W/m²)].
    """

    balance_c: float
    inertia_h: float
    solar_k_per_w_m2: float


#: The laws tried per series: balance points 10–20 °C, inertia 0–48 h, solar gains or none.
HEATING_CANDIDATES: tuple[HeatingLaw, ...] = tuple(
    HeatingLaw(float(b), float(tau), float(c))
    for b, tau, c in product(range(10, 21), (0.0, 12.0, 24.0, 48.0), (0.0, 0.015))
)


def day_type(time: pd.DatetimeIndex) -> np.ndarray:
    """0 on working days, 1 on Saturdays, 2 on Sundays (local time of ``time``).

    Parameters
    ----------
    time
        Time-zone aware step starts, in the district's zone.

    Returns
    -------
    numpy.ndarray
        Day type per step.

    Examples
    --------
    >>> day_type(pd.date_range("2025-06-06", periods=3, freq="D", tz="UTC")).tolist()
    [0, 1, 2]
    """
    weekday = np.asarray(time.dayofweek, dtype=int)
    result: np.ndarray = np.where(weekday == 5, 1, np.where(weekday == 6, 2, 0))
    return result


def _slot(time: pd.DatetimeIndex, steps_per_day: int) -> np.ndarray:
    minutes = np.asarray(time.hour, dtype=int) * 60 + np.asarray(time.minute, dtype=int)
    per_slot = max(1, 1440 // steps_per_day)
    result: np.ndarray = np.minimum(minutes // per_slot, steps_per_day - 1)
    return result


def common_columns(
    time: pd.DatetimeIndex, temperature_c: np.ndarray, ghi_w_m2: np.ndarray, steps_per_day: int
) -> np.ndarray:
    """The predictors every series shares: calendar, irradiance per hour, cooling degrees.

    Parameters
    ----------
    time
        Local, time-zone aware step starts.
    temperature_c, ghi_w_m2
        Outdoor air temperature [°C] and global horizontal irradiance [W/m²] per step.
    steps_per_day
        Steps per day (the calendar's levels per day type; at most 96).

    Returns
    -------
    numpy.ndarray
        steps × (3 · steps per day + 24 + 1): a one-hot level per step of the day and day
        type, irradiance [kW/m²] in the column of its local hour, cooling degrees [K].

    Examples
    --------
    >>> t = pd.date_range("2025-06-02 11:00", periods=2, freq="h", tz="UTC")
    >>> x = common_columns(t, np.array([20.0, 25.0]), np.array([500.0, 800.0]), 24)
    >>> x.shape, x[1, 12], x[1, 72 + 12], x[1, -1]
    ((2, 97), np.float64(1.0), np.float64(0.8), np.float64(3.0))
    """
    n = len(time)
    levels = 3 * steps_per_day
    columns = np.zeros((n, levels + 24 + 1))
    rows = np.arange(n)
    columns[rows, _slot(time, steps_per_day) + steps_per_day * day_type(time)] = 1.0
    columns[rows, levels + np.asarray(time.hour, dtype=int)] = np.maximum(ghi_w_m2, 0.0) / 1000.0
    columns[:, -1] = np.maximum(temperature_c - COOLING_BALANCE_C, 0.0)
    return columns


def moving_average(values: np.ndarray, tau_h: float, dt_h: float) -> np.ndarray:
    """Exponential moving average with time constant ``tau_h`` (a first-order lag).

    ``y_t = a x_t + (1 - a) y_{t-1}``, ``a = 1 - exp(-dt_h / tau_h)``, started at the first
    value; ``tau_h`` = 0 returns the values.

    Parameters
    ----------
    values
        The series, one value per step.
    tau_h, dt_h
        Time constant and step length [h].

    Returns
    -------
    numpy.ndarray
        The average per step.

    Examples
    --------
    >>> moving_average(np.array([0.0, 1.0, 1.0]), tau_h=1 / math.log(2), dt_h=1.0).tolist()
    [0.0, 0.5, 0.75]
    """
    x = np.asarray(values, dtype=float)
    if tau_h <= 0 or x.size == 0:
        return x.copy()
    a = 1.0 - math.exp(-dt_h / tau_h)
    result, _ = lfilter([a], [1.0, a - 1.0], x, zi=[(1.0 - a) * x[0]])
    out: np.ndarray = np.asarray(result, dtype=float)
    return out


def heating_degrees(
    law: HeatingLaw, temperature_c: np.ndarray, ghi_w_m2: np.ndarray, dt_h: float
) -> np.ndarray:
    """Heating degrees of ``law`` per step [K] (module docstring).

    Parameters
    ----------
    law
        Balance point, inertia and solar weight.
    temperature_c, ghi_w_m2
        Air temperature [°C] and global horizontal irradiance [W/m²] per step, in order
        (history then horizon: the averages run through both).
    dt_h
        Step length [h].

    Returns
    -------
    numpy.ndarray
        ``max(balance - effective temperature, 0)`` per step [K].

    Examples
    --------
    >>> law = HeatingLaw(15.0, 0.0, 0.0)
    >>> heating_degrees(law, np.array([10.0, 20.0]), np.zeros(2), 1.0).tolist()
    [5.0, 0.0]
    """
    lagged = moving_average(temperature_c, law.inertia_h, dt_h)
    effective = VENTILATION_SHARE * temperature_c + (1.0 - VENTILATION_SHARE) * lagged
    if law.solar_k_per_w_m2:
        sun = moving_average(np.maximum(ghi_w_m2, 0.0), law.inertia_h, dt_h)
        effective = effective + law.solar_k_per_w_m2 * sun
    result: np.ndarray = np.maximum(law.balance_c - effective, 0.0)
    return result
