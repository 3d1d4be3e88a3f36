"""Meter readings of an energy community: consumption and production per interval and member.

The one input of a settlement, from a CSV file (:func:`read_readings`) or from a simulated
run (:mod:`sparcs.community.from_run`). Held as two (intervals x members) matrices on a
regular UTC grid of 15-minute or hourly intervals, every member present in every interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from sparcs.errors import DataError

__all__ = ["STEPS_MIN", "Readings", "readings_from_columns"]

#: Interval lengths a settlement accepts [min]: quarter-hours and hours.
STEPS_MIN = (15, 60)


@dataclass(frozen=True)
class Readings:
    """Consumption and production of every member in every interval.

    Attributes
    ----------
    time
        Interval starts, UTC, regular, named ``time``.
    members
        Member ids, in column order.
    consumption_kwh
        Energy each member draws, shape (intervals, members) [kWh].
    production_kwh
        Energy each member feeds to the community, shape (intervals, members) [kWh].
    utc_offset_min
        Local clock minus UTC at each interval start, as the readings gave it, shape
        (intervals,) [min]: monthly statements follow the local calendar.
    source
        Where the readings come from (a file name, a run folder).
    """

    time: pd.DatetimeIndex
    members: tuple[str, ...]
    consumption_kwh: np.ndarray
    production_kwh: np.ndarray
    utc_offset_min: np.ndarray
    source: str = ""

    @property
    def step_min(self) -> int:
        """Interval length [min]."""
        return int((self.time[1] - self.time[0]) / pd.Timedelta(minutes=1))

    # Reductions every key needs, computed once per readings (the arrays are not changed
    # after construction): settling the same readings with several keys reuses them.

    @cached_property
    def pool_kwh(self) -> np.ndarray:
        """Shareable production (all members' production) per interval, shape (intervals,)
        [kWh]."""
        pool: np.ndarray = self.production_kwh.sum(axis=1)
        return pool

    @cached_property
    def demand_kwh(self) -> np.ndarray:
        """All members' consumption per interval, shape (intervals,) [kWh]."""
        demand: np.ndarray = self.consumption_kwh.sum(axis=1)
        return demand

    @cached_property
    def consumers(self) -> np.ndarray:
        """Mask of the members that consume in some interval, shape (members,)."""
        return np.asarray(self.consumption_kwh.any(axis=0), dtype=bool)

    @cached_property
    def producers(self) -> np.ndarray:
        """Mask of the members that produce in some interval, shape (members,)."""
        return np.asarray(self.production_kwh.any(axis=0), dtype=bool)

    @property
    def local_time(self) -> pd.DatetimeIndex:
        """Interval starts on the local clock of the readings (naive)."""
        return self.time.tz_localize(None) + pd.to_timedelta(self.utc_offset_min, unit="min")


def _problem(source: str, row: int | None, text: str) -> DataError:
    where = f"{source}: " if source else ""
    where += f"row {row}: " if row is not None else ""
    return DataError(where + text)


def _check_values(
    name: str,
    values: np.ndarray,
    member_codes: np.ndarray,
    member_names: list[str],
    first_row: int,
    source: str,
) -> None:
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        more = int(bad.sum()) - 1
        value = values[first]
        what = "is empty or not a number" if not np.isfinite(value) else f"{value:g} is negative"
        tail = f" ({more} more row(s) like it)" if more else ""
        msg = (
            f"member {member_names[member_codes[first]]!r}: {name} {what}; give the energy "
            f"of the interval in kWh, 0 or more (a member's export goes in production_kwh)"
            f"{tail}"
        )
        raise _problem(source, first_row + first, msg)


def _grid(instants: np.ndarray, source: str) -> tuple[np.ndarray, int]:
    """Sorted unique interval starts (int64 ns, UTC) and their step [min]; refuses gaps."""
    if len(instants) < 2:
        msg = (
            "the readings hold a single interval, so the interval length is unknown; "
            "give at least two 15-minute or hourly intervals"
        )
        raise _problem(source, None, msg)
    steps = np.diff(instants) // 60_000_000_000
    step = int(steps.min())
    if step not in STEPS_MIN:
        msg = (
            f"intervals {step} minutes apart; settlement takes 15-minute or hourly "
            "intervals: resample the readings first"
        )
        raise _problem(source, None, msg)
    gap = np.flatnonzero(steps != step)
    if gap.size:
        at = pd.Timestamp(int(instants[gap[0]]), tz="UTC")
        msg = (
            f"no member has readings between {at.isoformat()} and "
            f"{pd.Timestamp(int(instants[gap[0] + 1]), tz='UTC').isoformat()} (UTC); the "
            f"intervals must follow each other every {step} minutes: add the missing rows"
        )
        raise _problem(source, None, msg)
    return instants, step


def readings_from_columns(
    time_codes: np.ndarray,
    code_instants_ns: np.ndarray,
    code_offsets_min: np.ndarray,
    member_codes: np.ndarray,
    member_names: list[str],
    consumption_kwh: np.ndarray,
    production_kwh: np.ndarray,
    *,
    source: str = "",
    first_row: int = 2,
) -> Readings:
    """Check a long table of readings and pivot it to (intervals x members) matrices.

    Times and members come dictionary-encoded (a code per row into a small table), so the
    work per row is integer arithmetic; members keep the order of ``member_names``.

    Parameters
    ----------
    time_codes
        Position of each row's timestamp in ``code_instants_ns``, shape (rows,).
    code_instants_ns
        Each distinct timestamp as UTC nanoseconds since the epoch, shape (timestamps,).
    code_offsets_min
        UTC offset each distinct timestamp was written with, shape (timestamps,) [min].
    member_codes
        Position of each row's member in ``member_names``, shape (rows,).
    member_names
        Member ids, every one used by some row.
    consumption_kwh, production_kwh
        Energy of each row [kWh]; NaN for an empty or unreadable cell.
    source
        File name for messages.
    first_row
        File row number of the first row (2 for a CSV with a header line).

    Returns
    -------
    Readings
        The readings.

    Raises
    ------
    DataError
        Negative or missing values, duplicate rows, a member missing an interval, gaps or
        an interval length other than 15 or 60 minutes; the message names the row.
    """
    for name, values in (("consumption_kwh", consumption_kwh), ("production_kwh", production_kwh)):
        _check_values(name, values, member_codes, member_names, first_row, source)
    instants, code_interval = np.unique(code_instants_ns, return_inverse=True)
    instants, step = _grid(instants, source)
    n_t, n_m = len(instants), len(member_names)
    cell = code_interval[time_codes].astype(np.int64) * n_m + member_codes
    counts = np.bincount(cell, minlength=n_t * n_m)
    _refuse_duplicates(counts, cell, member_codes, member_names, instants, first_row, source)
    missing = np.flatnonzero(counts == 0)
    if missing.size:
        t, m = divmod(int(missing[0]), n_m)
        at = pd.Timestamp(int(instants[t]), tz="UTC").isoformat()
        msg = (
            f"member {member_names[m]!r} has no reading for the interval starting "
            f"{at} (UTC) while other members have; every member needs a row for every "
            f"interval (0 where nothing was used or fed in) ({missing.size} missing in all)"
        )
        raise _problem(source, None, msg)
    consumption = np.empty(n_t * n_m)
    production = np.empty(n_t * n_m)
    consumption[cell] = consumption_kwh
    production[cell] = production_kwh
    offset = np.empty(n_t, dtype=np.int64)
    offset[code_interval] = code_offsets_min
    return Readings(
        time=pd.DatetimeIndex(pd.to_datetime(instants, utc=True), name="time"),
        members=tuple(member_names),
        consumption_kwh=consumption.reshape(n_t, n_m),
        production_kwh=production.reshape(n_t, n_m),
        utc_offset_min=offset,
        source=source,
    )


def _refuse_duplicates(
    counts: np.ndarray,
    cell: np.ndarray,
    member_codes: np.ndarray,
    member_names: list[str],
    instants: np.ndarray,
    first_row: int,
    source: str,
) -> None:
    if counts.max(initial=0) <= 1:
        return
    first = np.flatnonzero(counts[cell] > 1)
    twin = first[cell[first] == cell[first[0]]]
    at = pd.Timestamp(int(instants[cell[first[0]] // len(member_names)]), tz="UTC").isoformat()
    msg = (
        f"member {member_names[member_codes[first[0]]]!r} has {len(twin)} rows for the "
        f"interval starting {at} (UTC) (rows "
        f"{', '.join(str(first_row + int(i)) for i in twin[:5])}); keep one row per member and "
        "interval"
    )
    raise _problem(source, first_row + int(twin[-1]), msg)
