"""A small town for the citizen tests: six metered households in Centro (enough for district
figures), one in Norte (too few: suppressed), a scenario for Centro, tokens per role."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import uvicorn
from fastapi.testclient import TestClient

from sparcs.citizens.account import Settings, put_settings
from sparcs.monitoring.ingest import MeterSpec
from sparcs.server import ServerSettings, create_app
from sparcs.store import Store, ingest_text
from sparcs.store.network import City, District, Household, MeterScope, put_record
from sparcs.store.plans import add_scenario
from sparcs.store.tokens import create_token

SMALL = Path(__file__).resolve().parents[1] / "server" / "small.toml"
CENTRO = [f"h{i}" for i in range(1, 7)]
#: Days of hourly readings: the first two weeks of March 2025.
DAYS = 14


def demand(household: int, hours: pd.DatetimeIndex) -> np.ndarray:
    """Hourly consumption [kWh]: a base load and an evening peak, larger for later households."""
    evening = (hours.hour >= 17) & (hours.hour < 21)
    return np.round(0.2 + 0.05 * household + np.where(evening, 0.6 + 0.1 * household, 0.0), 3)


def solar(household: int, hours: pd.DatetimeIndex) -> np.ndarray:
    """Hourly PV [kWh] of households 1 and 2 (others have none)."""
    if household > 2:
        return np.zeros(len(hours))
    noon = np.clip(1 - np.abs(hours.hour - 12) / 5, 0, None)
    return np.round(1.5 * household * noon, 3)


def populate(store: Store) -> dict[str, Any]:
    """The town; returns tokens by name and the scenario id."""
    put_record(store, City("maia", "Maia", "Europe/Lisbon"))
    put_record(store, District("centro", "maia", "Centro"))
    put_record(store, District("norte", "maia", "Norte"))
    hours = pd.date_range("2025-03-01", periods=24 * DAYS, freq="h", tz="UTC")
    meters: dict[str, MeterSpec] = {}
    lines = ["time,meter,value"]
    households = [(h, "centro") for h in CENTRO] + [("h7", "norte")]
    for number, (name, district) in enumerate(households, start=1):
        put_record(store, Household(name, district, f"Family {number}", None))
        series = {f"{name}-use": ("electricity_demand_kwh", demand(number, hours))}
        if solar(number, hours).any():
            series[f"{name}-pv"] = ("pv_kwh", solar(number, hours))
        for meter, (quantity, values) in series.items():
            meters[meter] = MeterSpec(id=meter, node="b2", quantity=quantity, unit="kWh",
                                      resolution="PT1H")  # fmt: skip
            lines += [f"{t.isoformat()},{meter},{v}" for t, v in zip(hours, values, strict=True)]
    store.put_meters(meters.values())
    for meter in meters:
        name = meter.split("-")[0]
        put_record(store, MeterScope(meter, "norte" if name == "h7" else "centro", name))
    ingest_text(store, "\n".join(lines) + "\n", meters, source="fixture")
    for name in CENTRO:
        put_settings(store, name, Settings(None, 2 if name != "h6" else 4))
    scenario = add_scenario(store, name="small", body=SMALL.read_text(encoding="utf-8"),
                            fmt="toml", district="centro")  # fmt: skip
    tokens = {
        name: create_token(store, role="citizen", household=name)[0] for name, _ in households
    }
    tokens["planner"] = create_token(store, role="planner", district="centro")[0]
    tokens["admin"] = create_token(store, role="admin")[0]
    return {"tokens": tokens, "scenario": scenario}


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


class LiveServer:
    """A real uvicorn server on a free loopback port, in a thread, for a ``with`` block."""

    def __init__(self, settings: ServerSettings) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port,
                                log_level="warning")  # fmt: skip
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
