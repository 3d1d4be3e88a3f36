"""End to end on a real server: ``sparcs token create``, ``sparcs serve`` (uvicorn on a loopback
port, in its own process), a scenario uploaded, a run started and polled, its kpis.json fetched:
the same bytes ``sparcs run`` writes for the same file."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx2
from served import SMALL, free_port, wait_for_job
from typer.testing import CliRunner

from sparcs.cli.app import app

CLI = [sys.executable, "-m", "sparcs.cli"]


def _wait_up(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, server.communicate()[0]
        try:
            if httpx2.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx2.TransportError:
            time.sleep(0.2)
    raise AssertionError("sparcs serve did not answer /health")


def test_a_run_through_the_api_gives_the_cli_kpis(tmp_path: Path) -> None:
    db = str(tmp_path / "sparcs.duckdb")
    made = subprocess.run(
        [*CLI, "token", "create", "--role", "admin", "--db", db],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    token = made.stdout.strip()
    assert token.startswith("sparcs_") and "\n" not in token  # the token alone on stdout
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*CLI, "serve", "--db", db, "--port", str(port), "--data-dir", str(tmp_path / "data")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        _wait_up(url, server)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx2.Client(base_url=url, headers=headers, timeout=60) as client:
            health = client.get("/health").json()
            assert health["store"]["dialect"] == "duckdb" and health["jobs"]["worker"] == "running"
            assert client.get("/docs").status_code == 200
            assert "swagger-ui-bundle.js" in client.get("/docs").text
            assert client.get("/static/docs/swagger-ui-bundle.js").status_code == 200
            uploaded = client.post(
                "/api/v1/scenarios",
                content=SMALL.read_bytes(),
                headers={"Content-Type": "application/toml"},
            )
            assert uploaded.status_code == 201, uploaded.text
            started = client.post("/api/v1/runs", json={"scenario": uploaded.json()["id"]})
            assert started.status_code == 202
            job = wait_for_job(client, started.json()["job"], headers)
            assert job["status"] == "done" and job["progress"] == 1.0 and job["errors"] == []
            kpis = client.get(f"/api/v1/runs/{started.json()['run']}/kpis")
            assert kpis.status_code == 200 and kpis.headers["etag"]
            report = client.get(f"/api/v1/runs/{started.json()['run']}/report")
            assert report.headers["content-type"].startswith("text/html")
            assert "Maia test district" in report.text
    finally:
        server.terminate()
        log, _ = server.communicate(timeout=30)  # closes the pipe too
    assert "Uvicorn running on http://127.0.0.1" in log
    done = CliRunner().invoke(app, ["run", str(SMALL), "--out", str(tmp_path / "cli")])
    assert done.exit_code == 0, done.output
    cli_kpis = (tmp_path / "cli" / "small" / "kpis.json").read_bytes()
    assert kpis.content == cli_kpis
