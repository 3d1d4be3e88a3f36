"""``sparcs operate`` and ``sparcs forecast-quality`` on the measured Maia example."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sparcs.cli import operate_cmd
from sparcs.cli.app import app
from sparcs.monitoring.ingest import load_meter_map
from sparcs.operation.optimal.blocking import FINE_H
from sparcs.store import ingest_files, open_store

ROOT = Path(__file__).resolve().parents[2]
MEASURED = ROOT / "examples" / "measured"
SCENARIO = str(ROOT / "examples" / "maia-solar-schools.toml")
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("operate") / "sparcs.duckdb"
    with open_store(path) as store:
        ingest_files(
            store, sorted(MEASURED.glob("*.csv")), load_meter_map(MEASURED / "meters.toml")
        )
    return str(path)


def test_operate_prints_the_whole_horizon_as_json_and_keeps_the_cycle(
    db: str, tmp_path: Path
) -> None:
    args = ["operate", SCENARIO, "--db", db, "--now", "2025-04-15T12:00", "--json"]
    done = runner.invoke(app, [*args, "--out", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.stdout)
    assert payload["now"] == "2025-04-15T12:00:00+01:00"
    assert set(payload) == {
        "now",
        "strategy",
        "forecaster",
        "schedule",
        "forecast",
        "fallbacks",
        "weather",
        "resolution",
    }
    assert payload["resolution"] == "48 steps of 60 min"  # hourly: no coarser tail
    assert all(len(steps) == 48 for steps in payload["schedule"].values())
    assert payload["schedule"]["district/grid"][-1]["time"] == "2025-04-17T11:00:00+01:00"
    assert (
        (tmp_path / "out" / "schedule.csv").read_text(encoding="utf-8").startswith("asset,time,kw")
    )
    again = runner.invoke(app, args)
    assert again.exit_code == 1
    assert "already has a cycle" in again.output and "Traceback" not in again.output


def test_forecast_quality_scores_the_kept_cycles(db: str) -> None:
    for now in ("2025-04-16T00:00", "2025-04-16T12:00"):
        done = runner.invoke(
            app, ["operate", SCENARIO, "--db", db, "--now", now, "--horizon-h", "24"]
        )
        assert done.exit_code == 0, done.output
        assert (
            "schedule from 2025-04-16 00:00 [kW]" in done.output
            or "schedule from 2025-04-16 12:00 [kW]" in done.output
        )
    done = runner.invoke(
        app,
        [
            "forecast-quality",
            SCENARIO,
            "--db",
            db,
            "--from",
            "2025-04-16",
            "--to",
            "2025-04-18",
            "--json",
        ],
    )
    assert done.exit_code == 0, done.output
    payload = json.loads(done.stdout)
    kinds = {row["forecaster"] for row in payload["scores"]}
    assert kinds == {"persistence", "seasonal", "regression"}
    assert set(payload["best"]) == {"electricity_demand_kwh", "heat_demand_kwh", "pv_kwh"}
    table = runner.invoke(
        app,
        ["forecast-quality", SCENARIO, "--db", db, "--from", "2025-04-16", "--to", "2025-04-18"],
    )
    assert "[kWh]" in table.output and "best recent skill" in table.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--forecaster", "oracle"], "--forecaster 'oracle' is not known"),
        (["--now", "15/04/2025"], "could be read as more than one date"),
        (["--horizon-h", "0"], "--horizon-h must be between 0 and 168"),
    ],
)
def test_bad_options_are_one_line_errors(db: str, extra: list[str], message: str) -> None:
    done = runner.invoke(app, ["operate", SCENARIO, "--db", db, *extra])
    assert done.exit_code == 2
    assert message in done.output and "Traceback" not in done.output


def test_a_loop_from_now_prints_a_line_per_cycle(db: str) -> None:
    args = ["operate", SCENARIO, "--db", db, "--loop", "--now", "2025-04-20T06:00", "--cycles", "2"]
    done = runner.invoke(app, [*args, "--horizon-h", "6", "--json"])
    assert done.exit_code == 0, done.output
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["now"] for line in lines] == [
        "2025-04-20T06:00:00+01:00",
        "2025-04-20T07:00:00+01:00",
    ]
    assert all(
        line["status"] == "kept" and len(line["schedule"]["district/grid"]) == 6 for line in lines
    )
    wrong = runner.invoke(app, ["operate", SCENARIO, "--db", db, "--cycles", "2"])
    assert wrong.exit_code == 2 and "--cycles only counts with --loop" in wrong.output


def test_an_override_from_the_command_line_holds_in_the_schedule(db: str) -> None:
    done = runner.invoke(
        app,
        [
            "override",
            SCENARIO,
            "escola-basica/battery",
            "--kw",
            "-30",
            "--db",
            db,
            "--from",
            "2025-04-21T18:00",
            "--to",
            "2025-04-21T20:00",
        ],
    )
    assert done.exit_code == 0, done.output
    cycle = runner.invoke(
        app,
        [
            "operate",
            SCENARIO,
            "--db",
            db,
            "--now",
            "2025-04-21T17:00",
            "--horizon-h",
            "6",
            "--json",
        ],
    )
    payload = json.loads(cycle.stdout)
    schedule = payload["schedule"]["escola-basica/battery"]
    assert [step["kw"] for step in schedule[1:3]] == [-30.0, -30.0], (
        schedule,
        payload["fallbacks"],
    )
    bad = runner.invoke(
        app,
        [
            "override",
            SCENARIO,
            "gym/battery",
            "--kw",
            "1",
            "--db",
            db,
            "--from",
            "2025-04-21",
            "--to",
            "2025-04-22",
        ],
    )
    assert bad.exit_code == 2 and "not one to override" in bad.output


def test_operation_value_compares_with_the_rules_on_measured_days(db: str) -> None:
    args = ["operation-value", SCENARIO, "--db", db, "--from", "2025-04-01", "--to", "2025-04-08"]
    done = runner.invoke(app, [*args, "--json"])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.stdout)
    assert [row["kpi"] for row in payload["kpis"]] == [
        "net_energy_cost",
        "co2_net",
        "peak_import",
        "peb",
    ]
    rows = {row["kpi"]: row for row in payload["kpis"]}
    cost, peb = rows["net_energy_cost"], rows["peb"]
    assert cost["gain"] == pytest.approx(cost["rule"] - cost["operated"])
    assert peb["gain"] == pytest.approx(peb["operated"] - peb["rule"])
    # the example's flats use 25 % more from April and the grid carried all of it; the rules
    # would have met part of it from PV and the battery: the meters show a loss, not a gain
    assert -0.2 * cost["rule"] < cost["gain"] < 0
    table = runner.invoke(app, args)
    assert "net energy cost [EUR]" in table.output and "gain > 0" in table.output


def test_a_negative_fine_h_is_a_usage_error(db: str) -> None:
    args = ["operate", SCENARIO, "--db", db, "--now", "2025-04-15T13:00", "--fine-h", "-1"]
    bad = runner.invoke(app, args)
    assert bad.exit_code == 2 and "--fine-h must be 0 (every step) or more hours" in bad.output


def test_the_commands_default_fine_h_is_the_models() -> None:
    # the command module does not import the optimal model (1.5 s) for its default
    defaults = [
        inspect.signature(function).parameters["fine_h"].default
        for function in (operate_cmd.run_operate, operate_cmd.operate_command, operate_cmd._loop)
    ]
    assert defaults == [FINE_H] * 3
