"""The plan report (self-contained HTML) and ``sparcs plan`` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from planning_helpers import config, small_district
from typer.testing import CliRunner

from sparcs.cli.app import app
from sparcs.planning import plan_district
from sparcs.report.plan_report import render_plan_report
from sparcs.scenario import dump_scenario, load_scenario


def test_plan_report_is_self_contained_and_complete() -> None:
    result = plan_district(small_district(), config(typical_days=3, pareto_points=3, verify=True,
                                                    measure_economics=True))
    page = render_plan_report(result)
    assert "https://" not in page.split("<script>", 1)[0]  # nothing fetched by the head
    assert "Plotly.newPlot" in page and "chart-cost-co2-data" in page
    for text in ("Baseline, plan and Pareto points", "pareto 3", "Economics per measure",
                 "Check: typical-day model", "Total annual cost"):
        assert text in page


def test_cli_plan_writes_plan_json_and_report(tmp_path: Path) -> None:
    scenario = dump_scenario(small_district(), tmp_path / "district.toml")
    out = tmp_path / "out"
    args = ["plan", str(scenario), "--target", "ss:30", "--typical-days", "3", "--pareto", "2",
            "--no-verify", "--retrofit", "light", "--out", str(out)]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    plan = load_scenario(out / "plan.toml")
    assert plan.name == "small district (plan)"
    data = json.loads((out / "plan.json").read_text())
    assert data["plan"]["self_sufficiency"] >= 0.3 - 1e-6
    assert list(data["plan"]["retrofit_m2"]) == ["light"]
    assert (out / "plan_report.html").stat().st_size > 1_000_000  # plotly.js inlined
    assert (out / "pareto" / "point-2.toml").exists()


def test_cli_plan_explains_an_impossible_target(tmp_path: Path) -> None:
    scenario = dump_scenario(small_district(), tmp_path / "district.toml")
    done = CliRunner().invoke(app, ["plan", str(scenario), "--target", "ss:99", "--budget", "100",
                                    "--typical-days", "3", "--no-verify", "--out",
                                    str(tmp_path / "o")])
    assert done.exit_code == 1
    assert "self-sufficiency >= 99.0 % cannot be reached" in done.output
    assert "Traceback" not in done.output
