"""Schemathesis over the OpenAPI document, on a real uvicorn server: every operation, a few
generated requests each (bounded to keep CI short), as an admin and as a scoped planner.
No response may be a server error (5xx) or break the documented schema or content type."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)
from served import LiveServer, populate

from sparcs.server import ServerSettings, create_app
from sparcs.store import open_store
from sparcs.store.tokens import create_token


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    db = str(folder / "sparcs.duckdb")
    with open_store(db) as store:
        populate(store)
        tokens = {
            "admin": create_token(store, role="admin")[0],
            "planner": create_token(store, role="planner", district="centro")[0],
        }
    # no job worker: a fuzzed POST /runs queues work that is never started
    config = ServerSettings(
        db=db, data_dir=folder / "data", rate_limit_per_minute=10**6, run_jobs=False
    )
    with LiveServer(config) as server:
        yield {"url": server.url, "tokens": tokens}


def _document() -> dict[str, Any]:
    """The app's OpenAPI document (made without starting the app: no store is opened)."""
    app = create_app(ServerSettings(db="unused.duckdb", data_dir=Path("unused")))
    return app.openapi()


@schemathesis.serializer("application/toml")
def _toml_text(ctx: Any, value: Any) -> bytes:
    """A generated TOML body (a string in the schema) as its UTF-8 bytes."""
    return str(value).encode("utf-8", "surrogatepass")


schema = schemathesis.openapi.from_dict(_document())
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
BOUNDED = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _fuzz(case: Any, live: dict[str, Any], role: str) -> None:
    # computed operations (green hours, plan vs actual) simulate a year: fuzzed with the rest
    case.call_and_validate(
        base_url=live["url"],
        headers={"Authorization": f"Bearer {live['tokens'][role]}"},
        checks=CHECKS,
        timeout=120,
    )


@schema.parametrize()
@BOUNDED
def test_fuzz_as_admin(case: Any, live: dict[str, Any]) -> None:
    _fuzz(case, live, "admin")


@schema.parametrize()
@BOUNDED
def test_fuzz_as_scoped_planner(case: Any, live: dict[str, Any]) -> None:
    _fuzz(case, live, "planner")
