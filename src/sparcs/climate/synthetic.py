"""A synthetic weather year from monthly climate normals.

The generator follows the recommendation in the project's domain reference (section 7.7):

* **GHI** = Ineichen-Perez clear-sky GHI x a stochastic clearness index. The daily clearness
  index ``KT = H / H0`` of each day follows the distribution of Bendt et al. (1981) for the
  month's mean ``KT``, with day-to-day persistence from a Gaussian AR(1) process (Graham,
  Hollands and Unny 1988): overcast and clear spells as in measured years
  (:mod:`sparcs.climate.clearness`); each month's GHI equals the normal. Intra-day
  variability is a mean-one log-normal AR(1) factor, strongest on partly cloudy days. GHI
  never exceeds :data:`CAP_CLEAR_SKY` x clear-sky GHI and is zero when the sun is down.
* **DNI, DHI** from GHI with the Erbs (1982) model; ``ghi = dhi + dni cos(zenith)`` holds.
* **Temperature** = smooth mean-preserving monthly curve + a diurnal cosine peaking at 15:00
  local solar time with the monthly half-range (larger on clear days) + an AR(1) daily anomaly
  + small AR(1) noise; the monthly means are then corrected to the normals.
* **Wind** = Weibull (k = 2) translation of an AR(1) Gaussian process, mean = the normal.

Solar geometry is taken at interval midpoints; the index is UTC with period-beginning labels
and covers the local calendar year (:func:`sparcs.timeseries.year_index`). Months are local
calendar months. Daily and step-level random numbers come from separate seeded streams, so an
hourly and a 15-minute year with the same seed share the same sequence of clear and cloudy days.

References
----------
- Ineichen, P. and Perez, R. (2002), Solar Energy 73(3), 151-157 (clear sky).
- Bendt, P., Collares-Pereira, M. and Rabl, A. (1981), Solar Energy 27(1), 1-5 (distribution
  of daily clearness given the monthly mean).
- Graham, V.A., Hollands, K.G.T. and Unny, T.E. (1988), Solar Energy 40(2), 83-92, and
  Graham, V.A. and Hollands, K.G.T. (1990), "A method to generate synthetic hourly solar
  radiation globally", Solar Energy 44(6), 333-341 (AR(1) of a transformed daily clearness
  index, hourly variability around it).
- Erbs, D.G., Klein, S.A. and Duffie, J.A. (1982), Solar Energy 28(4), 293-302 (DNI/DHI).
- Epstein, E.S. (1991), "On obtaining daily climatological values from monthly means",
  J. Climate 4, 365-368 (mean-preserving monthly curve).
- Parton, W.J. and Logan, J.A. (1981), "A model for diurnal variation in soil and air
  temperature", Agricultural Meteorology 23, 205-216 (afternoon maximum of the diurnal cycle).
- Brown, B.G., Katz, R.W. and Murphy, A.H. (1984), J. Climate Appl. Meteor. 23, 1184-1195
  (wind speed as a transformed Gaussian AR process).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sparcs.climate.clearness import daily_clearness_sequence
from sparcs.climate.normals import ClimateNormals, as_normals
from sparcs.climate.solar import (
    clear_sky,
    erbs_split,
    extraterrestrial_horizontal,
    interval_midpoints,
    linke_turbidity,
    solar_position,
)
from sparcs.climate.stochastic import ar1, monthly_means, smooth_monthly_curve, weibull_wind
from sparcs.climate.weather import WEATHER_COLUMNS, Weather
from sparcs.data import City
from sparcs.errors import WeatherError
from sparcs.timeseries import parse_timestep, year_index

__all__ = ["CAP_CLEAR_SKY", "daily_mean_sigma_c", "synthetic_clear_sky", "synthetic_year"]

#: Largest ratio of GHI to clear-sky GHI in one step (cloud enhancement) [-].
CAP_CLEAR_SKY = 1.1
#: Monthly GHI / clear-sky GHI above which the Linke turbidity of that month is lowered: a
#: month cannot be clearer than almost every day being clear [-].
MAX_MONTHLY_CLEARNESS = 0.92
_MIN_TURBIDITY_FACTOR = 0.5  # the turbidity is lowered to no less than half the climatology
# Stochastic parameters, derived from the five NSRDB 2019 files (data/weather/SOURCES.md): the
# daily clearness index mapped through Bendt's distribution of its month onto a Gaussian has a
# lag-one autocorrelation of 0.18-0.26 (Graham et al. 1988 report values of the same order);
# daily temperature anomaly std 1.8 (Athens) to 2.9 degC (central Europe), autocorrelation 0.7;
# wind autocorrelation about 0.5 at 24 h; diurnal range correlated with clearness (r = 0.7).
_K_DAY_MAX = CAP_CLEAR_SKY  # daily clearness relative to clear sky, upper bound [-]
_KT_PHI = 0.2  # day-to-day autocorrelation of the Gaussian behind daily clearness [-]
_CLOUD_NOISE = 0.6  # log-std of intra-day clearness on a half-cloudy day [-]
_CLOUD_TAU_H = 1.0  # decorrelation time of intra-day clearness [h]
# Daily temperature anomaly: an AR(1) per day, interpolated between day centres, then held to
# the monthly normals. Interpolation and the monthly correction smooth it: with the process
# below, the daily means of the year, about their 31-day running mean, have a lag-one
# autocorrelation of 0.70 (measured: 0.67-0.73 in the five NSRDB 2019 years) and a standard
# deviation of 0.84 x the process's (0.836-0.842 for 2.0-3.4 degC; 10 seeds, Kladno normals;
# docs/weather.md). The process's size is the normals' temp_day_sd_c over that ratio.
_T_DAY_PHI = 0.60  # day-to-day autocorrelation of the daily anomaly process [-]
_T_DAY_SMOOTHING = 0.84  # std of the detrended daily means / std of the process [-]
_T_NOISE_C = 0.4  # standard deviation of the step-level temperature noise [degC]
_T_NOISE_TAU_H = 3.0  # decorrelation time of that noise [h]
_T_PEAK_SOLAR_H = 15.0  # local solar time of the daily maximum [h]
_WIND_TAU_H = 30.0  # decorrelation time of wind speed [h]


def daily_mean_sigma_c(temp_day_sd_c: float) -> float:
    """Spread of the synthetic daily mean temperature about the smooth seasonal curve [degC].

    The daily anomaly process has standard deviation ``temp_day_sd_c / 0.84`` and lag-one
    autocorrelation ``phi = 0.60``; linear interpolation between day centres makes each day's
    mean ``(a[d-1] + 6 a[d] + a[d+1]) / 8``, whose variance is
    ``sigma**2 (38 + 24 phi + 2 phi**2) / 64``. This is the day-to-day scatter that the
    normal-year degree-hours of :mod:`sparcs.profiles` assume, so that a synthetic year and
    the normal year agree.

    Parameters
    ----------
    temp_day_sd_c
        Standard deviation of the daily mean temperature about its centred 31-day running
        mean (:attr:`ClimateNormals.temp_day_sd_c`) [degC].

    Returns
    -------
    float
        Standard deviation of the daily mean about the seasonal curve [degC].

    Examples
    --------
    >>> round(daily_mean_sigma_c(2.6), 2)
    2.82
    """
    phi = _T_DAY_PHI
    filtered = math.sqrt((38.0 + 24.0 * phi + 2.0 * phi * phi) / 64.0)
    return temp_day_sd_c / _T_DAY_SMOOTHING * filtered


@dataclass(frozen=True)
class _Calendar:
    """Where each step of a local calendar year sits: month, day, position in the year."""

    index: pd.DatetimeIndex
    mid: pd.DatetimeIndex
    dt_h: float
    month: np.ndarray  # local month 0..11 of each step
    position: np.ndarray  # interval midpoint, days from local 1 January
    mid_months: np.ndarray  # middle of each local month, days from local 1 January
    year_days: float
    day: np.ndarray  # local solar day 0..n_days-1 of each step
    day_position: np.ndarray  # interval midpoint in local solar days from the first day
    day_month: np.ndarray  # month 0..11 of each solar day (at its middle step)


def _calendar(year: int, step: str, normals: ClimateNormals) -> _Calendar:
    index = year_index(year, step, normals.timezone)
    mid = interval_midpoints(index)
    month = index.tz_convert(normals.timezone).month.to_numpy() - 1
    start = index[0]
    bounds = [
        (pd.Timestamp(year=year + m // 12, month=m % 12 + 1, day=1, tz=normals.timezone) - start)
        / pd.Timedelta(days=1)
        for m in range(13)
    ]
    edges = np.asarray(bounds, dtype=float)
    position = (mid - start) / pd.Timedelta(days=1)
    epoch_days = np.asarray((mid - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(days=1))
    solar_days = epoch_days + normals.longitude / 360.0
    day_position = solar_days - np.floor(solar_days[0])
    day = np.floor(day_position).astype(np.int64)
    starts = np.searchsorted(day, np.arange(day[-1] + 1))
    ends = np.append(starts[1:], len(day))
    return _Calendar(
        index=index,
        mid=mid,
        dt_h=parse_timestep(step) / pd.Timedelta(hours=1),
        month=month,
        position=np.asarray(position, dtype=float),
        mid_months=(edges[:-1] + edges[1:]) / 2.0,
        year_days=float(edges[-1]),
        day=day,
        day_position=day_position,
        day_month=month[(starts + ends - 1) // 2],
    )


def _monthly_kwh(power_w: np.ndarray, cal: _Calendar) -> np.ndarray:
    return np.bincount(cal.month, weights=power_w * cal.dt_h / 1000.0, minlength=12)


def _clear_sky(normals: ClimateNormals, cal: _Calendar, zenith: np.ndarray) -> pd.DataFrame:
    """Ineichen clear sky; turbidity lowered in months whose normals need a clearer sky."""
    turbidity = linke_turbidity(cal.mid, normals.latitude, normals.longitude)
    need = np.asarray(normals.ghi_kwh_m2) / MAX_MONTHLY_CLEARNESS
    factor = np.ones(12)
    sky = clear_sky(cal.mid, zenith, normals.elevation_m, turbidity)
    short = _monthly_kwh(sky["ghi"].to_numpy(), cal) < need
    if short.any():
        low, high = np.full(12, _MIN_TURBIDITY_FACTOR), np.ones(12)
        clearest = clear_sky(cal.mid, zenith, normals.elevation_m, turbidity * low[0])
        available = _monthly_kwh(clearest["ghi"].to_numpy(), cal)
        if (available < need * MAX_MONTHLY_CLEARNESS).any():
            month = int(np.argmax(available < need * MAX_MONTHLY_CLEARNESS)) + 1
            msg = (
                f"climate normals ({normals.name}): GHI of month {month} "
                f"({normals.ghi_kwh_m2[month - 1]:g} kWh/m2) exceeds the clearest sky at "
                f"latitude {normals.latitude} ({available[month - 1]:.0f} kWh/m2)"
            )
            raise WeatherError(msg)
        for _ in range(16):
            trial = np.where(short, (low + high) / 2.0, 1.0)
            ghi = clear_sky(cal.mid, zenith, normals.elevation_m, turbidity * trial[cal.month])
            enough = _monthly_kwh(ghi["ghi"].to_numpy(), cal) >= need
            low, high = np.where(enough, trial, low), np.where(enough, high, trial)
        factor = np.where(short, low, 1.0)
        sky = clear_sky(cal.mid, zenith, normals.elevation_m, turbidity * factor[cal.month])
    sky.index = cal.index
    return sky


def _ghi(
    rng_day: np.random.Generator,
    rng_step: np.random.Generator,
    clear_ghi: np.ndarray,
    extra_ghi: np.ndarray,
    cal: _Calendar,
    targets: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """GHI [W/m2] and the clear-sky index [-] of each solar day.

    The daily clearness index ``KT = H / H0`` comes from
    :func:`~sparcs.climate.clearness.daily_clearness_sequence` (Bendt et al. 1981 distribution,
    Gaussian AR(1) persistence); the day's clear-sky index is ``KT H0 / H_clear``.
    """
    to_kwh = cal.dt_h / 1000.0
    clear_day = np.bincount(cal.day, weights=clear_ghi * to_kwh)
    extra_day = np.bincount(cal.day, weights=extra_ghi * to_kwh, minlength=len(clear_day))
    kt_clear = np.divide(clear_day, extra_day, out=np.zeros_like(clear_day), where=extra_day > 0)
    ceiling = _K_DAY_MAX * kt_clear
    kt_day = daily_clearness_sequence(rng_day, extra_day, cal.day_month, targets, ceiling, _KT_PHI)
    k_day = np.clip(
        np.divide(kt_day * extra_day, clear_day, out=np.zeros_like(clear_day), where=clear_day > 0),
        0.0,
        _K_DAY_MAX,
    )
    relative = k_day[cal.day] / _K_DAY_MAX
    spread = _CLOUD_NOISE * 4.0 * relative * (1.0 - relative)
    noise = ar1(rng_step, len(clear_ghi), math.exp(-cal.dt_h / _CLOUD_TAU_H))
    cap = CAP_CLEAR_SKY * clear_ghi
    ghi = np.minimum(k_day[cal.day] * np.exp(spread * noise - spread**2 / 2.0) * clear_ghi, cap)
    for _ in range(4):  # restore each day's energy after clipping at the cap
        day_kwh = np.bincount(cal.day, weights=ghi * to_kwh, minlength=len(k_day))
        scale = np.divide(k_day * clear_day, day_kwh, out=np.ones_like(day_kwh), where=day_kwh > 0)
        ghi = np.minimum(ghi * scale[cal.day], cap)
    for _ in range(4):  # then each local month's energy (days split at solar midnight)
        month_kwh = _monthly_kwh(ghi, cal)
        scale = np.divide(targets, month_kwh, out=np.ones(12), where=month_kwh > 0)
        ghi = np.minimum(ghi * scale[cal.month], cap)
    return ghi, k_day


def _temperature(
    rng_day: np.random.Generator,
    rng_step: np.random.Generator,
    normals: ClimateNormals,
    cal: _Calendar,
    solar_time_h: np.ndarray,
    k_day: np.ndarray,
) -> np.ndarray:
    """Air temperature [degC] whose monthly means equal the normals."""
    targets = np.asarray(normals.temp_c)
    args = (cal.position, cal.month, cal.mid_months, cal.year_days)
    base = smooth_monthly_curve(*args, targets)
    amplitude = smooth_monthly_curve(*args, np.asarray(normals.temp_amp_c))
    k_month = np.bincount(cal.day_month, weights=k_day, minlength=12) / np.maximum(
        np.bincount(cal.day_month, minlength=12), 1
    )
    relative = np.divide(
        k_day, k_month[cal.day_month], out=np.ones_like(k_day), where=k_month[cal.day_month] > 0
    )
    clear_boost = np.clip(0.4 + 0.6 * relative, 0.3, 1.6)[cal.day]
    diurnal = (
        amplitude * clear_boost * np.cos(2.0 * np.pi * (solar_time_h - _T_PEAK_SOLAR_H) / 24.0)
    )
    daily = normals.temp_day_sd_c / _T_DAY_SMOOTHING * ar1(rng_day, len(k_day), _T_DAY_PHI)
    anomaly = np.interp(cal.day_position, np.arange(len(k_day)) + 0.5, daily)
    noise = _T_NOISE_C * ar1(rng_step, len(base), math.exp(-cal.dt_h / _T_NOISE_TAU_H))
    temperature = base + diurnal + anomaly + noise
    for _ in range(2):
        bias = monthly_means(temperature, cal.month) - targets
        temperature = temperature - smooth_monthly_curve(*args, bias)
    result: np.ndarray = temperature
    return result


def synthetic_clear_sky(
    city_or_params: str | City | ClimateNormals, year: int, step: str = "1h"
) -> pd.DataFrame:
    """The clear-sky irradiance that :func:`synthetic_year` scales.

    Ineichen-Perez (2002) at interval midpoints with pvlib's climatological Linke turbidity,
    lowered in a month whose normal GHI exceeds :data:`MAX_MONTHLY_CLEARNESS` x clear-sky GHI
    (e.g. Attica in summer, where the climatological turbidity is too high).

    Parameters
    ----------
    city_or_params
        An embedded city key (e.g. ``"espoo"``), a :class:`sparcs.data.City`, or
        :class:`~sparcs.climate.normals.ClimateNormals` of a custom site.
    year
        Local calendar year.
    step
        Time step, e.g. ``"1h"`` or ``"15min"``.

    Returns
    -------
    pandas.DataFrame
        ``ghi``, ``dni``, ``dhi`` [W/m2] on the UTC, period-beginning index of the local year.
    """
    normals = as_normals(city_or_params)
    cal = _calendar(year, step, normals)
    solpos = solar_position(cal.mid, normals.latitude, normals.longitude)
    return _clear_sky(normals, cal, solpos["apparent_zenith"].to_numpy())


def synthetic_year(
    city_or_params: str | City | ClimateNormals,
    year: int,
    step: str = "1h",
    seed: int = 1,
    temperature_offset_c: float = 0.0,
) -> Weather:
    """Generate one year of weather from monthly climate normals.

    Parameters
    ----------
    city_or_params
        An embedded city key (e.g. ``"espoo"``), a :class:`sparcs.data.City`, or
        :class:`~sparcs.climate.normals.ClimateNormals` of a custom site.
    year
        Local calendar year.
    step
        Time step, e.g. ``"1h"`` or ``"15min"``; the weather is generated at this step.
    seed
        Seed; the same seed gives the same year.
    temperature_offset_c
        Added to every temperature [K], e.g. +1 for a year warmer than the 1991-2020 normals.

    Returns
    -------
    Weather
        ``ghi``, ``dni``, ``dhi`` [W/m2], ``temp_air`` [degC], ``wind_speed`` [m/s]; UTC index,
        period-beginning labels; ``synthetic=True``.

    Raises
    ------
    ScenarioError
        Unknown city, bad normals or step.
    WeatherError
        Normals that no sky at the site can produce.
    """
    normals = as_normals(city_or_params)
    cal = _calendar(year, step, normals)
    solpos = solar_position(cal.mid, normals.latitude, normals.longitude)
    sky = _clear_sky(normals, cal, solpos["apparent_zenith"].to_numpy())
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed % 2**64).spawn(5)]
    targets = np.asarray(normals.ghi_kwh_m2)
    extra = extraterrestrial_horizontal(cal.mid, solpos["zenith"].to_numpy())
    ghi, k_day = _ghi(streams[0], streams[1], sky["ghi"].to_numpy(), extra, cal, targets)
    dni, dhi = erbs_split(ghi, solpos["zenith"].to_numpy(), cal.mid)
    temperature = _temperature(
        streams[2], streams[3], normals, cal, solpos["solar_time"].to_numpy(), k_day
    )
    wind = weibull_wind(streams[4], len(ghi), math.exp(-cal.dt_h / _WIND_TAU_H), normals.wind_m_s)
    columns = (ghi, dni, dhi, temperature + temperature_offset_c, wind)
    data = pd.DataFrame(dict(zip(WEATHER_COLUMNS, columns, strict=True)), index=cal.index)
    return Weather(
        data=data,
        latitude=normals.latitude,
        longitude=normals.longitude,
        elevation_m=normals.elevation_m,
        timezone=normals.timezone,
        source=f"synthetic from climate normals ({normals.name}), seed {seed}",
        synthetic=True,
    )
