"""CalTRACK 2.0 billing periods: irregular meter reads as usage per day and degree days.

Billing data is a series of reads: each value is the usage [kWh] from its timestamp (a local
midnight, the read date) to the next timestamp; the last timestamp only closes the last period
(its value is NaN, the convention of OpenEEmeter). For each period ``p`` of ``n_p`` days:

* usage per day ``UPD_p = U_p / n_p`` (§3.3.3);
* degree days per day ``HDD_p = mean_d max(T_bh - T_d, 0)`` and ``CDD_p = mean_d max(T_d -
  T_bc, 0)`` over the period's days ``d`` with a daily mean temperature ``T_d`` (§3.3.2.5-6):
  the mean of the daily degree days, not the degree days of the mean temperature;
* the fit is weighted by ``n_p`` (WLS, §3.4.2).

A baseline period is dropped from the fit when it is off-cycle (fewer than 25 days, §2.2.3.4),
too long (more than 35 days, or 70 for bimonthly billing, §2.2.3.5), or when daily temperatures
cover less than 90 % of its days (§2.2.3.2). Its days then count as missing for the
sufficiency rule of at most 37 missing days a year (§2.2.1.2).

>>> reads = pd.Series([300.0, 280.0, np.nan],
...                   index=pd.DatetimeIndex(["2024-01-01", "2024-01-31", "2024-03-01"],
...                                          tz="Europe/Berlin"))
>>> temperature = pd.Series(5.0, index=pd.date_range("2024-01-01", "2024-03-01",
...                         freq="D", inclusive="left", tz="Europe/Berlin"))
>>> periods = billing_periods(reads, temperature, timezone="Europe/Berlin")
>>> periods.days.tolist(), periods.usage_per_day.round(2).tolist()
([30, 30], [10.0, 9.33])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sparcs.errors import DataError, TimeIndexError
from sparcs.monitoring.aggregate import check_series, to_local_days
from sparcs.timeseries import to_zoneinfo

__all__ = [
    "MAX_BIMONTHLY_DAYS",
    "MAX_PERIOD_DAYS",
    "MIN_PERIOD_DAYS",
    "MIN_TEMPERATURE_COVERAGE",
    "BillingPeriods",
    "billing_periods",
]

#: §2.2.3.4: a read spanning fewer days is off-cycle and dropped from the baseline.
MIN_PERIOD_DAYS = 25
#: §2.2.3.5: pseudo-monthly periods spanning more days are dropped from the baseline.
MAX_PERIOD_DAYS = 35
#: §2.2.3.5: the same for bimonthly billing (median period longer than 35 days).
MAX_BIMONTHLY_DAYS = 70
#: §2.2.3.2: daily temperatures must cover this share of a period's days.
MIN_TEMPERATURE_COVERAGE = 0.9


@dataclass(frozen=True)
class BillingPeriods:
    """Billing periods with their usage, days and daily temperatures.

    Attributes
    ----------
    start
        UTC start of each period (a local midnight).
    days
        Local days in each period ``n_p`` [d].
    usage_kwh
        Usage over each period [kWh]; NaN where the read is missing.
    coverage
        Share of the period's days with a daily mean temperature [-].
    dropped
        Why a period is left out of a baseline fit (``""``: kept).
    day_temperature
        Daily mean temperature of every local day from the first start to the last end [°C]
        (NaN where missing).
    day_period
        Period of each of those days (an index into :attr:`start`).
    """

    start: pd.DatetimeIndex
    days: np.ndarray
    usage_kwh: np.ndarray
    coverage: np.ndarray
    dropped: np.ndarray
    day_temperature: np.ndarray
    day_period: np.ndarray

    @property
    def usage_per_day(self) -> np.ndarray:
        """``UPD_p`` [kWh/d]."""
        upd: np.ndarray = self.usage_kwh / self.days
        return upd

    @property
    def temperature_ok(self) -> np.ndarray:
        """Periods whose days have temperatures enough (§2.2.3.2)."""
        ok: np.ndarray = self.coverage >= MIN_TEMPERATURE_COVERAGE
        return ok

    @property
    def used(self) -> np.ndarray:
        """Periods a baseline fit uses: kept, with usage and temperature."""
        used: np.ndarray = (self.dropped == "") & np.isfinite(self.usage_kwh)
        return used

    def period_mean(self, per_day: np.ndarray) -> np.ndarray:
        """Mean of a per-day quantity over each period's days with a temperature.

        Parameters
        ----------
        per_day
            Values per local day, shaped (days,) or (K, days) (e.g. degree days at K
            balance points).

        Returns
        -------
        numpy.ndarray
            Shaped (periods,) or (K, periods); NaN for a period without a temperature.
        """
        values = np.atleast_2d(np.asarray(per_day, dtype=float))
        present = np.isfinite(self.day_temperature)
        weights = np.zeros((self.days.size, self.day_period.size))
        weights[self.day_period[present], np.flatnonzero(present)] = 1.0
        counts = weights.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.where(np.isfinite(values), values, 0.0) @ weights.T / counts
        out: np.ndarray = means if np.ndim(per_day) == 2 else means[0]
        return out

    def degree_days(self, balance_points_c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``HDD_p`` and ``CDD_p`` per day of each period at each balance point [K·d/d].

        Parameters
        ----------
        balance_points_c
            Balance points ``K`` [°C].

        Returns
        -------
        tuple of numpy.ndarray
            HDD and CDD, each shaped (K, periods).
        """
        bp = np.asarray(balance_points_c, dtype=float)[:, None]
        t = self.day_temperature[None, :]
        hdd = np.maximum(bp - t, 0.0)
        cdd = np.maximum(t - bp, 0.0)
        return self.period_mean(hdd), self.period_mean(cdd)


