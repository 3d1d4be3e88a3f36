"""My household this week, month or year against similar households and the district.

Periods are calendar periods on the city's clock that hold the newest reading: the week
(Monday first) is split into days, the month into days, the year into months. Group figures
are medians per household, suppressed under :data:`~sparcs.citizens.privacy.K_MIN`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from sparcs.citizens.privacy import Aggregate, aggregate
from sparcs.citizens.usage import HouseholdSeries

__all__ = ["PERIODS", "Comparison", "Period", "compare", "period_bounds"]

Period = Literal["week", "month", "year"]
PERIODS: tuple[Period, ...] = get_args(Period)


@dataclass(frozen=True)
class Comparison:
    """One household's consumption in a period beside its groups.

    Attributes
    ----------
    period
        ``week``, ``month`` or ``year``.
    start, end
        The period on the local clock (naive; end excluded).
    mine_kwh
        The household's consumption in the period [kWh].
    similar, district
        Per-household consumption of similar households and of the district [kWh].
    buckets
        Day (week, month) or month (year) starts, local.
    mine_by_bucket_kwh
        The household's consumption per bucket [kWh].
    district_by_bucket_kwh
        District median per bucket [kWh], None per bucket when suppressed.
    """

    period: Period
    start: pd.Timestamp
    end: pd.Timestamp
    mine_kwh: float
    similar: Aggregate
    district: Aggregate
    buckets: list[pd.Timestamp]
    mine_by_bucket_kwh: list[float]
    district_by_bucket_kwh: list[float | None]

    @property
    def last_day(self) -> pd.Timestamp:
        """The period's last day (local)."""
        return self.end - pd.Timedelta(days=1)


def period_bounds(last: pd.Timestamp, period: Period) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """The calendar period (local, naive) holding ``last``, and the bucket frequency.

    Parameters
    ----------
    last
        The newest reading, local naive time.
    period
        ``week``, ``month`` or ``year``.

    Returns
    -------
    tuple
        Start, end (excluded) and the pandas frequency of its buckets (``D`` or ``MS``).

    Examples
    --------
    >>> period_bounds(pd.Timestamp("2025-03-05 13:00"), "week")[:2]
    (Timestamp('2025-03-03 00:00:00'), Timestamp('2025-03-10 00:00:00'))
    """
    day = last.normalize()
    if period == "week":
        start = day - pd.Timedelta(days=day.dayofweek)
        return start, start + pd.Timedelta(days=7), "D"
    if period == "month":
        start = day.replace(day=1)
        return start, start + pd.offsets.MonthBegin(1), "D"
    start = day.replace(month=1, day=1)
    return start, start + pd.offsets.YearBegin(1), "MS"


def compare(
    series: HouseholdSeries,
    household: str,
    period: Period,
    *,
    timezone: str,
    similar: set[str],
) -> Comparison:
    """Compare ``household``'s consumption with ``similar`` households and the district.

    Parameters
    ----------
    series
        The district's hourly household data.
    household
        The household (must have readings).
    period
        ``week``, ``month`` or ``year``.
    timezone
        The city's IANA time zone (the calendar of the periods).
    similar
        Ids of the households that count as similar (the household itself included or not).

    Returns
    -------
    Comparison
        The figures; group figures suppressed under 5 households.
    """
    local = series.time.tz_convert(timezone).tz_localize(None)
    start, end, freq = period_bounds(local[-1], period)
    inside = (local >= start) & (local < end)
    totals = series.demand_kwh[inside].sum(axis=0)
    mine = series.column(household)
    pick = np.array([h in similar for h in series.households])
    buckets = list(pd.date_range(start, end, freq=freq, inclusive="left"))
    labels = local[inside].to_period("D" if freq == "D" else "M").to_timestamp()
    by_bucket = pd.DataFrame(series.demand_kwh[inside]).groupby(np.asarray(labels)).sum()
    by_bucket = by_bucket.reindex(buckets, fill_value=0.0)
    district_by_bucket = [aggregate(by_bucket.loc[b].to_numpy()).median for b in buckets]
    return Comparison(
        period=period,
        start=start,
        end=end,
        mine_kwh=float(totals[mine]),
        similar=aggregate(totals[pick]),
        district=aggregate(totals),
        buckets=buckets,
        mine_by_bucket_kwh=[float(v) for v in by_bucket[mine]],
        district_by_bucket_kwh=district_by_bucket,
    )
