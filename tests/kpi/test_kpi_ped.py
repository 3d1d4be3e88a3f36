"""Primary-energy balance and PED classes against hand-computed cases (the test set
:func:`kpi_helpers.hand_set`: electricity f_P,nren 1.2 for import and export, district heat
0.5, gas 1.0)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from kpi_helpers import hand_set, make_flows

from sparcs.carriers import step_factors
from sparcs.kpi import (
    BalanceSummary,
    classify_ped,
    net_import_hours,
    net_import_months,
    ped_verdict,
    primary_energy_balance,
    primary_energy_export,
    primary_energy_import,
)
from sparcs.timeseries import year_index

EL = 1.2
HAND = hand_set()


def fi(flows):
    return step_factors(HAND, flows.time)


@pytest.fixture
def mixed():
    return make_flows(
        {
            "grid_import_kwh": {"b1": [2, 0, 0, 2]},
            "grid_export_kwh": {"b1": [0, 2, 4, 0]},
            "dh_import_kwh": {"b1": [1, 1, 1, 1]},
            "boiler_fuel_kwh": {"b1": [1, 0, 0, 0]},
        },
        fuel={"b1": "gas"},
        floor_area={"b1": 100.0},
    )


def test_pei_pee_peb(mixed):
    f = fi(mixed)
    assert primary_energy_import(mixed, factors=f) == pytest.approx(4 * 1.2 + 4 * 0.5 + 1 * 1.0)
    assert primary_energy_export(mixed, factors=f) == pytest.approx(6 * 1.2)
    assert primary_energy_balance(mixed, factors=f) == pytest.approx(7.2 - 7.8)
    assert primary_energy_balance(mixed, factors=f, per="m2") == pytest.approx(-0.6 / 100)
    by_b = primary_energy_balance(mixed, by="building", factors=f)
    assert by_b["b1"] == pytest.approx(-0.6) and by_b.attrs["unit"] == "kWh_PE"
    assert primary_energy_import(mixed, by="building", factors=f)["b1"] == pytest.approx(7.8)


def test_step_balance_and_net_import_hours(mixed):
    f = fi(mixed)
    steps = primary_energy_balance(mixed, factors=f, horizon="step")
    np.testing.assert_allclose(steps.to_numpy(), [-3.9, 2.4 - 0.5, 4.8 - 0.5, -2.9])
    assert steps.attrs["unit"] == "kWh_PE"
    # physical per carrier: district heat is imported in every step (electricity alone: 2 h)
    assert net_import_hours(mixed) == 4.0


def test_monthly_balance_uses_local_calendar_months():
    # 21:00-00:00 UTC on 31 Jan: 23:00 on 31 Jan, then 1 Feb in Helsinki (UTC+2)
    flows = make_flows(
        {"grid_import_kwh": {"b1": [1, 1, 0, 0]}, "grid_export_kwh": {"b1": [0, 0, 3, 0]}},
        start="2025-01-31 21:00",
    )
    f = fi(flows)
    local = primary_energy_balance(
        replace(flows, timezone="Europe/Helsinki"), factors=f, horizon="month"
    )
    assert local.to_dict() == pytest.approx({"2025-01": -EL, "2025-02": 2 * EL})
    utc = primary_energy_balance(replace(flows, timezone="UTC"), factors=f, horizon="month")
    assert utc.to_dict() == pytest.approx({"2025-01": EL, "2025-02": 0.0})
    assert net_import_months(replace(flows, timezone="Europe/Helsinki")) == 1
    assert net_import_months(replace(flows, timezone="UTC")) == 0


def test_exact_zero_balance_counts_as_positive():
    flows = make_flows({"grid_import_kwh": {"b1": [1, 0]}, "grid_export_kwh": {"b1": [0, 1]}})
    verdict = ped_verdict(flows, factors=fi(flows))
    assert verdict.balance_kwh_pe == 0.0
    assert verdict.ped_class == "PEDdynamic"  # positive, but imports in the first step
    assert "margin 0 kWh_PE" in verdict.reason


def test_zero_balance_after_rounding_counts_as_positive():
    flows = make_flows(
        {"grid_import_kwh": {"b1": [0.1, 0.2, 0]}, "grid_export_kwh": {"b1": [0, 0, 0.3]}}
    )
    verdict = ped_verdict(flows, factors=fi(flows))
    assert verdict.ped_class == "PEDdynamic"
    assert verdict.balance_kwh_pe == pytest.approx(0.0, abs=1e-12)


def test_virtual_assets_make_a_virtual_ped():
    flows = make_flows(
        {
            "grid_import_kwh": {"b1": [2, 2]},
            "grid_export_kwh": {"b1": [1, 0]},
            "virtual_kwh": {"district": [2, 2]},
        }
    )
    verdict = ped_verdict(flows, factors=fi(flows), boundary="virtual")
    assert verdict.ped_class == "PEDvirtual"
    assert verdict.balance_kwh_pe == pytest.approx((1 - 4) * EL)
    assert verdict.virtual_balance_kwh_pe == pytest.approx((1 + 4 - 4) * EL)
    assert "margin 1.2 kWh_PE" in verdict.reason and "virtual assets" in verdict.reason
    # the same flows in a geographical boundary: export covers only 25 % of import
    geo = ped_verdict(flows, factors=fi(flows), boundary="geographical")
    assert geo.ped_class == "not PED"


def test_winter_import_only_is_dynamic_not_autonomous():
    index = year_index(2025, "1h", "Europe/Helsinki")
    local_month = index.tz_convert("Europe/Helsinki").month
    winter = np.isin(local_month, [1, 2, 11, 12]).astype(float)
    summer = np.isin(local_month, [5, 6, 7, 8]).astype(float)
    flows = make_flows(
        {"grid_import_kwh": {"b1": winter}, "grid_export_kwh": {"b1": summer}}, index=index
    )
    f = fi(flows)
    verdict = ped_verdict(replace(flows, timezone="Europe/Helsinki"), factors=f)
    assert verdict.ped_class == "PEDdynamic"
    assert verdict.balance_kwh_pe == pytest.approx((summer.sum() - winter.sum()) * EL)
    assert net_import_hours(flows) == winter.sum() == 2880.0
    assert net_import_months(replace(flows, timezone="Europe/Helsinki")) == 4
    assert "2880 of 8760 steps" in verdict.reason and "4 of 12 months" in verdict.reason


def test_autonomous_when_no_step_imports_net():
    # building b1 imports while b2 exports more in the same step: no net import at any step
    flows = make_flows(
        {"grid_import_kwh": {"b1": [1, 0]}, "grid_export_kwh": {"b2": [2, 1]}},
        buildings=("b1", "b2"),
    )
    verdict = ped_verdict(flows, factors=fi(flows))
    assert verdict.ped_class == "PEDautonomous"
    assert verdict.balance_kwh_pe == pytest.approx(2 * EL)
    assert "in any of the 2 steps" in verdict.reason


def test_not_ped_reason_names_condition_and_margin():
    flows = make_flows({"grid_import_kwh": {"b1": [10, 10]}, "grid_export_kwh": {"b1": [1, 1]}})
    verdict = ped_verdict(flows, factors=fi(flows))
    assert verdict.ped_class == "not PED"
    assert verdict.balance_kwh_pe == pytest.approx(-21.6)
    assert "PEB = -21.6 kWh_PE < 0" in verdict.reason
    assert "short of positive by 21.6 kWh_PE" in verdict.reason
    assert "covers only 10.0% of import, 9.6 kWh_PE short of the 50%" in verdict.reason


def test_pre_ped_when_export_covers_half_of_import():
    flows = make_flows({"grid_import_kwh": {"b1": [2, 2]}, "grid_export_kwh": {"b1": [1, 1]}})
    verdict = ped_verdict(flows, factors=fi(flows))
    assert verdict.ped_class == "pre-PED"
    assert "covers 50.0% of import" in verdict.reason


def test_pre_ped_by_reduction_against_a_baseline():
    flows = make_flows({"grid_import_kwh": {"b1": [4, 4]}, "grid_export_kwh": {"b1": [1, 1]}})
    baseline = make_flows({"grid_import_kwh": {"b1": [10, 10]}})
    assert ped_verdict(flows, factors=fi(flows)).ped_class == "not PED"
    verdict = ped_verdict(flows, factors=fi(flows), baseline=baseline)
    assert verdict.ped_class == "pre-PED"  # net import 7.2 vs 24 kWh_PE: 70 % lower
    assert "70.0% below the baseline" in verdict.reason


def test_classify_from_numbers():
    summary = BalanceSummary(
        pei=100.0,
        pee=150.0,
        pee_virtual=0.0,
        steps_net_import=0,
        n_steps=10,
        hours_net_import=0.0,
        months_net_import=0,
        n_months=1,
    )
    assert classify_ped(summary).ped_class == "PEDautonomous"
    functional = classify_ped(summary, boundary="functional")
    assert "functional boundary" in functional.reason