def _local_midnights(index: pd.DatetimeIndex, timezone: str) -> None:
    local = index.tz_convert(to_zoneinfo(timezone))
    off = local != local.normalize()
    if off.any():
        msg = (
            f"billing usage: read {local[off][0].isoformat()} is not a local midnight in "
            f"{timezone}; label each billing period by the local date of its first day"
        )
        raise TimeIndexError(msg)


def billing_periods(
    usage: pd.Series,
    temperature: pd.Series,
    *,
    timezone: str,
    zeros_missing: bool = False,
) -> BillingPeriods:
    """Billing reads and temperature as :class:`BillingPeriods` (module docstring).

    Parameters
    ----------
    usage
        Usage per billing period [kWh], indexed by the local midnight its period starts,
        tz-aware; the last entry closes the last period (its value is ignored, use NaN).
    temperature
        Outdoor air temperature [°C] with a tz-aware index, hourly or finer, or daily.
    timezone
        IANA zone of the site (local days).
    zeros_missing
        A read of 0 is missing (electricity, CalTRACK §2.2.1.4).

    Returns
    -------
    BillingPeriods

    Raises
    ------
    TimeIndexError
        A naive, unsorted or duplicate index, or a read that is not a local midnight.
    DataError
        Fewer than two reads, non-numeric values, or temperature not overlapping the reads.
    """
    reads = check_series(usage, what="billing usage")
    _local_midnights(pd.DatetimeIndex(reads.index), timezone)
    temp = check_series(temperature, what="temperature")
    first, end = reads.index[0], reads.index[-1]
    if temp.index[-1] < first or temp.index[0] >= end:
        msg = (
            f"temperature covers {temp.index[0].isoformat()} .. {temp.index[-1].isoformat()} "
            f"but the billing periods {first.isoformat()} .. {end.isoformat()}; they do not "
            "overlap"
        )
        raise DataError(msg)
    last_day = end - pd.Timedelta(hours=1)  # the day before the closing read
    daily = to_local_days(
        temp, timezone=timezone, kind="mean", what="temperature", first=first, last=last_day
    )
    day_start = daily.start.asi8
    bounds = pd.DatetimeIndex(reads.index).asi8
    day_period = np.searchsorted(bounds, day_start, side="right") - 1
    days = np.bincount(day_period, minlength=bounds.size - 1)[: bounds.size - 1]
    values = reads.to_numpy(dtype=float)[:-1]
    if zeros_missing:
        values = np.where(values == 0, np.nan, values)
    present = np.bincount(
        day_period, weights=np.isfinite(daily.values).astype(float), minlength=days.size
    )[: days.size]
    coverage = np.where(days > 0, present / np.maximum(days, 1), 0.0)
    longest = MAX_BIMONTHLY_DAYS if np.median(days) > MAX_PERIOD_DAYS else MAX_PERIOD_DAYS
    dropped = np.full(days.size, "", dtype=object)
    dropped[coverage < MIN_TEMPERATURE_COVERAGE] = "temperature below 90 % of its days"
    dropped[days > longest] = f"longer than {longest} days"
    dropped[days < MIN_PERIOD_DAYS] = f"off-cycle (fewer than {MIN_PERIOD_DAYS} days)"
    return BillingPeriods(
        start=pd.DatetimeIndex(reads.index[:-1]),
        days=days.astype(int),
        usage_kwh=values,
        coverage=coverage,
        dropped=dropped,
        day_temperature=daily.values,
        day_period=day_period,
    )
