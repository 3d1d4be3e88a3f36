"""The time contract.

Every series in SPARCS carries a tz-aware :class:`pandas.DatetimeIndex` in UTC, named
``time``, with a fixed step and period-beginning labels. Naive timestamps are rejected at the
boundary with a :class:`~sparcs.errors.TimeIndexError`, never assumed to be UTC. Local time
(IANA zone through :mod:`zoneinfo`) is used only where physics or people need it: standard
load profiles, holidays, tariffs and dashboards.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from sparcs.errors import ScenarioError, TimeIndexError

__all__ = [
    "TIME_NAME",
    "LocalFields",
    "check_index",
    "dt_hours",
    "epoch_ns",
    "local_fields",
    "local_index",
    "parse_timestep",
    "to_zoneinfo",
    "year_index",
]

TIME_NAME = "time"

_STEP_PATTERN = re.compile(r"^\s*(\d+)\s*(min|h)\s*$")


def parse_timestep(step: str) -> pd.Timedelta:
    """Parse a step such as ``"1h"``, ``"15min"`` or ``"30min"``.

    Parameters
    ----------
    step
        Step length: an integer followed by ``min`` or ``h``. It must divide one hour or be a
        whole number of hours.

    Returns
    -------
    pandas.Timedelta

    Raises
    ------
    ScenarioError
        When the text is not a supported step.
    """
    match = _STEP_PATTERN.match(step)
    if match is None:
        msg = f"time step {step!r} is not understood; write e.g. '1h' or '15min'"
        raise ScenarioError(msg)
    value, unit = int(match.group(1)), match.group(2)
    minutes = value * (60 if unit == "h" else 1)
    if minutes <= 0 or (minutes < 60 and 60 % minutes) or (minutes >= 60 and minutes % 60):
        msg = f"time step {step!r} must divide one hour (e.g. '15min') or be whole hours"
        raise ScenarioError(msg)
    return pd.Timedelta(minutes=minutes)


def to_zoneinfo(name: str) -> ZoneInfo:
    """Return the IANA time zone ``name``.

    Raises
    ------
    ScenarioError
        When ``name`` is not a known IANA zone.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        msg = f"time zone {name!r} is not an IANA name such as 'Europe/Helsinki'"
        raise ScenarioError(msg) from exc


def year_index(year: int, step: str | pd.Timedelta = "1h", tz: str = "UTC") -> pd.DatetimeIndex:
    """Return the UTC index of one calendar year of ``tz`` at a fixed step.

    The year runs from local midnight on 1 January to local midnight on 1 January of the next
    year, so a year in a zone with daylight saving still has 8,760 hourly steps.

    Parameters
    ----------
    year
        Calendar year.
    step
        Step length, e.g. ``"1h"`` or ``"15min"``.
    tz
        IANA zone whose calendar year is meant.

    Returns
    -------
    pandas.DatetimeIndex
        tz-aware UTC index named ``time``, period-beginning labels.
    """
    delta = parse_timestep(step) if isinstance(step, str) else step
    zone = to_zoneinfo(tz)
    start = pd.Timestamp(year=year, month=1, day=1, tz=zone).tz_convert("UTC")
    end = pd.Timestamp(year=year + 1, month=1, day=1, tz=zone).tz_convert("UTC")
    index = pd.date_range(start, end, freq=delta, inclusive="left", name=TIME_NAME)
    return index


def check_index(index: pd.Index, *, what: str = "series") -> pd.DatetimeIndex:
    """Check that ``index`` keeps the time contract and return it.

    Parameters
    ----------
    index
        The index to check.
    what
        Name of the data, used in the error message.

    Raises
    ------
    TimeIndexError
        When the index is not a tz-aware UTC DatetimeIndex with unique, sorted, evenly spaced
        timestamps.
    """
    if not isinstance(index, pd.DatetimeIndex):
        msg = f"{what}: the index must be timestamps, got {type(index).__name__}"
        raise TimeIndexError(msg)
    if index.tz is None:
        msg = (
            f"{what}: timestamps are naive (no time zone); localise them, e.g. "
            "index.tz_localize('Europe/Berlin'), then convert with tz_convert('UTC')"
        )
        raise TimeIndexError(msg)
    if str(index.tz) != "UTC":
        msg = f"{what}: timestamps are in {index.tz}; convert with index.tz_convert('UTC')"
        raise TimeIndexError(msg)
    if len(index) < 2:
        msg = f"{what}: at least two timestamps are needed to know the step"
        raise TimeIndexError(msg)
    steps = np.diff(index.asi8)
    backwards = steps <= 0
    if backwards.any():
        # increasing times have no duplicates: the hash table of has_duplicates (~0.1 ms for
        # a month of quarter hours, several times a live cycle) only when some step is not
        # positive; a duplicate is named before the order
        if index.has_duplicates:
            first = index[index.duplicated()][0]
            msg = f"{what}: duplicate timestamp {first.isoformat()}"
            raise TimeIndexError(msg)
        bad = index[1:][backwards][0]
        msg = f"{what}: timestamps are not sorted (at {bad.isoformat()})"
        raise TimeIndexError(msg)
    if (steps != steps[0]).any():
        where = index[1:][steps != steps[0]][0]
        msg = f"{what}: uneven step near {where.isoformat()} (a gap or a jump in the data)"
        raise TimeIndexError(msg)
    return index


def dt_hours(index: pd.DatetimeIndex) -> float:
    """Return the fixed step of ``index`` in hours [h]."""
    check_index(index)
    return float((index[1] - index[0]) / pd.Timedelta(hours=1))


