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

from sparcs.errors import SparcsError
from sparcs.monitoring.ingest import MeterSpec, prepare, read_meter_file
from sparcs.store.store import BatchResult, Store

__all__ = ["FileResult", "checksum", "ingest_file", "ingest_files"]


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
    raw, used = read_meter_file(path, meters, fmt)
    ready = prepare(raw, meters, now=now if now is not None else pd.Timestamp.now(tz="UTC"))
    store.put_meters(meters.values())
    return store.write_batch(
        ready, file=str(path), checksum=checksum(path), fmt=used, during=during
    )


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
