"""The readings this process appended to a DuckDB file, kept for its readers.

A live cycle reads what the meters sent since its last cycle
(:func:`sparcs.store.recent.readings_since`: ~1.4 ms of DuckDB in a ~25 ms cycle). When that
is the rows of batches this process appended, they are here, and the reader takes them
instead (:mod:`sparcs.live.recent`).

A DuckDB file is written by one process at a time (DuckDB locks it), and in this process its
readings change only through :meth:`~sparcs.store.Store.write_batch`,
:func:`~sparcs.store.append.append_batch` and the deletion of a household's data. Each holds
:func:`writing` over its whole transaction: the file's count of changes rises when the
transaction ends (committed or not), and a committed append leaves its rows here. A reader
reads under :func:`reading`, which holds the same lock, so what it read is the file at that
count: when every change since is an append kept here, their rows are all that is new.

A batch may also be staged (:mod:`sparcs.store.staged`): its rows are here, counted as an
append, before its transaction runs. It runs before any other statement on the file,
through any store (a DuckDB connection calls :func:`settle` first), so before anything else
reads or writes the file; when it fails, the file's readers start afresh (:func:`forget`:
its rows may have gone to readers that will not find them stored).

Rows this process did not write (another process's, or SQL that bypasses the writers above)
are not known here: whoever writes readings must do it through :func:`writing`. Opening a
store (:func:`opened`) forgets what was known of its file, which another process may have
written before. A PostgreSQL database is written by other processes: its key is None,
nothing is kept, every read reads.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "Appended",
    "Writing",
    "appended_since",
    "forget",
    "held",
    "opened",
    "reading",
    "set_latest",
    "settle",
    "stage",
    "unstage",
    "writing",
]

#: Appends kept per file: a reader more than this many changes behind reads the store.
KEPT = 8


@dataclass(frozen=True)
class Appended:
    """The rows one committed append stored.

    Attributes
    ----------
    count
        The file's count of changes once it was committed.
    batch
        Its batch number.
    meter, time, value
        Meter code, UTC time [ns since the epoch] and value (NaN: reported missing) per row.
        A code stays its meter's while the append is kept: a meter is deleted only under
        :func:`writing`, which makes readers read the store again.
    """

    count: int
    batch: int
    meter: np.ndarray
    time: np.ndarray
    value: np.ndarray


@dataclass
class _File:
    count: int = 0
    latest: int | None = None  # no stored reading is later [ns]; None: not known
    appended: deque[Appended] = field(default_factory=lambda: deque(maxlen=KEPT))
    epoch: int = 0  # raised by forget(): what readers hold may not be stored
    staged: Callable[[], object] | None = None  # writes the staged batch to the file


_lock = threading.RLock()
_files: dict[str, _File] = {}


class Writing:
    """What a writer tells the log about its transaction (:func:`writing`)."""

    def __init__(self) -> None:
        self.rows: tuple[int, np.ndarray, np.ndarray, np.ndarray] | None = None
        self.latest: int | None = None

    def added(self, time: np.ndarray) -> None:
        """Readings at ``time`` [ns, UTC] were (or may have been) stored."""
        if np.size(time):
            top = int(np.max(time))
            self.latest = top if self.latest is None else max(self.latest, top)

    def appended(self, batch: int, meter: np.ndarray, time: np.ndarray, value: np.ndarray) -> None:
        """The transaction stored exactly these rows, as batch ``batch``."""
        self.rows = (batch, meter, time, value)
        self.added(time)


@contextmanager
def writing(key: str | None) -> Iterator[Writing]:
    """Hold the log of file ``key`` over a transaction that changes its readings.

    Parameters
    ----------
    key
        The store's :attr:`~sparcs.store.Store.file_key`; None (PostgreSQL) keeps nothing.

    Yields
    ------
    Writing
        Tell it the times stored (:meth:`Writing.added`), or an append's rows
        (:meth:`Writing.appended`); kept only when the block ends without an exception.
    """
    told = Writing()
    if key is None:
        yield told
        return
    with _lock:
        file = _files.setdefault(key, _File())
        committed = False
        try:
            yield told
            committed = True
        finally:  # committed, rolled back or not: a change readers see by the count
            file.count += 1
            if file.latest is not None and told.latest is not None:
                file.latest = max(file.latest, told.latest)
            if committed and told.rows is not None:
                batch, meter, time, value = told.rows
                file.appended.append(Appended(file.count, batch, meter, time, value))


def opened(key: str | None) -> None:
    """Forget what is known of file ``key``: a store opens it (another process may have
    written it since); its readers read the store at their next update.

    Parameters
    ----------
    key
        The store's :attr:`~sparcs.store.Store.file_key`; None (PostgreSQL) does nothing.
    """
    if key is None:
        return
    with _lock:
        file = _files.setdefault(key, _File())
        file.count += 1
        file.latest = None
        file.appended.clear()


def stage(
    key: str,
    batch: int,
    meter: np.ndarray,
    time: np.ndarray,
    value: np.ndarray,
    write: Callable[[], object],
) -> None:
    """Count a staged append of file ``key`` and keep its rows, as if it were committed.

    Call it under :func:`held`, where the rows' meter codes were looked up: a meter is
    deleted only by statements on the file, which write the batch first, so the codes stay
    their meters' until ``write`` has run.

    Parameters
    ----------
    key
        The store's :attr:`~sparcs.store.Store.file_key`.
    batch, meter, time, value
        As :class:`Appended` holds them.
    write
        Writes the batch to the file; called once, by :func:`settle` or by its owner. It
        calls :func:`unstage` first, and :func:`forget` when the file refuses the batch.
    """
    with _lock:
        with writing(key) as told:  # counted and kept as a committed append is
            told.appended(batch, meter, time, value)
        _files[key].staged = write


@contextmanager
def held(key: str) -> Iterator[None]:
    """Hold the log of file ``key`` (no writer of this process changes its readings
    meanwhile), its staged batch settled first."""
    with _lock:
        settle(key)
        yield


def unstage(key: str, write: Callable[[], object]) -> None:
    """``write`` ran (or runs now): :func:`settle` no longer calls it."""
    with _lock:
        file = _files.get(key)
        if file is not None and file.staged == write:  # a bound method: equal, not the same
            file.staged = None


def settle(key: str | None) -> None:
    """Write the staged batch of file ``key`` to the file, if there is one (its failure is
    raised here). None (PostgreSQL) does nothing."""
    if key is None:
        return
    file = _files.get(key)
    if file is None or file.staged is None:  # every statement asks: no lock for the usual no
        return
    with _lock:
        write, file.staged = file.staged, None
        if write is not None:
            write()


def forget(key: str) -> None:
    """What this process told readers of file ``key`` may not be stored (a staged batch
    failed): every reader reads the store afresh at its next update."""
    with _lock:
        file = _files.setdefault(key, _File())
        file.count += 1
        file.epoch += 1
        file.latest = None
        file.appended.clear()


@contextmanager
def reading(key: str) -> Iterator[tuple[int, int | None, int]]:
    """Hold the log of file ``key`` (no writer of this process changes it meanwhile).

    Parameters
    ----------
    key
        The store's :attr:`~sparcs.store.Store.file_key`.

    Yields
    ------
    count, latest, epoch
        The file's count of changes, a time no stored reading is later than [ns, UTC]
        (None when not known yet: :func:`set_latest`), and the number of times readers
        were told to start afresh (:func:`forget`). A staged batch counts as stored (any
        statement on the file writes it first).
    """
    with _lock:
        file = _files.setdefault(key, _File())
        yield file.count, file.latest, file.epoch


def set_latest(key: str, latest: int) -> None:
    """Record that no reading of file ``key`` is later than ``latest`` [ns, UTC]; call it
    under :func:`reading`, with what was read there (writers keep it up to date after)."""
    with _lock:
        _files.setdefault(key, _File()).latest = latest


def appended_since(key: str, count: int) -> list[Appended] | None:
    """The appends of file ``key`` after its count ``count``, in order.

    Parameters
    ----------
    key
        The store's :attr:`~sparcs.store.Store.file_key`.
    count
        The count at which the reader read the file (under :func:`reading`).

    Returns
    -------
    list of Appended or None
        Every change since, when each was an append kept here; None when some other change
        came, or one no longer kept (then read the store).
    """
    with _lock:
        file = _files.setdefault(key, _File())
        later = [a for a in file.appended if a.count > count]
        if [a.count for a in later] != list(range(count + 1, file.count + 1)):
            return None
        return later
