"""Load on ``sparcs serve`` over loopback: concurrent readers, and one big batch of readings.

Starts ``sparcs serve`` in its own process on a fresh store (DuckDB by default, or a throw-away
PostgreSQL cluster with ``--backend postgresql``), with a district, meters holding 30 days of
hourly readings and one finished run. Then:

1. ``--clients`` concurrent clients (default 50, each with its own operator token), each making
   ``--requests`` requests alternating ``GET /api/v1/runs/{id}/kpis`` and
   ``GET /api/v1/readings`` (one meter, one day): latency p50 / p95 / p99 and errors;
2. ``POST /api/v1/readings`` with ``--batch`` readings (default 10,000) in one JSON body, new
   ones and then the same again (all duplicates): wall time of each.

Bounded: 50 x 40 requests by default. Figures belong to the machine that runs it; the client
runs on the same cores as the server.

    .venv/bin/python benchmarks/server_load.py
    .venv/bin/python benchmarks/server_load.py --backend postgresql --clients 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx2
import numpy as np
import psutil

from sparcs.monitoring.ingest import MeterSpec
from sparcs.store import ingest_text, open_store
from sparcs.store.local_server import LocalServer
from sparcs.store.network import City, District, MeterScope, put_record
from sparcs.store.tokens import create_token

SCENARIO = Path(__file__).resolve().parents[1] / "tests" / "server" / "small.toml"
N_METERS = 10
DAYS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _populate(db: str, clients: int) -> dict[str, Any]:
    """District, meters with readings, an admin and one operator token per client."""
    with open_store(db) as store:
        put_record(store, City("maia", "Maia", "Europe/Lisbon"))
        put_record(store, District("centro", "maia", "Centro"))
        meters = {
            f"m{i}": MeterSpec(id=f"m{i}", node="district", quantity="grid_import_kwh",
                               unit="kWh", resolution="PT1H")
            for i in range(N_METERS)
        }  # fmt: skip
        meters["batch"] = MeterSpec(
            id="batch", node="district", quantity="grid_export_kwh", unit="kWh", resolution="PT1H"
        )
        store.put_meters(meters.values())
        for meter in meters:
            put_record(store, MeterScope(meter, "centro", None))
        rng = np.random.default_rng(1)
        lines = ["time,meter,value"]
        for hour in range(DAYS * 24):
            stamp = f"2025-03-{1 + hour // 24:02d}T{hour % 24:02d}:00:00Z"
            lines += [f"{stamp},m{i},{rng.uniform(5, 50):.3f}" for i in range(N_METERS)]
        ingest_text(store, "\n".join(lines) + "\n", meters, source="benchmark")
        admin = create_token(store, role="admin")[0]
        operators = [
            create_token(store, role="operator", district="centro")[0] for _ in range(clients)
        ]
    return {"admin": admin, "operators": operators}


def _start(db: str, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "sparcs.cli", "serve", "--db", db, "--port", str(port),
        "--data-dir", str(data_dir), "--rate-limit", "1000000",
    ]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_up(url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx2.TransportError:
            time.sleep(0.2)
    raise SystemExit("sparcs serve did not start")


def _one_run(url: str, admin: str) -> int:
    """Upload the small test scenario, run it, wait; return the run id."""
    headers = {"Authorization": f"Bearer {admin}"}
    with httpx2.Client(base_url=url, headers=headers, timeout=60) as client:
        scenario = client.post(
            "/api/v1/scenarios?district=centro", content=SCENARIO.read_bytes(),
            headers={"Content-Type": "application/toml"},
        ).json()["id"]  # fmt: skip
        started = client.post("/api/v1/runs", json={"scenario": scenario}).json()
        while True:
            job = client.get(f"/api/v1/jobs/{started['job']}").json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.5)
    if job["status"] != "done":
        raise SystemExit(f"the benchmark run failed: {job['errors']}")
    return int(started["run"])


async def _client(url: str, token: str, run: int, n: int, k: int) -> tuple[list[float], int]:
    latencies, errors = [], 0
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx2.AsyncClient(base_url=url, headers=headers, timeout=60) as client:
        for i in range(n):
            if (i + k) % 2:
                path = f"/api/v1/runs/{run}/kpis"
                params: dict[str, str] = {}
            else:
                day = 1 + (i + k) % DAYS
                params = {
                    "meter": f"m{(i + k) % N_METERS}",
                    "start": f"2025-03-{day:02d}T00:00:00Z",
                    "end": f"2025-03-{day:02d}T23:59:59Z",
                }
                path = "/api/v1/readings"
            began = time.perf_counter()
            try:
                response = await client.get(path, params=params)
                errors += response.status_code != 200
            except httpx2.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - began)
    return latencies, errors


async def _load(url: str, tokens: list[str], run: int, n: int) -> dict[str, Any]:
    began = time.perf_counter()
    done = await asyncio.gather(*(_client(url, t, run, n, k) for k, t in enumerate(tokens)))
    wall = time.perf_counter() - began
    latencies = np.array([x for lat, _ in done for x in lat]) * 1000
    return {
        "clients": len(tokens),
        "requests": int(latencies.size),
        "errors": int(sum(e for _, e in done)),
        "p50_ms": round(float(np.percentile(latencies, 50)), 1),
        "p95_ms": round(float(np.percentile(latencies, 95)), 1),
        "p99_ms": round(float(np.percentile(latencies, 99)), 1),
        "requests_per_s": round(latencies.size / wall, 1),
    }


def _batch(url: str, token: str, size: int) -> dict[str, Any]:
    """Post ``size`` new readings in one body, then the same again (all duplicates)."""
    start = np.datetime64("2024-01-01T00:00")
    body = json.dumps(
        {
            "readings": [
                {"time": f"{start + np.timedelta64(i, 'h')}:00Z", "meter": "batch",
                 "value": round(1 + (i % 13) * 0.5, 3)}
                for i in range(size)
            ]
        }
    ).encode()  # fmt: skip
    out: dict[str, Any] = {"readings": size, "body_mb": round(len(body) / 1e6, 2)}
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with httpx2.Client(base_url=url, headers=headers, timeout=120) as client:
        for label in ("new", "again"):
            began = time.perf_counter()
            response = client.post("/api/v1/readings", content=body)
            out[f"{label}_s"] = round(time.perf_counter() - began, 3)
            result = response.json()
            out[f"{label}_result"] = {k: result.get(k) for k in ("accepted", "duplicates")}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("duckdb", "postgresql"), default="duckdb")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=40, help="requests per client")
    parser.add_argument("--batch", type=int, default=10_000, help="readings in the big batch")
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sparcs-load-")))
        if args.backend == "postgresql":
            pg = stack.enter_context(LocalServer())
            db = pg.new_database()
        else:
            db = str(folder / "sparcs.duckdb")
        tokens = _populate(db, args.clients)
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        server = _start(db, folder / "data", port)
        stack.callback(server.wait, 30)
        stack.callback(server.terminate)
        _wait_up(url)
        run = _one_run(url, tokens["admin"])
        asyncio.run(_load(url, tokens["operators"][:2], run, 5))  # warm up
        process = psutil.Process(server.pid)
        before = process.cpu_times()
        load = asyncio.run(_load(url, tokens["operators"], run, args.requests))
        after = process.cpu_times()
        busy_s = (after.user - before.user) + (after.system - before.system)
        # CPU the server spent per request: a figure that does not depend on other load
        load["server_cpu_ms_per_request"] = round(1000 * busy_s / load["requests"], 2)
        load["load_average_1min"] = round(os.getloadavg()[0], 1)
        batch = _batch(url, tokens["operators"][0], args.batch)
    print(json.dumps({"backend": args.backend, "load": load, "batch": batch}, indent=1))


if __name__ == "__main__":
    main()
