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

__all__ = [
    "PERIODS",
    "Comparison",
    "DistrictPeriod",
    "Period",
    "compare",
    "district_period",
    "period_bounds",
]

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


@dataclass(frozen=True)
class DistrictPeriod:
    """What every household's comparison in one period shares (computed once per district).

    Attributes
    ----------
    period
        ``week``, ``month`` or ``year``.
    start, end
        The period on the local clock (naive; end excluded).
    rows
        Boolean mask of the series' hours inside the period.
    local
        The series' hours on the local clock (naive).
    totals_kwh
        Consumption per household in the period [kWh], in the series' column order.
    buckets
        Day (week, month) or month (year) starts, local.
    by_bucket_kwh
        Consumption per bucket and household [kWh], shape ``(len(buckets), households)``.
    district
        Per-household consumption of the district in the period [kWh].
    district_by_bucket_kwh
        District median per bucket [kWh], None per bucket when suppressed.
    """

    period: Period
    start: pd.Timestamp
    end: pd.Timestamp
    rows: np.ndarray
    local: pd.DatetimeIndex
    totals_kwh: np.ndarray
    buckets: list[pd.Timestamp]
    by_bucket_kwh: np.ndarray
    district: Aggregate
    district_by_bucket_kwh: list[float | None]


def district_period(series: HouseholdSeries, period: Period, *, timezone: str) -> DistrictPeriod:
    """The district's side of every household's :func:`compare` in ``period``.

    Parameters
    ----------
    series
        The district's hourly household data (at least one hour).
    period
        ``week``, ``month`` or ``year``.
    timezone
        The city's IANA time zone (the calendar of the periods).

    Returns
    -------
    DistrictPeriod
        The period, its hours and the district's figures; suppressed under 5 households.
    """
    local = series.time.tz_convert(timezone).tz_localize(None)
    start, end, freq = period_bounds(local[-1], period)
    inside = np.asarray((local >= start) & (local < end))
    demand = series.demand_kwh[inside]
    buckets = list(pd.date_range(start, end, freq=freq, inclusive="left"))
    labels = local[inside].to_period("D" if freq == "D" else "M").to_timestamp()
    by_bucket = pd.DataFrame(demand).groupby(np.asarray(labels)).sum()
    values = by_bucket.reindex(buckets, fill_value=0.0).to_numpy(dtype=float)
    totals = demand.sum(axis=0)
    return DistrictPeriod(
        period=period,
        start=start,
        end=end,
        rows=inside,
        local=local,
        totals_kwh=totals,
        buckets=buckets,
        by_bucket_kwh=values,
        district=aggregate(totals),
        district_by_bucket_kwh=[aggregate(row).median for row in values],
    )


def compare(
    series: HouseholdSeries,
    household: str,
    period: Period,
    *,
    timezone: str,
    similar: set[str],
    shared: DistrictPeriod | None = None,
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
    shared
        :func:`district_period` of the same series, period and zone, when the caller keeps it
        for all households; computed here otherwise.

    Returns
    -------
    Comparison
        The figures; group figures suppressed under 5 households.
    """
    frame = shared if shared is not None else district_period(series, period, timezone=timezone)
    mine = series.column(household)
    pick = np.array([h in similar for h in series.households], dtype=bool)
    return Comparison(
        period=period,
        start=frame.start,
        end=frame.end,
        mine_kwh=float(frame.totals_kwh[mine]),
        similar=aggregate(frame.totals_kwh[pick]),
        district=frame.district,
        buckets=frame.buckets,
        mine_by_bucket_kwh=[float(v) for v in frame.by_bucket_kwh[:, mine]],
        district_by_bucket_kwh=frame.district_by_bucket_kwh,
    )
