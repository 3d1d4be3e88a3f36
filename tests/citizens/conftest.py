"""Fixtures of the citizen tests: the town behind a TestClient (no job worker)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from town import Town, populate

from sparcs.server import ServerSettings, create_app
from sparcs.store import open_store


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Town]:
    folder = tmp_path_factory.mktemp("town")
    db = str(folder / "sparcs.duckdb")
    with open_store(db) as store:
        made: dict[str, Any] = populate(store)
    settings = ServerSettings(db=db, data_dir=folder / "data", rate_limit_per_minute=100_000,
                              run_jobs=False)  # fmt: skip
    with TestClient(create_app(settings)) as client:
        yield Town(client, made["tokens"], made["scenario"], db)
