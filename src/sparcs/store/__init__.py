"""The SPARCS store: one interface, two back-ends.

* **DuckDB** in a file, the embedded default: ``./sparcs.duckdb``, or ``--db PATH`` /
  ``SPARCS_DB``;
* **PostgreSQL** for servers, when the URL is ``postgresql://…`` (psycopg 3).

Opening a store applies the schema migrations it lacks (:mod:`sparcs.store.schema`), each
logged and reported; a database newer than the code is refused. Readings go in through
:func:`ingest_file` (one transaction per file) and come back as a table or, through
:mod:`sparcs.monitoring.measured`, as :class:`~sparcs.operation.flows.Flows`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sparcs.store.backends import connect
from sparcs.store.ingest import FileResult, ingest_file, ingest_files, ingest_text
from sparcs.store.schema import MIGRATIONS, Migration, latest_version
from sparcs.store.store import BatchResult, Store

__all__ = [
    "DEFAULT_DB",
    "MIGRATIONS",
    "BatchResult",
    "FileResult",
    "Migration",
    "Store",
    "database_url",
    "ingest_file",
    "ingest_files",
    "ingest_text",
    "latest_version",
    "open_store",
]

#: The embedded default database, in the working folder.
DEFAULT_DB = "sparcs.duckdb"


def database_url(db: str | Path | None = None) -> str:
    """The database to use: ``db``, else ``$SPARCS_DB``, else :data:`DEFAULT_DB`.

    Parameters
    ----------
    db
        A DuckDB file path or a ``postgresql://`` URL; None or empty for the default.

    Returns
    -------
    str
        The path or URL to open.
    """
    if db is not None and str(db):
        return str(db)
    return os.environ.get("SPARCS_DB") or DEFAULT_DB


def open_store(
    db: str | Path | None = None,
    *,
    on_migration: Callable[[Migration], None] | None = None,
    durable: bool = True,
) -> Store:
    """Open (and migrate) the store at ``db`` (a DuckDB path or a ``postgresql://`` URL).

    Parameters
    ----------
    db
        Where; default :func:`database_url`.
    on_migration
        Called with each migration applied (the CLI prints it); they are logged anyway.
    durable
        False for a store nothing outlives (a replay's, a test's): commits are not forced to
        the disk, which cost DuckDB up to ~3 ms a commit on the project's 2-core test
        machine. A crash of the machine may lose the last commits (PostgreSQL) or leave the
        file unreadable (DuckDB); what is committed outlives the process as always.

    Returns
    -------
    Store
        The open store, at the latest schema version; close it (or use ``with``).

    Raises
    ------
    StoreError
        A database that cannot be opened or is newer than this code.
    """
    return Store(connect(database_url(db), durable=durable), on_migration=on_migration)
