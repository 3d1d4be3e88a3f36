"""Time aggregation of :class:`~sparcs.operation.flows.Flows` for charts: local months and days.

Flows live on a UTC index; people read months, days and clock hours in local time, so every
aggregation here takes the district's IANA zone and converts first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from sparcs.operation.flows import Flows
from sparcs.timeseries import local_index

__all__ = [
    "carpet_matrix",
    "find_columns",
    "local_month_labels",
    "monthly_sums",
    "monthly_totals",
    "net_import_kwh",
]


def net_import_kwh(flows: Flows) -> np.ndarray:
    """District net grid import per step, import minus export summed over nodes [kWh]."""
    result: np.ndarray = flows.total("grid_import_kwh") - flows.total("grid_export_kwh")
    return result


def monthly_sums(
    time: pd.DatetimeIndex, timezone: str, columns: dict[str, np.ndarray]
) -> pd.DataFrame:
    """Sum per-step series over local calendar months.

    Parameters
    ----------
    time
        UTC index of the steps.
    timezone
        IANA zone whose calendar months are meant.
    columns
        Output column -> series per step, e.g. a district total [kWh].

    Returns
    -------
    pandas.DataFrame
        One row per local month present in ``time`` (``PeriodIndex`` named ``month``), one
        column per key of ``columns``.
    """
    months = local_index(time, timezone).tz_localize(None).to_period("M")
    frame = pd.DataFrame(columns, index=months)
    totals = frame.groupby(level=0, sort=True).sum()
    totals.index.name = "month"
    return totals


def monthly_totals(flows: Flows, timezone: str, names: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """Sum groups of flows over nodes and local calendar months.

    Parameters
    ----------
    flows
        The flows [kWh per step].
    timezone
        IANA zone whose calendar months are meant.
    names
        Output column -> flow names added into it.

    Returns
    -------
    pandas.DataFrame
        One row per local month (``PeriodIndex`` named ``month``), one column per key of
        ``names`` [kWh].
    """
    columns = {
        col: sum((flows.total(n) for n in members), np.zeros(len(flows.time)))
        for col, members in names.items()
    }
    return monthly_sums(flows.time, timezone, columns)


def local_month_labels(index: pd.Index) -> list[str]:
    """Readable labels for a month index of periods, timestamps or ``"YYYY-MM"`` text.

    Months of one calendar year are labelled ``"Jan"``, ``"Feb"``, …; months spanning several
    years ``"Dec 2024"``, ``"Jan 2025"``. Labels that are not months are kept as text.
    """
    periods: list[pd.Period] = []
    for item in index:
        try:
            periods.append(
                pd.Period(item if isinstance(item, pd.Period) else str(item)[:7], freq="M")
            )
        except (ValueError, TypeError):
            return [str(item) for item in index]
    one_year = len({p.year for p in periods}) == 1
    return [p.strftime("%b" if one_year else "%b %Y") for p in periods]


def carpet_matrix(flows: Flows, timezone: str, values: np.ndarray | None = None) -> pd.DataFrame:
    """Energy per local day and local clock hour, for a carpet plot.

    Parameters
    ----------
    flows
        The flows; gives the time index.
    timezone
        IANA zone of the local clock.
    values
        District series per step [kWh]; defaults to the net grid import
        (:func:`net_import_kwh`).

    Returns
    -------
    pandas.DataFrame
        One row per local calendar date from the first to the last (no gaps), columns 0..23
        (local clock hour), energy in that clock hour [kWh], which is the mean power [kW] on
        ordinary hours.

    Notes
    -----
    Daylight-saving days are folded so that no energy is dropped or counted twice: on the
    spring day the skipped clock hour is empty (NaN) because it did not happen, and on the
    autumn day the repeated clock hour holds the sum of both occurrences (that clock hour
    lasted two hours). The matrix therefore sums to the series total.
    """
    series = net_import_kwh(flows) if values is None else np.asarray(values, dtype=float)
    local = local_index(flows.time, timezone)
    dates = local.tz_localize(None).normalize()
    frame = pd.DataFrame({"date": dates, "hour": local.hour, "kwh": series})
    cells = frame.groupby(["date", "hour"])["kwh"].sum(min_count=1).unstack("hour")
    days = pd.date_range(dates.min(), dates.max(), freq="D", name="date")
    matrix = cells.reindex(index=days, columns=range(24))
    matrix.columns.name = "hour"
    return matrix


def find_columns(frame: pd.DataFrame, *needles: str, exclude: Iterable[str] = ()) -> list[str]:
    """Columns of ``frame`` whose lower-cased name contains any of ``needles``.

    Parameters
    ----------
    frame
        A table with columns of unknown naming (e.g. :attr:`KpiReport.monthly`).
    needles
        Substrings to look for.
    exclude
        Substrings that disqualify a column.

    Returns
    -------
    list of str
        Matching numeric columns, in table order.
    """
    found = []
    for column in frame.columns:
        name = str(column).lower()
        if not any(n in name for n in needles) or any(x in name for x in exclude):
            continue
        if pd.api.types.is_numeric_dtype(frame[column]):
            found.append(column)
    return found
