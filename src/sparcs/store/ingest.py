"""Meter files into the store: read, check and write each file as one batch.

A file is one transaction: a crash (even ``kill -9``) leaves all of its readings or none, and
running the same command again completes the work without adding anything twice. A file
that cannot be read raises before its transaction starts; the files before it stay stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sparcs.errors import DataError, SparcsError
from sparcs.monitoring.ingest import (
    MeterSpec,
    detect_format,
    prepare,
    read_meter_bytes,
    read_meter_file,
)
from sparcs.monitoring.ingest.csv_formats import read_long_csv, read_wide_csv
from sparcs.monitoring.ingest.datahub import read_datahub
from sparcs.monitoring.ingest.mscons import read_mscons
from sparcs.store.store import BatchResult, Store

__all__ = ["FileResult", "checksum", "ingest_file", "ingest_files", "ingest_text"]


@dataclass(frozen=True)
class FileResult:
    """One file's outcome: its batch result, or the error that stopped it."""

    path: Path
    result: BatchResult | None
    error: SparcsError | None = None
    fmt: str = ""


def checksum(path: Path) -> str:
    """SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ingest_file(
    store: Store,
    path: str | Path,
    meters: Mapping[str, MeterSpec],
    *,
    fmt: str = "auto",
    now: pd.Timestamp | None = None,
    during: Callable[[], None] | None = None,
) -> BatchResult:
    """Read, check and store one file as one batch; the meters are registered first.

    Parameters
    ----------
    store
        The open store.
    path
        The meter file.
    meters
        The meter map: meter id -> its node, quantity, unit, resolution and time zone.
    fmt
        ``"auto"``, ``"csv"``, ``"wide"``, ``"datahub"`` or ``"mscons"``.
    now
        Time of the ingest (readings after it are flagged); default the current UTC time.
    during
        Called inside the open transaction (tests use it to kill the process mid-batch).

    Returns
    -------
    BatchResult
        Readings accepted, duplicates, conflicts, rejected and flagged, and the batch id.

    Raises
    ------
    DataError
        The file cannot be read as the format (nothing of it is stored).
    StoreError
        The database refuses the batch (nothing of it is stored).
    """
    path = Path(path)
    data = read_meter_bytes(path)  # read once: parsed and hashed from the same bytes
    raw, used = read_meter_file(path, meters, fmt, data=data)
    ready = prepare(raw, meters, now=now if now is not None else pd.Timestamp.now(tz="UTC"))
    store.put_meters(meters.values())
    digest = hashlib.sha256(data).hexdigest()
    return store.write_batch(ready, file=str(path), checksum=digest, fmt=used, during=during)


def ingest_text(
    store: Store,
    text: str,
    meters: Mapping[str, MeterSpec],
    *,
    source: str,
    fmt: str = "csv",
    now: pd.Timestamp | None = None,
) -> BatchResult:
    """Check and store meter data sent as text (an API request) as one batch.

    The same readers, checks, quality flags and duplicate rules as :func:`ingest_file`; the
    batch is recorded with ``source`` as its file name and the SHA-256 of the text.

    Parameters
    ----------
    store
        The open store.
    text
        The data, in one of the meter file formats.
    meters
        The meter map of the meters it may name.
    source
        What to call it in messages and in the batch record (``"POST /api/v1/readings"``).
    fmt
        ``"csv"`` (long: time, meter, value[, unit]), ``"wide"``, ``"datahub"`` or ``"mscons"``.
    now
        Time of the ingest (readings after it are flagged); default the current UTC time.

    Returns
    -------
    BatchResult
        Readings accepted, duplicates, conflicts, rejected and flagged.

    Raises
    ------
    DataError
        The text cannot be read as the format (nothing of it is stored).
    """
    readers = {
        "csv": read_long_csv,
        "wide": read_wide_csv,
        "datahub": read_datahub,
        "mscons": read_mscons,
    }
    used = detect_format(text) if fmt == "auto" else fmt
    if used not in readers:
        msg = f"format {fmt!r} is not known; choose {', '.join(readers)}"
        raise DataError(msg)
    raw = readers[used](text, source, meters)
    ready = prepare(raw, meters, now=now if now is not None else pd.Timestamp.now(tz="UTC"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return store.write_batch(ready, file=source, checksum=digest, fmt=used)


def ingest_files(
    store: Store, paths: Sequence[str | Path], meters: Mapping[str, MeterSpec], *, fmt: str = "auto"
) -> list[FileResult]:
    """Ingest each file in turn; a bad file is reported and the others go on.

    Parameters
    ----------
    store
        The open store.
    paths
        The meter files, in order.
    meters
        The meter map (see :func:`ingest_file`).
    fmt
        The files' format, or ``"auto"``.

    Returns
    -------
    list of FileResult
        Per file, its batch result or the error that refused it (nothing of it stored).
    """
    out = []
    for path in paths:
        try:
            result = ingest_file(store, path, meters, fmt=fmt)
        except SparcsError as exc:
            out.append(FileResult(Path(path), None, exc))
            continue
        out.append(FileResult(Path(path), result))
    return out
