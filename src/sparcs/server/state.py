"""What one server process holds: the open store behind a lock, the rate limiter, the jobs.

The store is one connection (DuckDB allows one writer per file; one PostgreSQL connection
per process is plenty for this load). Requests run on a thread pool, so every use of the
store goes through :meth:`ServerState.store`, which holds a lock: statements are short, the
engine work (simulations) runs outside it.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sparcs.server.settings import ServerSettings
from sparcs.store import Store, open_store

__all__ = ["RateLimiter", "ServerState"]


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
        settings.data_dir.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def store(self) -> Iterator[Store]:
        """The store, for the duration of a ``with`` block (one thread at a time)."""
        with self._lock:
            yield self._store

    def memo(self, key: str, load: Callable[[], Any], ttl_s: float = 5.0) -> Any:
        """``load()``, kept for ``ttl_s`` [s] (other processes may change the store too)."""
        now = time.monotonic()
        with self.cache_lock:
            hit = self.cache.get("memo:" + key)
        if hit is not None and now - hit[0] < ttl_s:
            return hit[1]
        value = load()
        with self.cache_lock:
            self.cache["memo:" + key] = (now, value)
        return value

    def forget(self, key: str) -> None:
        """Drop a :meth:`memo` value (this process changed what it holds)."""
        with self.cache_lock:
            self.cache.pop("memo:" + key, None)

    def close(self) -> None:
        """Close the store."""
        with self._lock:
            self._store.close()
