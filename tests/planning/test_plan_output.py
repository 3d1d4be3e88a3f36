"""The plan report (self-contained HTML) and ``sparcs plan`` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from planning_helpers import config, one_building, small_district
from typer.testing import CliRunner

from sparcs.cli.app import app
from sparcs.planning import PlanConfig, plan_district, write_plan
from sparcs.report.plan_report import render_plan_report
from sparcs.scenario import dump_scenario, load_scenario


def test_plan_report_is_self_contained_and_complete() -> None:
    result = plan_district(
        small_district(),
        config(typical_days=3, pareto_points=3, verify=True, measure_economics=True),
    )
    page = render_plan_report(result)
    assert "https://" not in page.split("<script>", 1)[0]  # nothing fetched by the head
    assert "Plotly.newPlot" in page and "chart-cost-co2-data" in page
    for text in (
        "Baseline, plan and Pareto points",
        "pareto 3",
        "Economics per measure",
        "Check: typical-day model",
        "Total annual cost",
    ):
        assert text in page


def test_cli_plan_writes_plan_json_and_report(tmp_path: Path) -> None:
    scenario = dump_scenario(small_district(), tmp_path / "district.toml")
    out = tmp_path / "out"
    args = [
        "plan",
        str(scenario),
        "--target",
        "ss:30",
        "--typical-days",
        "3",
        "--pareto",
        "2",
        "--no-verify",
        "--retrofit",
        "light",
        "--out",
        str(out),
    ]
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
    done = CliRunner().invoke(
        app,
        [
            "plan",
            str(scenario),
            "--target",
            "ss:99",
            "--budget",
            "100",
            "--typical-days",
            "3",
            "--no-verify",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert done.exit_code == 1
    assert "self-sufficiency >= 99.0 % cannot be reached" in done.output
    assert "Traceback" not in done.output


def test_written_plan_run_with_sparcs_run_optimal_gives_the_checked_kpis(tmp_path: Path) -> None:
    """The file round trip: plan.toml through ``sparcs.run(strategy="optimal")`` over the full
    year gives exactly the re-run the plan was checked with; the planning model's own figures
    differ from it by the reported typical-day error."""
    import sparcs

    night = {
        "kind": "tou",
        "import_eur_per_kwh": 0.40,
        "export_eur_per_kwh": 0.05,
        "tou": [{"start_hour": 1, "end_hour": 3, "price_eur_per_kwh": 0.10}],
    }
    s = one_building(40_000.0, tariff=night, ev={"count": 2, "power_kw": 3.7})
    s = s.model_validate({**s.model_dump(), "costs": {"ev_charge_power": {"capex": 10.0}}})
    result = plan_district(
        s, PlanConfig(typical_days=3, measure_economics=False, error_tolerance=0.5, battery="none")
    )
    assert result.plan.sizes["pv"] > 0 and result.plan.sizes["ev"] > 2 * 3.7
    check = result.verification
    assert check is not None and check.within_tolerance
    run = sparcs.run(write_plan(result, tmp_path)["plan"], strategy="optimal")
    assert run.kpis["net_energy_cost"].value == pytest.approx(check.operating_cost_eur, rel=1e-9)
    assert run.kpis["co2"].value == pytest.approx(check.co2_kg, rel=1e-9)
    assert run.kpis["peb"].value == pytest.approx(check.pe_balance_kwh, rel=1e-9)
    assert result.plan.co2_kg == pytest.approx(check.co2_kg, rel=abs(check.co2_error) + 1e-9)


def test_cli_plan_refuses_a_tolerance_outside_0_to_100_percent(tmp_path: Path) -> None:
    scenario = dump_scenario(small_district(), tmp_path / "district.toml")
    done = CliRunner().invoke(
        app, ["plan", str(scenario), "--error-tolerance", "0", "--out", str(tmp_path / "o")]
    )
    assert done.exit_code == 2  # a usage error: the option value, not a file
    assert "--error-tolerance must lie between 0 and 100 %, got 0" in done.output
    assert "Traceback" not in done.output


def test_cli_plan_tolerance_reaches_the_check(tmp_path: Path) -> None:
    scenario = dump_scenario(small_district(), tmp_path / "district.toml")
    done = CliRunner().invoke(
        app,
        [
            "plan",
            str(scenario),
            "--typical-days",
            "3",
            "--error-tolerance",
            "40",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert done.exit_code == 0, done.output
    check = json.loads((tmp_path / "o" / "plan.json").read_text())["verification"]
    assert check["tolerance"] == pytest.approx(0.4)
    assert "within the 40 % tolerance" in " ".join(done.output.split())


def test_cli_plan_discrete_with_rule_verification(tmp_path: Path) -> None:
    scenario = dump_scenario(small_district(), tmp_path / "district.toml")
    out = tmp_path / "out"
    args = [
        "plan",
        str(scenario),
        "--typical-days",
        "3",
        "--discrete",
        "--verify-strategy",
        "rule",
        "--retrofit",
        "deep",
        "--out",
        str(out),
    ]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    data = json.loads((out / "plan.json").read_text())
    assert data["verification"]["strategy"] == "rule"
    assert data["mip_gap"] is not None and data["continuous_plan"] is not None
    assert "MIP gap" in done.output
    assert {"npv_eur", "irr", "payback_years", "cash_flows_eur"} <= set(
        next(iter(data["actors"].values()))
    )


def test_cli_plan_refuses_an_unknown_verify_strategy(tmp_path: Path) -> None:
    scenario = dump_scenario(small_district(), tmp_path / "district.toml")
    done = CliRunner().invoke(
        app, ["plan", str(scenario), "--verify-strategy", "mpc", "--out", str(tmp_path / "o")]
    )
    assert done.exit_code == 2
    assert "--verify-strategy 'mpc' is not known; choose optimal, rule" in done.output
