"""Fixtures of the server tests (helpers in :mod:`served`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from served import World, populate, wait_for_job

from sparcs.errors import StoreError
from sparcs.server import ServerSettings, create_app
from sparcs.store import open_store
from sparcs.store.local_server import LocalServer
from sparcs.store.tokens import create_token


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("served")
    db, data_dir = str(folder / "sparcs.duckdb"), folder / "data"
    with open_store(db) as store:
        ids = populate(store)
        tokens = {
            "admin": create_token(store, role="admin")[0],
            "planner": create_token(store, role="planner", district="centro")[0],
            "operator": create_token(store, role="operator", district="centro")[0],
            "citizen": create_token(store, role="citizen", household="h1")[0],
        }
    admin = {"Authorization": f"Bearer {tokens['admin']}"}
    settings = ServerSettings(db=db, data_dir=data_dir, rate_limit_per_minute=100_000)
    with TestClient(create_app(settings)) as client:  # one real run, through the worker
        for key in ("s-centro", "s-norte"):
            started = client.post("/api/v1/runs", json={"scenario": ids[key]}, headers=admin).json()
            ids[key.replace("s-", "r-")] = started["run"]
            ids[key.replace("s-", "j-")] = started["job"]
        for key in ("j-centro", "j-norte"):
            assert wait_for_job(client, ids[key], admin)["status"] == "done"
    quiet = ServerSettings(db=db, data_dir=data_dir, rate_limit_per_minute=100_000, run_jobs=False)
    with TestClient(create_app(quiet)) as client:
        yield World(client, tokens, ids, db, data_dir)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[LocalServer]:
    try:
        server = LocalServer()
        server.start()
    except StoreError as exc:
        pytest.fail(f"the server tests need PostgreSQL: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()
