"""The plan: targets, re-run reproduction, typical-day error, infeasibility, Pareto, output."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from planning_helpers import ONLY_PV, config, one_building, plan_sizes_measured, small_district

from sparcs.errors import InfeasibleError, ScenarioError, SolverError
from sparcs.lp.status import SolverOptions
from sparcs.planning import PlanConfig, Target, parse_target, plan_district, write_plan
from sparcs.planning.explain import best_value
from sparcs.planning.finance import npv
from sparcs.planning.setup import prepare
from sparcs.scenario import load_scenario


@pytest.fixture(scope="module")
def reproduced() -> object:
    return plan_district(small_district(), config(verify=True, measure_economics=True))


def test_plan_scenario_rerun_reproduces_the_planning_kpis(reproduced: object) -> None:
    check = reproduced.verification  # type: ignore[attr-defined]
    assert check is not None
    # every step planned: the re-run is the same LP with the sizes rounded for plan.toml
    # (e.g. 8.467 -> 8.5 kW of heat pump); the model's figures are the unrounded plan's
    assert abs(check.cost_error) < 1e-4
    assert abs(check.pe_error) < 3e-4
    assert abs(check.co2_error) < 3e-4


def test_the_model_at_the_rounded_sizes_is_the_rerun() -> None:
    """Without the rounding the model and the KPIs agree to solver precision."""
    model, measured = plan_sizes_measured(small_district(), config())
    assert model.operating_cost == pytest.approx(measured.cost, rel=1e-7)
    assert model.kpis["pe"] == pytest.approx(measured.pe, abs=1e-7 * abs(measured.pei))
    assert model.kpis["co2"] == pytest.approx(measured.co2, rel=1e-7)
    assert model.kpis["ghg"] == pytest.approx(measured.ghg, abs=1e-7 * measured.co2)


def test_plan_beats_the_baseline_and_writes_its_sizes(reproduced: object) -> None:
    r = reproduced
    assert r.plan.total_annual_cost_eur <= r.baseline.total_annual_cost_eur + 1e-6
    assert r.plan.sizes["pv"] > r.baseline.sizes["pv"]
    b = {x.id: x for x in r.plan.scenario.buildings}
    assert b["C"].pv is not None and b["C"].pv.kwp <= 300.0 * 0.2 + 1e-9
    assert b["B"].heat_pump is not None  # the untabled heat pump gets its size written


def test_economics_per_measure_and_for_the_plan(reproduced: object) -> None:
    items = {m.measure: m for m in reproduced.economics}
    assert list(items)[-1] == "plan"
    plan = items["plan"]
    assert plan.capex_eur == pytest.approx(reproduced.plan.capex_eur, rel=1e-9)
    assert plan.saving_eur == pytest.approx(
        reproduced.baseline.operating_cost_eur - reproduced.plan.operating_cost_eur
    )
    pv = items["pv"]
    assert pv.saving_eur > 0 and 0 < pv.lcoe_eur_per_kwh < 0.38
    # a cost-optimal measure pays at least its annuity: positive NPV at the 4 % rate
    assert pv.npv_eur > 0 and pv.irr > 0.04
    flows = np.r_[-pv.capex_eur, np.full(25, pv.saving_eur - pv.opex_eur)]
    assert pv.npv_eur == pytest.approx(npv(flows, 0.04), rel=1e-9)


def test_written_plan_loads_back(reproduced: object, tmp_path: Path) -> None:
    paths = write_plan(reproduced, tmp_path)
    again = load_scenario(paths["plan"])
    assert again == reproduced.plan.scenario.model_copy(update={"buildings_file": None})
    data = json.loads(paths["json"].read_text())
    assert data["plan"]["capex_eur"] == pytest.approx(reproduced.plan.capex_eur)


def test_typical_day_error_is_reported_and_below_the_stated_bound() -> None:
    r = plan_district(small_district(), config(typical_days=4, verify=True, error_tolerance=0.02))
    check = r.verification
    assert check is not None and "typical" in check.description
    assert check.tolerance == 0.02 and check.within_tolerance
    assert check.largest_error <= 0.02
    assert check.largest_error == max(
        abs(check.cost_error), abs(check.pe_error), abs(check.co2_error)
    )
    assert check.history[-1] == (check.typical_days, check.largest_error)
    assert any("within the tolerance of 2 %" in n for n in r.notes)
    assert r.as_dict()["verification"]["within_tolerance"] is True


def test_typical_days_are_raised_while_the_error_exceeds_the_tolerance() -> None:
    r = plan_district(
        small_district(),
        config(typical_days=2, verify=True, error_tolerance=1e-9, max_typical_days=8),
    )
    check = r.verification
    assert check is not None and not check.within_tolerance
    assert [k for k, _ in check.history] == [2, 4, 8]
    assert r.config.typical_days == 8 and "8 typical days" in r.aggregation
    warning = next(n for n in r.notes if n.startswith("WARNING"))
    assert "above the tolerance" in warning and "--typical-days 0" in warning


def test_targets_hold_in_the_plan() -> None:
    base = plan_district(small_district(), config()).baseline
    ss = plan_district(small_district(), config(targets=(Target("ss", 0.6),)))
    assert ss.plan.self_sufficiency >= 0.6 - 1e-7
    co2 = plan_district(small_district(), config(targets=(Target("co2", 0.7 * base.co2_kg),)))
    assert co2.plan.co2_kg <= 0.7 * base.co2_kg * (1 + 1e-7)
    budget = plan_district(small_district(), config(budget_eur=20_000.0))
    assert budget.plan.capex_eur <= 20_000.0 * (1 + 1e-9)


def test_impossible_ped_target_says_why_and_how_far() -> None:
    cfg = config(targets=(Target("ped", 0.0),))
    setup = prepare(small_district(), cfg)
    best, _ = best_value(setup, Target("ped", 0.0), (), None)
    assert best < 0
    with pytest.raises(InfeasibleError) as info:
        plan_district(small_district(), cfg)
    text = str(info.value)
    assert "PED balance >= 0" in text and "best reachable value" in text
    assert f"{best / 1e6:,.2f} GWh_PE/a" in text or f"{best:,.0f} kWh_PE/a" in text
    assert "roofs allow at most" in text


def test_impossible_target_with_a_budget_names_the_budget() -> None:
    cfg = config(targets=(Target("ss", 0.9),), budget_eur=1000.0)
    with pytest.raises(InfeasibleError, match=r"self-sufficiency >= 90.0 %.*budget of 1,000 EUR"):
        plan_district(small_district(), cfg)


def test_a_sizing_solve_stopped_early_says_what_highs_reported() -> None:
    # one simplex iteration cannot size the district: HiGHS stops at its iteration limit,
    # and the message says so instead of asking for more time
    limited = SolverOptions(extra={"simplex_iteration_limit": 1})
    cfg = config(targets=(Target("ss", 0.3),), options=limited)
    with pytest.raises(SolverError) as info:
        plan_district(small_district(), cfg)
    text = str(info.value)
    assert "HiGHS reported 'Iteration limit reached'" in text
    assert "iteration limit" in text and "time_limit_s" not in text


def test_pareto_points_trade_cost_for_co2() -> None:
    r = plan_district(small_district(), config(typical_days=3, pareto_points=5))
    points = [p.outcome for p in r.pareto]
    assert len(points) == 5
    cost = np.array([p.total_annual_cost_eur for p in points])
    co2 = np.array([p.co2_kg for p in points])
    assert np.all(np.diff(cost) >= -1e-6 * cost[0])
    assert np.all(np.diff(co2) <= 1e-6 * co2[0])
    assert co2[-1] < co2[0]
    assert cost[0] == pytest.approx(r.plan.total_annual_cost_eur, rel=1e-6)
    for p in points:
        assert p.scenario.name.startswith("small district (pareto")


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("ped", Target("ped", 0.0)),
        ("ped:5e4", Target("ped", 5e4)),
        ("co2:150", Target("co2", 150_000.0)),
        ("SS:40", Target("ss", 0.4)),
        ("ghg", Target("ghg", 0.0)),
        ("ghg:-12.5", Target("ghg", -12_500.0)),
    ],
)
def test_parse_target(text: str, target: Target) -> None:
    assert parse_target(text) == target


def test_a_ped_target_of_zero_or_more_adds_net_zero_ghg() -> None:
    kinds = lambda *t: [x.kind for x in PlanConfig(targets=t).effective_targets]  # noqa: E731
    assert kinds(Target("ped")) == ["ped", "ghg"]
    assert kinds(Target("ped", 1e4), Target("co2", 5e4)) == ["ped", "co2", "ghg"]
    assert kinds(Target("ped", -5e4)) == ["ped"]  # a step towards a PED, not a PED
    own = PlanConfig(targets=(Target("ped"), Target("ghg", 2e3))).effective_targets
    assert own == (Target("ped"), Target("ghg", 2e3))


@pytest.mark.parametrize("text", ["peb", "co2", "ss:abc", "ss:140", "co2:-1"])
def test_parse_target_rejects_nonsense(text: str) -> None:
    with pytest.raises(ScenarioError):
        parse_target(text)


def test_config_rejects_bad_settings() -> None:
    with pytest.raises(ScenarioError, match="each kind"):
        PlanConfig(targets=(Target("ped"), Target("ped", 1.0)))
    with pytest.raises(ScenarioError, match="pareto_points"):
        PlanConfig(pareto_points=1)
    with pytest.raises(ScenarioError, match="costs override"):
        plan_district(small_district(), config(costs={"pvv": {"capex": 1.0}}))
    assert math.isfinite(PlanConfig().options.time_limit_s)


def test_retrofit_shares_are_written_and_reproduced() -> None:
    base = plan_district(small_district(), config()).baseline
    r = plan_district(
        small_district(), config(targets=(Target("co2", 0.6 * base.co2_kg),), verify=True)
    )
    assert sum(r.plan.retrofit_m2.values()) > 0
    assert any(b.space_heat_kwh is not None for b in r.plan.scenario.buildings)
    check = r.verification
    # the model's figures are the unrounded plan's (test_the_model_at_the_rounded_sizes_...)
    assert check is not None and abs(check.cost_error) < 1e-4 and abs(check.co2_error) < 3e-4


def test_ped_target_with_hourly_factors_counts_each_hour_at_its_own_factor(tmp_path: Path) -> None:
    """PED balance >= 0 with hourly primary-energy factors: exports at noon, when the grid's
    factor is low, are worth less than imports at night, so the plan needs more PV than with
    the set's annual factor, and its balance at the hourly factors is still >= 0."""
    time = pd.date_range("2025-01-01", periods=8760, freq="h", tz="UTC")
    day = (time.hour >= 9) & (time.hour < 17)
    pd.DataFrame(
        {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "co2_kg_per_kwh": 0.4,
            "pef": np.where(day, 1.2, 2.4),
        }
    ).to_csv(tmp_path / "factors.csv", index=False)
    flat = one_building(4000.0, roof_m2=400.0)
    hourly = flat.model_validate(
        {**flat.model_dump(), "factors": {"hourly_file": str(tmp_path / "factors.csv")}}
    )
    cfg = config(targets=(Target("ped", 0.0),), **ONLY_PV)
    annual_plan = plan_district(flat, cfg).plan
    hourly_plan = plan_district(hourly, cfg).plan
    assert annual_plan.pe_balance_kwh >= -1e-6 * 4000
    assert hourly_plan.pe_balance_kwh >= -1e-6 * 4000
    assert hourly_plan.sizes["pv"] > 1.2 * annual_plan.sizes["pv"]
