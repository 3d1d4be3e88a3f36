"""Load on the citizen pages of ``sparcs serve`` over loopback: concurrent citizens.

Starts ``sparcs serve`` in its own process on a fresh DuckDB store with one district of
``--households`` households (default 60; a third with PV), each with ``--days`` of hourly
readings (default 30), the small test scenario (its green hours) and one proposal. After one
warm-up visit (the green-hours simulation is made once per scenario), ``--clients`` citizens
(default 50, each its own household, login cookie and language) each load ``--requests``
pages (default 20) in turn: the household page (month, week), green hours, statements,
proposals, account. ``--think-s 0`` (the default) is a closed loop (a saturation test);
``--think-s 1`` makes them people who read each page for 1 s on average (see
``load_client.py`` for both models). Printed: p50 / p95 / p99 per page, overall, and for the
first visits (a citizen's first six pages: the server computes them) and the later ones
(kept until the data changes), errors by status, throughput, CPU per request of the client
and the server, and the load average.

Bounded: 50 x 20 page loads by default. Figures belong to the machine that runs it; the
clients run on the same cores as the server.

    .venv/bin/python benchmarks/citizen_load.py
    .venv/bin/python benchmarks/citizen_load.py --think-s 1   # a citizen reads each page 1 s
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import httpx2
import numpy as np
import pandas as pd
from load_client import Request, User, drive, free_port, start_server, wait_up

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


def _citizen(household: str, token: str, k: int) -> User:
    """Citizen ``k``: every page in turn, in the k-th language."""
    language = LANGUAGES[k % len(LANGUAGES)]

    def request(i: int) -> Request:
        page = PAGES[(i + k) % len(PAGES)]
        path, _, query = f"/citizen/{household}{page}".partition("?")
        params = dict([query.split("=")]) if query else {}
        phase = "first visits" if i < len(PAGES) else "later visits"
        return Request(page, path, params | {"lang": language}, phase)

    return User({}, {"sparcs_token": token}, request)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--households", type=int, default=60)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--think-s", type=float, default=0.0, help="mean think time; 0: closed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sparcs-citizen-load-") as folder:
        db = str(Path(folder) / "sparcs.duckdb")
        pairs = _populate(db, max(args.households, args.clients), args.days)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = start_server(db, Path(folder) / "data", port)
        try:
            wait_up(url, server)
            household, token = pairs[0]
            with httpx2.Client(base_url=url, cookies={"sparcs_token": token}, timeout=300) as warm:
                for page in PAGES:
                    assert warm.get(f"/citizen/{household}{page}").status_code == 200, page
            users = [_citizen(h, t, k) for k, (h, t) in enumerate(pairs[: args.clients])]
            result = drive(url, users, args.requests, args.think_s, [server.pid])
        finally:
            server.terminate()
            server.wait(30)
    result |= {"households": max(args.households, args.clients), "days": args.days}
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
