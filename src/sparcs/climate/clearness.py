"""Daily clearness index: its distribution given the monthly mean, and persistent sequences of it.

The daily clearness index ``KT = H / H0`` (daily global horizontal irradiation over its
extraterrestrial value on a horizontal plane) of the days of a month follows, to a good
approximation, a truncated exponential distribution whose shape depends only on the monthly
mean (Bendt, Collares-Pereira and Rabl 1981, the "generalised Liu-Jordan curves"). Sequences
are made persistent by drawing the uniform variates from a Gaussian AR(1) process (the
"transformed Gaussian" approach of Graham, Hollands and Unny 1988): each month keeps Bendt's
distribution, consecutive days are correlated, and overcast and clear spells appear.

References
----------
- Bendt, P., Collares-Pereira, M. and Rabl, A. (1981), "The frequency distribution of daily
  insolation values", Solar Energy 27(1), 1-5; also Duffie, J.A. and Beckman, W.A. (2013),
  *Solar Engineering of Thermal Processes*, 4th ed., section 2.11.
- Graham, V.A., Hollands, K.G.T. and Unny, T.E. (1988), "A time series model for Kt with
  application to global synthetic weather generation", Solar Energy 40(2), 83-92.
- Aguiar, R.J., Collares-Pereira, M. and Conde, J.P. (1988), "Simple procedure for generating
  sequences of daily radiation values using a library of Markov transition matrices", Solar
  Energy 40(3), 269-279 (the Markov-chain equivalent; same distributions by construction).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from sparcs.climate.stochastic import ar1

__all__ = [
    "KT_MIN",
    "bendt_kt_max",
    "bendt_shape",
    "bendt_quantile",
    "daily_clearness_sequence",
]

#: Lowest daily clearness index of Bendt et al. (1981) [-].
KT_MIN = 0.05
_T_BOUND = 300.0  # largest |gamma * (KT_max - KT_min)| searched (exp(300) is finite)
_SMALL_T = 1e-6


def bendt_kt_max(kt_mean: np.ndarray) -> np.ndarray:
    """Highest daily clearness index of a month with mean ``kt_mean`` [-].

    ``KT_max = 0.6313 + 0.267 KT_mean - 11.9 (KT_mean - 0.75)**8`` (Bendt, Collares-Pereira
    and Rabl 1981, Solar Energy 27(1), 1-5).

    Parameters
    ----------
    kt_mean
        Monthly mean daily clearness index [-].
    """
    kt_mean = np.asarray(kt_mean, dtype=float)
    return 0.6313 + 0.267 * kt_mean - 11.9 * (kt_mean - 0.75) ** 8


def _mean_fraction(t: np.ndarray) -> np.ndarray:
    """Mean of the density ``~exp(t x)`` on ``[0, 1]``: ``1/(1 - exp(-t)) - 1/t`` [-]."""
    safe = np.where(np.abs(t) < _SMALL_T, 1.0, t)
    exact = -1.0 / np.expm1(-safe) - 1.0 / safe
    return np.where(np.abs(t) < _SMALL_T, 0.5 + t / 12.0, exact)


def bendt_shape(kt_mean: np.ndarray, kt_min: np.ndarray, kt_max: np.ndarray) -> np.ndarray:
    """Dimensionless shape ``t = gamma (KT_max - KT_min)`` of Bendt's distribution [-].

    Bendt et al. (1981) give the density ``f(KT) = gamma exp(gamma KT) / (exp(gamma KT_max)
    - exp(gamma KT_min))`` on ``[KT_min, KT_max]`` and fix ``gamma`` by the mean.
    With ``w = KT_max - KT_min`` and ``t = gamma w`` the mean is ``KT_min + w (1 / (1 -
    exp(-t)) - 1/t)``, monotonic in ``t``; it is solved here by bisection, for all months at
    once.

    Parameters
    ----------
    kt_mean, kt_min, kt_max
        Mean, lower and upper bound of the daily clearness index [-], with
        ``kt_min < kt_mean < kt_max``.
    """
    target = (np.asarray(kt_mean, float) - kt_min) / (np.asarray(kt_max, float) - kt_min)
    low = np.full(target.shape, -_T_BOUND)
    high = np.full(target.shape, _T_BOUND)
    for _ in range(80):
        mid = (low + high) / 2.0
        above = _mean_fraction(mid) > target
        low, high = np.where(above, low, mid), np.where(above, mid, high)
    return (low + high) / 2.0


def bendt_quantile(
    u: np.ndarray, shape: np.ndarray, kt_min: np.ndarray, kt_max: np.ndarray
) -> np.ndarray:
    """Daily clearness index at cumulative probability ``u`` [-].

    Inverse of Bendt's (1981) cumulative distribution ``F = (exp(gamma (KT - KT_min)) - 1) /
    (exp(gamma w) - 1)``: ``KT = KT_min + w log1p(u expm1(t)) / t`` with ``t = gamma w``;
    uniform (``KT_min + w u``) as ``t -> 0``.

    Parameters
    ----------
    u
        Cumulative probability, 0..1 [-].
    shape
        ``t`` from :func:`bendt_shape` [-].
    kt_min, kt_max
        Bounds of the distribution [-].
    """
    width = np.asarray(kt_max, float) - kt_min
    small = np.abs(shape) < _SMALL_T
    safe = np.where(small, 1.0, shape)
    fraction = np.where(small, u, np.log1p(u * np.expm1(safe)) / safe)
    result: np.ndarray = kt_min + width * np.clip(fraction, 0.0, 1.0)
    return result


def daily_clearness_sequence(
    rng: np.random.Generator,
    h0_day: np.ndarray,
    day_month: np.ndarray,
    targets: np.ndarray,
    kt_ceiling: np.ndarray,
    phi: float,
) -> np.ndarray:
    """A persistent sequence of daily clearness indices that meets each month's irradiation.

    Day ``d`` of month ``m`` gets ``KT_d = Q_m(Phi(z_d + delta_m))``: ``z`` is a unit
    Gaussian AR(1) series with lag-one autocorrelation ``phi`` (Graham, Hollands and Unny
    1988), ``Phi`` the standard normal distribution function and ``Q_m`` Bendt's (1981)
    quantile function (:func:`bendt_quantile`) for the month's mean clearness. The shift
    ``delta_m`` (small; zero in expectation) is solved by bisection so that
    ``sum_d KT_d H0_d`` equals the month's target exactly.

    Parameters
    ----------
    rng
        Random generator (seeded by the caller).
    h0_day
        Extraterrestrial irradiation on a horizontal plane of each day [kWh/m2].
    day_month
        Month 0..11 of each day.
    targets
        Global horizontal irradiation of each month [kWh/m2].
    kt_ceiling
        Highest clearness index of each day at the site [-], e.g. that of its clear sky. A
        day that Bendt's distribution puts above it (his fit, on US stations at 25-49 N,
        does not know the long air masses of a northern winter) is clipped to it; the
        month's shift ``delta_m`` makes up the irradiation.
    phi
        Day-to-day autocorrelation of the Gaussian process [-].

    Returns
    -------
    numpy.ndarray
        Daily clearness index of each day [-], between ``KT_min`` and ``kt_ceiling``.
    """
    h0_month = np.bincount(day_month, weights=h0_day, minlength=12)
    kt_mean = np.divide(targets, h0_month, out=np.zeros(12), where=h0_month > 0)
    kt_max = np.maximum(bendt_kt_max(kt_mean), kt_mean * 1.02 + 1e-6)
    kt_min = np.minimum(KT_MIN, kt_mean / 2.0)
    shape = bendt_shape(kt_mean, kt_min, kt_max)
    z = ar1(rng, len(h0_day), phi)
    args = (shape[day_month], kt_min[day_month], kt_max[day_month])
    low, high = np.full(12, -8.0), np.full(12, 8.0)
    for _ in range(50):
        delta = (low + high) / 2.0
        kt = np.minimum(bendt_quantile(ndtr(z + delta[day_month]), *args), kt_ceiling)
        above = np.bincount(day_month, weights=kt * h0_day, minlength=12) > targets
        low, high = np.where(above, low, delta), np.where(above, delta, high)
    delta = (low + high) / 2.0
    result: np.ndarray = np.minimum(bendt_quantile(ndtr(z + delta[day_month]), *args), kt_ceiling)
    return result
