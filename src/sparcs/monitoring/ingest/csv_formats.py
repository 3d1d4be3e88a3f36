"""The generic CSV formats: long (``time, meter, value[, unit]``) and wide (``time`` + meters).

Timestamps are ISO 8601 with a UTC offset or ``Z``; naive ones only for meters with a
``timezone`` in the map. Values use a decimal point; an empty value is a missing reading.
In a wide file, each column other than ``time`` is a meter: the meter whose ``column`` (or,
without one, whose ``id``) is the column's name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from sparcs.errors import DataError
from sparcs.monitoring.ingest.meters import MeterSpec
from sparcs.monitoring.ingest.raw import (
    RawReadings,
    categories,
    check_meters,
    csv_frame,
    parse_times,
    parse_values,
    plain,
)

__all__ = ["LONG_COLUMNS", "read_long_csv", "read_wide_csv"]

LONG_COLUMNS = ("time", "meter", "value")


def read_long_csv(text: str | bytes, path: str, meters: Mapping[str, MeterSpec]) -> RawReadings:
    """Read a long CSV (module docstring).

    Raises
    ------
    DataError
        Missing columns, an unknown meter or a bad timestamp, naming the line and the fix.
    """
    source = f"meter data file {path}"
    table, line = csv_frame(text, path=path, numbers=("value",))
    missing_columns = [c for c in LONG_COLUMNS if c not in table.column_names]
    if missing_columns:
        msg = (
            f"{source}, line 1: no column {', '.join(map(repr, missing_columns))}; a long "
            f"meter CSV has the columns time, meter, value (and optionally unit); found "
            f"{', '.join(table.column_names)}"
        )
        raise DataError(msg)
    extra = set(table.column_names) - {*LONG_COLUMNS, "unit"}
    if extra:
        msg = (
            f"{source}, line 1: unknown column(s) {', '.join(sorted(map(repr, extra)))}; a long "
            "meter CSV has only time, meter, value and unit"
        )
        raise DataError(msg)
    meter = categories(table.column("meter"))
    check_meters(meter, meters, source, line)
    time = parse_times(table.column("time"), meter, meters, source=source, line=line)
    value, missing, rejected = parse_values(table.column("value"))
    unit = (
        plain(table.column("unit")).to_numpy(zero_copy_only=False).astype(object)
        if "unit" in table.column_names
        else None
    )
    keep = ~rejected
    return RawReadings(
        source=source,
        meter=meter[keep],
        time=time[keep],
        value=value[keep],
        missing=missing[keep],
        line=_kept(line, keep),
        rejected=int(rejected.sum()),
        unit=None if unit is None else unit[keep],
    )


def _kept(line: Callable[[int], int], keep: np.ndarray) -> Callable[[int], int]:
    """Row -> file line for the rows ``keep`` leaves."""
    if keep.all():
        return line
    positions = np.flatnonzero(keep)
    return lambda position: line(int(positions[position]))


def read_wide_csv(text: str | bytes, path: str, meters: Mapping[str, MeterSpec]) -> RawReadings:
    """Read a wide CSV: ``time`` and one column per meter (module docstring)."""
    source = f"meter data file {path}"
    table, line = csv_frame(text, path=path)
    if "time" not in table.column_names:
        msg = (
            f"{source}, line 1: no column 'time'; a wide meter CSV has a time column and one "
            f"column per meter; found {', '.join(table.column_names)}"
        )
        raise DataError(msg)
    by_column = {m.column or m.id: m.id for m in meters.values()}
    columns = [c for c in table.column_names if c != "time"]
    for column in columns:
        if column not in by_column:
            msg = (
                f"{source}, line 1: column {column!r} names no meter; add column = {column!r} "
                "to its [[meters]] table in the meter map, or drop the column"
            )
            raise DataError(msg)
    n = table.num_rows
    if not columns:
        msg = f"{source}, line 1: only a time column; add one column per meter"
        raise DataError(msg)
    ids = [by_column[c] for c in columns]
    first_meter = np.array([ids[0]] * n, dtype=object)
    time = (
        parse_times(
            table.column("time"), first_meter, {ids[0]: meters[ids[0]]}, source=source, line=line
        )
        if len({meters[i].timezone for i in ids}) == 1
        else None
    )
    parts = []
    for column, meter_id in zip(columns, ids, strict=True):
        meter = np.full(n, meter_id, dtype=object)
        times = (
            time
            if time is not None
            else parse_times(table.column("time"), meter, meters, source=source, line=line)
        )
        value, missing, rejected = parse_values(table.column(column))
        parts.append((meter, times, value, missing, rejected))
    meter, time_all, value, missing, rejected = (
        np.concatenate(p) for p in zip(*parts, strict=True)
    )
    keep = ~rejected
    positions = np.tile(np.arange(n), len(columns))[keep]
    return RawReadings(
        source=source,
        meter=meter[keep],
        time=time_all[keep],
        value=value[keep],
        missing=missing[keep],
        line=lambda p: line(int(positions[p])),
        rejected=int(rejected.sum()),
    )
