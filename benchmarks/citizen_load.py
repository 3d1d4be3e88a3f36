"""Load on the citizen pages of ``sparcs serve`` over loopback: concurrent citizens.

Starts ``sparcs serve`` in its own process on a fresh DuckDB store with one district of
``--households`` households (default 60; a third with PV), each with ``--days`` of hourly
readings (default 30), the small test scenario (its green hours) and one proposal. After one
warm-up visit (the green-hours simulation is made once per scenario), ``--clients`` citizens
(default 50, each its own household and language) each load ``--requests`` pages (default 20)
in turn: the household page (month, week), green hours, statements, proposals, account,
with ``--think-s`` seconds between a citizen's pages (default 0: back to back). Reports
latency p50 / p95 / p99 per page and overall, and errors.

Bounded: 50 x 20 page loads by default. Figures belong to the machine that runs it; the
clients run on the same cores as the server.

    .venv/bin/python benchmarks/citizen_load.py
    .venv/bin/python benchmarks/citizen_load.py --think-s 1   # a citizen reads each page 1 s
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx2
import numpy as np
import pandas as pd

from sparcs.citizens.account import Settings, put_settings
from sparcs.citizens.proposals import add_proposal
from sparcs.i18n import LANGUAGES
from sparcs.monitoring.ingest import MeterSpec
from sparcs.store import ingest_text, open_store
from sparcs.store.network import City, District, Household, MeterScope, put_record
from sparcs.store.plans import add_scenario
from sparcs.store.tokens import create_token

SCENARIO = Path(__file__).resolve().parents[1] / "tests" / "server" / "small.toml"
PAGES = ("?period=month", "?period=week", "/green", "/statements", "/proposals", "/account")


def _populate(db: str, households: int, days: int) -> list[tuple[str, str]]:
    """The district; returns (household, token) pairs."""
    rng = np.random.default_rng(7)
    hours = pd.date_range("2025-03-01", periods=24 * days, freq="h", tz="UTC")
    evening = np.asarray((hours.hour >= 17) & (hours.hour < 21))
    noon = np.clip(1 - np.abs(hours.hour.to_numpy() - 12) / 5, 0, None)
    with open_store(db) as store:
        put_record(store, City("maia", "Maia", "Europe/Lisbon"))
        put_record(store, District("centro", "maia", "Centro"))
        meters, frames = {}, []
        for i in range(households):
            name = f"h{i:03d}"
            put_record(store, Household(name, "centro", f"Household {i}", None))
            put_settings(store, name, Settings(None, 1 + i % 4))
            use = 0.2 + rng.random(len(hours)) * 0.3 + evening * rng.random() * 1.2
            series = {f"{name}-use": ("electricity_demand_kwh", use)}
            if i % 3 == 0:
                series[f"{name}-pv"] = ("pv_kwh", noon * 2.0 * rng.random())
            for meter, (quantity, values) in series.items():
                meters[meter] = MeterSpec(id=meter, node="b2", quantity=quantity, unit="kWh",
                                          resolution="PT1H")  # fmt: skip
                stamps = hours.strftime("%Y-%m-%dT%H:%M:%SZ")
                frames.append(pd.DataFrame({"time": stamps, "meter": meter,
                                            "value": np.round(values, 3)}))  # fmt: skip
        store.put_meters(meters.values())
        for meter in meters:
            put_record(store, MeterScope(meter, "centro", meter.split("-")[0]))
        text = pd.concat(frames).to_csv(index=False)
        ingest_text(store, text, meters, source="benchmark")
        add_scenario(store, name="small", body=SCENARIO.read_text(encoding="utf-8"),
                     fmt="toml", district="centro")  # fmt: skip
        effect = {"kpis": {}, "households": households, "cost_per_household_eur": 1500.0}
        add_proposal(store, district="centro", title="Battery at the school",
                     description="A shared battery.", deadline=pd.Timestamp("2099-01-01", tz="UTC"),
                     effect=effect)  # fmt: skip
        return [(f"h{i:03d}", create_token(store, role="citizen", household=f"h{i:03d}")[0])
                for i in range(households)]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _citizen(
    url: str, household: str, token: str, n: int, k: int, think_s: float
) -> list[tuple[str, float, bool]]:
    language = LANGUAGES[k % len(LANGUAGES)]
    out = []
    async with httpx2.AsyncClient(
        base_url=url, cookies={"sparcs_token": token}, timeout=60
    ) as client:
        for i in range(n):
            page = PAGES[(i + k) % len(PAGES)]
            path = f"/citizen/{household}{page}{'&' if '?' in page else '?'}lang={language}"
            began = time.perf_counter()
            try:
                ok = (await client.get(path)).status_code == 200
            except httpx2.HTTPError:
                ok = False
            out.append((page, time.perf_counter() - began, ok))
            await asyncio.sleep(think_s)
    return out


def _figures(latencies_s: list[float]) -> dict[str, float]:
    ms = np.array(latencies_s) * 1000
    return {
        "n": int(ms.size),
        **{f"p{q}_ms": round(float(np.percentile(ms, q)), 1) for q in (50, 95, 99)},
    }


async def _load(url: str, pairs: list[tuple[str, str]], n: int, think_s: float) -> dict[str, Any]:
    began = time.perf_counter()
    done = await asyncio.gather(
        *(_citizen(url, h, t, n, k, think_s) for k, (h, t) in enumerate(pairs))
    )
    wall = time.perf_counter() - began
    rows = [r for one in done for r in one]
    result: dict[str, Any] = {"clients": len(pairs), "requests": len(rows),
                              "errors": sum(not ok for _, _, ok in rows),
                              "requests_per_s": round(len(rows) / wall, 1),
                              "all": _figures([s for _, s, _ in rows])}  # fmt: skip
    for page in PAGES:
        result[page] = _figures([s for p, s, _ in rows if p == page])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--households", type=int, default=60)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--think-s", type=float, default=0.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sparcs-citizen-load-") as folder:
        db = str(Path(folder) / "sparcs.duckdb")
        pairs = _populate(db, max(args.households, args.clients), args.days)
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "sparcs.cli", "serve", "--db", db, "--port", str(port),
                   "--data-dir", str(Path(folder) / "data"), "--rate-limit", "1000000"]  # fmt: skip
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx2.get(f"{url}/health", timeout=2).status_code == 200:
                        break
                except httpx2.TransportError:
                    if time.monotonic() > deadline:
                        raise SystemExit("sparcs serve did not start") from None
                    time.sleep(0.2)
            household, token = pairs[0]
            with httpx2.Client(base_url=url, cookies={"sparcs_token": token}, timeout=300) as warm:
                for page in PAGES:
                    assert warm.get(f"/citizen/{household}{page}").status_code == 200, page
            result = asyncio.run(_load(url, pairs[: args.clients], args.requests, args.think_s))
        finally:
            server.terminate()
            server.wait(30)
    result |= {"households": max(args.households, args.clients), "days": args.days,
               "think_s": args.think_s}  # fmt: skip
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
