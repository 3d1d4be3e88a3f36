"""Load on ``sparcs serve`` over loopback: concurrent readers, and one big batch of readings.

Starts ``sparcs serve`` in its own process on a fresh store (DuckDB by default, or a throw-away
PostgreSQL cluster with ``--backend postgresql``, where ``--workers N`` runs N server
processes), with a district, meters holding 30 days of hourly readings and one finished run.
Then:

1. ``--clients`` clients (default 50, each with its own operator token), each making
   ``--requests`` requests alternating ``GET /api/v1/runs/{id}/kpis`` and
   ``GET /api/v1/readings`` (one meter, one day). ``--think-s 0`` (the default) is a closed
   loop (a saturation test); ``--think-s 1`` makes them users who read each answer for 1 s on
   average (see ``load_client.py`` for both models). Printed: p50 / p95 / p99 per request
   kind and overall, errors by status, throughput, CPU per request of the client, the server
   and PostgreSQL, and the load average;
2. ``POST /api/v1/readings`` with ``--batch`` readings (default 10,000) in one JSON body, new
   ones and then the same again (all duplicates): wall time and server CPU of each.

Bounded: 50 x 40 requests by default. Figures belong to the machine that runs it; the client
runs on the same cores as the server.

    .venv/bin/python benchmarks/server_load.py
    .venv/bin/python benchmarks/server_load.py --think-s 1
    .venv/bin/python benchmarks/server_load.py --backend postgresql --workers 2
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx2
import numpy as np
from load_client import Request, User, cpu_s, drive, free_port, start_server, wait_up

from sparcs.monitoring.ingest import MeterSpec
from sparcs.store import ingest_text, open_store
from sparcs.store.local_server import LocalServer
from sparcs.store.network import City, District, MeterScope, put_record
from sparcs.store.tokens import create_token

SCENARIO = Path(__file__).resolve().parents[1] / "tests" / "server" / "small.toml"
N_METERS = 10
DAYS = 30


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


def _reader(token: str, run: int, k: int) -> User:
    """Client ``k``: kpis and one meter-day of readings in turn."""

    def request(i: int) -> Request:
        if (i + k) % 2:
            return Request("kpis", f"/api/v1/runs/{run}/kpis", {})
        day = 1 + (i + k) % DAYS
        return Request("readings", "/api/v1/readings", {
            "meter": f"m{(i + k) % N_METERS}",
            "start": f"2025-03-{day:02d}T00:00:00Z",
            "end": f"2025-03-{day:02d}T23:59:59Z",
        })  # fmt: skip

    return User({"Authorization": f"Bearer {token}"}, {}, request)


def _batch(url: str, token: str, size: int, pids: list[int]) -> dict[str, Any]:
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
            cpu = cpu_s(pids)
            began = time.perf_counter()
            response = client.post("/api/v1/readings", content=body)
            out[f"{label}_s"] = round(time.perf_counter() - began, 3)
            out[f"{label}_server_cpu_s"] = round(cpu_s(pids) - cpu, 3)
            result = response.json()
            out[f"{label}_result"] = {k: result.get(k) for k in ("accepted", "duplicates")}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("duckdb", "postgresql"), default="duckdb")
    parser.add_argument("--workers", type=int, default=1, help="server processes (PostgreSQL)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=40, help="requests per client")
    parser.add_argument("--think-s", type=float, default=0.0, help="mean think time; 0: closed")
    parser.add_argument("--batch", type=int, default=10_000, help="readings in the big batch")
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sparcs-load-")))
        database: list[int] = []
        if args.backend == "postgresql":
            pg = stack.enter_context(LocalServer())
            db = pg.new_database()
            pid = (pg.folder / "data" / "postmaster.pid").read_text().split()[0]
            database = [int(pid)]
        else:
            db = str(folder / "sparcs.duckdb")
        tokens = _populate(db, args.clients)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = start_server(db, folder / "data", port, args.workers)
        stack.callback(server.wait, 30)
        stack.callback(server.terminate)
        wait_up(url, server)
        run = _one_run(url, tokens["admin"])
        warm = [_reader(t, run, k) for k, t in enumerate(tokens["operators"][:2])]
        drive(url, warm, 5, 0.0, [server.pid])
        users = [_reader(t, run, k) for k, t in enumerate(tokens["operators"])]
        database_before = cpu_s(database)
        load = drive(url, users, args.requests, args.think_s, [server.pid])
        if database:
            used = cpu_s(database) - database_before
            load["postgresql_cpu_ms_per_request"] = round(1000 * used / load["requests"], 2)
        batch = _batch(url, tokens["operators"][0], args.batch, [server.pid, *database])
    print(json.dumps({"backend": args.backend, "workers": args.workers, "load": load,
                      "batch": batch}, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
