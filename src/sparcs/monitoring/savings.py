"""Avoided energy use over a reporting period and its fractional savings uncertainty.

``AEU = Σ_p (counterfactual_p - observed_p)`` over the reporting periods where both usage and
temperature are present (CalTRACK 2.0 §3.5, §3.6, §3.12, §4.1); the counterfactual is the
baseline model driven by the reporting-period temperature. The uncertainty is the fractional
savings uncertainty of ASHRAE Guideline 14 with the autocorrelation correction, in the CalTRACK
form (§4.3.2.4), at 68, 90 and 95 % confidence. Partial years are not annualised (§4.1.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sparcs.errors import DataError
from sparcs.monitoring.aggregate import Periods
from sparcs.monitoring.baseline import Baseline, prepare_periods
from sparcs.monitoring.caltrack_billing import billing_periods
from sparcs.monitoring.caltrack_daily import DailyModel
from sparcs.monitoring.statistics import Check, fractional_savings_uncertainty
from sparcs.timeseries import to_zoneinfo

__all__ = ["CONFIDENCE_LEVELS", "AvoidedEnergy", "avoided_energy"]

#: Confidence levels of the reported uncertainty [-].
CONFIDENCE_LEVELS = (0.68, 0.90, 0.95)


@dataclass(frozen=True)
class AvoidedEnergy:
    """Avoided energy use over a reporting period.

    Attributes
    ----------
    avoided_kwh
        Counterfactual minus observed usage over the valid reporting periods [kWh]; positive
        means savings.
    counterfactual_kwh, observed_kwh
        Totals over the same periods [kWh].
    savings_fraction
        ``avoided_kwh / counterfactual_kwh`` [-].
    fsu
        Fractional savings uncertainty per confidence level (0.68, 0.90, 0.95) [-].
    uncertainty_kwh
        ``fsu · |avoided_kwh|`` per confidence level [kWh]: the half-width of the interval.
    n_periods
        Reporting periods used ``Q`` (days or hours) [-].
    n_masked
        Reporting periods left out for missing usage, temperature or model [-].
    months
        Calendar months in the reporting period ``M`` [-].
    checks
        The FSU check of the baseline's criteria (when it has one).
    series
        Per period: ``observed``, ``counterfactual`` and ``avoided`` [kWh] (NaN where
        masked), indexed by the UTC start of each local day or hour.
    """

    avoided_kwh: float
    counterfactual_kwh: float
    observed_kwh: float
    savings_fraction: float
    fsu: dict[float, float]
    uncertainty_kwh: dict[float, float]
    n_periods: int
    n_masked: int
    months: int
    checks: tuple[Check, ...]
    series: pd.DataFrame = field(repr=False)

    @property
    def counterfactual(self) -> pd.Series:
        """Counterfactual usage per period [kWh]."""
        return self.series["counterfactual"]


def _check_months(baseline: Baseline, start: pd.DatetimeIndex) -> None:
    """Hourly month models need their month in the baseline (CalTRACK §2.2.1.2)."""
    model = baseline.model
    if baseline.method != "hourly" or getattr(model, "segmentation", "none") == "none":
        return
    months = np.unique(start.tz_convert(to_zoneinfo(baseline.timezone)).month.to_numpy())
    seen = (
        pd.DatetimeIndex(baseline.fitted.index)
        .tz_convert(to_zoneinfo(baseline.timezone))
        .month.to_numpy()
    )
    observed = np.isfinite(baseline.fitted["observed"].to_numpy())
    missing = [int(m) for m in months if not observed[seen == m].any()]
    if missing:
        names = ", ".join(pd.Timestamp(2000, m, 1).strftime("%B") for m in missing)
        msg = (
            f"the baseline has no data in {names}, which the reporting period needs for the "
            "month-by-month hourly models; fit with segmentation='none' or extend the baseline"
        )
        raise DataError(msg)


def _sides(
    baseline: Baseline, usage: pd.Series, temperature: pd.Series
) -> tuple[Periods, np.ndarray]:
    """Observed usage per reporting period and the baseline's counterfactual [kWh].

    Billing periods are not merged or dropped here: the counterfactual of a period is the sum
    of the model's daily predictions over its days, so an off-cycle read and the next one
    give the same total as one merged period (CalTRACK §3.5.5.3). A period whose days have
    temperatures for less than 90 % is masked (§3.5.5.2).
    """
    zeros_missing = baseline.carrier == "electricity"
    if baseline.method == "billing":
        bills = billing_periods(
            usage, temperature, timezone=baseline.timezone, zeros_missing=zeros_missing
        )
        model = baseline.model
        if not isinstance(model, DailyModel):
            msg = "a billing baseline holds a change-point model"
            raise TypeError(msg)
        daily = model.predict(bills.day_temperature)
        counterfactual = bills.period_mean(daily) * bills.days
        counterfactual[~bills.temperature_ok] = np.nan
        return Periods(bills.start, bills.usage_kwh, bills.coverage), counterfactual
    periods = prepare_periods(
        usage,
        temperature,
        method=baseline.method,
        timezone=baseline.timezone,
        zeros_missing=zeros_missing,
    )
    u, t = periods["usage"], periods["temperature"]
    _check_months(baseline, u.start)
    return u, baseline.predict_periods(t).to_numpy()


def avoided_energy(baseline: Baseline, usage: pd.Series, temperature: pd.Series) -> AvoidedEnergy:
    """Avoided energy use of the reporting period against a fitted baseline.

    Parameters
    ----------
    baseline
        The model fitted on the baseline period (:func:`fit_baseline`).
    usage
        Metered usage per reading in the reporting period [kWh], tz-aware index, the same kind
        of data as the baseline's (gross consumption for a PED).
    temperature
        Outdoor air temperature over the reporting period [°C], tz-aware index.

    Returns
    -------
    AvoidedEnergy

    Raises
    ------
    TimeIndexError, DataError
        Bad series, temperature not overlapping usage, or (hourly) a reporting month whose
        month model has no baseline data.

    Notes
    -----
    ``FSU = t · k · CV(RMSE) · sqrt(P/P' · (1 + 2/P') · 1/Q) / F`` with ``P`` baseline
    periods, ``P' = P (1 - ρ)/(1 + ρ)`` for the lag-1 autocorrelation ρ of the baseline
    residuals, ``Q`` reporting periods, ``F`` the savings fraction, ``t`` the two-sided
    Student t at ``P - p`` degrees of freedom and ``k = aM² + bM + d`` (daily; Sun &
    Baltazar 2013) or 1.26 (hourly; ASHRAE 14).

    References
    ----------
    CalTRACK Methods 2.0 §3.5-3.6, §3.12, §4.1, §4.3.2.4 (CC0); ASHRAE Guideline 14-2014,
    Annex B.
    """
    u, counterfactual = _sides(baseline, usage, temperature)
    valid = np.isfinite(u.values) & np.isfinite(counterfactual)
    observed_kwh = float(u.values[valid].sum())
    counterfactual_kwh = float(counterfactual[valid].sum())
    avoided = counterfactual_kwh - observed_kwh
    fraction = avoided / counterfactual_kwh if counterfactual_kwh else float("nan")
    local = u.start[valid].tz_convert(to_zoneinfo(baseline.timezone))
    months = int(np.unique(local.year.to_numpy() * 12 + local.month.to_numpy()).size)
    q = int(valid.sum())
    fsu = {
        level: fractional_savings_uncertainty(
            cvrmse=baseline.cvrmse,
            n=baseline.n,
            n_params=baseline.n_params,
            rho=baseline.rho,
            n_reporting=q,
            savings_fraction=fraction,
            months=months,
            confidence=level,
            frequency=baseline.method,
        )
        for level in CONFIDENCE_LEVELS
    }
    criteria = baseline.criteria
    checks: tuple[Check, ...] = ()
    if criteria.fsu_max is not None:
        level = criteria.fsu_confidence
        value = (
            fsu[level]
            if level in fsu
            else fractional_savings_uncertainty(
                cvrmse=baseline.cvrmse,
                n=baseline.n,
                n_params=baseline.n_params,
                rho=baseline.rho,
                n_reporting=q,
                savings_fraction=fraction,
                months=months,
                confidence=level,
                frequency=baseline.method,
            )
        )
        checks = (
            Check(
                f"fsu@{level:.0%}",
                value,
                criteria.fsu_max,
                bool(value <= criteria.fsu_max),
                criteria.name,
            ),
        )
    series = pd.DataFrame(
        {
            "observed": np.where(valid, u.values, np.nan),
            "counterfactual": np.where(valid, counterfactual, np.nan),
        },
        index=u.start,
    )
    series["avoided"] = series["counterfactual"] - series["observed"]
    return AvoidedEnergy(
        avoided_kwh=avoided,
        counterfactual_kwh=counterfactual_kwh,
        observed_kwh=observed_kwh,
        savings_fraction=fraction,
        fsu=fsu,
        uncertainty_kwh={k: v * abs(avoided) for k, v in fsu.items()},
        n_periods=q,
        n_masked=int((~valid).sum()),
        months=months,
        checks=checks,
        series=series,
    )
