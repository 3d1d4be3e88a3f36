"""``sparcs export``: a run or stored readings as CSV, Parquet and NGSI-LD, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from sparcs.cli import app
from sparcs.report.ngsi import check_entity

runner = CliRunner()
EXAMPLE = Path(__file__).parents[2] / "examples" / "kifissia-offices.toml"

METERS = """
[[meters]]
id = "imp"
node = "office-1"
quantity = "grid_import_kwh"
unit = "kWh"

[[meters]]
id = "pv"
node = "office-1"
quantity = "pv_kwh"
unit = "Wh"
resolution = "PT15M"

[[meters]]
id = "heat"
node = "office-1"
quantity = "heat_demand_kwh"
unit = "kWh"
"""


def test_export_a_run_in_every_format(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = runner.invoke(app, ["export", str(EXAMPLE), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "Traceback" not in done.output
    for name in (
        "flows.parquet",
        "flows_hourly.csv",
        "kpis.json",
        "per_building.csv",
        "monthly.csv",
        "entities.jsonld",
        "entities-keyvalues.json",
    ):
        assert (out / name).is_file(), name
    entities = json.loads((out / "entities.jsonld").read_text(encoding="utf-8"))
    assert entities[0]["id"] == "urn:ngsi-ld:EnergyCommunity:kifissia:kifissia-office-quarter"
    assert [p for e in entities for p in check_entity(e)] == []
    buildings = {e["id"]: e for e in entities if e["type"] == "Building"}
    office = buildings["urn:ngsi-ld:Building:kifissia:kifissia-office-quarter:office-1"]
    assert office["category"]["value"] == ["office"]
    assert office["location"]["value"]["coordinates"][0] > 20  # Athens: longitude first
    pv = [e for e in entities if e["type"] == "PhotovoltaicMeasurement"]
    assert pv, "the offices have PV"
    for entity in pv:
        # a year in Athens: PV output-weighted air temperature well above 0 degC
        assert 10 < entity["temperature"]["value"] < 35
        assert entity["sparcs:energyGenerated"]["value"] > 0


def test_export_only_ngsi_ld(tmp_path: Path) -> None:
    done = runner.invoke(
        app, ["export", str(EXAMPLE), "--out", str(tmp_path), "--format", "ngsi-ld"]
    )
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "entities-keyvalues.json",
        "entities.jsonld",
    ]


def test_export_usage_errors(tmp_path: Path) -> None:
    bad = runner.invoke(app, ["export", str(EXAMPLE), "--out", str(tmp_path), "--format", "xml"])
    assert bad.exit_code == 2
    assert "xml is not known" in bad.output
    missing = runner.invoke(
        app, ["export", str(EXAMPLE), "--out", str(tmp_path), "--db", str(tmp_path / "none.duckdb")]
    )
    assert missing.exit_code == 2
    assert "no such database file" in missing.output
    assert "Traceback" not in bad.output + missing.output


def test_export_stored_readings(tmp_path: Path) -> None:
    meters = tmp_path / "meters.toml"
    meters.write_text(METERS, encoding="utf-8")
    data = tmp_path / "readings.csv"
    rows = ["time,meter,value"]
    for i in range(8):
        stamp = (pd.Timestamp("2025-03-01T00:00Z") + pd.Timedelta(minutes=15 * i)).isoformat()
        rows += [f"{stamp},imp,1.5", f"{stamp},pv,250", f"{stamp},heat,3"]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "store.duckdb"
    ingested = runner.invoke(app, ["ingest", str(data), "--meters", str(meters), "--db", str(db)])
    assert ingested.exit_code == 0, ingested.output
    out = tmp_path / "out"
    done = runner.invoke(app, ["export", str(EXAMPLE), "--out", str(out), "--db", str(db)])
    assert done.exit_code == 0, done.output
    table = pd.read_csv(out / "readings.csv")
    assert list(table.columns) == ["meter", "time", "value [kWh]", "flags"]
    assert table["time"].str.endswith("Z").all()
    assert len(pd.read_parquet(out / "readings.parquet")) == 24
    entities = json.loads((out / "entities.jsonld").read_text(encoding="utf-8"))
    by_meter = {e["id"].rsplit(":", 1)[1]: e for e in entities}
    assert sorted(by_meter) == ["meter-imp", "meter-pv"]  # heat is not an AC measurement
    assert by_meter["meter-imp"]["totalActiveEnergyImport"]["value"] == 12.0
    assert by_meter["meter-pv"]["totalActiveEnergyExport"]["value"] == 2.0  # 8 x 250 Wh
    assert by_meter["meter-pv"]["totalActiveEnergyExport"]["observedAt"] == "2025-03-01T02:00:00Z"
    assert by_meter["meter-imp"]["refTargetDevice"]["object"] == [
        "urn:ngsi-ld:Building:kifissia:kifissia-office-quarter:office-1"
    ]
