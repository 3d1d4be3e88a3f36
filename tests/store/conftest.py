"""Every store test runs on both back-ends: a DuckDB file and a throw-away PostgreSQL cluster.

The cluster starts once per test session (per xdist worker) and each test gets a fresh
database in it. A machine without PostgreSQL fails here with the install command: the
project runs no skipped tests (``scripts/test`` installs Debian's ``postgresql``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sparcs.errors import StoreError
from sparcs.store import Store, open_store
from sparcs.store.local_server import LocalServer


@pytest.fixture(scope="session")
def pg_server() -> Iterator[LocalServer]:
    try:
        server = LocalServer()
        server.start()
    except StoreError as exc:
        pytest.fail(f"the store tests need PostgreSQL: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["duckdb", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "duckdb":
        return str(tmp_path / "sparcs.duckdb")
    return request.getfixturevalue("pg_server").new_database()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened
