"""The command line: exit codes, clean errors (no tracebacks), outputs on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from sparcs.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()


def test_validate_accepts_every_example() -> None:
    files = sorted(str(p) for p in EXAMPLES.glob("*.toml"))
    assert len(files) >= 7
    result = runner.invoke(app, ["validate", *files])
    assert result.exit_code == 0, result.output
    assert result.output.count("ok") >= len(files)


def test_validate_lists_problems_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'name = "x"\n[site]\ncity = "leipzig"\n[[buildings]]\nid = "a"\nfloor_area_m2 = 100\n'
        'pv = { kwp = 5, tilt_deg = 120 }\n[[buildings]]\nid = "b"\nfloor_area = 3\n',
        encoding="utf-8",
    )
    good = EXAMPLES / "lviv-retrofit.toml"
    result = runner.invoke(app, ["validate", str(good), str(bad)])
    assert result.exit_code == 1
    assert "buildings[0].pv.tilt_deg: 120 is not between 0 and 90" in result.output
    assert "buildings[1].floor_area: unknown key 'floor_area'" in result.output
    assert "1 of 2 file(s) have problems" in result.output
    assert "Traceback" not in result.output


def test_cities_lists_the_seven() -> None:
    result = runner.invoke(app, ["cities"])
    assert result.exit_code == 0
    for name in ("Espoo", "Leipzig", "Reykjavik", "Maia", "Lviv", "Kifissia", "Kladno"):
        assert name in result.output


def test_profiles_writes_parquet_and_plots(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["profiles", str(EXAMPLES / "reykjavik-geothermal.toml"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(tmp_path / "profiles.parquet")
    assert len(frame) == 8760 * 3
    assert {"electricity_kw", "space_heat_kw", "pv_kw"} <= set(frame.columns)
    for name in ("profiles_week.png", "profiles_year.png", "profiles.html"):
        assert (tmp_path / name).stat().st_size > 10_000


def test_run_one_example_writes_report_kpis_and_flows(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["run", str(EXAMPLES / "leipzig-baumwollspinnerei.toml"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    # one scenario gets the same layout as many: <out>/<stem>/
    tmp_path /= "leipzig-baumwollspinnerei"
    assert f"report: {tmp_path / 'report.html'}" in result.output.replace("\n", "")
    kpis = json.loads((tmp_path / "kpis.json").read_text(encoding="utf-8"))
    assert kpis["strategy"] == {
        "name": "rule",
        "settings": {},
        "description": "rule-based simulation (self-consumption first)",
    }
    assert kpis["ped"]["ped_class"] in (
        "PEDautonomous",
        "PEDdynamic",
        "PEDvirtual",
        "pre-PED",
        "not PED",
    )
    assert kpis["ped"]["reason"]
    assert all({"value", "unit"} <= set(k) for k in kpis["kpis"].values())
    assert (tmp_path / "report.html").stat().st_size > 100_000
    assert len(pd.read_parquet(tmp_path / "flows.parquet")) == 8760 * 5


def test_run_bad_file_fails_before_simulating(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\ntimestep = "7min"\n[site]\ncity = "kladno"\n', encoding="utf-8")
    result = runner.invoke(app, ["run", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "7min" in result.output
    assert not (tmp_path / "out").exists()
    assert "Traceback" not in result.output


def test_unknown_strategy_is_a_clean_error() -> None:
    result = runner.invoke(
        app, ["run", str(EXAMPLES / "lviv-retrofit.toml"), "--strategy", "genetic"]
    )
    assert result.exit_code == 2
    assert "--strategy 'genetic' is not available" in result.output
    assert "Traceback" not in result.output


def test_compare_rule_optimal_and_mpc_side_by_side(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "run",
            str(EXAMPLES / "lviv-retrofit.toml"),
            "--strategy",
            "rule,optimal,mpc",
            "--horizon-h",
            "36",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    kpis = {}
    for strategy in ("rule", "optimal", "mpc"):
        folder = tmp_path / "lviv-retrofit" / strategy
        assert f"lviv-retrofit/{strategy} (Lviv panel-block retrofit): " in result.output
        assert str(folder / "report.html") in result.output.replace("\n", "")
        kpis[strategy] = json.loads((folder / "kpis.json").read_text(encoding="utf-8"))
        assert kpis[strategy]["kpis"]["net_energy_cost"]["unit"] == "EUR"
        assert kpis[strategy]["strategy"]["name"] == strategy
        assert f"operation: {strategy}" in (folder / "report.html").read_text(encoding="utf-8")
    assert kpis["mpc"]["strategy"]["settings"] == {
        "horizon_h": 36.0,
        "step_h": 24.0,
        "forecast": "persistence",
    }
    cost = {s: kpis[s]["kpis"]["net_energy_cost"]["value"] for s in ("rule", "optimal")}
    assert cost["optimal"] <= cost["rule"] + 1e-6
    assert "Scenario comparison" in result.output
