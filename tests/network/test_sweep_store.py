"""A sweep with ``--db``: every point a stored scenario and run, in a real DuckDB file."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from sparcs.cli import app
from sparcs.scenario import load_scenario, scenario_from_dict
from sparcs.store import open_store
from sparcs.store.plans import get_run, get_scenario, list_runs
from sparcs.sweep import make_points, parse_param

runner = CliRunner()


def test_sweep_points_are_kept_as_scenarios_and_runs(small_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "sweep.duckdb"
    args = ["sweep", str(small_file), "--param", "buildings[flats].pv.kwp=20,-1,60"]
    done = runner.invoke(app, [*args, "--out", str(tmp_path / "out"), "--db", str(db)])
    # one point breaks the schema: the command fails, and still keeps what it did
    assert done.exit_code == 1, done.output
    assert "stored 3 points" in done.output
    table = pd.read_csv(tmp_path / "out" / "sweep.csv")
    with open_store(db) as store:
        runs = sorted(list_runs(store, None), key=lambda r: r.id)
        assert [r.status for r in runs] == ["done", "failed", "done"]
        assert all(r.strategy == "rule" for r in runs)
        names = [get_scenario(store, r.scenario).name for r in runs]  # type: ignore[union-attr]
        sweep_id = names[0].split(" ")[1]
        assert names == [
            f"sweep {sweep_id} | buildings[flats].pv.kwp={v} | small" for v in (20, -1, 60)
        ]
        for run, (_, row) in zip([runs[0], runs[2]], table.iterrows(), strict=True):
            stored = get_run(store, run.id)
            assert stored is not None and stored.kpis is not None
            report = json.loads(stored.kpis)
            assert report["strategy"]["name"] == "rule"
            assert report["ped"]["ped_class"] == row["ped_class"]
            assert report["kpis"]["peb"]["value"] == pytest.approx(row["peb [kWh_PE]"], rel=1e-12)
        # the stored body is the point's scenario: validated again, it is the same district
        body = get_scenario(store, runs[2].scenario).body  # type: ignore[union-attr]
    stored_scenario = scenario_from_dict(json.loads(body))
    param = parse_param("buildings[flats].pv.kwp=60")
    assert stored_scenario == make_points(load_scenario(small_file), [param])[0].scenario()
    assert stored_scenario.buildings[0].pv is not None
    assert stored_scenario.buildings[0].pv.kwp == 60


def test_without_db_nothing_is_stored(
    small_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    done = runner.invoke(app, ["sweep", str(small_file), "--param", "seed=1"])
    assert done.exit_code == 0, done.output
    assert "stored" not in done.output
    assert not (tmp_path / "sparcs.duckdb").exists()
