"""Replication screening: the district moved to a fellow city, its gap turned into PV by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sparcs.cli import app
from sparcs.data import get_city, get_factor_set
from sparcs.network.replicate import replicate_district, replicated
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
