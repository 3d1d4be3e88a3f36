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

:mod:`sparcs.store.staged` writes a new batch in two steps with the same pieces
(:class:`AppendRows`, :func:`all_new`, :func:`insert_new`, :func:`note_stored`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from sparcs.monitoring.ingest.prepare import PreparedReadings
from sparcs.store import readings_log
from sparcs.store.backends import Backend
from sparcs.store.batch import BatchResult, stored_ns, utc_us
from sparcs.store.readings_log import writing
from sparcs.store.recent import meter_codes
from sparcs.store.store import Store

__all__ = ["AppendRows", "all_new", "append_batch", "codes_of", "insert_new", "note_stored"]

#: A meter category without a reading in the batch.
_NEVER = np.iinfo(np.int64).min


class _NotAllNew(Exception):
    """Some row was stored already: the transaction is rolled back (internal)."""


@dataclass(frozen=True)
class AppendRows:
    """A checked batch as an append writes it.

    Attributes
    ----------
    result
        What the batch does (:meth:`Store.write_batch` returns the same).
    row
        Its ``ingest_batches`` row after the number.
    meter_ids
        Its meters (the categories of ``readings.meter``).
    which
        Each reading's meter, as its position in ``meter_ids``.
    times
        UTC time of each reading [ns since the epoch].
    values
        Each reading's value (NaN: reported missing).
    columns
        The ``time``, ``value`` and ``flags`` columns as the readings table takes them.
    last
        Each meter's latest time in the batch [ns], for the meters with a reading.
    """

    result: BatchResult
    row: tuple[Any, ...]
    meter_ids: list[str]
    which: np.ndarray
    times: np.ndarray
    values: np.ndarray
    columns: dict[str, Any]
    last: dict[str, int]

    @classmethod
    def of(cls, readings: PreparedReadings, *, file: str, checksum: str, fmt: str) -> AppendRows:
        """The rows of ``readings`` (checked, without conflicts) and the batch's row."""
        result = BatchResult(
            accepted=len(readings.meter),
            duplicates=readings.duplicates,
            conflicts=0,
            rejected=readings.rejected,
            flagged=readings.flagged,
        )
        meter_ids = [str(m) for m in readings.meter.categories]
        which = np.asarray(readings.meter.codes)
        times = np.asarray(readings.time, dtype=np.int64)
        last = np.full(len(meter_ids), _NEVER)
        np.maximum.at(last, which, times)
        return cls(
            result=result,
            row=result.batch_row(file, checksum, fmt, datetime.now(UTC)),
            meter_ids=meter_ids,
            which=which,
            times=times,
            values=np.asarray(readings.value, dtype=float),
            columns={
                "time": utc_us(readings.time),
                "value": pa.array(readings.value, from_pandas=True),
                "flags": readings.flags.astype(np.int32),
            },
            last={m: t for m, t in zip(meter_ids, last.tolist(), strict=True) if t > _NEVER},
        )


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
    if store.dialect != "duckdb" or not len(readings.meter) or len(readings.conflicts[0]):
        return store.write_batch(readings, file=file, checksum=checksum, fmt=fmt)
    import duckdb  # this path is DuckDB's alone

    readings_log.settle(store.file_key)  # a staged batch first: the guess below follows it
    rows = AppendRows.of(readings, file=file, checksum=checksum, fmt=fmt)
    low = pd.Timestamp(int(np.min(rows.times)), tz="UTC").to_pydatetime()
    db = store.backend
    guess = store.batch_hint
    while True:
        fresh = all_new(store, rows, guess)
        try:
            with writing(store.file_key) as log, db.transaction():
                # each row's meter code, looked up under the log's lock, which a household's
                # deletion holds too: no code is given to another meter meanwhile (DuckDB's
                # codes are kept between batches, sparcs.store.recent)
                codes = codes_of(store, rows)
                if codes is None:  # a meter the store lacks: write_batch names it
                    raise _NotAllNew
                if fresh:  # every row is new: inserted as they are
                    batch = insert_new(db, rows, codes, guess)
                else:
                    batch = _batch_row(db, rows.row, guess)
                    _insert_unstored(db, rows, codes, batch, low)
                # as stored: to the microsecond, a missing value as NULL (NaN)
                log.appended(batch, codes, stored_ns(rows.times), rows.values)
                latest = rows.last
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
        note_stored(store, batch, latest, guessed=guess is not None)
        return rows.result


def all_new(store: Store, rows: AppendRows, guess: int | None) -> bool:
    """Whether no stored reading can be among ``rows`` when batch ``guess`` is free.

    Every reading is stored with a batch row: when the guessed number is free, no batch was
    stored since this store's last one, so no meter has a reading later than the latest this
    store saw stored (deletions only lower it): later ones are all new. Without a guess,
    nothing is known.
    """
    if guess is None:
        return False
    unknown = np.iinfo(np.int64).max
    seen = np.array([store.stored_until.get(m, unknown) for m in rows.meter_ids])
    return bool(np.all(rows.times > seen[rows.which]))


def codes_of(store: Store, rows: AppendRows) -> np.ndarray | None:
    """Each reading's meter code; None when the store lacks one of the meters (call it under
    the readings' log, :mod:`sparcs.store.readings_log`: no code changes meter meanwhile)."""
    code_of = {meter_id: code for meter_id, code, _, _ in meter_codes(store)}
    codes = np.array([code_of.get(m, -1) for m in rows.meter_ids], np.int32)[rows.which]
    return None if (codes < 0).any() else codes


def insert_new(db: Backend, rows: AppendRows, codes: np.ndarray, guess: int | None) -> int:
    """Insert the batch's row and its readings, none of them stored yet (:func:`all_new`);
    return the batch's number (``guess``, or the next one when None)."""
    batch = _batch_row(db, rows.row, guess)
    numbers = pa.array(np.full(len(codes), batch, dtype=np.int32))
    db.append_rows("readings", pa.table({"meter": codes, **rows.columns, "batch": numbers}))
    return batch


def note_stored(store: Store, batch: int, latest: dict[str, int], *, guessed: bool) -> None:
    """Keep what a committed append tells of the store: its next batch number and each
    meter's latest reading [ns] (without a guess another writer may have stored any meter's
    readings: forget the others)."""
    if not guessed:
        store.stored_until.clear()
    store.stored_until.update(latest)
    store.batch_hint = batch + 1


def _insert_unstored(
    db: Backend, rows: AppendRows, codes: np.ndarray, batch: int, low: datetime
) -> None:
    """Insert the rows not stored yet; :class:`_NotAllNew` when one was."""
    high = pd.Timestamp(int(np.max(rows.times)), tz="UTC").to_pydatetime()
    db.load("appended", pa.table({"meter": codes, **rows.columns}))
    ((inserted,),) = db.execute(
        "INSERT INTO readings SELECT i.meter, i.time, i.value, i.flags, ? "
        "FROM appended i ANTI JOIN (SELECT meter, time FROM readings WHERE "
        "time BETWEEN ? AND ?) r ON r.meter = i.meter AND r.time = i.time",
        (batch, low, high),
    )
    if int(inserted) != len(codes):
        raise _NotAllNew


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
