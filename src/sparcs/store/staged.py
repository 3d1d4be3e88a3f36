"""A live batch stored in two steps: its rows to the readings' log now, to the file later.

A replayed step's batch costs DuckDB about 3 ms of statements (its row, its readings, the
commit). The cycle that follows needs the batch's rows at once, and takes them from the
readings' log (:mod:`sparcs.store.readings_log`), not from the file; then, while HiGHS
solves the cycle's LP on the other core, this thread only waits. :func:`stage_batch` checks
the batch and gives its rows to the log; :meth:`StagedBatch.commit` writes the file, which
the replay does while HiGHS solves (:func:`sparcs.live.replay.replay`).

Nothing sees the file without the batch: it is written before the next statement on the
file, through any store (:meth:`~sparcs.store.backends.DuckDBBackend.settle`). A batch is
staged only when :func:`~sparcs.store.append.append_batch` would insert it as it is (every
row new, its number free); any other goes through ``append_batch`` at once. When the write
fails, the file's readers start afresh (they may hold rows that are not stored): a batch
number taken meanwhile (by SQL past these writers) sends the batch through
``append_batch``; any other failure is raised by :meth:`~StagedBatch.commit` (and by
whatever statement ran it).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from sparcs.errors import StoreError
from sparcs.monitoring.ingest.prepare import PreparedReadings
from sparcs.store import readings_log
from sparcs.store.append import AppendRows, all_new, append_batch, codes_of, insert_new, note_stored
from sparcs.store.backends import DuckDBBackend
from sparcs.store.batch import BatchResult, stored_ns
from sparcs.store.store import Store

__all__ = ["StagedBatch", "stage_batch"]


@dataclass(frozen=True)
class _Pending:
    """What a staged batch's write needs."""

    store: Store
    backend: DuckDBBackend
    key: str
    readings: PreparedReadings
    rows: AppendRows
    codes: np.ndarray
    batch: int
    source: tuple[str, str, str]  # file, checksum, format


class StagedBatch:
    """One batch of readings, in the readings' log and written to its store once.

    Use :func:`stage_batch` to make one.
    """

    def __init__(self, pending: _Pending | None, result: BatchResult | None = None) -> None:
        self._pending = pending
        self._outcome: BatchResult | BaseException | None = result
        self._lock = threading.Lock()  # two threads settling the store write it once

    @property
    def written(self) -> bool:
        """Whether the batch went to the file (or failed to)."""
        return self._outcome is not None

    def commit(self) -> BatchResult:
        """Write the batch to the file, once; later calls give the same outcome.

        Returns
        -------
        BatchResult
            What the batch did (as :func:`~sparcs.store.append.append_batch` returns).

        Raises
        ------
        StoreError
            When the file refused it (raised again by every later call).
        """
        with self._lock:
            if self._outcome is None:
                try:
                    self._outcome = self._write()
                except Exception as exc:  # noqa: BLE001 - kept: every later call raises it
                    self._outcome = exc
            outcome = self._outcome
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def _write(self) -> BatchResult:
        import duckdb  # a staged batch is DuckDB's alone

        p = self._pending
        assert p is not None
        readings_log.unstage(p.key, self.commit)
        file, checksum, fmt = p.source
        try:
            with p.backend.transaction():
                insert_new(p.backend, p.rows, p.codes, p.batch)
        except duckdb.ConstraintException:  # SQL past the writers took the number
            readings_log.forget(p.key)
            return append_batch(p.store, p.readings, file=file, checksum=checksum, fmt=fmt)
        except duckdb.Error as exc:
            readings_log.forget(p.key)
            msg = f"the readings of {file} could not be stored in {p.store.where}: {exc}"
            raise StoreError(msg) from exc
        except BaseException:  # interrupted: rolled back, and its rows may be held
            readings_log.forget(p.key)
            raise
        note_stored(p.store, p.batch, p.rows.last, guessed=True)
        return p.rows.result


def stage_batch(
    store: Store, readings: PreparedReadings, *, file: str, checksum: str, fmt: str
) -> StagedBatch:
    """Give a batch's rows to the readings' log now; write it to the file at
    :meth:`StagedBatch.commit` (or before anything else uses the file).

    Parameters
    ----------
    store, readings, file, checksum, fmt
        As :func:`~sparcs.store.append.append_batch` takes them.

    Returns
    -------
    StagedBatch
        The batch; already written when it could not be staged (a PostgreSQL store, a batch
        with conflicts, a row that may be stored already, a meter the store lacks).
    """
    key = store.file_key
    backend = store.backend
    if (
        key is not None
        and isinstance(backend, DuckDBBackend)
        and len(readings.meter)
        and not len(readings.conflicts[0])
    ):
        rows = AppendRows.of(readings, file=file, checksum=checksum, fmt=fmt)
        # the file's last staged batch is written first (one at a time), then the number
        # after it guessed
        with readings_log.held(key):
            batch = store.batch_hint
            codes = codes_of(store, rows) if all_new(store, rows, batch) else None
            if batch is not None and codes is not None:  # all_new needs a number
                source = (file, checksum, fmt)
                staged = StagedBatch(
                    _Pending(store, backend, key, readings, rows, codes, batch, source)
                )
                times = stored_ns(rows.times)
                readings_log.stage(key, batch, codes, times, rows.values, staged.commit)
                return staged
    return StagedBatch(None, append_batch(store, readings, file=file, checksum=checksum, fmt=fmt))
