"""Cost data in a plan: the scenario's ``[costs]`` over the embedded figures, provenance kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from planning_helpers import JUNE, ONLY_PV, config, one_building

from sparcs.errors import ScenarioError
from sparcs.planning import load_costs, plan_district, write_plan
from sparcs.planning.setup import prepare
from sparcs.report.plan_report import render_plan_report


def _with_costs(costs: dict[str, object]) -> object:
    s = one_building(2.0e6)
    return s.model_validate({**s.model_dump(), "costs": costs})


def test_scenario_costs_replace_the_embedded_figures_and_say_so() -> None:
    s = _with_costs({"discount_rate": 0.06, "pv": {"capex": 700.0, "source": "quote 2025"}})
    costs = prepare(s, config(period=JUNE, **ONLY_PV)).costs
    embedded = load_costs("DE")
    assert costs["pv"].capex == 700.0 and costs.discount_rate == 0.06
    assert costs["pv"].lifetime_years == embedded["pv"].lifetime_years  # unset keys stay
    assert costs["battery_energy"] == embedded["battery_energy"]
    assert costs.overridden == (
        "discount_rate = 0.06 (embedded: 0.04)",
        "pv.capex = 700 (embedded DE: 1150)",
    )
    assert costs["pv"].source.startswith("scenario [costs]: capex (quote 2025); embedded: [est]")


def test_plan_configuration_overrides_go_over_the_scenario_table() -> None:
    s = _with_costs({"pv": {"capex": 700.0, "lifetime_years": 30.0}})
    costs = prepare(s, config(period=JUNE, costs={"pv": {"capex": 600.0}}, **ONLY_PV)).costs
    assert costs["pv"].capex == 600.0 and costs["pv"].lifetime_years == 30.0
    assert "scenario [costs] and plan configuration" in costs["pv"].source


def test_scenario_costs_change_the_plan_and_the_report_names_them(tmp_path: Path) -> None:
    cheap = plan_district(_with_costs({"pv": {"capex": 300.0}}), config(period=JUNE, **ONLY_PV))
    dear = plan_district(_with_costs({"pv": {"capex": 9000.0}}), config(period=JUNE, **ONLY_PV))
    assert cheap.plan.sizes["pv"] == pytest.approx(10.0, abs=1e-4)  # the whole roof
    assert dear.plan.sizes["pv"] == pytest.approx(0.0, abs=1e-4)
    page = render_plan_report(cheap)
    assert "Cost data (DE" in page and "pv.capex = 300 (embedded DE: 1150)" in page
    data = json.loads(write_plan(cheap, tmp_path)["json"].read_text())
    assert data["costs"]["overridden"] == ["pv.capex = 300 (embedded DE: 1150)"]
    assert data["costs"]["technologies"]["pv"]["capex"] == 300.0


def test_unknown_technology_in_plan_overrides_suggests_the_name() -> None:
    with pytest.raises(
        ScenarioError, match=r"unknown technology or setting 'pvv'; did you mean 'pv'"
    ):
        plan_district(one_building(1e5), config(period=JUNE, costs={"pvv": {"capex": 1.0}}))
