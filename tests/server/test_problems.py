"""Errors are RFC 9457 problem details naming every field; limits answer 429 with Retry-After."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from served import SMALL, World

from sparcs.server import ServerSettings, create_app
from sparcs.store import open_store
from sparcs.store.tokens import create_token

BAD_TOML = """
name = ""
year = 1800
[site]
city = "atlantis"
[[buildings]]
id = "b1"
use = "castle"
floor_area_m2 = -5
"""


def _post_scenario(world: World, body: str, kind: str = "application/toml") -> dict[str, object]:
    response = world.client.post(
        "/api/v1/scenarios?district=centro", content=body,
        headers=world.auth("planner") | {"Content-Type": kind},
    )  # fmt: skip
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, object] = response.json()
    assert problem["status"] == 422 and problem["title"] == "Invalid input"
    return problem


def test_every_field_error_of_a_scenario_is_listed(world: World) -> None:
    problem = _post_scenario(world, BAD_TOML)
    locations = {e["location"] for e in problem["errors"]}  # type: ignore[attr-defined]
    assert {"name", "year", "site", "buildings[0].use", "buildings[0].floor_area_m2"} <= locations
    assert any("atlantis" in e["message"] for e in problem["errors"])  # type: ignore[attr-defined]


def test_a_json_scenario_is_checked_by_the_same_loader(world: World) -> None:
    good = world.client.post(
        "/api/v1/scenarios?district=centro",
        content=json.dumps({"name": "j", "site": {"city": "maia"}, "buildings": [
            {"id": "b", "use": "office", "floor_area_m2": 500}]}),
        headers=world.auth("planner") | {"Content-Type": "application/json"},
    )  # fmt: skip
    assert good.status_code == 201 and good.headers["location"].endswith(good.json()["id"])
    problem = _post_scenario(world, json.dumps({"name": "j", "site": {"city": "maia"},
                                                "buildings": [{"id": "b", "use": "office"}]}),
                             "application/json")  # fmt: skip
    assert [e["location"] for e in problem["errors"]] == ["buildings[0].floor_area_m2"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ("name = [", ""),
        (SMALL.read_text() + '\n[weather]\nfile = "/etc/passwd"\n', "weather.file"),
        ('baseline = "../other.toml"\n' + SMALL.read_text(), "baseline"),
    ],
    ids=["syntax", "weather-file", "baseline-file"],
)
def test_syntax_errors_and_named_files_are_refused(world: World, body: str, where: str) -> None:
    problem = _post_scenario(world, body)
    assert [e["location"] for e in problem["errors"]] == [where]  # type: ignore[attr-defined]


def test_wrong_media_type_and_bad_query_values(world: World) -> None:
    wrong = world.client.post(
        "/api/v1/scenarios",
        content=b"x",
        headers=world.auth("admin") | {"Content-Type": "image/png"},
    )
    assert wrong.status_code == 415 and wrong.headers["content-type"] == "application/problem+json"
    naive = world.client.get(
        "/api/v1/readings", params={"start": "2025-03-01T00:00"}, headers=world.auth("admin")
    )
    assert naive.status_code == 422
    assert naive.json()["errors"][0]["location"] == "query.start"
    assert "no UTC offset" in naive.json()["detail"]
    strategy = world.client.post(
        "/api/v1/runs", json={"scenario": world.ids["s-centro"], "strategy": "fast"},
        headers=world.auth("admin"),
    )  # fmt: skip
    assert strategy.status_code == 422
    assert strategy.json()["errors"][0]["location"] == "body.strategy"
    unknown = world.client.get("/api/v1/nothing-here", headers=world.auth("admin"))
    assert (
        unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"
    )


def test_a_result_of_an_unfinished_run_is_409(world: World) -> None:
    queued = world.client.post(
        "/api/v1/runs", json={"scenario": world.ids["s-centro"]}, headers=world.auth("planner")
    ).json()  # the worker of this app is off: the run stays queued
    response = world.client.get(f"/api/v1/runs/{queued['run']}/kpis", headers=world.auth("planner"))
    assert response.status_code == 409 and "queued" in response.json()["detail"]


def test_results_carry_etag_and_last_modified(world: World) -> None:
    path = f"/api/v1/runs/{world.ids['r-centro']}/kpis"
    first = world.client.get(path, headers=world.auth("planner"))
    assert first.status_code == 200 and first.headers["last-modified"].endswith("GMT")
    again = world.client.get(
        path, headers=world.auth("planner") | {"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""


def test_rate_limit_answers_429_with_retry_after(tmp_path: Path) -> None:
    db = str(tmp_path / "sparcs.duckdb")
    with open_store(db) as store:
        token = create_token(store, role="admin")[0]
        other = create_token(store, role="admin")[0]
    settings = ServerSettings(db=db, data_dir=tmp_path, rate_limit_per_minute=3, run_jobs=False)
    with TestClient(create_app(settings)) as client:
        codes = [
            client.get("/api/v1/cities", headers={"Authorization": f"Bearer {token}"}).status_code
            for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        limited = client.get("/api/v1/cities", headers={"Authorization": f"Bearer {token}"})
        assert 55 <= int(limited.headers["retry-after"]) <= 60
        assert limited.headers["content-type"] == "application/problem+json"
        # the limit is per token
        assert (
            client.get("/api/v1/cities", headers={"Authorization": f"Bearer {other}"}).status_code
            == 200
        )


def test_an_expired_token_is_refused(tmp_path: Path) -> None:
    from datetime import timedelta

    db = str(tmp_path / "sparcs.duckdb")
    with open_store(db) as store:
        token = create_token(store, role="admin", expires=timedelta(minutes=1))[0]
        store.backend.execute("UPDATE tokens SET expires_at = created_at - INTERVAL 1 MINUTE")
    with TestClient(create_app(ServerSettings(db=db, data_dir=tmp_path, run_jobs=False))) as client:
        response = client.get("/api/v1/cities", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401 and "expired" in response.json()["detail"]
