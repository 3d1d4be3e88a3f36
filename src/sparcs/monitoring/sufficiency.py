"""CalTRACK 2.0 data-sufficiency rules for a baseline period, and data-quality flags.

Each rule is a :class:`Requirement` with its value and limit; a :class:`Sufficiency` collects
them with flags that are reported but do not block a fit (negative readings, outliers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sparcs.errors import InsufficientDataError
from sparcs.timeseries import to_zoneinfo

__all__ = [
    "MAX_MISSING_DAYS_PER_YEAR",
    "MAX_TEMPERATURE_GAP_H",
    "MIN_BASELINE_DAYS",
    "MIN_MONTH_COVERAGE",
    "Requirement",
    "Sufficiency",
    "billing_sufficiency",
    "daily_sufficiency",
    "hourly_sufficiency",
    "longest_gap",
    "quality_flags",
]

#: CalTRACK 2.0 §2.2.1.1: the baseline supports 365 days.
MIN_BASELINE_DAYS = 365
#: CalTRACK 2.0 §2.2.1.2: at most 37 days (10 %) of usage and temperature missing (daily).
MAX_MISSING_DAYS_PER_YEAR = 37
#: CalTRACK 2.0 §2.2.1.2: hourly usage present for over 90 % of the hours of each month.
MIN_MONTH_COVERAGE = 0.9
#: CalTRACK 2.0 §2.2.4.1: at most 6 consecutive hours of temperature missing (interpolated).
MAX_TEMPERATURE_GAP_H = 6


@dataclass(frozen=True)
class Requirement:
    """One sufficiency rule: its name, the value found, the limit and the verdict."""

    name: str
    passed: bool
    value: float
    limit: float
    message: str

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


@dataclass(frozen=True)
class Sufficiency:
    """The sufficiency rules a baseline period was checked against.

    Attributes
    ----------
    method
        ``"daily"`` or ``"hourly"``.
    requirements
        Every rule checked, passed or not.
    flags
        Remarks that do not block a fit (CalTRACK 2.0 §2.3.5-2.3.6): negative readings
        (possibly unreported PV), outliers above median + 3 IQR.
    """

    method: str
    requirements: tuple[Requirement, ...]
    flags: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every requirement passed."""
        return all(r.passed for r in self.requirements)

    @property
    def failures(self) -> tuple[Requirement, ...]:
        """The requirements that failed."""
        return tuple(r for r in self.requirements if not r.passed)

    def raise_if_insufficient(self, what: str = "baseline") -> None:
        """Raise :class:`InsufficientDataError` naming every failed rule, on one line."""
        if not self.ok:
            reasons = "; ".join(str(r) for r in self.failures)
            msg = (
                f"{what} data are insufficient for the CalTRACK {self.method} method: "
                f"{reasons} (fit with strict=False to see the model anyway)"
            )
            raise InsufficientDataError(msg)


def longest_gap(missing: np.ndarray) -> int:
    """Length of the longest run of True in ``missing`` [periods]."""
    m = np.concatenate([[False], np.asarray(missing, dtype=bool), [False]])
    edges = np.flatnonzero(np.diff(m.astype(np.int8)))
    return int((edges[1::2] - edges[::2]).max()) if edges.size else 0


def quality_flags(usage: np.ndarray, *, unit: str) -> tuple[str, ...]:
    """Flags of CalTRACK 2.0 §2.3.5 (negative readings) and §2.3.6 (> median + 3 IQR)."""
    values = usage[np.isfinite(usage)]
    flags = []
    negative = int((values < 0).sum())
    if negative:
        flags.append(
            f"{negative} negative reading(s): possibly unreported on-site generation "
            "(use gross consumption, see sparcs.monitoring.gross_consumption)"
        )
    if values.size >= 4:
        q1, median, q3 = np.percentile(values, [25, 50, 75])
        limit = median + 3 * (q3 - q1)
        high = int((values > limit).sum())
        if high:
            flags.append(
                f"{high} outlier(s) above median + 3 IQR ({limit:.4g} {unit}); review them"
            )
    return tuple(flags)


