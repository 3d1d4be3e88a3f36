"""A batch of new readings in fewer statements: what a meter gateway sends every step.

:meth:`~sparcs.store.store.Store.write_batch` counts a batch's duplicates and conflicts
before it inserts (a file read twice, a corrected export). A live meter's step is almost
always new: :func:`append_batch` writes the batch's row, numbered after the store's last
batch (:attr:`~sparcs.store.store.Store.batch_hint`, or found from the table when another
writer took that number), and then the rows, with the meters' codes looked up here (a DuckDB
store's are kept between batches). When no stored reading can be among them (the store's
latest is older), they go in as they are, from an Arrow table, with no statement to parse;
otherwise one statement inserts those not stored yet. When a row was stored already, or
names a meter the store lacks, nothing of it stays and the batch goes through
:meth:`~sparcs.store.store.Store.write_batch` instead: the same outcome as always.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pyarrow as pa

from sparcs.monitoring.ingest.prepare import PreparedReadings
from sparcs.store.backends import Backend
from sparcs.store.batch import BatchResult, stored_ns, utc_us
from sparcs.store.readings_log import writing
from sparcs.store.recent import meter_codes
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
    columns = {
        "time": utc_us(readings.time),
        "value": pa.array(readings.value, from_pandas=True),
        "flags": readings.flags.astype(np.int32),
    }
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
    import duckdb  # this path is DuckDB's alone

    row = result.batch_row(file, checksum, fmt, datetime.now(UTC))
    meter_ids = [str(m) for m in readings.meter.categories]
    times = np.asarray(readings.time, dtype=np.int64)
    never = np.iinfo(np.int64).min  # a meter category without a reading in the batch
    last = np.full(len(meter_ids), never)
    np.maximum.at(last, readings.meter.codes, times)
    guess = store.batch_hint
    while True:
        # every reading is stored with a batch row: when the guessed number is free, no batch
        # was stored since this store's last one, so no meter has a reading later than the
        # latest this store saw stored (deletions only lower it): later ones are all new
        unknown = np.iinfo(np.int64).max
        seen = np.array([store.stored_until.get(m, unknown) for m in meter_ids])
        fresh = guess is not None and bool(np.all(times > seen[readings.meter.codes]))
        try:
            with writing(store.file_key) as log, db.transaction():
                # each row's meter code, looked up under the log's lock, which a household's
                # deletion holds too: no code is given to another meter meanwhile (DuckDB's
                # codes are kept between batches, sparcs.store.recent)
                codes = _meter_codes(store, meter_ids, readings.meter.codes)
                if codes is None:  # a meter the store lacks: write_batch names it
                    raise _NotAllNew
                batch = _batch_row(db, row, guess)
                if fresh:  # every row is new: inserted as they are
                    numbers = pa.array(np.full(n, batch, dtype=np.int32))
                    db.append_rows(
                        "readings", pa.table({"meter": codes, **columns, "batch": numbers})
                    )
                else:
                    db.load("appended", pa.table({"meter": codes, **columns}))
                    ((inserted,),) = db.execute(
                        "INSERT INTO readings SELECT i.meter, i.time, i.value, i.flags, ? "
                        "FROM appended i ANTI JOIN (SELECT meter, time FROM readings WHERE "
                        "time BETWEEN ? AND ?) r ON r.meter = i.meter AND r.time = i.time",
                        (batch, low, high),
                    )
                    if int(inserted) != n:
                        raise _NotAllNew
                # as stored: to the microsecond, a missing value as NULL (NaN)
                log.appended(batch, codes, stored_ns(times), np.asarray(readings.value, float))
                latest = {m: t for m, t in zip(meter_ids, last.tolist(), strict=True) if t > never}
                if not fresh:  # each meter's latest stored: none before ``low`` is later
                    latest = dict(
                        db.execute(
                            "SELECT m.id, epoch_ns(max(r.time)) FROM readings r JOIN meters m "
                            "ON m.code = r.meter WHERE r.time >= ? AND m.code IN (SELECT meter "
                            "FROM appended) GROUP BY m.id",
                            (low,),
                        )
                    )
        except _NotAllNew:
            return store.write_batch(readings, file=file, checksum=checksum, fmt=fmt)
        except duckdb.ConstraintException:
            if guess is None:
                raise
            guess = None  # another writer took the number: the key refused it
            continue
        if guess is None:  # another writer may have stored any meter's readings
            store.stored_until.clear()
        store.stored_until.update(latest)
        store.batch_hint = batch + 1
        return result


def _meter_codes(store: Store, meter_ids: list[str], which: np.ndarray) -> np.ndarray | None:
    """Each reading's meter code (``which``: its meter's position in ``meter_ids``); None
    when the store lacks one of the meters."""
    code_of = {meter_id: code for meter_id, code, _, _ in meter_codes(store)}
    codes = np.array([code_of.get(m, -1) for m in meter_ids], np.int32)[which]
    return None if (codes < 0).any() else codes


def _batch_row(db: Backend, row: tuple[object, ...], guess: int | None) -> int:
    """Insert the batch's row; its number: ``guess``, or the next one when None."""
    if guess is not None:
        # the store's last batch plus one: the row alone costs DuckDB half the statement
        # that finds the number. Every writer numbers a batch max(id) + 1 and none is ever
        # deleted, so a free guess is the next number; a taken one the key refuses
        db.execute(
            "INSERT INTO ingest_batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (guess, *row)
        )
        return guess
    # the batch's row first: its number comes back for the readings' inserts, so neither
    # statement joins the other table (DuckDB: ~1 ms less a batch)
    ((batch,),) = db.execute(
        "INSERT INTO ingest_batches SELECT coalesce(max(id), 0) + 1, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ? FROM ingest_batches RETURNING id",
        row,
    )
    return int(batch)
