"""The two back-ends of the store behind one small interface.

* :class:`DuckDBBackend`: a file on disk (the embedded default), one writer at a time;
* :class:`PostgresBackend`: a server, reached with a ``postgresql://`` URL through psycopg 3.

SQL is written with ``?`` placeholders; the PostgreSQL back-end turns them into ``%s``. Bulk
rows travel as Arrow tables: DuckDB reads them in place, PostgreSQL gets them by ``COPY``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa

from sparcs.errors import StoreError
from sparcs.store import readings_log
from sparcs.store.meter_changes import file_key

__all__ = ["Backend", "DuckDBBackend", "PostgresBackend", "connect"]


class Backend(Protocol):
    """What the store needs of a database."""

    dialect: str
    where: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame: ...

    def arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table: ...

    def columns(self, sql: str, params: Sequence[Any] = ()) -> dict[str, np.ndarray]: ...

    def load(self, name: str, table: pa.Table) -> None: ...

    def append_rows(self, name: str, table: pa.Table) -> None: ...

    def transaction(self) -> Any: ...

    def close(self) -> None: ...


class DuckDBBackend:
    """A DuckDB database in a file.

    Parameters
    ----------
    path
        The file (made, with its folder, when missing).
    durable
        False: commits are not forced to the disk (``fsync_mode = NONE``), for a store that
        does not outlive the run; a crash of the machine may then leave the file unreadable.
    """

    dialect = "duckdb"

    def __init__(self, path: Path, *, durable: bool = True) -> None:
        import duckdb

        self.where = str(path)
        if path.is_dir():
            msg = (
                f"database {path} is a folder; give a file name, e.g. --db {path / 'sparcs.duckdb'}"
            )
            raise StoreError(msg)
        try:  # a new database in a new folder (--db out/demo.duckdb) makes the folder
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            msg = (
                f"cannot make the folder of database {path}: {exc.strerror or exc}; "
                "choose another --db"
            )
            raise StoreError(msg) from None
        try:
            self._con = duckdb.connect(str(path))
        except duckdb.Error as exc:
            msg = (
                f"cannot open database {path}: {exc}; is another sparcs process using it, "
                "or is it not a DuckDB file?"
            )
            raise StoreError(msg) from None
        self._con.execute("SET TimeZone = 'UTC'")
        if not durable:
            self._con.execute("SET fsync_mode = 'NONE'")
        self._key = file_key(self.dialect, self.where)

    def settle(self) -> None:
        """Write the file's staged batch, if any (:mod:`sparcs.store.staged`), before another
        statement: no connection to the file sees it without the batch."""
        readings_log.settle(self._key)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self.settle()
        return self._con.execute(sql, list(params)).fetchall()

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        self.settle()
        return self._con.execute(sql, list(params)).df()

    def arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        """The result as an Arrow table: bulk reads (millions of rows) without pandas objects."""
        self.settle()
        table: pa.Table = self._con.sql(sql, params=list(params) or None).to_arrow_table()
        return table

    def columns(self, sql: str, params: Sequence[Any] = ()) -> dict[str, np.ndarray]:
        """The result as a NumPy array per column, NULL as NaN in float columns: small reads
        (a live cycle's few dozen rows) at half the cost of an Arrow table."""
        self.settle()
        result = self._con.execute(sql, list(params)).fetchnumpy()
        return {
            name: np.ma.filled(values, np.nan)
            if isinstance(values, np.ma.MaskedArray) and values.dtype.kind == "f"
            else np.asarray(values)
            for name, values in result.items()
        }

    def load(self, name: str, table: pa.Table) -> None:
        """Make ``table`` readable as ``name`` (read in place, no copy) until the next load."""
        self.settle()
        self._con.register(name, table)

    def append_rows(self, name: str, table: pa.Table) -> None:
        """Insert the rows of ``table`` into table ``name`` (the same columns, in its order):
        no view registered and no statement parsed (~0.7 ms less than a :meth:`load` and an
        ``INSERT ... SELECT`` for a live step's few dozen rows)."""
        self.settle()
        self._con.from_arrow(table).insert_into(name)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.settle()
        self._con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    def close(self) -> None:
        try:
            self.settle()
        finally:
            self._con.close()


def _pg_type(dtype: pa.DataType) -> str:
    if pa.types.is_timestamp(dtype):
        return "TIMESTAMPTZ"
    if pa.types.is_floating(dtype):
        return "DOUBLE PRECISION"
    if pa.types.is_integer(dtype):
        return "BIGINT"
    if pa.types.is_boolean(dtype):
        return "BOOLEAN"
    return "TEXT"


class PostgresBackend:
    """A PostgreSQL database reached by URL (psycopg 3).

    Parameters
    ----------
    url
        ``postgresql://…``.
    durable
        False: a commit returns before the server has written it to the disk
        (``synchronous_commit = off``); a crash of the server may lose the last commits,
        never corrupt the database.
    """

    dialect = "postgresql"

    def __init__(self, url: str, *, durable: bool = True) -> None:
        import psycopg

        self.where = _hide_password(url)
        try:
            self._con = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            msg = (
                f"cannot connect to {self.where}: {first}; check the host, port, database "
                "name and credentials of --db / SPARCS_DB"
            )
            raise StoreError(msg) from None
        self._con.execute("SET TIME ZONE 'UTC'")
        if not durable:
            self._con.execute("SET synchronous_commit = off")

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self._con.execute(self._sql(sql), list(params) or None)
        return cursor.fetchall() if cursor.description else []

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        cursor = self._con.execute(self._sql(sql), list(params) or None)
        names = [column.name for column in cursor.description or ()]
        return pd.DataFrame(cursor.fetchall(), columns=names)

    def arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        """The result as an Arrow table (through rows: psycopg has no Arrow output)."""
        return pa.Table.from_pandas(self.frame(sql, params), preserve_index=False)

    def columns(self, sql: str, params: Sequence[Any] = ()) -> dict[str, np.ndarray]:
        """The result as a NumPy array per column (through rows; NULL as None or NaN)."""
        frame = self.frame(sql, params)
        return {name: frame[name].to_numpy() for name in frame.columns}

    def load(self, name: str, table: pa.Table) -> None:
        """Copy ``table`` into the temporary table ``name`` (dropped at commit)."""
        import pyarrow.csv as pacsv

        columns = ", ".join(f"{field.name} {_pg_type(field.type)}" for field in table.schema)
        self._con.execute(f"DROP TABLE IF EXISTS {name}")
        self._con.execute(f"CREATE TEMP TABLE {name} ({columns})")
        buffer = io.BytesIO()
        pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False))
        names = ", ".join(table.schema.names)
        with self._con.cursor().copy(f"COPY {name} ({names}) FROM STDIN (FORMAT csv)") as copy:
            view = buffer.getbuffer()
            for start in range(0, len(view), 1 << 24):
                copy.write(view[start : start + (1 << 24)])

    def append_rows(self, name: str, table: pa.Table) -> None:
        """Insert the rows of ``table`` into table ``name`` (the same columns, in its order)."""
        self.load("appending", table)
        self._con.execute(f"INSERT INTO {name} SELECT * FROM appending")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._con.transaction():
            yield

    def close(self) -> None:
        self._con.close()


def _hide_password(url: str) -> str:
    """``url`` with its password replaced by ``***`` (for messages)."""
    head, sep, tail = url.partition("://")
    if "@" not in tail:
        return url
    credentials, _, host = tail.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{head}{sep}{user}:***@{host}" if ":" in credentials else url


def connect(url: str, *, durable: bool = True) -> Backend:
    """A back-end for ``url``: ``postgresql://…`` (or ``postgres://…``) or a DuckDB file path;
    ``durable`` as :class:`DuckDBBackend` and :class:`PostgresBackend` take it."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresBackend(url, durable=durable)
    if "://" in url:
        msg = (
            f"database {url!r}: unknown kind; give a DuckDB file path (e.g. sparcs.duckdb) "
            "or a postgresql:// URL"
        )
        raise StoreError(msg)
    return DuckDBBackend(Path(url), durable=durable)
