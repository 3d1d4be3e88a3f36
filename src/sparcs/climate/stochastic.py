"""Vectorised building blocks of the weather generator: AR(1) noise, smooth monthly curves, wind."""

from __future__ import annotations

import math

import numpy as np
from scipy.signal import lfilter
from scipy.special import ndtr

__all__ = ["ar1", "monthly_means", "smooth_monthly_curve", "weibull_wind"]


def ar1(rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """Stationary AR(1) series with unit variance.

    ``x[t] = phi * x[t-1] + sqrt(1 - phi**2) * e[t]``, ``e`` standard normal, ``x[0]`` drawn
    from the stationary distribution (Box, Jenkins and Reinsel, *Time Series Analysis*, ch. 3).

    Parameters
    ----------
    rng
        Random generator (seeded by the caller).
    n
        Length.
    phi
        Lag-one autocorrelation, ``0 <= phi < 1`` [-].
    """
    shocks = rng.standard_normal(n)
    start = rng.standard_normal()
    gain = math.sqrt(1.0 - phi * phi)
    series, _ = lfilter([gain], [1.0, -phi], shocks, zi=[phi * start])
    return series


def monthly_means(values: np.ndarray, month: np.ndarray) -> np.ndarray:
    """Mean of ``values`` per month index 0..11 (NaN for a month without steps)."""
    count = np.bincount(month, minlength=12)
    total = np.bincount(month, weights=values, minlength=12)
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / count


def smooth_monthly_curve(
    position: np.ndarray,
    month: np.ndarray,
    mid_months: np.ndarray,
    year_days: float,
    targets: np.ndarray,
    iterations: int = 6,
) -> np.ndarray:
    """A smooth periodic curve whose monthly means equal ``targets``.

    Piecewise-linear through one anchor per mid-month (periodic over the year); the anchors
    are corrected iteratively by the remaining monthly bias, the mean-preserving
    interpolation of monthly values (Epstein 1991, J. Climate 4, 365-368, in discrete form).

    Parameters
    ----------
    position
        Position of each step in the year [d], e.g. interval midpoints from local 1 January.
    month
        Local month index 0..11 of each step.
    mid_months
        Position of the middle of each month [d].
    year_days
        Length of the year [d] (365 or 366).
    targets
        Monthly means to reproduce.
    iterations
        Number of anchor corrections (the bias falls by roughly a factor 5 per iteration).
    """
    targets = np.asarray(targets, dtype=float)
    xp = np.concatenate(([mid_months[-1] - year_days], mid_months, [mid_months[0] + year_days]))
    anchors = targets.copy()
    for _ in range(iterations):
        curve = np.interp(position, xp, np.concatenate(([anchors[-1]], anchors, [anchors[0]])))
        anchors = anchors + (targets - monthly_means(curve, month))
    result: np.ndarray = np.interp(
        position, xp, np.concatenate(([anchors[-1]], anchors, [anchors[0]]))
    )
    return result


def weibull_wind(
    rng: np.random.Generator, n: int, phi: float, mean_m_s: float, shape: float = 2.0
) -> np.ndarray:
    """Autocorrelated wind speed with a Weibull distribution [m/s].

    A unit AR(1) Gaussian series is mapped through the normal CDF onto the Weibull quantile
    function (translation of a Gaussian process; Brown, Katz and Murphy 1984, J. Climate
    Appl. Meteor. 23, 1184-1195). Scale ``c = mean / Gamma(1 + 1/k)``; the result is rescaled
    so its mean is exactly ``mean_m_s``. Always non-negative.

    Parameters
    ----------
    rng
        Random generator.
    n
        Number of steps.
    phi
        Lag-one autocorrelation per step [-].
    mean_m_s
        Mean wind speed [m/s].
    shape
        Weibull shape ``k`` [-]; 2 is the Rayleigh case typical of inland Europe.
    """
    uniform = ndtr(ar1(rng, n, phi))
    scale = mean_m_s / math.gamma(1.0 + 1.0 / shape)
    speed = scale * (-np.log1p(-np.minimum(uniform, 1.0 - 1e-12))) ** (1.0 / shape)
    result: np.ndarray = speed * (mean_m_s / speed.mean())
    return result