def daily_sufficiency(
    usage: np.ndarray,
    temperature: np.ndarray,
    *,
    min_days: int = MIN_BASELINE_DAYS,
    max_missing_per_year: int = MAX_MISSING_DAYS_PER_YEAR,
) -> Sufficiency:
    """CalTRACK daily rules on per-day usage and temperature (NaN = missing) of the period.

    Parameters
    ----------
    usage
        Usage per local day of the baseline period [kWh]; zeros already marked missing for
        electricity.
    temperature
        Mean temperature per local day [°C].
    min_days
        Shortest baseline period [d] (CalTRACK: 365).
    max_missing_per_year
        Missing days allowed per 365 days of baseline [d] (CalTRACK: 37).
    """
    days = usage.size
    missing_usage = ~np.isfinite(usage)
    missing_temp = ~np.isfinite(temperature)
    missing = int((missing_usage | missing_temp).sum())
    allowed = int(np.floor(max_missing_per_year * days / 365))
    requirements = (
        Requirement(
            "baseline_length",
            days >= min_days,
            days,
            min_days,
            f"{days} day(s) in the baseline period, {min_days} needed",
        ),
        Requirement(
            "missing_days",
            missing <= allowed,
            missing,
            allowed,
            f"{missing} day(s) without usage or temperature ({int(missing_usage.sum())} "
            f"usage, {int(missing_temp.sum())} temperature), at most {allowed} allowed",
        ),
    )
    return Sufficiency("daily", requirements, quality_flags(usage, unit="kWh/d"))


def billing_sufficiency(
    usage_per_day: np.ndarray,
    days: np.ndarray,
    used: np.ndarray,
    *,
    min_days: int = MIN_BASELINE_DAYS,
    max_missing_per_year: int = MAX_MISSING_DAYS_PER_YEAR,
) -> Sufficiency:
    """CalTRACK billing rules: 365 days of periods, at most 37 a year missing (§2.2.1, §2.2.3).

    Parameters
    ----------
    usage_per_day
        Usage per day of each billing period [kWh/d] (NaN where the read is missing).
    days
        Days of each period [d].
    used
        Periods the fit may use: with usage, temperature over 90 % of their days, neither
        off-cycle nor too long; the days of the others count as missing.
    min_days
        Shortest baseline period [d] (CalTRACK: 365).
    max_missing_per_year
        Missing days allowed per 365 days of baseline [d] (CalTRACK: 37).

    Returns
    -------
    Sufficiency
        The rules ``baseline_length`` and ``missing_days``, and the data-quality flags.
    """
    total = int(days.sum())
    missing = int(days[~used].sum())
    allowed = int(np.floor(max_missing_per_year * total / 365))
    requirements = (
        Requirement(
            "baseline_length",
            total >= min_days,
            total,
            min_days,
            f"{total} day(s) of billing periods in the baseline, {min_days} needed",
        ),
        Requirement(
            "missing_days",
            missing <= allowed,
            missing,
            allowed,
            f"{missing} day(s) in billing periods without usage or temperature, off-cycle "
            f"or too long ({int((~used).sum())} period(s)), at most {allowed} allowed",
        ),
    )
    return Sufficiency("billing", requirements, quality_flags(usage_per_day, unit="kWh/d"))


def hourly_sufficiency(
    start: pd.DatetimeIndex,
    usage: np.ndarray,
    temperature_gaps: np.ndarray,
    *,
    timezone: str,
    min_coverage: float = MIN_MONTH_COVERAGE,
    max_gap_h: int = MAX_TEMPERATURE_GAP_H,
) -> Sufficiency:
    """CalTRACK hourly rules: coverage per calendar month and temperature gaps.

    Parameters
    ----------
    start
        UTC start of every hour of the baseline period.
    usage
        Usage per hour [kWh], NaN where missing (or where the temperature is missing).
    temperature_gaps
        True for the hours without a temperature reading, before interpolation.
    timezone
        IANA zone of the site: calendar months are local.
    min_coverage
        Share of hours each calendar month needs [-] (CalTRACK: over 90 %).
    max_gap_h
        Longest run of missing temperature hours [h] (CalTRACK: 6).
    """
    local = start.tz_convert(to_zoneinfo(timezone))
    months = [f"{y:04d}-{m:02d}" for y, m in zip(local.year, local.month, strict=True)]
    frame = pd.DataFrame({"present": np.isfinite(usage), "month": months})
    coverage = frame.groupby("month")["present"].mean()
    thin = coverage[coverage <= min_coverage]
    names = ", ".join(f"{month} {share:.0%}" for month, share in thin.items())
    gap = longest_gap(temperature_gaps)
    requirements = (
        Requirement(
            "month_coverage",
            thin.empty,
            float(coverage.min()),
            min_coverage,
            f"months with {min_coverage:.0%} of hours or less: {names}"
            if names
            else f"every month over {min_coverage:.0%} of hours",
        ),
        Requirement(
            "temperature_gaps",
            gap <= max_gap_h,
            gap,
            max_gap_h,
            f"longest temperature gap {gap} h, at most {max_gap_h} h can be interpolated",
        ),
    )
    return Sufficiency("hourly", requirements, quality_flags(usage, unit="kWh/h"))
