"""Read a community's meter readings from CSV: ``time, member, consumption_kwh, production_kwh``.

``time`` is the start of the interval in ISO 8601 with its UTC offset
(``2025-03-30T02:00+03:00``, ``...Z``); one row per member and interval. The file is read by
pyarrow; ``time`` and ``member`` are read dictionary-encoded, so each distinct timestamp is
parsed once.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from sparcs.community.readings import Readings, readings_from_columns
from sparcs.errors import DataError

__all__ = ["COLUMNS", "read_readings"]

#: The columns of a readings file.
COLUMNS = ("time", "member", "consumption_kwh", "production_kwh")


def _table(path: Path, numbers_as_text: bool = False) -> pa.Table:
    kinds = {"time": pa.dictionary(pa.int32(), pa.string())}
    kinds["member"] = kinds["time"]
    number = pa.string() if numbers_as_text else pa.float64()
    kinds |= {"consumption_kwh": number, "production_kwh": number}
    return pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types=kinds, include_columns=list(COLUMNS), strings_can_be_null=False
        ),
    )


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first = next(csv.reader(handle), [])
    return [name.strip() for name in first]


def _not_a_number(path: Path) -> DataError:
    table = _table(path, numbers_as_text=True)
    for column in ("consumption_kwh", "production_kwh"):
        for row, value in enumerate(table.column(column).to_pylist()):
            try:
                float(value or "nan")
            except ValueError:
                msg = (
                    f"{path}: row {row + 2}: {column} {value!r} is not a number; write "
                    "energies in kWh with a decimal point (0.25, not 0,25) and no unit"
                )
                return DataError(msg)
    return DataError(f"{path}: the energies cannot be read as numbers; check the file")


def _instants(times: pa.DictionaryArray, path: Path) -> tuple[np.ndarray, np.ndarray]:
    """UTC nanoseconds and UTC offsets [min] of each distinct timestamp string."""
    texts = times.dictionary.to_pylist()
    ns = np.empty(len(texts), dtype=np.int64)
    offsets = np.empty(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        try:
            stamp = datetime.fromisoformat(text.strip())
        except ValueError:
            stamp = None
        offset = stamp.utcoffset() if stamp is not None else None
        if stamp is None or offset is None:
            row = int(np.flatnonzero(times.indices.to_numpy(zero_copy_only=False) == i)[0]) + 2
            why = "is not an ISO 8601 time" if stamp is None else "has no UTC offset"
            msg = (
                f"{path}: row {row}: time {text!r} {why}; write the interval start with its "
                "offset, e.g. 2025-01-01T00:00+01:00 or 2025-01-01T00:00Z"
            )
            raise DataError(msg)
        ns[i] = int(stamp.timestamp()) * 1_000_000_000 + stamp.microsecond * 1000
        offsets[i] = int(offset.total_seconds() // 60)
    return ns, offsets


def read_readings(path: str | Path) -> Readings:
    """Read and check a readings CSV.

    Parameters
    ----------
    path
        CSV file with the columns of :data:`COLUMNS` (UTF-8, comma-separated, a header line);
        energies in kWh per interval.

    Returns
    -------
    Readings
        Consumption and production per interval and member [kWh].

    Raises
    ------
    DataError
        A missing column, an unreadable number or timestamp, a timestamp without an
        offset, a negative value, a duplicate row, a member missing an interval, gaps or an
        interval other than 15 or 60 minutes; the message names the file, the row and the
        fix.
    """
    path = Path(path)
    try:
        header = _header(path)
    except UnicodeDecodeError:
        msg = f"{path}: not UTF-8 text; save the file as UTF-8 CSV and run again"
        raise DataError(msg) from None
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        msg = (
            f"{path}: column(s) {', '.join(missing)} missing (found {', '.join(header)}); "
            f"the header must be {','.join(COLUMNS)}"
        )
        raise DataError(msg)
    try:
        table = _table(path)
    except pa.ArrowInvalid as exc:
        if "double" in str(exc):
            raise _not_a_number(path) from None
        msg = f"{path}: cannot be read as CSV ({str(exc).splitlines()[0]}); check the file"
        raise DataError(msg) from None
    if table.num_rows == 0:
        msg = f"{path}: no readings below the header; add one row per member and interval"
        raise DataError(msg)
    times = table.column("time").combine_chunks()
    members = table.column("member").combine_chunks()
    instants, offsets = _instants(times, path)
    return readings_from_columns(
        times.indices.to_numpy(zero_copy_only=False),
        instants,
        offsets,
        members.indices.to_numpy(zero_copy_only=False),
        [str(name) for name in members.dictionary.to_pylist()],
        table.column("consumption_kwh").to_numpy(),
        table.column("production_kwh").to_numpy(),
        source=str(path),
    )
