"""Weather-normalised baselines: :func:`fit_baseline` and its :class:`Baseline` result.

``method="daily"`` is the CalTRACK 2.0 daily change-point model
(:mod:`sparcs.monitoring.caltrack_daily`), ``method="hourly"`` the CalTRACK time-of-week and
temperature model (:mod:`sparcs.monitoring.towt`). Both take usage in kWh per reading and
temperature in °C, check the CalTRACK data-sufficiency rules
(:mod:`sparcs.monitoring.sufficiency`) and report the ASHRAE Guideline 14 statistics and
acceptance checks (:mod:`sparcs.monitoring.statistics`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sparcs.monitoring.aggregate import Periods
from sparcs.monitoring.caltrack_billing import billing_periods
from sparcs.monitoring.caltrack_daily import (
    DEFAULT_BALANCE_POINTS_C,
    MAX_P_VALUE,
    DailyModel,
    fit_daily_model,
    fit_degree_day_model,
)
from sparcs.monitoring.periods import Carrier, Method, check_options, prepare_periods, site_zone
from sparcs.monitoring.statistics import (
    ASHRAE14_BASELINE,
    ASHRAE14_HOURLY,
    ASHRAE14_MONTHLY,
    Check,
    Criteria,
    check_fit,
    cvrmse,
    lag1_autocorrelation,
    nmbe,
    r_squared,
)
from sparcs.monitoring.sufficiency import (
    Sufficiency,
    billing_sufficiency,
    daily_sufficiency,
    hourly_sufficiency,
)
from sparcs.monitoring.towt import (
    BIN_EDGES_C,
    OCCUPANCY_BALANCE_POINTS_C,
    Segmentation,
    TowtModel,
    fit_towt,
)

__all__ = ["Baseline", "Carrier", "Method", "fit_baseline", "prepare_periods"]


@dataclass(frozen=True)
class Baseline:
    """A fitted baseline model with its statistics, checks and data sufficiency.

    Attributes
    ----------
    method
        ``"daily"``, ``"billing"`` or ``"hourly"``.
    model_type
        Daily: ``"intercept_only"``, ``"hdd_only"``, ``"cdd_only"`` or ``"hdd_cdd"``;
        hourly: ``"towt_month"`` (month-weighted) or ``"towt"`` (one model).
    balance_points_c
        ``{"heating": …, "cooling": …}`` of the selected daily model [°C] (only the terms it
        has); hourly: ``occupancy_heating`` and ``occupancy_cooling``, the occupancy model's
        fixed 10 and 18.33 °C.
    coefficients
        Daily: ``intercept`` [kWh/d], ``beta_hdd`` and ``beta_cdd`` [kWh/(K·d)]. Hourly:
        ``alpha_mean`` [kWh/h] and the mean slopes ``beta_occupied_mean``,
        ``beta_unoccupied_mean`` [kWh/(h·K)]; the full arrays are in :attr:`model`.
    cvrmse, nmbe, r2
        In-sample ASHRAE 14 statistics of the baseline fit [-] (``n - p`` convention).
    n
        Periods (days or hours) used in the fit [-].
    n_params
        Fitted parameters ``p`` [-].
    rho
        Lag-1 autocorrelation of the baseline residuals [-] (for the FSU).
    sufficiency
        The CalTRACK data-sufficiency rules checked on the baseline period.
    checks
        Acceptance checks against :attr:`criteria`.
    criteria
        The thresholds that applied.
    timezone
        IANA zone of the site (local days, hours of the week, months).
    carrier
        ``"electricity"`` (zeros count as missing), ``"heat"`` or ``"fuel"`` (no cooling terms).
    fitted
        Observed and fitted usage per baseline period [kWh], columns ``observed`` and
        ``fitted``.
    model
        The underlying :class:`DailyModel` or :class:`TowtModel`.
    """

    method: Method
    model_type: str
    balance_points_c: dict[str, float]
    coefficients: dict[str, float]
    cvrmse: float
    nmbe: float
    r2: float
    n: int
    n_params: int
    rho: float
    sufficiency: Sufficiency
    checks: tuple[Check, ...]
    criteria: Criteria
    timezone: str
    carrier: Carrier
    fitted: pd.DataFrame = field(repr=False)
    model: DailyModel | TowtModel = field(repr=False)

    @property
    def accepted(self) -> bool:
        """True when every non-advisory acceptance check passed."""
        return all(c.passed for c in self.checks if not c.advisory)

    @property
    def unit(self) -> str:
        """Unit of the predicted usage: ``"kWh/d"`` or ``"kWh/h"``."""
        return "kWh/h" if self.method == "hourly" else "kWh/d"

    def predict(self, temperature: pd.Series) -> pd.Series:
        """Usage the baseline predicts at ``temperature`` [°C], per local day or UTC hour.

        Parameters
        ----------
        temperature
            Temperature readings with a tz-aware index [°C], at any step of a day or less
            (daily method) or of an hour or less (hourly method).

        Returns
        -------
        pandas.Series
            Predicted usage per period [kWh], indexed by the UTC start of each local day or
            hour; NaN where the temperature is missing.
        """
        periods = prepare_periods(None, temperature, method=self.method, timezone=self.timezone)
        return self.predict_periods(periods["temperature"])

    def predict_periods(self, temperature: Periods) -> pd.Series:
        """Predicted usage [kWh] on periods already aggregated by :func:`prepare_periods`."""
        if isinstance(self.model, DailyModel):
            values = self.model.predict(temperature.values)
        else:
            values = self.model.predict(temperature.start, temperature.values)
        return pd.Series(values, index=temperature.start, name="predicted_kwh")


def fit_baseline(
    usage: pd.Series,
    temperature: pd.Series,
    method: Method = "daily",
    *,
    timezone: str | None = None,
    carrier: Carrier = "electricity",
    criteria: Criteria | None = None,
    strict: bool = True,
    balance_points_c: np.ndarray | None = None,
    max_p_value: float = MAX_P_VALUE,
    segmentation: Segmentation = "month",
    bin_edges_c: tuple[float, ...] = BIN_EDGES_C,
) -> Baseline:
    """Fit a CalTRACK baseline to usage and temperature of the baseline period.

    Parameters
    ----------
    usage
        Metered usage per reading [kWh] with a tz-aware index: daily values labelled at local
        midnight, or readings of a fixed step (15 min, 1 h, …). The baseline period is the span
        of this series. For a PED use gross consumption (:func:`gross_consumption`).
    temperature
        Outdoor air temperature [°C] with a tz-aware index, hourly or finer (or daily for the
        daily method).
    method
        ``"daily"`` (change-point model), ``"billing"`` (the same on billing periods, WLS;
        ``usage`` then holds reads: see :mod:`sparcs.monitoring.caltrack_billing`) or
        ``"hourly"`` (TOWT).
    timezone
        IANA zone of the site; default the zone of ``usage``'s index.
    carrier
        ``"electricity"``: zeros count as missing (CalTRACK §2.2.1.4). ``"heat"``, ``"fuel"``:
        zeros are readings and no cooling terms are fitted.
    criteria
        Acceptance thresholds; default :data:`ASHRAE14_BASELINE` (daily) or
        :data:`ASHRAE14_HOURLY` (hourly).
    strict
        True raises :class:`~sparcs.errors.InsufficientDataError` when a sufficiency rule
        fails; False fits anyway and reports the failures in ``sufficiency``.
    balance_points_c
        Candidate balance points [°C] (daily); default CalTRACK's 30-90 °F grid in °C.
    max_p_value
        Largest p-value of a qualifying slope (daily) [-].
    segmentation
        ``"month"`` (month-weighted models) or ``"none"`` (hourly).
    bin_edges_c
        Temperature bin endpoints before validation (hourly) [°C].

    Returns
    -------
    Baseline

    Raises
    ------
    TimeIndexError
        Naive, unsorted, duplicate or off-grid timestamps.
    DataError
        Non-numeric values; temperature not overlapping usage.
    InsufficientDataError
        ``strict`` and a CalTRACK sufficiency rule failed (each failure named).
    ScenarioError
        An unknown method or carrier.

    References
    ----------
    CalTRACK Methods 2.0 (CC0); ASHRAE Guideline 14-2014, Annex B.
    """
    zone = site_zone(usage, timezone)
    check_options(method, carrier, zone)
    if method == "billing":
        return _fit_billing(
            usage,
            temperature,
            zone=zone,
            carrier=carrier,
            criteria=criteria or ASHRAE14_MONTHLY,
            strict=strict,
            balance_points_c=balance_points_c,
            max_p_value=max_p_value,
        )
    periods = prepare_periods(
        usage, temperature, method=method, timezone=zone, zeros_missing=carrier == "electricity"
    )
    u, t = periods["usage"], periods["temperature"]
    if method == "daily":
        sufficiency = daily_sufficiency(u.values, t.values)
    else:
        both = np.where(np.isfinite(t.values), u.values, np.nan)
        sufficiency = hourly_sufficiency(
            u.start, both, periods["temperature_missing"].values > 0, timezone=zone
        )
    if strict:
        sufficiency.raise_if_insufficient()
    if method == "daily":
        daily = fit_daily_model(
            t.values,
            u.values,
            cooling=carrier == "electricity",
            max_p_value=max_p_value,
            balance_points_c=(
                DEFAULT_BALANCE_POINTS_C
                if balance_points_c is None
                else np.asarray(balance_points_c, dtype=float)
            ),
        )
        model: DailyModel | TowtModel = daily
        fitted = daily.predict(t.values)
    else:
        hourly = fit_towt(
            u.start,
            u.values,
            t.values,
            timezone=zone,
            segmentation=segmentation,
            edges=tuple(bin_edges_c),
        )
        model = hourly
        fitted = hourly.predict(u.start, t.values)
    return _result(
        method,
        model,
        u,
        fitted,
        sufficiency,
        zone,
        carrier,
        criteria or (ASHRAE14_BASELINE if method == "daily" else ASHRAE14_HOURLY),
    )


def _fit_billing(
    usage: pd.Series,
    temperature: pd.Series,
    *,
    zone: str,
    carrier: Carrier,
    criteria: Criteria,
    strict: bool,
    balance_points_c: np.ndarray | None,
    max_p_value: float,
) -> Baseline:
    """The billing method: WLS change-point fit on billing periods (:mod:`.caltrack_billing`)."""
    periods = billing_periods(
        usage, temperature, timezone=zone, zeros_missing=carrier == "electricity"
    )
    used = periods.used
    sufficiency = billing_sufficiency(periods.usage_per_day, periods.days, used)
    if strict:
        sufficiency.raise_if_insufficient()
    bp = (
        DEFAULT_BALANCE_POINTS_C
        if balance_points_c is None
        else np.asarray(balance_points_c, dtype=float)
    )
    hdd, cdd = periods.degree_days(bp)
    model = fit_degree_day_model(
        hdd,
        cdd,
        np.where(used, periods.usage_per_day, np.nan),
        weights=periods.days.astype(float),
        balance_points_c=bp,
        cooling=carrier == "electricity",
        max_p_value=max_p_value,
        billing=True,
    )
    fitted = periods.period_mean(model.predict(periods.day_temperature)) * periods.days
    observed = Periods(periods.start, np.where(used, periods.usage_kwh, np.nan), periods.coverage)
    return _result("billing", model, observed, fitted, sufficiency, zone, carrier, criteria)


def _describe(model: DailyModel | TowtModel) -> tuple[str, dict[str, float], dict[str, float]]:
    if isinstance(model, DailyModel):
        bps = {
            k: v
            for k, v in (("heating", model.heating_bp_c), ("cooling", model.cooling_bp_c))
            if not math.isnan(v)
        }
        coefficients = {
            "intercept": model.intercept,
            "beta_hdd": model.beta_hdd,
            "beta_cdd": model.beta_cdd,
        }
        return model.model_type, bps, coefficients
    kind = "towt_month" if model.segmentation == "month" else "towt"
    bps = dict(
        zip(("occupancy_heating", "occupancy_cooling"), OCCUPANCY_BALANCE_POINTS_C, strict=True)
    )
    coefficients = {
        "alpha_mean": float(np.nanmean(model.alpha)),
        "beta_occupied_mean": float(np.nanmean(model.beta_occupied)),
        "beta_unoccupied_mean": float(np.nanmean(model.beta_unoccupied)),
    }
    return kind, bps, coefficients


def _result(
    method: Method,
    model: DailyModel | TowtModel,
    usage: Periods,
    fitted: np.ndarray,
    sufficiency: Sufficiency,
    zone: str,
    carrier: Carrier,
    criteria: Criteria,
) -> Baseline:
    observed = usage.values
    used = np.isfinite(observed) & np.isfinite(fitted)
    p = model.n_params
    values = {
        "cvrmse": cvrmse(observed[used], fitted[used], p),
        "nmbe": nmbe(observed[used], fitted[used], p),
        "r2": r_squared(observed[used], fitted[used]),
    }
    model_type, bps, coefficients = _describe(model)
    return Baseline(
        method=method,
        model_type=model_type,
        balance_points_c=bps,
        coefficients=coefficients,
        n=int(used.sum()),
        n_params=p,
        rho=lag1_autocorrelation(observed - fitted),
        sufficiency=sufficiency,
        checks=check_fit(criteria, **values),
        criteria=criteria,
        timezone=zone,
        carrier=carrier,
        model=model,
        fitted=pd.DataFrame({"observed": observed, "fitted": fitted}, index=usage.start),
        **values,
    )
