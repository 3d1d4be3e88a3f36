"""How often this process changed a DuckDB file's meters: lets a reader keep their codes.

A live cycle needs every meter's code (:func:`sparcs.store.recent.meter_codes`); reading
them costs DuckDB ~0.6 ms of a ~25 ms cycle. A DuckDB file is written by one
process at a time (DuckDB locks it), and in this process its meters change only through
:meth:`~sparcs.store.Store.put_meters` and the deletion of a household's data, which count
each change here once it is committed. A reader that read the meters at count ``n`` holds
what it read while the count is still ``n``. A PostgreSQL database is written by other
processes too: :func:`file_key` is None for it, and its meters are read every time.
"""

from __future__ import annotations

import threading
from pathlib import Path

__all__ = ["changes", "count_change", "file_key"]

_lock = threading.Lock()
_changes: dict[str, int] = {}  # DuckDB file (resolved) → changes of its meters made here


def file_key(dialect: str, where: str) -> str | None:
    """The key of a store's DuckDB file (its resolved path), or None for a PostgreSQL one.

    Parameters
    ----------
    dialect
        ``"duckdb"`` or ``"postgresql"``.
    where
        The store's path (DuckDB) or URL.

    Returns
    -------
    str or None
        The key under which the file's meter changes are counted.
    """
    return str(Path(where).resolve()) if dialect == "duckdb" else None


def changes(key: str) -> int:
    """How many meter changes of the file ``key`` this process has committed.

    Parameters
    ----------
    key
        A :func:`file_key`.

    Returns
    -------
    int
        The count (0 before the first).
    """
    with _lock:
        return _changes.get(key, 0)


def count_change(key: str | None) -> None:
    """Count a change of the meters of file ``key``; call it after the change is committed
    (or rolled back), never before: a reader that reads between a count and the commit would
    keep the meters as they were.

    Parameters
    ----------
    key
        A :func:`file_key`; None (PostgreSQL) counts nothing.
    """
    if key is None:
        return
    with _lock:
        _changes[key] = _changes.get(key, 0) + 1
