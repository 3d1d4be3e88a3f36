"""Meter files into readings: the meter map, four formats, units and quality flags.

:func:`read_meter_file` reads one file into :class:`RawReadings` (``--format auto`` looks at
its first line); :func:`prepare` turns them into :class:`PreparedReadings` for the store.
The database side (duplicates against stored readings, one transaction per file) is
``sparcs.store``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

from sparcs.errors import DataError
from sparcs.monitoring.ingest.csv_formats import read_long_csv, read_wide_csv
from sparcs.monitoring.ingest.datahub import read_datahub
from sparcs.monitoring.ingest.meters import MeterSpec, load_meter_map, parse_resolution
from sparcs.monitoring.ingest.mscons import read_mscons
from sparcs.monitoring.ingest.prepare import PreparedReadings, prepare
from sparcs.monitoring.ingest.raw import RawReadings
from sparcs.textfiles import read_text

__all__ = [
    "FORMATS",
    "Format",
    "MeterSpec",
    "PreparedReadings",
    "RawReadings",
    "detect_format",
    "load_meter_map",
    "parse_resolution",
    "prepare",
    "read_meter_bytes",
    "read_meter_file",
]

Format = Literal["auto", "csv", "wide", "datahub", "mscons"]
FORMATS: tuple[str, ...] = ("auto", "csv", "wide", "datahub", "mscons")


def detect_format(text: str) -> str:
    """The format of a meter file from its first line.

    Parameters
    ----------
    text
        The file's text (its first lines suffice).

    Returns
    -------
    str
        ``"csv"``, ``"wide"``, ``"datahub"`` or ``"mscons"``.
    """
    head = text.lstrip()[:400]
    if head.startswith(("UNA", "UNB")):
        return "mscons"
    first = head.split("\n", 1)[0]
    if first.startswith("Mittauspisteen tunnus") or first.count(";") >= 5:
        return "datahub"
    names = {name.strip() for name in next(csv.reader([first]), [])}
    if {"meter", "value"} <= names:
        return "csv"
    return "wide"


def read_meter_bytes(path: str | Path) -> bytes:
    """The bytes of a meter file; a missing or unreadable file raises the one-line error."""
    try:  # the CSV readers take bytes: Arrow checks UTF-8 and line ends without a copy
        return Path(path).read_bytes()
    except OSError:
        read_text(path, what="meter data file")  # raises the one-line error of the case
        raise


def read_meter_file(
    path: str | Path,
    meters: Mapping[str, MeterSpec],
    fmt: str = "auto",
    *,
    data: bytes | None = None,
) -> tuple[RawReadings, str]:
    """Read one meter file; return its readings and the format used.

    ``data`` is the file's bytes when the caller has read them already (the store hashes
    the same bytes: one read of the file).

    Raises
    ------
    DataError
        The file is missing, not UTF-8, or not of the format (naming the line and the fix).
    """
    if data is None:
        data = read_meter_bytes(path)
    used = (
        detect_format(data[:4096].decode("utf-8-sig", errors="replace")) if fmt == "auto" else fmt
    )
    readers: dict[str, Callable[[bytes, str, Mapping[str, MeterSpec]], RawReadings]] = {
        "csv": read_long_csv,
        "wide": read_wide_csv,
        "datahub": read_datahub,
    }
    if used not in readers and used != "mscons":
        msg = f"format {fmt!r} is not known; choose {', '.join(FORMATS)}"
        raise DataError(msg)
    if used == "mscons":
        return read_mscons(read_text(path, what="meter data file"), str(path), meters), used
    return readers[used](data, str(path), meters), used