#: Nanoseconds in one tick of each unit pandas stores times in.
_NS_PER_TICK = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}


def epoch_ns(index: pd.DatetimeIndex) -> np.ndarray:
    """The instants of ``index`` as nanoseconds since the epoch [ns, UTC], whatever its unit.

    ``index.as_unit("ns")`` builds a new index (~0.13 ms for a month of quarter hours, several
    times a live cycle); scaling the stored integers gives the same numbers.

    Parameters
    ----------
    index
        Time-zone aware or naive timestamps (naive ones are taken as they are).

    Returns
    -------
    numpy.ndarray
        int64 nanoseconds; the index's own data when it is in nanoseconds already (do not
        change it).

    Examples
    --------
    >>> t = pd.DatetimeIndex(["2025-01-01T00:00Z"]).as_unit("us")
    >>> epoch_ns(t).tolist() == [pd.Timestamp("2025-01-01T00:00Z").value]
    True
    """
    ticks = index.asi8
    factor = _NS_PER_TICK[index.unit]
    return ticks if factor == 1 else ticks * factor


def local_index(index: pd.DatetimeIndex, tz: str) -> pd.DatetimeIndex:
    """Return ``index`` in the local time of the IANA zone ``tz`` (for calendars and tariffs)."""
    return index.tz_convert(to_zoneinfo(tz))


@dataclass(frozen=True)
class LocalFields:
    """Local calendar fields of each step of a UTC index, in an IANA zone.

    Attributes
    ----------
    year, month, hour, weekday
        Local year, month (1-12), hour (0-23) and day of the week (Monday 0) of each step's
        start, (time,) int.
    """

    year: np.ndarray
    month: np.ndarray
    hour: np.ndarray
    weekday: np.ndarray

    def sliced(self, start: int, stop: int) -> LocalFields:
        """The fields of steps ``start`` to ``stop`` (exclusive): views, no copy."""
        return LocalFields(
            self.year[start:stop],
            self.month[start:stop],
            self.hour[start:stop],
            self.weekday[start:stop],
        )


#: A regular grid's fields, kept per (zone, step, phase): (first step [ns], fields).
_GRIDS: dict[tuple[str, int, int], tuple[int, LocalFields]] = {}
_GRIDS_SIZE = 4
_GRIDS_LOCK = threading.Lock()  # the server's threads may run cycles of several districts
#: How far a kept grid reaches before and after the request that made it: 400 days, or
#: 40,000 steps when fewer (a minute grid stays a few MB).
_GRID_MARGIN_DAYS = 400
_GRID_MARGIN_STEPS = 40_000


def _fields_of(index: pd.DatetimeIndex, zone: ZoneInfo) -> LocalFields:
    # local wall time without its zone: each calendar field of a zoned index converts again
    local = index.tz_convert(zone).tz_localize(None)
    return LocalFields(
        year=np.asarray(local.year),
        month=np.asarray(local.month),
        hour=np.asarray(local.hour),
        weekday=np.asarray(local.dayofweek),
    )


def local_fields(index: pd.DatetimeIndex, tz: str) -> LocalFields:
    """Local year, month, hour and weekday of each step of ``index`` in the zone ``tz``.

    A regular index (a fixed step, as the time contract has) is a slice of a grid kept for
    its zone, step and phase, which reaches a year and more around the index that made it: a
    live cycle asks for the calendar of its moving window and history every quarter hour
    (a tariff's capacity charge), and pandas' conversion to local time (~0.3 ms for a month
    of quarter hours) is then paid once in some 400 days of cycles. The fields are what the
    conversion gives, step for step.

    Parameters
    ----------
    index
        Steps (UTC).
    tz
        IANA zone.

    Returns
    -------
    LocalFields
        The fields, read-only when taken from a kept grid.

    Examples
    --------
    >>> t = pd.date_range("2025-03-30T00:00Z", periods=3, freq="h")
    >>> local_fields(t, "Europe/Berlin").hour.tolist()  # the clocks go forward at 01:00 UTC
    [1, 3, 4]
    """
    zone = to_zoneinfo(tz)
    stamps = epoch_ns(index)
    n = len(stamps)
    step = int(stamps[1] - stamps[0]) if n > 1 else 0
    regular = step > 0 and bool(np.all(np.diff(stamps) == step))
    if not regular:
        return _fields_of(index, zone)
    key = (zone.key, step, int(stamps[0]) % step)
    kept = _GRIDS.get(key)
    if kept is not None:
        first, fields = kept
        i = (int(stamps[0]) - first) // step
        if i >= 0 and i + n <= len(fields.year):
            return fields.sliced(i, i + n)
    margin = min(
        pd.Timedelta(days=_GRID_MARGIN_DAYS), _GRID_MARGIN_STEPS * pd.Timedelta(step, unit="ns")
    )
    grid = pd.date_range(
        index[0] - margin, index[-1] + margin, freq=pd.Timedelta(step, unit="ns"), unit="ns"
    )
    fields = _fields_of(grid, zone)
    for array in (fields.year, fields.month, fields.hour, fields.weekday):
        array.setflags(write=False)
    with _GRIDS_LOCK:
        _GRIDS.pop(key, None)
        _GRIDS[key] = (int(grid.asi8[0]), fields)
        while len(_GRIDS) > _GRIDS_SIZE:
            del _GRIDS[next(iter(_GRIDS))]
    i = (int(stamps[0]) - int(grid.asi8[0])) // step
    return fields.sliced(i, i + n)
