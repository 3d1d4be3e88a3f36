"""Jobs live in the store: after a restart, queued jobs run and running ones fail with the reason.
The same on PostgreSQL, with tokens made, used and revoked there."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from served import SMALL, wait_for_job

from sparcs.server import ServerSettings, create_app
from sparcs.server.worker import RESTART_REASON
from sparcs.store import open_store
from sparcs.store.jobs import claim_job, get_job
from sparcs.store.local_server import LocalServer
from sparcs.store.network import City, District, put_record
from sparcs.store.plans import get_run
from sparcs.store.tokens import create_token


def _settings(db: str, folder: Path, *, run_jobs: bool) -> ServerSettings:
    return ServerSettings(db=db, data_dir=folder / "data", run_jobs=run_jobs)


def _queue_two(client: TestClient, headers: dict[str, str]) -> tuple[dict[str, object], ...]:
    scenario = client.post(
        "/api/v1/scenarios", content=SMALL.read_bytes(),
        headers=headers | {"Content-Type": "application/toml"},
    ).json()["id"]  # fmt: skip
    return tuple(
        client.post("/api/v1/runs", json={"scenario": scenario}, headers=headers).json()
        for _ in range(2)
    )


def test_after_a_restart_queued_jobs_run_and_running_ones_fail(tmp_path: Path) -> None:
    db = str(tmp_path / "sparcs.duckdb")
    with open_store(db) as store:
        token = create_token(store, role="admin")[0]
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(_settings(db, tmp_path, run_jobs=False))) as client:
        first, second = _queue_two(client, headers)
        assert (
            client.get(f"/api/v1/jobs/{first['job']}", headers=headers).json()["status"] == "queued"
        )
        assert client.get("/health").json()["jobs"]["queued"] == 2
    with open_store(db) as store:  # a worker took the first job, then the server died
        taken = claim_job(store)
        assert taken is not None and taken.id == first["job"]
    with TestClient(create_app(_settings(db, tmp_path, run_jobs=True))) as client:
        failed = client.get(f"/api/v1/jobs/{first['job']}", headers=headers).json()
        assert failed["status"] == "failed" and failed["errors"] == [RESTART_REASON]
        assert (
            client.get(f"/api/v1/runs/{first['run']}", headers=headers).json()["status"] == "failed"
        )
        resumed = wait_for_job(client, str(second["job"]), headers)
        assert resumed["status"] == "done", resumed
        kpis = client.get(f"/api/v1/runs/{second['run']}/kpis", headers=headers)
        assert kpis.status_code == 200 and "ped" in kpis.json()
        stale = client.get(f"/api/v1/runs/{first['run']}/kpis", headers=headers)
        assert stale.status_code == 409 and "failed" in stale.json()["detail"]


def test_tokens_and_jobs_on_postgresql(pg_server: LocalServer, tmp_path: Path) -> None:
    url = pg_server.new_database()
    with open_store(url) as store:
        put_record(store, City("maia", "Maia", "Europe/Lisbon"))
        put_record(store, District("centro", "maia", "Centro"))
        admin = create_token(store, role="admin")[0]
    headers = {"Authorization": f"Bearer {admin}"}
    with TestClient(create_app(_settings(url, tmp_path, run_jobs=False))) as client:
        assert client.get("/health").json()["store"]["dialect"] == "postgresql"
        made = client.post(
            "/api/v1/tokens", json={"role": "planner", "district": "centro", "expires": "1d"},
            headers=headers,
        )  # fmt: skip
        assert made.status_code == 201 and made.json()["city"] == "maia"
        planner = {"Authorization": f"Bearer {made.json()['token']}"}
        scenario = client.post(
            "/api/v1/scenarios", content=SMALL.read_bytes(),
            headers=planner | {"Content-Type": "application/toml"},
        )  # fmt: skip
        assert scenario.status_code == 201, scenario.text
        started = client.post(
            "/api/v1/runs", json={"scenario": scenario.json()["id"]}, headers=planner
        )
        assert started.status_code == 202
        job = client.get(f"/api/v1/jobs/{started.json()['job']}", headers=planner).json()
        assert job["status"] == "queued" and job["run"] == started.json()["run"]
        assert (
            client.delete(f"/api/v1/tokens/{made.json()['id']}", headers=headers).status_code == 204
        )
        assert client.get("/api/v1/runs", headers=planner).status_code == 401
        listed = client.get("/api/v1/tokens", headers=headers).json()["items"]
        assert [t["revoked_at"] is not None for t in listed if t["id"] == made.json()["id"]] == [
            True
        ]
    with open_store(url) as store:
        stored = get_job(store, started.json()["job"])
        assert stored is not None and stored.district == "centro"
        run = get_run(store, started.json()["run"])
        assert run is not None and run.status == "queued"
        secrets = [row[0] for row in store.backend.execute("SELECT hash FROM tokens")]
        assert made.json()["token"] not in secrets and all(len(h) == 64 for h in secrets)
