"""What one server process holds: the open store behind a lock, the rate limiter, the jobs,
and what it keeps between requests (:mod:`sparcs.server.cache`).

The store is one connection (DuckDB allows one writer per file; one PostgreSQL connection
per process is plenty for this load). Requests run on a thread pool, so every use of the
store goes through :meth:`ServerState.store`, which holds a lock: statements are short, the
engine work (simulations) runs outside it. The hot reads (KPIs, readings, citizen pages)
are answered from kept values, so most requests never take that lock.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from sparcs.server.cache import DataStamp, Kept
from sparcs.server.settings import ServerSettings
from sparcs.store import Store, open_store
from sparcs.store.changes import listen_for_changes, notify_change

__all__ = ["RateLimiter", "ServerState"]

T = TypeVar("T")


@dataclass
class RateLimiter:
    """At most ``per_minute`` requests per key in any 60 s (a sliding window).

    Examples
    --------
    >>> limiter = RateLimiter(2)
    >>> [limiter.wait_s("t", now=0.0), limiter.wait_s("t", now=1.0), limiter.wait_s("t", now=2.0)]
    [0.0, 0.0, 58.0]
    """

    per_minute: int
    _hits: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_s(self, key: str, *, now: float | None = None) -> float:
        """Count a request of ``key``; return 0 when allowed, else the seconds to wait [s]."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= moment - 60.0:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return max(0.0, hits[0] + 60.0 - moment)
            hits.append(moment)
            return 0.0


class ServerState:
    """The store, the limiter and the job wake-up of one server process."""

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self._store = open_store(settings.db)
        self._lock = threading.RLock()
        self.limiter = RateLimiter(settings.rate_limit_per_minute)
        self.wake = threading.Event()
        self.cache: dict[str, Any] = {}
        self.cache_lock = threading.Lock()
        self.kept = Kept()
        self.stamp = DataStamp()
        self._stop = threading.Event()  # other processes' writes (PostgreSQL) move the stamp
        self._listener = listen_for_changes(settings.db, self.note_change, self._stop)
        settings.data_dir.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def store(self) -> Iterator[Store]:
        """The store, for the duration of a ``with`` block (one thread at a time)."""
        with self._lock:
            yield self._store

    def memo(self, key: str, load: Callable[[], Any], ttl_s: float = 5.0) -> Any:
        """``load()``, kept for ``ttl_s`` [s] (other processes may change the store too)."""
        return self.kept.compute(("memo", key), None, load, max_age_s=ttl_s)

    async def recall(
        self,
        key: Hashable,
        version: Any,
        load: Callable[[], T],
        max_age_s: float | None = None,
    ) -> T:
        """The value kept for ``key`` at ``version`` at once (no thread); else ``load()`` on the
        thread pool, kept (see :meth:`~sparcs.server.cache.Kept.compute`)."""
        hit = self.kept.lookup(key, version, max_age_s)
        if hit is not None:
            found: T = hit[0]
            return found
        value: T = await run_in_threadpool(self.kept.compute, key, version, load, max_age_s)
        return value

    async def memo_async(self, key: str, load: Callable[[], T], ttl_s: float = 5.0) -> T:
        """:meth:`memo` for async routes: a kept value costs no thread."""
        return await self.recall(("memo", key), None, load, ttl_s)

    def forget(self, key: str) -> None:
        """Drop a :meth:`memo` value (this process changed what it holds)."""
        self.kept.drop(lambda k: k == ("memo", key))

    def data_version(self) -> tuple[int, int]:
        """The version of the readings (:class:`~sparcs.server.cache.DataStamp`); reads the
        newest ingest batch from the store when the last read is over a second old."""
        found = self.stamp.current()
        if found is not None:
            return found
        with self.store() as store:
            ((batch,),) = store.backend.execute("SELECT coalesce(max(id), 0) FROM ingest_batches")
        return self.stamp.update(int(batch))

    def changed(self) -> None:
        """This process may have changed data: kept values go, here and in the other
        processes on the same PostgreSQL database."""
        self.note_change()
        self.tell_others()

    @property
    def shares_store(self) -> bool:
        """True when other processes may use the store too (PostgreSQL)."""
        return self._listener is not None

    def tell_others(self) -> None:
        """Notify the other processes on the store that data changed (PostgreSQL only)."""
        if self.shares_store:
            with self.store() as store:
                notify_change(store)

    def note_change(self) -> None:
        """Data changed (here or in another process): what was kept is computed again."""
        self.stamp.changed()
        self.kept.drop(lambda k: isinstance(k, tuple) and k[0] == "memo")

    def close(self) -> None:
        """Stop listening and close the store."""
        self._stop.set()
        if self._listener is not None:
            self._listener.join(5)
        with self._lock:
            self._store.close()
