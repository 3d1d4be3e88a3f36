"""Helpers of the server tests: a small served world (cities, districts, meters, scenarios, runs).

``world`` builds a DuckDB store with the network and one token per role (scoped to the
district ``centro`` of Maia), runs one real run through the job worker, and hands tests a
:class:`World` with a TestClient on an app whose worker is off (new jobs stay queued, so the
role tests never start simulations).
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from fastapi.testclient import TestClient

from sparcs.monitoring.ingest import MeterSpec
from sparcs.server import ServerSettings, create_app
from sparcs.store import Store, ingest_text
from sparcs.store.network import City, District, Household, MeterScope, put_record
from sparcs.store.plans import add_scenario

SMALL = Path(__file__).with_name("small.toml")
ROLES = ("admin", "planner", "operator", "citizen")


@dataclass
class World:
    """The served world: client, tokens by role, ids of things in and out of scope."""

    client: TestClient
    tokens: dict[str, str]
    ids: dict[str, Any]
    db: str
    data_dir: Path

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def populate(store: Store) -> dict[str, Any]:
    """The network, meters with two days of readings, two scenarios; returns the ids."""
    put_record(store, City("maia", "Maia", "Europe/Lisbon"))
    put_record(store, City("espoo", "Espoo", "Europe/Helsinki"))
    put_record(store, District("centro", "maia", "Centro"))
    put_record(store, District("norte", "maia", "Norte"))
    put_record(store, District("keski", "espoo", "Keskus"))
    put_record(store, Household("h1", "centro", "Silva", None))
    put_record(store, Household("h2", "norte", "Costa", None))
    meters = {
        "m-centro": MeterSpec(id="m-centro", node="district", quantity="grid_import_kwh", unit="kWh", resolution="PT1H"),
        "m-h1": MeterSpec(id="m-h1", node="b2", quantity="electricity_demand_kwh", unit="kWh", resolution="PT1H"),
        "m-norte": MeterSpec(id="m-norte", node="district", quantity="grid_import_kwh", unit="kWh", resolution="PT1H"),
    }  # fmt: skip
    store.put_meters(meters.values())
    put_record(store, MeterScope("m-centro", "centro", None))
    put_record(store, MeterScope("m-h1", "centro", "h1"))
    put_record(store, MeterScope("m-norte", "norte", None))
    lines = ["time,meter,value"]
    for hour in range(48):
        stamp = f"2025-03-{1 + hour // 24:02d}T{hour % 24:02d}:00:00Z"
        lines += [f"{stamp},m-centro,{20 + hour % 5}", f"{stamp},m-h1,{3 + hour % 3}"]
        lines.append(f"{stamp},m-norte,{10 + hour % 4}")
    ingest_text(store, "\n".join(lines) + "\n", meters, source="fixture")
    body = SMALL.read_text(encoding="utf-8")
    return {
        "s-centro": add_scenario(store, name="small", body=body, fmt="toml", district="centro"),
        "s-norte": add_scenario(store, name="small", body=body, fmt="toml", district="norte"),
    }


def wait_for_job(
    client: Any, job: str, headers: dict[str, str], timeout_s: float = 300
) -> dict[str, Any]:
    """Poll a job until it is done or failed."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found: dict[str, Any] = client.get(f"/api/v1/jobs/{job}", headers=headers).json()
        if found["status"] in ("done", "failed"):
            return found
        time.sleep(0.5)
    raise AssertionError(f"job {job} did not finish in {timeout_s} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class LiveServer:
    """A real uvicorn server on a loopback port, in a thread, for the life of a ``with``."""

    def __init__(self, settings: ServerSettings) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise AssertionError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)
