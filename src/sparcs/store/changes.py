"""Tell the other processes on the same PostgreSQL database that this one changed data.

Server processes keep what they read (``sparcs serve``); a process that writes tells the others
with ``NOTIFY``, and each listens on its own connection, so a value kept by one worker process
never outlives a write made through another. A DuckDB file has one process: nothing to tell.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sparcs.store.store import Store

__all__ = ["CHANNEL", "listen_for_changes", "notify_change"]

log = logging.getLogger("sparcs.store")
#: The PostgreSQL notification channel.
CHANNEL = "sparcs_changed"


def notify_change(store: Store) -> None:
    """Tell every listening process that data changed (PostgreSQL; nothing on DuckDB).

    Parameters
    ----------
    store
        The open store.
    """
    if store.dialect == "postgresql":
        store.backend.execute(f"NOTIFY {CHANNEL}")


def listen_for_changes(
    url: str, on_change: Callable[[], None], stop: threading.Event
) -> threading.Thread | None:
    """Call ``on_change`` on every change another process notifies, until ``stop`` is set.

    Parameters
    ----------
    url
        The store's URL; only a ``postgresql://`` one is listened to.
    on_change
        Called from the listening thread.
    stop
        Set it to end the thread (it notices within a second).

    Returns
    -------
    threading.Thread or None
        The started daemon thread; None for a DuckDB file.
    """
    if not url.startswith(("postgresql://", "postgres://")):
        return None
    import psycopg

    connection = psycopg.connect(url, autocommit=True, connect_timeout=10)
    connection.execute(f"LISTEN {CHANNEL}")

    def listen() -> None:
        try:
            with connection:
                while not stop.is_set():
                    for _ in connection.notifies(timeout=1.0):
                        on_change()
        except psycopg.Error as exc:  # the database went away: kept values may go stale
            log.warning("stopped listening for changes of other processes: %s", exc)
            on_change()

    thread = threading.Thread(target=listen, name="sparcs-changes", daemon=True)
    thread.start()
    return thread
