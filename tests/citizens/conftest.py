"""Fixtures of the citizen tests: the town behind a TestClient (no job worker)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))
from town import populate  # noqa: E402

from sparcs.server import ServerSettings, create_app  # noqa: E402
from sparcs.store import open_store  # noqa: E402


@dataclass
class Town:
    """The served town: a client, tokens by name, the scenario id, the database."""

    client: TestClient
    tokens: dict[str, str]
    scenario: str
    db: str

    def bearer(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}

    def login(self, name: str) -> None:
        self.client.cookies.set("sparcs_token", self.tokens[name])


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
