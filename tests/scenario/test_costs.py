"""The ``[costs]`` table of a scenario: overrides of the embedded cost data."""

from __future__ import annotations

from pathlib import Path

import pytest

from sparcs.errors import ScenarioError
from sparcs.scenario import dump_scenario, load_scenario, scenario_from_dict
from sparcs.scenario.costs import COST_TECHNOLOGIES

HEAD = 'name = "costs"\n[site]\ncity = "leipzig"\n'


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "district.toml"
    path.write_text(HEAD + text, encoding="utf-8")
    return path


def test_costs_table_loads_and_survives_a_round_trip(tmp_path: Path) -> None:
    path = _write(
        tmp_path, '[costs]\ndiscount_rate = 0.05\n[costs.pv]\ncapex = 900.0\nsource = "quote"\n'
    )
    s = load_scenario(path)
    assert s.costs.discount_rate == 0.05
    assert s.costs.pv.capex == 900.0 and s.costs.pv.lifetime_years is None
    again = load_scenario(dump_scenario(s, tmp_path / "again.toml"))
    assert again.costs == s.costs


def test_every_technology_of_the_data_file_can_be_overridden() -> None:
    assert {"pv", "battery_energy", "ev_charge_power", "retrofit_deep"} <= set(COST_TECHNOLOGIES)
    data = {
        "name": "x",
        "site": {"city": "leipzig"},
        "costs": {t: {"capex": 1.0} for t in COST_TECHNOLOGIES},
    }
    s = scenario_from_dict(data)
    assert all(getattr(s.costs, t).capex == 1.0 for t in COST_TECHNOLOGIES)


@pytest.mark.parametrize(
    ("text", "where", "hint"),
    [
        ("[costs.pv]\ncapx = 900.0\n", "costs.pv.capx", "did you mean 'capex'?"),
        (
            "[costs.batery_energy]\ncapex = 300.0\n",
            "costs.batery_energy",
            "did you mean 'battery_energy'?",
        ),
        ("[costs]\ndiscount = 0.05\n", "costs.discount", "did you mean 'discount_rate'?"),
    ],
)
def test_unknown_cost_keys_name_the_file_the_field_and_the_fix(
    tmp_path: Path, text: str, where: str, hint: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert str(path) in message and where in message and hint in message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[costs.pv]\ncapex = -5.0\n", "must not be negative"),
        ("[costs]\ndiscount_rate = 0.9\n", "is not between 0 and 0.3"),
        ("[costs.pv]\nlifetime_years = 0\n", "must be greater than 0"),
    ],
)
def test_cost_values_out_of_range_are_rejected(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(ScenarioError, match=words):
        load_scenario(_write(tmp_path, text))
