"""What a server process keeps between requests, and when it must compute it again.

A value is kept under a key with a *version*: the same key asked for with another version is
computed again. The version of what readings feed (readings pages, citizen pages) is the
:class:`DataStamp`: the newest ingest batch in the store and a count of the changes this
process made itself (account deletions, meters, settings). A request that finds its value
kept for the current version costs a dict look-up: no thread, no lock, no database.

Only one thread computes a missing value; the others asking for the same key wait for it
(without this, 50 requests arriving when a value goes stale would all compute it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool

__all__ = ["DataStamp", "Kept", "WritesChangeData"]

_MISSING = object()


@dataclass
class Kept:
    """Values by key, each with the version it was computed for (single flight per key).

    Examples
    --------
    >>> kept = Kept()
    >>> kept.lookup("a", 1) is None
    True
    >>> kept.compute("a", 1, lambda: "first"), kept.compute("a", 1, lambda: "again")
    ('first', 'first')
    >>> kept.compute("a", 2, lambda: None), kept.lookup("a", 2), kept.lookup("a", 1)
    (None, (None,), None)
    """

    #: Most keys kept; past it the oldest half is dropped (a bound on memory, not an LRU: with
    #: pages of tens of kB, some 100 MB at most).
    limit: int = 5_000
    _values: dict[Hashable, tuple[Any, Any, float]] = field(default_factory=dict)
    _locks: dict[Hashable, threading.Lock] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def lookup(
        self, key: Hashable, version: Any, max_age_s: float | None = None
    ) -> tuple[Any] | None:
        """``(value,)`` when a value is kept for ``key`` at ``version`` (younger than
        ``max_age_s`` [s]); None when it must be computed."""
        found = self._lookup(key, version, max_age_s)
        return None if found is _MISSING else (found,)

    def _lookup(self, key: Hashable, version: Any, max_age_s: float | None) -> Any:
        hit = self._values.get(key)  # one dict read: atomic, no lock needed
        if hit is None or hit[0] != version:
            return _MISSING
        if max_age_s is not None and time.monotonic() - hit[2] >= max_age_s:
            return _MISSING
        return hit[1]

    def compute(
        self,
        key: Hashable,
        version: Any,
        load: Callable[[], Any],
        max_age_s: float | None = None,
    ) -> Any:
        """The kept value, or ``load()`` kept for ``version`` (one thread loads; the rest wait).

        Parameters
        ----------
        key
            What is kept.
        version
            The version the value must have (compared with ``==``).
        load
            Computes the value (may raise: nothing is kept then).
        max_age_s
            Oldest a kept value may be [s]; None for no limit.

        Returns
        -------
        Any
            The value.
        """
        found = self._lookup(key, version, max_age_s)
        if found is not _MISSING:
            return found
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            found = self._lookup(key, version, max_age_s)  # another thread may have loaded it
            if found is not _MISSING:
                return found
            value = load()
            with self._guard:
                if len(self._values) >= self.limit:
                    for old in list(self._values)[: self.limit // 2]:
                        del self._values[old]
                        self._locks.pop(old, None)
                self._values[key] = (version, value, time.monotonic())
            return value

    def drop(self, match: Callable[[Hashable], bool]) -> None:
        """Forget every key for which ``match(key)`` is true."""
        with self._guard:
            for key in [k for k in self._values if match(k)]:
                del self._values[key]


@dataclass
class DataStamp:
    """The version of the store's data as this process knows it.

    ``batch`` is the newest ingest batch id, read from the store at most every ``every_s``
    seconds (other processes, or another connection, may ingest); ``changes`` counts what this
    process changed itself and is exact at once.

    Examples
    --------
    >>> stamp = DataStamp(every_s=60.0)
    >>> stamp.current(now=0.0) is None  # never read: the caller reads the store
    True
    >>> stamp.update(batch=7, now=0.0)
    (7, 0)
    >>> stamp.changed(); stamp.current(now=1.0)
    (7, 1)
    >>> stamp.current(now=61.0) is None
    True
    """

    every_s: float = 1.0
    batch: int = -1
    changes: int = 0
    read_at: float = float("-inf")
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def current(self, now: float | None = None) -> tuple[int, int] | None:
        """The version, or None when the store must be read again (:meth:`update`)."""
        moment = time.monotonic() if now is None else now
        if moment - self.read_at >= self.every_s:
            return None
        return (self.batch, self.changes)

    def update(self, batch: int, now: float | None = None) -> tuple[int, int]:
        """Record the newest batch id just read from the store; return the version."""
        with self._lock:
            self.batch = batch
            self.read_at = time.monotonic() if now is None else now
            return (self.batch, self.changes)

    def changed(self) -> None:
        """This process changed data that kept values depend on."""
        with self._lock:
            self.changes += 1


class WritesChangeData:
    """ASGI middleware: a request that may write (not GET, HEAD or OPTIONS) moves the process's
    :class:`DataStamp` on before its answer goes out (the write is committed by then), so no
    later request gets a value kept from before it; on PostgreSQL the other processes are told
    too (:func:`sparcs.store.changes.notify_change`).

    Parameters
    ----------
    app
        The ASGI app (its ``state.sparcs`` is the :class:`~sparcs.server.state.ServerState`).
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        state = getattr(scope["app"].state, "sparcs", None)

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start" and state is not None:
                state.note_change()
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            if state is not None:
                state.note_change()  # also when the request failed half-way
                if state.shares_store:
                    await run_in_threadpool(state.tell_others)
