"""``sparcs plan`` without ``--typical-days``: the days follow the district's size."""

from __future__ import annotations

from sparcs.cli.app import app
from sparcs.cli.plan_cmd import default_typical_days
from sparcs.planning.config import LARGE_DISTRICT
from sparcs.testing import synthetic_district


def test_a_large_district_plans_on_fewer_days_and_a_small_one_on_twelve() -> None:
    small = synthetic_district(LARGE_DISTRICT - 1, seed=3)
    large = synthetic_district(LARGE_DISTRICT, seed=3)
    assert default_typical_days(small) == 12
    assert default_typical_days(large) == 8


def test_the_help_states_the_default() -> None:
    from typer.testing import CliRunner

    text = CliRunner().invoke(app, ["plan", "--help"], terminal_width=200).output
    assert "8 from 50" in " ".join(text.split())
