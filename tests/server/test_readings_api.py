"""Readings over the API are stored as ``sparcs ingest`` stores them: same counts, same flags,
same idempotence; read back per period and resolution."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sparcs.cli.app import app
from sparcs.server import ServerSettings, create_app
from sparcs.store import open_store
from sparcs.store.network import City, District, put_record
from sparcs.store.tokens import create_token

METERS = """
[[meters]]
id = "imp"
node = "district"
quantity = "grid_import_kwh"
unit = "kWh"
resolution = "PT1H"

[[meters]]
id = "pv"
node = "district"
quantity = "pv_kwh"
unit = "kW"
resolution = "PT1H"
"""


def _rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for hour in range(72):
        stamp = f"2025-05-{1 + hour // 24:02d}T{hour % 24:02d}:00:00+00:00"
        rows.append({"time": stamp, "meter": "imp", "value": 10.0 + hour % 7})
        rows.append(
            {"time": stamp, "meter": "pv", "value": float(max(0, 12 - abs(hour % 24 - 12)))}
        )
    rows[4]["value"] = -4.0  # flagged negative (imp at 02:00)
    rows[9]["value"] = None  # missing
    rows[20]["value"] = 900.0  # a spike
    return rows


def _csv(rows: list[dict[str, object]]) -> str:
    lines = ["time,meter,value"]
    lines += [f"{r['time']},{r['meter']},{'' if r['value'] is None else r['value']}" for r in rows]
    return "\n".join(lines) + "\n"


def test_api_batch_equals_sparcs_ingest(tmp_path: Path) -> None:
    rows = _rows()
    (tmp_path / "meters.toml").write_text(METERS, encoding="utf-8")
    (tmp_path / "readings.csv").write_text(_csv(rows), encoding="utf-8")
    cli_db = str(tmp_path / "cli.duckdb")
    done = CliRunner().invoke(
        app,
        ["ingest", str(tmp_path / "readings.csv"), "--meters", str(tmp_path / "meters.toml"),
         "--db", cli_db, "--json"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    cli = json.loads(done.output.strip().splitlines()[-1])

    db = str(tmp_path / "api.duckdb")
    with open_store(db) as store:
        put_record(store, City("maia", "Maia", "Europe/Lisbon"))
        put_record(store, District("centro", "maia", "Centro"))
        operator = create_token(store, role="operator", district="centro")[0]
    headers = {"Authorization": f"Bearer {operator}"}
    settings = ServerSettings(db=db, data_dir=tmp_path / "data", run_jobs=False)
    with TestClient(create_app(settings)) as client:
        for meter in ("imp", "pv"):
            spec = {"id": meter, "node": "district", "resolution": "PT1H", "district": "centro"}
            spec |= {"quantity": "grid_import_kwh", "unit": "kWh"} if meter == "imp" else {
                "quantity": "pv_kwh", "unit": "kW"}  # fmt: skip
            assert client.post("/api/v1/meters", json=spec, headers=headers).status_code == 201
        first = client.post("/api/v1/readings", json={"readings": rows}, headers=headers)
        assert first.status_code == 200, first.text
        assert first.json() == cli
        assert cli["flagged"]["negative"] == 1 and cli["flagged"]["missing"] == 1
        again = client.post(
            "/api/v1/readings", content=_csv(rows), headers=headers | {"Content-Type": "text/csv"}
        ).json()
        assert again["accepted"] == 0 and again["duplicates"] == len(rows)
        changed = [dict(rows[0], value=99.0)]
        clash = client.post("/api/v1/readings", json={"readings": changed}, headers=headers).json()
        assert clash["conflicts"] == 1 and clash["accepted"] == 0

        hourly = client.get(
            "/api/v1/readings",
            params={"meter": "imp", "start": "2025-05-01T00:00:00Z", "end": "2025-05-02T00:00:00+00:00"},
            headers=headers,
        ).json()  # fmt: skip
        assert hourly["total"] == 24 and hourly["items"][0]["time"] == "2025-05-01T00:00:00Z"
        assert "negative" in hourly["items"][2]["flags"]
        daily = client.get(
            "/api/v1/readings",
            params={"meter": ["imp", "pv"], "resolution": "P1D"},
            headers=headers,
        ).json()
        imp = [r for r in rows if r["meter"] == "imp"]
        first_day = sum(float(r["value"]) for r in imp[:24] if r["value"] is not None)  # type: ignore[arg-type]
        assert "total" in daily, daily
        assert daily["total"] == 6 and daily["resolution"] == "P1D"
        assert abs(daily["items"][0]["value_kwh"] - first_day) < 1e-9
        assert "negative" in daily["items"][0]["flags"]
        paged = client.get(
            "/api/v1/readings", params={"limit": 10, "offset": 140}, headers=headers
        ).json()
        assert len(paged["items"]) == 4 and paged["next"] is None and paged["total"] == 144
        page_one = client.get("/api/v1/readings", params={"limit": 10}, headers=headers).json()
        assert "offset=10" in page_one["next"]
