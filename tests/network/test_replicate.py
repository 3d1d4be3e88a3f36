"""Replication screening: the district moved to a fellow city, its gap turned into PV by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from sparcs.cli import app
from sparcs.data import get_city, get_factor_set
from sparcs.network import rule_run
from sparcs.network.replicate import replicate_district, replicated, replication_table
from sparcs.scenario import Scenario


def test_the_district_takes_the_target_citys_climate_factors_and_tariff(small: Scenario) -> None:
    moved = replicated(small, "maia")
    assert moved.site.city == "maia" and moved.timezone == "Europe/Lisbon"
    assert moved.factor_set_name == get_city("maia").factor_set
    assert moved.weather.source == "synthetic" and moved.tariff.kind == "flat"
    assert moved.buildings == small.buildings  # measures and assets kept as they are


def test_the_pv_to_close_the_gap_follows_from_yield_and_credit(small_file: Path) -> None:
    record = replicate_district((small_file, "kladno"))
    assert record.city == "Kladno" and record.origin == "Leipzig"
    factors = get_factor_set(record.factor_set)["electricity"]
    credit = min(factors.f_p_nren, factors.f_p_nren_exp)  # k_exp = 1 in the embedded sets
    assert record.peb < 0
    assert record.extra_pv_kwp * record.pv_yield * credit == pytest.approx(-record.peb, rel=1e-9)
    assert record.pv_kwp == 40 and 700 < record.pv_yield < 1400
    assert "kWp more PV" in record.advice


def test_an_unknown_city_is_a_usage_error(small_file: Path) -> None:
    result = CliRunner().invoke(app, ["replicate", str(small_file), "--to", "atlantis"])
    assert result.exit_code == 2
    assert "--to atlantis: choose from" in result.output


LOW_SCHOOL = """
name = "low school"
year = 2025
seed = 3

[site]
city = "leipzig"

[[buildings]]
id = "school"
use = "school"
floor_area_m2 = 1500
roof_area_m2 = 1500
heating = "air_source_hp"
pv = { kwp = 20 }
"""


def test_the_planner_makes_a_replicated_district_positive(tmp_path: Path) -> None:
    path = tmp_path / "low.toml"
    path.write_text(LOW_SCHOOL, encoding="utf-8")
    record = replicate_district((path, "maia"), adjust=True)
    assert record.ped_class == "not PED" and record.peb < 0
    adjustment = record.adjustment
    assert adjustment is not None and adjustment.status == "planned"
    assert adjustment.added["pv"] > 0 and adjustment.capex_eur > 0
    assert adjustment.message.startswith("PV +")
    # the plan, run again by the rules on its own, is positive in Maia: the adjustment holds
    assert adjustment.scenario is not None
    again = rule_run(adjustment.scenario)
    assert again.kpis["peb"].value >= 0
    assert again.kpis["peb"].value == pytest.approx(adjustment.peb_after, rel=1e-6)
    row = replication_table([record]).iloc[0]
    assert row["plan_status"] == "planned"
    assert row["plan_peb_per_m2"] == pytest.approx(adjustment.peb_after / 1500)


def test_a_gap_no_plan_closes_on_site_says_what_limits_it(small_file: Path) -> None:
    record = replicate_district((small_file, "kladno"), adjust=True)
    adjustment = record.adjustment
    assert adjustment is not None and adjustment.status == "out of reach"
    assert "PED balance >= 0 kWh_PE/a cannot be reached" in adjustment.message
    assert "the best reachable value is" in adjustment.message
    # without --plan the planner does not run
    assert replicate_district((small_file, "kladno")).adjustment is None


def test_replicate_plan_writes_the_adjustment(tmp_path: Path) -> None:
    path = tmp_path / "low.toml"
    path.write_text(LOW_SCHOOL, encoding="utf-8")
    out = tmp_path / "out"
    args = ["replicate", str(path), "--to", "maia", "--plan", "--out", str(out)]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "the planner reaches PED with: PV +" in result.output
    table = pd.read_csv(out / "replication.csv")
    assert list(table["plan_status"]) == ["planned"]
    assert table["plan_capex_eur"].iloc[0] > 0


def test_the_lighthouse_in_reykjavik_gets_an_answer_from_the_planner() -> None:
    # Iceland's grid (f_P,nren 0.003) leaves the PED row and the costs spanning 3e-9 to 2e5;
    # the dual simplex stopped there with HiGHS status "Unknown" and no answer
    lighthouse = Path(__file__).resolve().parents[2] / "examples/leipzig-baumwollspinnerei.toml"
    record = replicate_district((lighthouse, "reykjavik"), adjust=True)
    adjustment = record.adjustment
    assert adjustment is not None and adjustment.status == "out of reach", adjustment
    assert "PED balance >= 0 kWh_PE/a cannot be reached" in adjustment.message
    assert "the best reachable value is" in adjustment.message
