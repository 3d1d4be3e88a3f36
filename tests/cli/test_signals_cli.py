"""``sparcs green-hours`` and ``sparcs flexibility``: exit codes, outputs, clean errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sparcs.cli import app
from sparcs.services.signals import GreenHours

runner = CliRunner()
SCENARIO = """
name = "Small Leipzig block"
[site]
city = "leipzig"
[[buildings]]
id = "block"
use = "apartment_block"
floor_area_m2 = 1500
heating = "district_heating"
pv = { kwp = 60 }
battery = { capacity_kwh = 80, power_kw = 40 }
electric_boiler = { power_kw = 20 }
"""


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("signals") / "block.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def test_green_hours_prints_and_writes_json_and_html(scenario_file: Path, tmp_path: Path) -> None:
    out_json, out_html = tmp_path / "green.json", tmp_path / "green.html"
    result = runner.invoke(
        app,
        [
            "green-hours",
            str(scenario_file),
            "--start",
            "2025-06-01T00:00",
            "--hours",
            "48",
            "--json",
            str(out_json),
            "--html",
            str(out_html),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "green hours" in result.output and "ENTSO-E" in result.output
    assert "surplus [kW]" in result.output
    signal = GreenHours.from_json(out_json.read_text(encoding="utf-8"))
    assert len(signal.frame) == 48
    assert signal.frame["local_time"].iloc[0].isoformat() == "2025-06-01T00:00:00+02:00"
    assert set(signal.frame["light"]) <= {"green", "amber", "red"}
    assert (signal.frame.loc[signal.frame["surplus_kw"] > 0, "light"] == "green").all()
    html = out_html.read_text(encoding="utf-8")
    assert len(html) > 1_000_000 and "grid CO2" in html  # plotly.js inlined: works offline


def test_green_hours_persistence_forecast_against_the_year(scenario_file: Path) -> None:
    result = runner.invoke(
        app,
        [
            "green-hours",
            str(scenario_file),
            "--start",
            "2025-06-02T00:00",
            "--hours",
            "24",
            "--forecast",
            "persistence",
            "--reference",
            "year",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "persistence forecast" in result.output
    bad = runner.invoke(
        app,
        ["green-hours", str(scenario_file), "--start", "2025-06-02T00:00", "--reference", "month"],
    )
    assert bad.exit_code == 2
    assert "--reference 'month' is not known; choose window, year" in bad.output
    bad = runner.invoke(
        app,
        ["green-hours", str(scenario_file), "--start", "2025-06-02T00:00", "--forecast", "ml"],
    )
    assert bad.exit_code == 2
    assert "--forecast 'ml' is not known; choose profile, persistence" in bad.output


@pytest.mark.parametrize(
    ("start", "message", "code"),
    [
        ("2026-06-01T00:00", "outside the simulated period", 1),
        ("2025-12-31T12:00", "outside the simulated period", 1),
        ("2025-03-30T02:00", "does not exist", 1),
        ("tomorrow", "--start 'tomorrow' is not an ISO 8601 date or time", 2),
        # day/month or month/day: refused with the accepted forms, never guessed
        ("01/06/2025", "could be read as more than one date", 2),
        ("2025-13-01", "is not a valid date or time", 2),
    ],
)
def test_green_hours_bad_start_is_a_clean_error(
    scenario_file: Path, start: str, message: str, code: int
) -> None:
    result = runner.invoke(app, ["green-hours", str(scenario_file), "--start", start])
    assert result.exit_code == code
    if code == 2:
        assert "2025-06-01T17:00" in result.output  # the accepted forms are shown
    assert message in result.output
    assert "Traceback" not in result.output


def test_green_hours_needs_a_start(scenario_file: Path) -> None:
    result = runner.invoke(app, ["green-hours", str(scenario_file)])
    assert result.exit_code == 2


def test_flexibility_window_writes_json_and_html(scenario_file: Path, tmp_path: Path) -> None:
    out_json, out_html = tmp_path / "flex.json", tmp_path / "flex.html"
    result = runner.invoke(
        app,
        [
            "flexibility",
            str(scenario_file),
            "--start",
            "2025-06-01T16:00",
            "--hours",
            "6",
            "--json",
            str(out_json),
            "--html",
            str(out_html),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "available flexibility" in result.output and "per hour" in result.output
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert len(data["hours"]) == 6
    assert all(h[k] >= 0 for h in data["hours"] for k in h if k.endswith("_kw"))
    assert data["summary"]["battery"]["max_down_kw"] > 0
    assert out_html.stat().st_size > 1_000_000


def test_flexibility_whole_year_summary(scenario_file: Path) -> None:
    result = runner.invoke(app, ["flexibility", str(scenario_file)])
    assert result.exit_code == 0, result.output
    assert "8760 h from 2025-01-01 00:00" in result.output
    assert "per hour" not in result.output


def test_flexibility_bad_window(scenario_file: Path) -> None:
    result = runner.invoke(
        app, ["flexibility", str(scenario_file), "--start", "2025-12-31T20:00", "--hours", "12"]
    )
    assert result.exit_code == 1
    assert "outside the simulated period" in result.output
    assert "Traceback" not in result.output


def test_flex_request_prints_delivery_and_cost(tmp_path) -> None:
    from pathlib import Path

    from typer.testing import CliRunner

    from sparcs.cli import app

    example = Path(__file__).resolve().parents[2] / "examples" / "kifissia-offices.toml"
    out = tmp_path / "answer.json"
    result = CliRunner().invoke(
        app,
        [
            "flex-request",
            str(example),
            "--start",
            "2025-07-15T17:00",
            "--end",
            "2025-07-15T19:00",
            "--reduce-kw",
            "30",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "cut of 30 kW" in result.output
    assert "extra energy cost" in result.output
    assert out.stat().st_size > 100
