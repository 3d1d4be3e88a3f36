"""Meter and temperature series for M&V: boundary checks, local days and hours.

A usage or temperature series enters the baselines here, once. It must be a pandas Series of
numbers with a tz-aware :class:`~pandas.DatetimeIndex` (any zone; converted to UTC), unique and
sorted, every timestamp on one grid of the series' step. Rows may be missing (a gap in a meter
export is data, not an error) and so may values (NaN); both count as missing.

Days are *local* days: their boundaries are midnights in the IANA zone of the site (CalTRACK
2.0 §3.3.3.5), so a day has 23 or 25 hours on a daylight-saving change and its expected number
of readings follows. Hours are UTC hours, period-beginning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from sparcs.errors import DataError, TimeIndexError
from sparcs.timeseries import to_zoneinfo

__all__ = [
    "MIN_SHARE_PRESENT",
    "Periods",
    "check_series",
    "series_step",
    "to_hours",
    "to_local_days",
]

_HOUR_NS = 3_600_000_000_000
_DAY_NS = 24 * _HOUR_NS
#: A day (or hour) total needs at least this share of its readings; the rest are filled
#: with the mean of those present (CalTRACK 2.0 §2.2.2.1 and §2.2.2.3).
MIN_SHARE_PRESENT = 0.5

Kind = Literal["sum", "mean"]


@dataclass(frozen=True)
class Periods:
    """Values per period (local day or UTC hour) over a contiguous range of periods.

    Attributes
    ----------
    start
        UTC start of each period (period-beginning labels; local midnights for days).
    values
        Sum [kWh] or mean [°C] per period; NaN where too few readings were present.
    share
        Share of the expected readings that were present per period [-].
    """

    start: pd.DatetimeIndex
    values: np.ndarray
    share: np.ndarray

    def series(self, name: str) -> pd.Series:
        """The values as a Series indexed by :attr:`start`."""
        return pd.Series(self.values, index=self.start, name=name)


def check_series(series: pd.Series, *, what: str) -> pd.Series:
    """``series`` as float values on a UTC index, after the boundary checks.

    Raises
    ------
    TimeIndexError
        A naive, unsorted or duplicate index, or not timestamps.
    DataError
        Not a Series, no values, or values that are not numbers.
    """
    if not isinstance(series, pd.Series):
        msg = f"{what}: expected a pandas Series, got {type(series).__name__}"
        raise DataError(msg)
    index = series.index
    if not isinstance(index, pd.DatetimeIndex):
        msg = f"{what}: the index must be timestamps, got {type(index).__name__}"
        raise TimeIndexError(msg)
    if index.tz is None:
        msg = (
            f"{what}: timestamps are naive (no time zone); localise them, e.g. "
            "series.tz_localize('Europe/Berlin'); they are never assumed to be UTC"
        )
        raise TimeIndexError(msg)
    if len(index) < 2:
        msg = f"{what}: {len(index)} value(s); a baseline needs a series of readings"
        raise DataError(msg)
    if index.has_duplicates:
        msg = f"{what}: duplicate timestamp {index[index.duplicated()][0].isoformat()}"
        raise TimeIndexError(msg)
    if not index.is_monotonic_increasing:
        msg = f"{what}: timestamps are not sorted; sort with series.sort_index()"
        raise TimeIndexError(msg)
    try:
        values = pd.to_numeric(series, errors="raise").to_numpy(dtype=float)
    except (ValueError, TypeError):
        msg = f"{what}: values must be numbers (NaN for missing), got dtype {series.dtype}"
        raise DataError(msg) from None
    if np.isinf(values).any():
        msg = f"{what}: infinite value at {index[np.isinf(values)][0].isoformat()}"
        raise DataError(msg)
    return pd.Series(values, index=index.tz_convert("UTC").as_unit("ns"), name=series.name)


def _fmt(ns: int) -> str:
    """A step in words: ``15 min``, ``1 h``, ``23 h``, ``2 d``."""
    if ns % _DAY_NS == 0:
        return f"{ns // _DAY_NS} d"
    if ns % _HOUR_NS == 0:
        return f"{ns // _HOUR_NS} h"
    return f"{ns / 60e9:g} min"


def _local_ns(index: pd.DatetimeIndex, timezone: str) -> np.ndarray:
    return index.tz_convert(to_zoneinfo(timezone)).tz_localize(None).as_unit("ns").asi8


def _is_daily(series: pd.Series, timezone: str) -> bool:
    """True when every label is a local midnight and no two fall on one day."""
    local = _local_ns(pd.DatetimeIndex(series.index), timezone)
    return bool((local % _DAY_NS == 0).all() and (np.diff(local) >= _DAY_NS).all())


def series_step(series: pd.Series, *, what: str) -> int:
    """The step of a sub-daily series [ns]: its smallest spacing, which every spacing divides.

    Raises
    ------
    TimeIndexError
        When timestamps are off the grid of that step (e.g. 00:00, 01:00, 01:30, 03:00).
    """
    diffs = np.diff(pd.DatetimeIndex(series.index).asi8)
    step = int(diffs.min())
    off = diffs % step != 0
    if off.any():
        where = series.index[1:][off][0]
        msg = (
            f"{what}: timestamps off the grid of its {_fmt(step)} step at "
            f"{where.isoformat()}; every reading must start on the same grid"
        )
        raise TimeIndexError(msg)
    if _DAY_NS % step and step % _DAY_NS:
        msg = f"{what}: a step of {_fmt(step)} does not divide a day"
        raise TimeIndexError(msg)
    return step


def _day_bounds(first: int, last: int, timezone: str) -> np.ndarray:
    """UTC ns of the local midnights of days ``first .. last + 1`` (local day numbers)."""
    naive = pd.DatetimeIndex((np.arange(first, last + 2) * _DAY_NS).astype("datetime64[ns]"))
    local = naive.tz_localize(to_zoneinfo(timezone), ambiguous=True, nonexistent="shift_forward")
    return local.tz_convert("UTC").as_unit("ns").asi8


def _collect(
    values: np.ndarray, slot: np.ndarray, n: int, expected: np.ndarray, kind: Kind
) -> tuple[np.ndarray, np.ndarray]:
    present = np.isfinite(values)
    count = np.bincount(slot[present], minlength=n)[:n].astype(float)
    total = np.bincount(slot[present], weights=values[present], minlength=n)[:n]
    share = count / expected
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    out = mean * expected if kind == "sum" else mean
    return np.where(share >= MIN_SHARE_PRESENT, out, np.nan), np.minimum(share, 1.0)


def to_local_days(
    series: pd.Series,
    *,
    timezone: str,
    kind: Kind,
    what: str,
    first: pd.Timestamp | None = None,
    last: pd.Timestamp | None = None,
) -> Periods:
    """Totals (``kind="sum"``) or means (``"mean"``) per local day of a checked series.

    A series whose every label is a local midnight is daily data and is taken as it is;
    any other is summed or averaged over the readings inside each local day. A day needs
    half of its readings (:data:`MIN_SHARE_PRESENT`); a total is scaled up from the mean of
    the readings present (CalTRACK 2.0 §2.2.2.1).

    Parameters
    ----------
    series
        Output of :func:`check_series` [kWh per reading or °C].
    timezone
        IANA zone of the site: days run from local midnight to local midnight.
    kind
        ``"sum"`` for energy, ``"mean"`` for temperature.
    what
        Name of the series for messages.
    first, last
        Range of the days to return (any time inside the first and last day); default the
        days the series touches.
    """
    local = _local_ns(pd.DatetimeIndex(series.index), timezone)
    day = local // _DAY_NS
    lo = day[0] if first is None else _local_ns(pd.DatetimeIndex([first]), timezone)[0] // _DAY_NS
    hi = day[-1] if last is None else _local_ns(pd.DatetimeIndex([last]), timezone)[0] // _DAY_NS
    bounds = _day_bounds(int(lo), int(hi), timezone)
    n = int(hi - lo + 1)
    keep = (day >= lo) & (day <= hi)
    slot = (day[keep] - lo).astype(np.int64)
    values = series.to_numpy()[keep]
    if _is_daily(series, timezone):
        expected = np.ones(n)
    else:
        step = series_step(series, what=what)
        if step >= _DAY_NS:
            msg = (
                f"{what}: daily labels must be local midnights in {timezone}; pass the "
                "site's time zone, e.g. timezone='Europe/Berlin'"
            )
            raise TimeIndexError(msg)
        expected = np.diff(bounds) / step
    out, share = _collect(values, slot, n, expected, kind)
    start = pd.DatetimeIndex(bounds[:-1].astype("datetime64[ns]"), name="time").tz_localize("UTC")
    return Periods(start=start, values=out, share=share)


def to_hours(
    series: pd.Series,
    *,
    kind: Kind,
    what: str,
    first: pd.Timestamp | None = None,
    last: pd.Timestamp | None = None,
) -> Periods:
    """Totals or means per UTC hour of a checked series with a step of an hour or less.

    Raises
    ------
    TimeIndexError
        For a step longer than an hour or readings that do not start on the hour grid.
    """
    if int(np.diff(pd.DatetimeIndex(series.index).asi8).min()) > _HOUR_NS:
        msg = (
            f"{what}: the hourly method needs readings every hour or finer, got readings "
            f"{_fmt(int(np.diff(pd.DatetimeIndex(series.index).asi8).min()))} apart; "
            "use method='daily'"
        )
        raise TimeIndexError(msg)
    step = series_step(series, what=what)
    if _HOUR_NS % step:
        msg = (
            f"{what}: the hourly method needs readings every hour or finer, got a step of "
            f"{_fmt(step)}; use method='daily'"
        )
        raise TimeIndexError(msg)
    ns = pd.DatetimeIndex(series.index).asi8
    if ns[0] % step:
        msg = (
            f"{what}: readings must start on the {_fmt(step)} grid of the hour "
            f"(UTC), got {series.index[0].isoformat()}"
        )
        raise TimeIndexError(msg)
    hour = ns // _HOUR_NS
    lo = hour[0] if first is None else first.value // _HOUR_NS
    hi = hour[-1] if last is None else last.value // _HOUR_NS
    n = int(hi - lo + 1)
    keep = (hour >= lo) & (hour <= hi)
    expected = np.full(n, _HOUR_NS / step)
    out, share = _collect(
        series.to_numpy()[keep], (hour[keep] - lo).astype(np.int64), n, expected, kind
    )
    start = pd.DatetimeIndex(
        (np.arange(lo, hi + 1) * _HOUR_NS).astype("datetime64[ns]"), name="time"
    ).tz_localize("UTC")
    return Periods(start=start, values=out, share=share)
