"""A batch of new readings in fewer statements: what a meter gateway sends every step.

:meth:`~sparcs.store.store.Store.write_batch` counts a batch's duplicates and conflicts
before it inserts (a file read twice, a corrected export). A live meter's step is almost
always new: :func:`append_batch` writes the batch's row, which numbers it, and then inserts
the rows that are not stored yet in a second statement, which maps the meter ids to their
codes (DuckDB: two statements in one transaction instead of five). When a row
was stored already, or names a meter the store lacks, nothing of it stays and the batch goes
through :meth:`~sparcs.store.store.Store.write_batch` instead: the same outcome as always.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pyarrow as pa

from sparcs.monitoring.ingest.prepare import PreparedReadings
from sparcs.store.batch import BatchResult, utc_us
from sparcs.store.store import Store

__all__ = ["append_batch"]


class _NotAllNew(Exception):
    """Some row was stored already: the transaction is rolled back (internal)."""


def append_batch(
    store: Store, readings: PreparedReadings, *, file: str, checksum: str, fmt: str
) -> BatchResult:
    """Store the readings of one batch, all of them or none, as :meth:`Store.write_batch`.

    Parameters
    ----------
    store
        The open store.
    readings
        The batch, checked (:func:`~sparcs.monitoring.ingest.prepare.prepare`).
    file, checksum, fmt
        Where the batch came from, as the ``ingest_batches`` row records it.

    Returns
    -------
    BatchResult
        What the batch did (the same as :meth:`Store.write_batch` returns).
    """
    n = len(readings.meter)
    if store.dialect != "duckdb" or not n or len(readings.conflicts[0]):
        return store.write_batch(readings, file=file, checksum=checksum, fmt=fmt)
    ids = np.asarray(readings.meter.categories, dtype=object)[readings.meter.codes]
    incoming = pa.table(
        {
            "id": pa.array(ids, type=pa.string()),
            "time": utc_us(readings.time),
            "value": pa.array(readings.value, from_pandas=True),
            "flags": readings.flags.astype(np.int32),
        }
    )
    low = pd.Timestamp(int(np.min(readings.time)), tz="UTC").to_pydatetime()
    high = pd.Timestamp(int(np.max(readings.time)), tz="UTC").to_pydatetime()
    result = BatchResult(
        accepted=n,
        duplicates=readings.duplicates,
        conflicts=0,
        rejected=readings.rejected,
        flagged=readings.flagged,
    )
    db = store.backend
    started = datetime.now(UTC)
    try:
        with db.transaction():
            db.load("appended", incoming)
            # the batch's row first: its number comes back for the readings' inserts, so
            # neither statement joins the other table (DuckDB: ~1 ms less a batch)
            ((batch,),) = db.execute(
                "INSERT INTO ingest_batches SELECT coalesce(max(id), 0) + 1, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?, ? FROM ingest_batches RETURNING id",
                result.batch_row(file, checksum, fmt, started),
            )
            ((inserted,),) = db.execute(
                "INSERT INTO readings SELECT m.code, i.time, i.value, i.flags, ? "
                "FROM appended i JOIN meters m ON m.id = i.id "
                "ANTI JOIN (SELECT meter, time FROM readings WHERE time BETWEEN ? AND ?) r "
                "ON r.meter = m.code AND r.time = i.time",
                (int(batch), low, high),
            )
            if int(inserted) != n:
                raise _NotAllNew
    except _NotAllNew:
        return store.write_batch(readings, file=file, checksum=checksum, fmt=fmt)
    return result
