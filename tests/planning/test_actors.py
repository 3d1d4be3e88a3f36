"""Who pays and who gains: cash flows per actor against hand computations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sparcs.planning import PlanResult
from sparcs.planning.actors import MeasureFlows, actor_economics
from sparcs.planning.finance import npv
from sparcs.planning.financing import epc_payments, loan_flows, share_flows
from sparcs.scenario.finance import Finance


def _finance(**measures: dict[str, object]) -> Finance:
    return Finance.model_validate(
        {
            "measures": measures,
            "own_capital_share": 0.2,
            "loan_rate": 0.05,
            "loan_years": 10,
            "epc_years": 10,
            "epc_savings_share": 0.8,
            "member_return": 0.03,
            "member_years": 20,
        }
    )


def test_loan_with_a_grant_by_hand() -> None:
    hp = MeasureFlows("heat_pump", 10_000.0, 0.0, 1_500.0, 20.0)
    fin = _finance(heat_pump={"owner": "building_owner", "financing": "loan", "grant_share": 0.3})
    r = actor_economics([hp], fin, country="CZ", discount_rate=0.04, horizon_years=20)
    # grant 3,000; loan 0.8 x 7,000 = 5,600 at 5 % over 10 a: 725.23 EUR/a
    annuity = 5_600.0 * 0.05 * 1.05**10 / (1.05**10 - 1)
    assert annuity == pytest.approx(725.2256, abs=1e-3)
    owner = r.actors["building_owner"].cash_flows_eur
    assert owner[0] == pytest.approx(-10_000 + 3_000 + 5_600)
    assert owner[1:11] == pytest.approx(np.full(10, -annuity))
    assert owner[11:] == pytest.approx(np.zeros(10))
    tenants = r.actors["tenants"]
    assert tenants.cash_flows_eur[1:] == pytest.approx(np.full(20, 1_500.0))
    assert tenants.bill_change_eur == pytest.approx(-1_500.0)
    assert r.actors["building_owner"].npv_eur == pytest.approx(npv(owner, 0.04))
    # the owner pays, the tenants save: a split incentive
    (split,) = r.split_incentives
    assert (split.payer, split.beneficiary) == ("building_owner", "tenants")
    assert split.paid_eur == pytest.approx(7_000.0)
    # actors add up to the district: the measure, the grant and the loan from outside
    project = np.r_[-10_000.0, np.full(20, 1_500.0)]
    outside = np.zeros(21)
    outside[0] += 3_000.0
    outside += loan_flows(5_600.0, 0.05, 10, 20)
    total = sum(a.cash_flows_eur for a in r.actors.values())
    assert total == pytest.approx(project + outside)
    assert r.district_cash_flows_eur == pytest.approx(project + outside)


def test_shared_savings_contract_by_hand() -> None:
    retro = MeasureFlows("retrofit", 20_000.0, 100.0, 2_000.0, 30.0)
    fin = _finance(retrofit={"owner": "building_owner", "financing": "epc", "grant_share": 0.0})
    r = actor_economics([retro], fin, country="DE", discount_rate=0.04, horizon_years=20)
    esco = r.actors["esco"].cash_flows_eur
    assert esco[0] == pytest.approx(-20_000.0)
    assert esco[1:11] == pytest.approx(np.full(10, 0.8 * 2_000.0 - 100.0))
    assert esco[11:] == pytest.approx(np.zeros(10))
    owner = r.actors["building_owner"].cash_flows_eur
    residual = 20_000.0 * (1 - 20 / 30)
    assert owner[11:20] == pytest.approx(np.full(9, -100.0))
    assert owner[20] == pytest.approx(-100.0 + residual)
    tenants = r.actors["tenants"]
    assert tenants.cash_flows_eur[1:11] == pytest.approx(np.full(10, 400.0))
    assert tenants.cash_flows_eur[11:] == pytest.approx(np.full(10, 2_000.0))
    assert tenants.bill_change_eur == pytest.approx(-400.0)
    assert not r.split_incentives  # the ESCO is paid from the savings
    assert sum(a.cash_flows_eur for a in r.actors.values()) == pytest.approx(
        measure := np.r_[-20_000.0, np.full(20, 1_900.0)] + np.r_[np.zeros(20), residual]
    )
    assert r.district_cash_flows_eur == pytest.approx(measure)


def test_community_shares_pay_members_an_annuity() -> None:
    pv = MeasureFlows("pv", 10_000.0, 150.0, 800.0, 25.0)
    fin = _finance(
        pv={"owner": "energy_community", "financing": "community_shares", "grant_share": 0.0}
    )
    r = actor_economics([pv], fin, country="PT", discount_rate=0.04, horizon_years=20)
    pay = 10_000.0 * 0.03 * 1.03**20 / (1.03**20 - 1)
    members = r.actors["tenants"].cash_flows_eur
    assert members[0] == pytest.approx(-10_000.0) and members[1:] == pytest.approx(np.full(20, pay))
    community = r.actors["energy_community"].cash_flows_eur
    assert community[0] == pytest.approx(0.0)
    assert community[1:20] == pytest.approx(np.full(19, 800.0 - 150.0 - pay))
    assert community[20] == pytest.approx(800.0 - 150.0 - pay + 10_000.0 * (1 - 20 / 25))
    assert not r.split_incentives  # the community sells what its PV makes
    assert r.actors["tenants"].bill_change_eur == 0.0


def test_instruments_by_hand() -> None:
    assert loan_flows(1_000.0, 0.0, 4, 5).tolist() == [1000.0, -250.0, -250.0, -250.0, -250.0, 0.0]
    # a tenor beyond the horizon: the rest is repaid in the last year
    assert loan_flows(1_000.0, 0.0, 4, 2).tolist() == [1000.0, -250.0, -750.0]
    assert share_flows(1_000.0, 0.05, 10, 10).sum() > 0
    assert epc_payments(np.array([0.0, 10.0, 10.0]), 0.5, 1).tolist() == [0.0, 5.0, 0.0]


def test_tornado_moves_the_npv_the_right_way() -> None:
    hp = MeasureFlows("heat_pump", 10_000.0, 0.0, 1_500.0, 20.0)
    r = actor_economics([hp], _finance(), country="DE", discount_rate=0.04, horizon_years=20)
    bars = {s.name: s for s in r.sensitivity}
    assert set(bars) == {"energy price", "investment", "discount rate", "interest rate"}
    assert bars["energy price"].npv_low_eur < r.district_npv_eur < bars["energy price"].npv_high_eur
    assert bars["investment"].npv_low_eur > r.district_npv_eur > bars["investment"].npv_high_eur
    assert bars["interest rate"].npv_low_eur > bars["interest rate"].npv_high_eur


def test_defaults_come_from_the_country_data() -> None:
    hp = MeasureFlows("heat_pump", 10_000.0, 0.0, 1_500.0, 20.0)
    r = actor_economics([hp], Finance(), country="DE", discount_rate=0.04, horizon_years=20)
    owner = r.actors["building_owner"].cash_flows_eur
    # BEG: 30 % grant; 80 % of the rest borrowed at 4 %/a for 15 a
    assert owner[0] == pytest.approx(-10_000 + 3_000 + 0.8 * 7_000)
    assert owner[1] == pytest.approx(-0.8 * 7_000 * 0.04 * 1.04**15 / (1.04**15 - 1))


def test_plan_json_and_report_give_the_actors(tmp_path: Path) -> None:
    import json

    from planning_helpers import config, small_district

    from sparcs.planning import plan_district, write_plan
    from sparcs.report.plan_report import write_plan_report

    s = small_district(
        finance={
            "bill_payer": "tenants",
            "energy_price_escalation": 0.01,
            "measures": {"pv": {"owner": "energy_community", "financing": "community_shares"}},
        }
    )
    r = plan_district(s, config(measure_economics=True))
    assert r.finance is not None
    data = json.loads(write_plan(r, tmp_path)["json"].read_text())
    actors = data["actors"]
    assert {"building_owner", "tenants", "energy_community"} <= set(actors)
    for a in actors.values():
        assert {"npv_eur", "irr", "payback_years", "cash_flows_eur"} <= set(a)
    flows = np.sum([a["cash_flows_eur"] for a in actors.values()], axis=0)
    assert flows == pytest.approx(data["finance"]["district_cash_flows_eur"], abs=0.1)
    # the district's flows: every measure before financing, plus grants and loans
    plan = next(e for e in r.economics if e.measure == "plan")
    assert flows[1] == pytest.approx(
        plan.saving_eur - plan.opex_eur + loan_flows_of(r)[1], rel=1e-6
    )
    html = write_plan_report(tmp_path / "r.html", r).read_text()
    assert "Who pays and who gains" in html and "chart-tornado" in html


def loan_flows_of(r: PlanResult) -> np.ndarray:
    """Year flows of every loan of the plan (the building owner's defaults: 80 % borrowed)."""
    from sparcs.planning.financing import country_finance

    rate, grants, _ = country_finance("DE")
    total = np.zeros(r.costs.horizon_years + 1)
    for e in r.economics:
        if e.measure in ("plan", "pv"):
            continue
        key = "retrofit" if e.measure.startswith("retrofit") else e.measure
        net = e.capex_eur * (1 - grants[key])
        total += loan_flows(0.8 * net, rate, 15, r.costs.horizon_years)
    return total
