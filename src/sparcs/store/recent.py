"""Readings a reader has not seen yet: what a cycle reads every quarter hour, without a rescan.

Every stored reading belongs to one ingest batch, and batches are numbered in the order they
are stored; a stored reading is never changed (a disagreeing one goes to ``conflicts``).
So a reader that holds every reading of a period up to batch ``b`` stays up to date by
reading the rows of the later batches in that period, plus, when its period grows, the rows
of the older batches in the part that is new (:func:`readings_since`). A live loop reads a
few dozen rows a cycle this way instead of 28 days of every meter
(:mod:`sparcs.live.recent`).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sparcs.store.meter_changes import changes
from sparcs.store.store import Store

__all__ = [
    "NewReadings",
    "latest_batch",
    "latest_reading",
    "meter_codes",
    "one_thread",
    "readings_since",
]


@dataclass(frozen=True)
class NewReadings:
    """Rows of :func:`readings_since`, as arrays (not sorted).

    Attributes
    ----------
    meter
        Meter code of each row (``meters.code``).
    time
        UTC start of each row [ns since the epoch].
    value
        Value [the meter's internal unit]; NaN where reported missing.
    batch
        The latest batch of the rows (``after`` when there are none): every row of it and of
        the batches before it in the period is held; read again with it as ``after`` for
        what is new.
    """

    meter: np.ndarray
    time: np.ndarray
    value: np.ndarray
    batch: int


def latest_reading(store: Store) -> int:
    """The time of the latest stored reading [ns since the epoch, UTC]; the earliest int64
    when there is none.

    Parameters
    ----------
    store
        The open store, DuckDB (its ``epoch_ns``; :mod:`.readings_log` keeps only those).

    Returns
    -------
    int
        No stored reading is later.
    """
    ((latest,),) = store.backend.execute("SELECT epoch_ns(max(time)) FROM readings")
    return np.iinfo(np.int64).min if latest is None else int(latest)


def latest_batch(store: Store) -> int:
    """The number of the latest ingest batch stored (0 for none).

    Parameters
    ----------
    store
        The open store.

    Returns
    -------
    int
        ``max(ingest_batches.id)``.
    """
    ((batch,),) = store.backend.execute("SELECT coalesce(max(id), 0) FROM ingest_batches")
    return int(batch)


@contextmanager
def one_thread(store: Store) -> Iterator[None]:
    """DuckDB runs the statements inside on one thread (its setting restored after).

    A live loop's statements each touch a few dozen rows: handing them to DuckDB's thread
    pool costs more than it saves (a replayed 15-min cycle's statements: about 20 % less
    time on one thread), and the second core is HiGHS's. PostgreSQL: nothing changes.

    Parameters
    ----------
    store
        The open store.

    Yields
    ------
    None
        While inside, DuckDB's ``threads`` setting is 1.
    """
    if store.dialect != "duckdb":
        yield
        return
    ((before,),) = store.backend.execute("SELECT current_setting('threads')")
    store.backend.execute("SET threads = 1")
    try:
        yield
    finally:
        store.backend.execute(f"SET threads = {int(before)}")


def meter_codes(store: Store) -> list[tuple[str, int, str, str]]:
    """Every meter as (id, code, node, quantity), ordered by id: a cheap read, no DataFrame.

    A DuckDB store's meters are read again only when this process changed them since
    (:mod:`sparcs.store.meter_changes`); a PostgreSQL store's every time.

    Parameters
    ----------
    store
        The open store.

    Returns
    -------
    list of tuple
        (id, code, node, quantity) per meter (a new list).
    """
    key = store.file_key
    if key is None:
        return _read_meter_codes(store)
    count = changes(key)  # before the read: a change committed during it is read next time
    with _codes_read_lock:
        kept = _codes_read.get(store)
    if kept is not None and kept[0] == count:
        return list(kept[1])
    rows = _read_meter_codes(store)
    with _codes_read_lock:
        _codes_read[store] = (count, tuple(rows))
    return rows


def _read_meter_codes(store: Store) -> list[tuple[str, int, str, str]]:
    # sorted here: ORDER BY costs DuckDB more than the sort of a few dozen tuples in Python
    rows = store.backend.execute("SELECT id, code, node, quantity FROM meters")
    return sorted((str(i), int(c), str(n), str(q)) for i, c, n, q in rows)


#: Per open store: the meter-change count at which its meters were read, and what was read.
_codes_read: weakref.WeakKeyDictionary[Store, tuple[int, tuple[tuple[str, int, str, str], ...]]] = (
    weakref.WeakKeyDictionary()
)
_codes_read_lock = threading.Lock()


def readings_since(
    store: Store,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    after: int = 0,
    held_end: pd.Timestamp | None = None,
) -> NewReadings:
    """Readings in [start, end) that a reader holding [start, held_end) up to batch ``after`` lacks.

    Parameters
    ----------
    store
        The open store.
    start, end
        The period wanted (time-zone aware).
    after
        The latest batch the reader has already read (0: none).
    held_end
        End of the period the reader already holds (exclusive); None: it holds nothing, and
        every row of [start, end) is read.

    Returns
    -------
    NewReadings
        Rows of batches after ``after`` in [start, end), and rows of earlier batches in
        [held_end, end); ``batch`` is the latest batch read.

    Examples
    --------
    A reader that held [s, e) up to batch 7 and now wants [s, e2) calls
    ``readings_since(store, s, e2, after=7, held_end=e)``, then holds [s, e2) up to the
    returned ``batch``.
    """
    low = start.tz_convert("UTC").to_pydatetime()
    high = end.tz_convert("UTC").to_pydatetime()
    held = low if held_end is None else held_end.tz_convert("UTC").to_pydatetime()
    if held_end is None:
        after = 0
    # every row of a batch is stored in the batch's own transaction, so the statement's
    # snapshot holds whole batches: the latest batch among the rows is one the reader now
    # holds entirely in [start, end) (a later batch with no row there holds nothing to read);
    # no join with ingest_batches (DuckDB: 1.5 ms a cycle, not 3)
    rows = store.backend.columns(
        "SELECT r.meter, r.time, r.value, r.batch FROM readings r "
        "WHERE r.time >= ? AND r.time < ? AND (r.batch > ? OR r.time >= ?)",
        [low, high, int(after), held],
    )
    batches = np.asarray(rows["batch"], dtype=np.int64)
    top = max(int(after), int(batches.max())) if batches.size else int(after)
    return NewReadings(
        meter=np.asarray(rows["meter"], dtype=np.int64),
        time=_stamps_ns(rows["time"]),
        value=np.asarray(rows["value"], dtype=float),  # None (PostgreSQL NULL) → NaN
        batch=top,
    )


def _stamps_ns(time: np.ndarray) -> np.ndarray:
    """UTC times [ns since the epoch] of a timestamp column (DuckDB: datetime64; PostgreSQL:
    time-zone aware objects)."""
    if not time.size:
        return np.zeros(0, dtype=np.int64)
    if time.dtype.kind == "M":
        return time.astype("datetime64[ns]").view(np.int64)
    return np.asarray(pd.DatetimeIndex(pd.to_datetime(time, utc=True)).as_unit("ns").asi8)
