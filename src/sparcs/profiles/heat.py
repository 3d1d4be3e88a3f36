"""Space heating from weather: a degree-hour heat-loss model with gains, usage and inertia.

For building ``b`` and step ``t`` the shape of the useful space-heating demand is

.. math::

    q_b(t) \\propto \\operatorname{softplus}_s\\bigl(\\theta_{lim,b}
        - \\Delta\\theta_{sb,b}\\,(1 - o_b(t)) - \\theta_{eff,b}(t) - c_{sol}\\,G_{eff,b}(t)\\bigr)

and is scaled to the building's annual energy, where

- :math:`\\theta_{lim}` is the heating-limit (balance) temperature [degC]: the outdoor
  temperature below which the building needs heat once internal gains are counted; 15 degC is
  the usual value for existing buildings in the degree-day method (VDI 3807-1:2013, G15;
  EN ISO 13790:2008, sec. 7.2: balance of losses ``H (theta_i - theta_e)`` and gains);
  per use in :data:`THERMAL_USE` [est], plus a seeded jitter per building (:data:`JITTER_K`);
- :math:`\\Delta\\theta_{sb}` is the setback outside occupied hours [K] and :math:`o_b(t)` the
  occupancy (1 in occupied hours of the local calendar, else 0); usage hours after
  DIN V 18599-10:2018, table 5 (residential night setback; offices 7-18 h on working days;
  retail 8-20 h Mon-Sat; schools 7-16 h) [est];
- :math:`\\theta_{eff} = f_v\\,\\theta_e + (1 - f_v)\\,\\mathrm{EMA}_\\tau(\\theta_e)`: the
  ventilation share :data:`VENTILATION_SHARE` of the losses follows the air at once, the
  transmission share through the building mass with the time constant
  :math:`\\tau = C / H` (EN ISO 13790:2008, eq. 94; 12-48 h per use) [est];
- :math:`G_{eff} = \\mathrm{EMA}_\\tau(G)`: global horizontal irradiance [W/m2], buffered by
  the same mass, and :math:`c_{sol}` = :data:`SOLAR_K_PER_W_M2` the temperature equivalent of
  solar gains, ``A_window/A_floor * g * F_shading / H`` = 0.15 * 0.6 * 0.3 / 1.8 [K/(W/m2)]
  [est];
- :math:`\\operatorname{softplus}_s(x) = s \\ln(1 + e^{x/s})` with ``s`` =
  :data:`SMOOTHING_K`: a smooth ``max(0, x)``, so demand above the heating limit is tiny but
  not exactly zero and a period without any heating weather still has a defined shape.

:func:`occupancy` and :func:`smooth` are shared with :mod:`sparcs.profiles.cooling`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from sparcs.errors import ScenarioError, WeatherError
from sparcs.profiles._annual import (
    check_annual,
    check_uses,
    fill_to_annual,
    make_rng,
)
from sparcs.profiles._calendar import (
    LocalCalendar,
    day_types,
)
from sparcs.timeseries import dt_hours

__all__ = [
    "JITTER_K",
    "SMOOTHING_K",
    "SOLAR_K_PER_W_M2",
    "THERMAL_USE",
    "VENTILATION_SHARE",
    "ThermalSetup",
    "ThermalUse",
    "check_weather",
    "occupancy",
    "per_building",
    "smooth",
    "softplus",
    "space_heat_profiles",
    "thermal_setup",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ThermalUse:
    """Thermal parameters of a building use.

    Attributes
    ----------
    heating_limit_c
        Heating-limit (balance) temperature [degC].
    setback_k
        Setback of the balance temperature outside occupied hours [K].
    inertia_h
        Thermal time constant of the building mass [h].
    cooling_base_c
        Outdoor temperature above which the building needs cooling [degC].
    hours
        Occupied hours ``(start, end)`` on a working day, a Saturday and a Sunday or holiday,
        local wall clock [h]; ``(0, 0)`` = not occupied.
    """

    heating_limit_c: float
    setback_k: float
    inertia_h: float
    cooling_base_c: float
    hours: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]


_HOME_HOURS = ((6, 23), (6, 23), (6, 23))
_CLOSED = (0, 0)
#: Parameters per building use [est; sources in the module docstring].
THERMAL_USE: dict[str, ThermalUse] = {
    "single_family": ThermalUse(15.0, 2.0, 36.0, 21.0, _HOME_HOURS),
    "apartment_block": ThermalUse(15.0, 2.0, 48.0, 21.0, _HOME_HOURS),
    "office": ThermalUse(14.0, 4.0, 24.0, 18.0, ((7, 18), _CLOSED, _CLOSED)),
    "retail": ThermalUse(13.0, 4.0, 24.0, 17.0, ((8, 20), (8, 20), _CLOSED)),
    "school": ThermalUse(15.0, 4.0, 30.0, 19.0, ((7, 16), _CLOSED, _CLOSED)),
    "mixed_use": ThermalUse(14.5, 3.0, 36.0, 19.0, ((6, 22), (7, 22), (8, 22))),
    "hotel": ThermalUse(15.0, 2.0, 36.0, 20.0, ((6, 24), (6, 24), (6, 24))),
    "sports": ThermalUse(14.0, 4.0, 12.0, 18.0, ((8, 22), (8, 22), (9, 20))),
}

#: Share of the heat losses that follows the outdoor air at once (ventilation) [-]. [est]
VENTILATION_SHARE = 0.3
#: Temperature equivalent of global horizontal irradiance [K/(W/m2)]. [est]
SOLAR_K_PER_W_M2 = 0.015
#: Standard deviation of the per-building jitter of the heating limit at diversity 1 [K].
JITTER_K = 0.75
#: Smoothing width of the hinge ``max(0, x)`` [K].
SMOOTHING_K = 0.5

_STREAM = 3


def check_weather(
    values: npt.ArrayLike, n: int, name: str, *, low: float, high: float
) -> FloatArray:
    """Check a weather series: ``n`` finite values within ``[low, high]`` (plausibility)."""
    series = np.asarray(values, dtype=np.float64)
    if series.shape != (n,):
        msg = f"{name} must have one value per time step ({n}), got shape {series.shape}"
        raise WeatherError(msg)
    bad = ~np.isfinite(series) | (series < low) | (series > high)
    if bad.any():
        where = int(np.flatnonzero(bad)[0])
        msg = f"{name}[{where}] = {series[where]} is missing or outside [{low}, {high}]"
        raise WeatherError(msg)
    return series


def occupancy(calendar: LocalCalendar, uses: Sequence[str]) -> FloatArray:
    """Occupancy of each use at each step: 1 in occupied hours, else 0 [-].

    The occupied hours of :data:`THERMAL_USE` apply to the local wall-clock hour at the start
    of each step and the BDEW day type of its local date (holidays as Sundays).

    Returns
    -------
    numpy.ndarray
        Shape ``(n_steps, len(uses))``.
    """
    hours = np.array([THERMAL_USE[use].hours for use in uses], dtype=np.float64)  # (k, 3, 2)
    window = hours[:, calendar.day_type, :]  # (k, n, 2)
    inside = (calendar.hour >= window[..., 0]) & (calendar.hour < window[..., 1])
    return inside.T.astype(np.float64)


def smooth(values: FloatArray, tau_h: float, dt_h: float) -> FloatArray:
    """Exponential moving average with time constant ``tau_h`` [h] (first-order lag).

    ``y_t = a x_t + (1 - a) y_{t-1}`` with ``a = 1 - exp(-dt_h / tau_h)``, the response of a
    single thermal capacity (EN ISO 13790:2008, annex C, 5R1C model reduced to one node),
    computed as a convolution with the kernel truncated at five time constants. The series is
    started from the mean of its first day.
    """
    if tau_h <= 0:
        return np.array(values, dtype=np.float64)
    alpha = 1.0 - math.exp(-dt_h / tau_h)
    length = max(1, math.ceil(5.0 * tau_h / dt_h))
    kernel = alpha * (1.0 - alpha) ** np.arange(length)
    kernel /= kernel.sum()
    head = float(np.mean(values[: max(1, round(24.0 / dt_h))]))
    padded = np.concatenate([np.full(length - 1, head), values])
    return np.convolve(padded, kernel, mode="valid")


def softplus(x: FloatArray, width: float) -> FloatArray:
    """Smooth hinge ``width * ln(1 + exp(x / width))``, in place on ``x`` (a smooth max(0, x)).

    Evaluated as ``max(z, 0) + log1p(exp(-|z|))`` with ``z = x / width``, which cannot
    overflow. numpy vectorises ``exp`` and ``log1p`` but not ``logaddexp``, so this is about
    six times faster than ``np.logaddexp(0, z)``; the two differ by at most about 1e-15
    relative (the last bit of ``exp`` and ``log1p``).
    """
    x /= width
    tail = np.abs(x)
    np.negative(tail, out=tail)
    np.exp(tail, out=tail)
    np.log1p(tail, out=tail)
    np.maximum(x, 0.0, out=x)
    x += tail
    x *= width
    return x


def per_building(value: float | npt.ArrayLike | None, default: FloatArray, name: str) -> FloatArray:
    """``value`` (one, or one per building) as a per-building array, or ``default`` if None."""
    if value is None:
        return default.copy()
    try:
        array = np.broadcast_to(np.asarray(value, dtype=np.float64), default.shape).copy()
    except ValueError as exc:
        msg = f"{name} must be one value or one per building ({default.size})"
        raise ScenarioError(msg) from exc
    if not np.isfinite(array).all():
        msg = f"{name} must be finite"
        raise ScenarioError(msg)
    return array


@dataclass(frozen=True)
class ThermalSetup:
    """Checked inputs shared by the weather-driven heat and cooling models."""

    annual: FloatArray
    temp: FloatArray
    ghi: FloatArray
    jitter: FloatArray
    unique: np.ndarray
    groups: np.ndarray
    params: list[ThermalUse]
    occupied: FloatArray


def thermal_setup(
    time: pd.DatetimeIndex,
    annual_kwh: npt.ArrayLike,
    uses: Sequence[str],
    temp_air_c: npt.ArrayLike,
    ghi_w_m2: npt.ArrayLike,
    *,
    stream: int,
    seed: int,
    diversity: float,
    timezone: str,
    country: str | None,
    subdivision: str | None,
) -> ThermalSetup | None:
    """Validate the inputs, draw the per-building jitter [K], group buildings by use.

    Returns None when there are no buildings (after the checks, so bad input still raises).
    """
    annual = check_annual(annual_kwh)
    names = check_uses(uses, annual.size)
    rng = make_rng(seed, stream, diversity)
    temp = check_weather(temp_air_c, len(time), "temp_air_c", low=-90.0, high=60.0)
    ghi = check_weather(ghi_w_m2, len(time), "ghi_w_m2", low=-10.0, high=1500.0).clip(0.0)
    jitter = np.clip(rng.normal(0.0, JITTER_K, annual.size), -2.5 * JITTER_K, 2.5 * JITTER_K)
    if annual.size == 0:
        return None
    unique, groups = np.unique(np.asarray(names), return_inverse=True)
    present = [str(u) for u in unique]
    params = [THERMAL_USE[u] for u in present]
    occupied = occupancy(day_types(time, timezone, country, subdivision=subdivision), present)
    return ThermalSetup(annual, temp, ghi, jitter, unique, groups, params, occupied)


def space_heat_profiles(
    time: pd.DatetimeIndex,
    annual_kwh: npt.ArrayLike,
    uses: Sequence[str],
    *,
    temp_air_c: npt.ArrayLike,
    ghi_w_m2: npt.ArrayLike,
    timezone: str,
    country: str | None,
    seed: int = 0,
    subdivision: str | None = None,
    heating_limit_c: float | npt.ArrayLike | None = None,
    diversity: float = 1.0,
) -> FloatArray:
    """Useful space-heating demand of each building from the weather [kW].

    The degree-hour model of the module docstring, on the local calendar for the usage hours,
    scaled so that ``sum * dt_h`` equals ``annual_kwh`` per building.

    Parameters
    ----------
    time
        UTC index named ``time`` with a fixed step.
    annual_kwh
        Space-heating energy over the whole of ``time`` per building [kWh].
    uses
        Building use per building (:data:`sparcs.data.USES`).
    temp_air_c
        Outdoor air temperature per step [degC], interval means on ``time``.
    ghi_w_m2
        Global horizontal irradiance per step [W/m2], interval means on ``time``; night-time
        sensor offsets down to -10 W/m2 are read as 0.
    timezone, country, subdivision
        IANA zone, ISO country code (holidays) and optional region of the site.
    seed
        Seed of the per-building jitter of the heating limit.
    heating_limit_c
        Heating-limit temperature [degC]: ``None`` for the per-use values of
        :data:`THERMAL_USE`, or one value, or one per building (e.g. 12 degC for new,
        well-insulated buildings).
    diversity
        Scale of the jitter (0 = none; 1 = :data:`JITTER_K`).

    Returns
    -------
    numpy.ndarray
        Interval-mean power [kW], shape ``(len(time), n_buildings)``, column-major.
    """
    dt_h = dt_hours(time)
    setup = thermal_setup(
        time,
        annual_kwh,
        uses,
        temp_air_c,
        ghi_w_m2,
        stream=_STREAM,
        seed=seed,
        diversity=diversity,
        timezone=timezone,
        country=country,
        subdivision=subdivision,
    )
    if setup is None:
        return np.zeros((len(time), 0))
    annual, temp, ghi, jitter = setup.annual, setup.temp, setup.ghi, setup.jitter
    unique, groups, params, occupied = setup.unique, setup.groups, setup.params, setup.occupied
    drive = np.empty((len(time), len(unique)))
    for j, p in enumerate(params):  # a handful of uses, not buildings
        lagged = smooth(temp, p.inertia_h, dt_h)
        t_eff = VENTILATION_SHARE * temp + (1.0 - VENTILATION_SHARE) * lagged
        gains = SOLAR_K_PER_W_M2 * smooth(ghi, p.inertia_h, dt_h)
        drive[:, j] = t_eff + gains + p.setback_k * (1.0 - occupied[:, j])
    default = np.array([p.heating_limit_c for p in params])[groups]
    limit = per_building(heating_limit_c, default, "heating_limit_c") + diversity * jitter

    def fill(columns: npt.NDArray[np.int64], out: FloatArray) -> None:
        np.subtract(limit[None, columns], drive[:, groups[columns]], out=out)
        softplus(out, SMOOTHING_K)

    return fill_to_annual(len(time), annual, dt_h, fill)
