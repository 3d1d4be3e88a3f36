"""``sparcs monitor`` end to end on the measured-data example: ingest, monitor, outputs."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sparcs.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
MEASURED = ROOT / "examples" / "measured"
SCENARIO = ROOT / "examples" / "maia-solar-schools.toml"


def test_ingest_then_monitor_the_example(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.duckdb")
    files = sorted(str(p) for p in MEASURED.glob("*.csv"))
    done = runner.invoke(
        app, ["ingest", *files, "--meters", str(MEASURED / "meters.toml"), "--db", db, "--json"]
    )
    assert done.exit_code == 0, done.output
    out = tmp_path / "monitor"
    done = runner.invoke(
        app,
        [
            "monitor",
            str(SCENARIO),
            "--db",
            db,
            "--from",
            "2025-03-01",
            "--to",
            "2025-04-30",
            "--out",
            str(out),
        ],
    )
    assert done.exit_code == 0, done.output
    assert "Traceback" not in done.output
    data = json.loads((out / "kpis.json").read_text(encoding="utf-8"))
    assert data["planned"]["kpis"]["peb"]["value"] is not None
    assert data["measured"]["kpis"]["peb"]["value"] is not None
    assert len(data["completeness"]) == 11
    heat = data["completeness"]["flats-heat"]
    assert heat["missing"] == 6 and heat["filled"] == 6 and heat["completeness"] < 1
    assert data["completeness"]["flats-pv"]["completeness"] == 1
    # the flats use 25 % more electricity from April: flagged, put down to demand
    april = [
        d
        for d in data["deviations"]
        if d["period"] == "2025-04" and d["metric"] == "electricity_use"
    ]
    assert april and april[0]["cause"] == "demand"
    assert data["weather_normalised"] is False
    assert any("weather normalisation not applied" in n for n in data["notes"])
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Data completeness per meter" in html and "flats-heat" in html
    assert "<script src=" not in html  # offline: plotly inlined


def test_monitor_usage_and_data_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "empty.duckdb")
    bad_day = runner.invoke(
        app,
        [
            "monitor",
            str(SCENARIO),
            "--db",
            db,
            "--from",
            "01/03/2025",
            "--to",
            "2025-04-30",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert bad_day.exit_code == 2 and "--from" in bad_day.stderr
    order = runner.invoke(
        app,
        [
            "monitor",
            str(SCENARIO),
            "--db",
            db,
            "--from",
            "2025-04-01",
            "--to",
            "2025-03-01",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert order.exit_code == 2 and "before --from" in order.stderr
    empty = runner.invoke(
        app,
        [
            "monitor",
            str(SCENARIO),
            "--db",
            db,
            "--from",
            "2025-03-01",
            "--to",
            "2025-03-31",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert empty.exit_code == 1 and "holds no meters" in empty.stderr
    assert "Traceback" not in empty.output


WEATHER_MAP = """
[[meters]]
id = "porto-station"
node = "station"
quantity = "temp_air_c"
unit = "degC"
resolution = "PT1H"
"""


def test_monitor_runs_the_plan_on_ingested_weather(tmp_path: Path) -> None:
    from sparcs.climate import load_weather
    from sparcs.scenario import load_scenario

    db = str(tmp_path / "weather.duckdb")
    files = sorted(str(p) for p in MEASURED.glob("*.csv"))
    done = runner.invoke(
        app, ["ingest", *files, "--meters", str(MEASURED / "meters.toml"), "--db", db]
    )
    assert done.exit_code == 0, done.output
    # a station 4 K colder than the scenario's weather over March and April
    base = load_weather(load_scenario(SCENARIO)).data["temp_air"]
    part = base[(base.index >= "2025-03-01") & (base.index < "2025-05-01")] - 4.0
    lines = ["time,meter,value"]
    lines += [f"{t:%Y-%m-%dT%H:%MZ},porto-station,{v:.2f}" for t, v in part.items()]
    (tmp_path / "weather.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "weather.toml").write_text(WEATHER_MAP, encoding="utf-8")
    done = runner.invoke(
        app,
        ["ingest", str(tmp_path / "weather.csv"), "--meters", str(tmp_path / "weather.toml")]
        + ["--db", db, "--json"],
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["accepted"] == len(part)
    out = tmp_path / "monitor"
    args = ["monitor", str(SCENARIO), "--db", db, "--from", "2025-03-01", "--to", "2025-04-30"]
    done = runner.invoke(app, [*args, "--out", str(out)])
    assert done.exit_code == 0, done.output
    data = json.loads((out / "kpis.json").read_text(encoding="utf-8"))
    weather = data["weather"]
    assert data["weather_normalised"] is True and weather["normalised"] is True
    assert weather["meters"] == {"temp_air_c": ["porto-station"]}
    assert weather["measured_steps"] == {"temp_air_c": weather["steps"]} and weather["steps"] > 1400
    # 4 K colder over 61 days: more heating degree days than the scenario's weather
    assert weather["hdd_measured"] > weather["hdd_scenario_weather"]
    assert any(n.startswith("weather-normalised: the plan was re-run") for n in data["notes"])
    assert not any("weather normalisation not applied" in n for n in data["notes"])
    # the weather meter is listed with the others, and never becomes a flow
    assert data["completeness"]["porto-station"]["completeness"] == 1
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "weather-normalised" in html and "porto-station" in html
