"""Goodness-of-fit statistics, acceptance checks and savings uncertainty for M&V baselines.

ASHRAE Guideline 14 statistics (CV(RMSE), NMBE with the ``n - p`` convention, R²), the
CalTRACK adjusted R², and the fractional savings uncertainty (FSU) of ASHRAE Guideline 14 with
the autocorrelation correction, in the CalTRACK 2.0 form (§4.3.2.4).

Conventions (fixed here, since tools differ):

* residuals are *measured minus predicted*, so a positive NMBE means the model
  under-predicts;
* ``p`` counts every fitted parameter, the intercept included (G14 Annex B); CalTRACK's
  ``P - c`` (c without the intercept) is ``n - p + 1``;
* fractions, not percent: ``cvrmse = 0.2`` is 20 %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats as _scipy_stats

__all__ = [
    "ASHRAE14_BASELINE",
    "ASHRAE14_HOURLY",
    "ASHRAE14_MONTHLY",
    "CALTRACK_PORTFOLIO",
    "Check",
    "Criteria",
    "adjusted_r_squared",
    "check_fit",
    "cvrmse",
    "fractional_savings_uncertainty",
    "lag1_autocorrelation",
    "nmbe",
    "r_squared",
]

Frequency = Literal["daily", "billing", "hourly"]

#: Sun & Baltazar (2013) coefficients (a, b, d) of the month correction aM² + bM + d
#: (CalTRACK 2.0 §4.3.2.4.6).
SUN_BALTAZAR = {"daily": (-0.00024, 0.03535, 1.00286), "billing": (-0.00022, 0.03306, 0.94054)}
#: ASHRAE Guideline 14 (Annex B) empirical factor of the FSU formula, used for hourly data.
G14_FACTOR = 1.26


def _pair(observed: np.ndarray, predicted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(observed, dtype=float)
    yhat = np.asarray(predicted, dtype=float)
    if y.shape != yhat.shape:
        msg = f"observed {y.shape} and predicted {yhat.shape} differ in shape"
        raise ValueError(msg)
    keep = np.isfinite(y) & np.isfinite(yhat)
    return y[keep], yhat[keep]


def cvrmse(observed: np.ndarray, predicted: np.ndarray, n_params: int) -> float:
    """Coefficient of variation of the root-mean-square error [-].

    Parameters
    ----------
    observed, predicted
        Measured and modelled values of the same periods [kWh per period]; pairs with a NaN
        are left out.
    n_params
        Number of fitted parameters ``p``, the intercept included [-].

    Returns
    -------
    float
        ``sqrt(Σ(y - ŷ)² / (n - p)) / ȳ`` [-] (NaN when ``n <= p`` or ``ȳ = 0``).

    References
    ----------
    ASHRAE Guideline 14-2014, Annex B (the ``n - p`` form); CalTRACK 2.0 §4.3.2.2.
    """
    y, yhat = _pair(observed, predicted)
    dof = y.size - n_params
    mean = y.mean() if y.size else 0.0
    if dof <= 0 or mean == 0:
        return math.nan
    return float(np.sqrt(np.sum((y - yhat) ** 2) / dof) / mean)


def nmbe(observed: np.ndarray, predicted: np.ndarray, n_params: int) -> float:
    """Normalised mean bias error [-], positive when the model under-predicts.

    Returns ``Σ(y - ŷ) / ((n - p) · ȳ)`` [-] (NaN when ``n <= p`` or ``ȳ = 0``); parameters
    as :func:`cvrmse`.

    References
    ----------
    ASHRAE Guideline 14-2014, Annex B.
    """
    y, yhat = _pair(observed, predicted)
    dof = y.size - n_params
    mean = y.mean() if y.size else 0.0
    if dof <= 0 or mean == 0:
        return math.nan
    return float(np.sum(y - yhat) / (dof * mean))


def r_squared(observed: np.ndarray, predicted: np.ndarray) -> float:
    """Coefficient of determination ``1 - SS_res / SS_tot`` [-] (NaN for a constant series)."""
    y, yhat = _pair(observed, predicted)
    sst = float(np.sum((y - y.mean()) ** 2)) if y.size else 0.0
    if sst == 0:
        return math.nan
    return 1.0 - float(np.sum((y - yhat) ** 2)) / sst


def adjusted_r_squared(
    ss_res: np.ndarray | float, ss_tot: float, n: int, c: np.ndarray | int
) -> np.ndarray:
    """Adjusted R² ``1 - (SS_res / (n - c - 1)) / (SS_tot / (n - 1))`` [-].

    Parameters
    ----------
    ss_res
        Sum of squared residuals, one per candidate [kWh²].
    ss_tot
        Total sum of squares of the dependent variable [kWh²].
    n
        Number of periods ``P`` [-].
    c
        Explanatory variables, the intercept *not* included [-].

    References
    ----------
    CalTRACK 2.0 §3.4.3.3 (an intercept-only model has adjusted R² = 0 by definition).
    """
    ss_res = np.asarray(ss_res, dtype=float)
    c = np.asarray(c)
    with np.errstate(divide="ignore", invalid="ignore"):
        adjusted: np.ndarray = 1.0 - (ss_res / (n - c - 1)) / (ss_tot / (n - 1))
    return adjusted


def lag1_autocorrelation(residuals: np.ndarray) -> float:
    """Lag-1 autocorrelation coefficient ρ of consecutive residuals [-].

    NaN residuals break the chain: only pairs of consecutive finite values count.

    References
    ----------
    ASHRAE Guideline 14-2014, Annex B (ρ in the effective number of points ``n'``).
    """
    e = np.asarray(residuals, dtype=float)
    if e.size < 3:
        return 0.0
    centred = e - np.nanmean(e)
    pairs = np.isfinite(centred[1:]) & np.isfinite(centred[:-1])
    denominator = np.nansum(centred**2)
    if denominator == 0 or not pairs.any():
        return 0.0
    return float(np.sum(centred[1:][pairs] * centred[:-1][pairs]) / denominator)


def fractional_savings_uncertainty(
    *,
    cvrmse: float,
    n: int,
    n_params: int,
    rho: float,
    n_reporting: int,
    savings_fraction: float,
    months: int,
    confidence: float,
    frequency: Frequency,
) -> float:
    """Fractional savings uncertainty ΔU_save / U_save of avoided energy use [-].

    Parameters
    ----------
    cvrmse
        CV(RMSE) of the baseline model [-].
    n
        Baseline periods used in the fit ``P`` [-].
    n_params
        Fitted parameters ``p``; the t-statistic has ``n - p`` degrees of freedom [-].
    rho
        Lag-1 autocorrelation of the baseline residuals [-].
    n_reporting
        Periods in the reporting period ``Q`` [-].
    savings_fraction
        ``F`` = avoided energy / counterfactual usage over the reporting period [-].
    months
        Months in the reporting period ``M`` [-].
    confidence
        Two-sided confidence level, e.g. 0.9 [-].
    frequency
        ``"daily"`` and ``"billing"`` use the Sun & Baltazar month correction
        ``aM² + bM + d``; ``"hourly"`` the ASHRAE 14 factor 1.26.

    Returns
    -------
    float
        ``t · k · CV · sqrt(P/P' · (1 + 2/P') · 1/Q) / |F|`` with ``P' = P (1 - ρ)/(1 + ρ)``
        [-]; infinite when there are no savings.

    References
    ----------
    ASHRAE Guideline 14-2014, Annex B (FSU with autocorrelation); CalTRACK 2.0 §4.3.2.4;
    Sun, Y. and Baltazar, J.C. (2013), ASHRAE RP-1404 final report.
    """
    if not 0 < confidence < 1:
        msg = f"confidence must be between 0 and 1, got {confidence}"
        raise ValueError(msg)
    dof = n - n_params
    if dof <= 0 or n_reporting <= 0:
        return math.nan
    rho = min(max(rho, -0.99), 0.99)
    n_eff = n * (1 - rho) / (1 + rho)
    t = float(_scipy_stats.t.ppf(0.5 + confidence / 2, dof))
    if frequency == "hourly":
        k = G14_FACTOR
    else:
        a, b, d = SUN_BALTAZAR[frequency]
        k = a * months**2 + b * months + d
    spread = t * k * cvrmse * math.sqrt(n / n_eff * (1 + 2 / n_eff) / n_reporting)
    if savings_fraction == 0:
        return math.inf
    return spread / abs(savings_fraction)


@dataclass(frozen=True)
class Criteria:
    """Acceptance thresholds for a baseline model and its savings (all fractions).

    Attributes
    ----------
    name
        Where the thresholds come from, quoted in every check.
    cvrmse_max
        Largest CV(RMSE) [-].
    nmbe_max
        Largest |NMBE| [-], or None for no NMBE check.
    r2_min
        Smallest R², an advisory check (IPMVP: "0.75 is often considered a reasonable
        indicator"), or None.
    fsu_max
        Largest FSU of the avoided energy [-] at ``fsu_confidence`` (ASHRAE 14: under 50 % of
        the savings at 68 % confidence).
    fsu_confidence
        Confidence level of the FSU check [-].
    """

    name: str
    cvrmse_max: float
    nmbe_max: float | None = None
    r2_min: float | None = 0.75
    fsu_max: float | None = 0.5
    fsu_confidence: float = 0.68


#: ASHRAE 14 calibration thresholds for monthly data: CV(RMSE) ≤ 15 %, |NMBE| ≤ 5 %.
ASHRAE14_MONTHLY = Criteria("ASHRAE Guideline 14, monthly data", cvrmse_max=0.15, nmbe_max=0.05)
#: ASHRAE 14 calibration thresholds for hourly data: CV(RMSE) ≤ 30 %, |NMBE| ≤ 10 %.
ASHRAE14_HOURLY = Criteria("ASHRAE Guideline 14, hourly data", cvrmse_max=0.30, nmbe_max=0.10)
#: ASHRAE 14 whole-building regression baseline with under 12 months of reporting data:
#: CV(RMSE) ≤ 20 % for energy; |NMBE| ≤ 5 % as for monthly calibration.
ASHRAE14_BASELINE = Criteria(
    "ASHRAE Guideline 14, regression baseline (< 12 months reporting)",
    cvrmse_max=0.20,
    nmbe_max=0.05,
)
#: CalTRACK 2.0 §4.3.2.1: site-level CV(RMSE) ≤ 100 % for portfolio use.
CALTRACK_PORTFOLIO = Criteria(
    "CalTRACK 2.0 portfolio use", cvrmse_max=1.0, r2_min=None, fsu_max=None
)


@dataclass(frozen=True)
class Check:
    """One acceptance check: the value, the threshold that applied and the verdict.

    ``advisory`` checks are reported but do not make a model unacceptable.
    """

    name: str
    value: float
    threshold: float
    passed: bool
    source: str
    advisory: bool = False

    def __str__(self) -> str:
        verdict = "ok" if self.passed else ("advisory" if self.advisory else "FAILED")
        relation = "≥" if self.name == "r2" else "≤"
        bound = f"{relation} {self.threshold:g}, {self.source}"
        return f"{self.name} {self.value:.3g} ({bound}): {verdict}"


def check_fit(criteria: Criteria, *, cvrmse: float, nmbe: float, r2: float) -> tuple[Check, ...]:
    """The checks of a fitted baseline against ``criteria`` (NaN values fail)."""
    checks = [
        Check(
            "cvrmse",
            cvrmse,
            criteria.cvrmse_max,
            bool(cvrmse <= criteria.cvrmse_max),
            criteria.name,
        )
    ]
    if criteria.nmbe_max is not None:
        checks.append(
            Check(
                "nmbe", nmbe, criteria.nmbe_max, bool(abs(nmbe) <= criteria.nmbe_max), criteria.name
            )
        )
    if criteria.r2_min is not None:
        checks.append(
            Check(
                "r2",
                r2,
                criteria.r2_min,
                bool(r2 >= criteria.r2_min),
                "IPMVP rule of thumb",
                advisory=True,
            )
        )
    return tuple(checks)
