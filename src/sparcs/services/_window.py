"""Local-time windows of the operator signals: parse a local start, check it, cut hours.

Shared by :mod:`sparcs.services.signals`, :mod:`sparcs.services.flexibility` and
:mod:`sparcs.services.flex_request`. Times a user types are local time of the district
(without an offset); a time with an offset is taken as it is. Everything returned is UTC.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sparcs.errors import ScenarioError, TimeIndexError

__all__ = ["hour_index", "hourly_window", "local_start", "parse_local_time"]


def hour_index(frame: pd.DataFrame, what: str) -> pd.DatetimeIndex:
    """The UTC hours that index ``frame`` (a result table of the services).

    Raises
    ------
    TimeIndexError
        When the index is not timestamps, naming ``what`` (e.g. a table read back from JSON).
    """
    index = frame.index
    if not isinstance(index, pd.DatetimeIndex):
        msg = f"{what}: the index must be timestamps, got {type(index).__name__}"
        raise TimeIndexError(msg)
    return index


def _local_text(stamp: pd.Timestamp, timezone: str) -> str:
    return stamp.tz_convert(timezone).strftime("%Y-%m-%dT%H:%M%z")


def parse_local_time(value: str | pd.Timestamp, timezone: str, what: str = "start") -> pd.Timestamp:
    """``value`` in UTC; text or a timestamp without an offset is local time in ``timezone``.

    Raises
    ------
    ScenarioError
        Unreadable text, or a local time that a clock change skips or repeats.
    """
    try:
        stamp = pd.Timestamp(value)
    except ValueError as exc:
        msg = f"{what} {value!r} is not a time such as 2025-06-01T00:00 (local time)"
        raise ScenarioError(msg) from exc
    if stamp.tzinfo is not None:
        return stamp.tz_convert("UTC")
    try:
        return stamp.tz_localize(timezone, ambiguous="raise", nonexistent="raise").tz_convert("UTC")
    except ValueError:
        if pd.isna(stamp.tz_localize(timezone, ambiguous=True, nonexistent="NaT")):
            msg = (
                f"{what} {stamp:%Y-%m-%dT%H:%M} does not exist in {timezone}: the clocks "
                "jump forward over it; pick the hour after"
            )
        else:
            first, second = (stamp.tz_localize(timezone, ambiguous=flag) for flag in (True, False))
            msg = (
                f"{what} {stamp:%Y-%m-%dT%H:%M} happens twice in {timezone} (clocks go back); "
                f"add the offset: {first.isoformat()} (first) or {second.isoformat()} (second)"
            )
        raise ScenarioError(msg) from None


def local_start(
    start: str | pd.Timestamp,
    timezone: str,
    time: pd.DatetimeIndex,
    hours: int,
    *,
    persistence: bool = False,
) -> pd.Timestamp:
    """First hour of a window, checked against the simulated period (UTC).

    Parameters
    ----------
    start
        ISO 8601 text or a timestamp; without an offset it is local time in ``timezone``.
    timezone
        IANA zone of the district.
    time
        Steps of the run (UTC).
    hours
        Length of the window [h]; the window must end by the end of the run.
    persistence
        The window also needs the 24 hours before ``start``.

    Raises
    ------
    ScenarioError
        Unreadable text, a local time that a daylight-saving change skips or repeats, a start
        off the hour, or a window outside the run; the message gives the valid range.
    """
    stamp = parse_local_time(start, timezone)
    step = time[1] - time[0]
    first, end = (
        time[0] + (pd.Timedelta(hours=24) if persistence else pd.Timedelta(0)),
        time[-1] + step,
    )
    if hours < 1:
        msg = f"hours = {hours}; ask for at least one hour"
        raise ScenarioError(msg)
    if stamp != stamp.floor("h"):
        msg = (
            f"start {start} is not on the hour; use e.g. {_local_text(stamp.floor('h'), timezone)}"
        )
        raise ScenarioError(msg)
    last = end - pd.Timedelta(hours=hours)
    if not first <= stamp <= last:
        what = " (the persistence forecast needs the 24 hours before it)" if persistence else ""
        msg = (
            f"start {start} is outside the simulated period for a {hours}-hour window{what}: "
            f"start between {_local_text(first, timezone)} and {_local_text(last, timezone)} "
            f"(local time, {timezone})"
        )
        raise ScenarioError(msg)
    return stamp


def hourly_window(
    series: pd.DataFrame, start: pd.Timestamp, hours: int, *, persistence: bool = False
) -> pd.DataFrame:
    """Hourly means of ``series`` for ``hours`` hours from ``start`` (UTC).

    Steps shorter than an hour are averaged, longer ones held. With ``persistence`` each hour
    takes the value of the same hour of the day before ``start`` (the last 24 hours repeated).
    """
    step = series.index[1] - series.index[0]
    full = pd.date_range(
        series.index[0], series.index[-1] + step, freq="1h", inclusive="left", name="time"
    )
    hourly = series.resample("1h").mean().reindex(full).ffill()
    index = pd.date_range(start, periods=hours, freq="1h", name="time")
    if not persistence:
        return hourly.loc[index].copy()
    day = hourly.loc[start - pd.Timedelta(hours=24) : start - pd.Timedelta(hours=1)].to_numpy()
    return pd.DataFrame(np.resize(day, (hours, day.shape[1])), index=index, columns=hourly.columns)
