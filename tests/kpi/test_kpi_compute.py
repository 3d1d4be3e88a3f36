"""compute_kpis: the report, its tables, step-length invariance, baselines and targets."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from kpi_helpers import make_flows, make_scenario, quarter_hourly

import sparcs.carriers
import sparcs.kpi
from sparcs.data import get_factor_set
from sparcs.errors import DataError
from sparcs.kpi import KPI_CATALOGUE, PED_CLASSES, KpiReport, compute_kpis
from sparcs.operation.flows import check_balance
from sparcs.timeseries import year_index

#: Reported only for a virtual or functional boundary.
BOUNDARY_KEYS = {
    "hours_net_import_virtual",
    "months_net_import_virtual",
    "co2_net_virtual",
    "co2_net_virtual_per_m2",
    "co2_net_virtual_per_resident",
    "pee_functional",
    "virtual_heat",
}
FI_EL = get_factor_set("fi-2018-decree")["electricity"]
FI_DH = get_factor_set("fi-2018-decree")["district_heat"]

BASELINE_KEYS = {
    "final_energy_reduction",
    "co2_reduction",
    "peak_import_reduction",
    "res_share_increase",
}
HOURLY_KEYS = {"peb_annual_factors", "co2_annual_factors"}


def district_year(n_days: int = 365, seed: int = 7, scale: float = 1.0):
    """A balanced district: two buildings with PV, a heat pump and EVs, a shared battery."""
    index = year_index(2025, "1h", "Europe/Helsinki")[: 24 * n_days]
    n = len(index)
    rng = np.random.default_rng(seed)
    hour = np.arange(n) % 24
    sun = np.clip(np.sin((hour - 6) / 12 * np.pi), 0, None)
    pv1, pv2 = 6 * sun * rng.random(n), 3 * sun * rng.random(n)
    demand1, demand2 = scale * (1 + rng.random(n)), scale * (0.5 + rng.random(n))
    hp_el = 0.5 * rng.random(n)
    ev = np.where(hour >= 18, 2.0 * rng.random(n), 0.0)
    charge = np.zeros(n)
    discharge = np.zeros(n)
    charge[1::24] = 1.0  # battery: charged in one hour a day, discharged the next
    discharge[2::24] = 0.8
    soc = np.cumsum(charge * 0.9 - discharge) + 2.0
    load = demand1 + demand2 + hp_el + ev + charge
    net = pv1 + pv2 + discharge - load
    values = {
        "pv_kwh": {"b1": pv1, "b2": pv2},
        "electricity_demand_kwh": {"b1": demand1, "b2": demand2},
        "hp_el_kwh": {"b2": hp_el},
        "hp_heat_kwh": {"b2": 3 * hp_el},
        "heat_demand_kwh": {"b1": 2.0 * np.ones(n), "b2": 3 * hp_el},
        "dh_import_kwh": {"b1": 2.0 * np.ones(n)},
        "ev_charge_kwh": {"b1": ev},
        "battery_charge_kwh": {"district": charge},
        "battery_discharge_kwh": {"district": discharge},
        "battery_soc_kwh": {"district": soc},
        "shared_out_kwh": {"b1": pv1, "b2": pv2, "district": demand1 + ev + demand2 + hp_el},
        "shared_in_kwh": {"b1": demand1 + ev, "b2": demand2 + hp_el, "district": pv1 + pv2},
        "grid_import_kwh": {"district": np.clip(-net, 0, None)},
        "grid_export_kwh": {"district": np.clip(net, 0, None)},
    }
    flows = make_flows(
        values,
        index=index,
        buildings=("b1", "b2"),
        sharing="community",
        floor_area={"b1": 500.0, "b2": 300.0},
        residents={"b1": 10, "b2": 6},
        capacities={"battery_kwh": {"district": 10.0}, "ev_points": {"b1": 2}},
    )
    check_balance(flows)
    return flows


@pytest.fixture(scope="module")
def year_flows():
    return district_year()


@pytest.fixture(scope="module")
def report(year_flows):
    return compute_kpis(year_flows, make_scenario())


def test_report_has_every_kpi_with_value_and_unit(report):
    assert isinstance(report, KpiReport)
    expected = set(KPI_CATALOGUE) - BASELINE_KEYS - HOURLY_KEYS - BOUNDARY_KEYS
    assert set(report.keys()) == expected
    data = report.to_dict()
    for key, entry in data["kpis"].items():
        assert entry["unit"] == KPI_CATALOGUE[key].unit
        assert "value" in entry and entry["description"]
    assert data["ped"]["ped_class"] in PED_CLASSES and data["ped"]["reason"]
    json.dumps(data, allow_nan=False)  # strict JSON: undefined values are None


def test_report_values_match_the_kpi_functions(year_flows, report):
    f = sparcs.carriers.scenario_factors(make_scenario(), year_flows.time)
    assert report["self_sufficiency"].value == pytest.approx(
        100 * sparcs.kpi.self_sufficiency(year_flows)
    )
    assert report["co2"].value == pytest.approx(sparcs.kpi.co2_emissions(year_flows, factors=f))
    assert report["peb"].value == pytest.approx(report["pee"].value - report["pei"].value)
    assert report["net_energy_cost"].value == pytest.approx(
        report["energy_cost"].value - report["export_revenue"].value
    )
    assert report["peak_import"].note.endswith("local time")
    assert report["ev_charge_points"].value == 2.0
    assert report.verdict.balance_kwh_pe == pytest.approx(report["peb"].value)


def test_per_building_and_monthly_tables(year_flows, report):
    table = report.per_building
    assert list(table.index) == ["b1", "b2"]
    units = table.attrs["units"]
    assert set(units) == set(table.columns)
    assert units["self_sufficiency"] == "%" and units["co2"] == "kg CO2-eq"
    assert table.loc["b1", "final_energy_district_heat"] == pytest.approx(
        2.0 * len(year_flows.time)
    )
    assert table.loc["b2", "pv"] == pytest.approx(year_flows["pv_kwh"][:, 1].sum())
    monthly = report.monthly
    assert list(monthly.index) == [f"2025-{m:02d}" for m in range(1, 13)]
    assert monthly["electricity_import"].sum() == pytest.approx(
        report["final_energy_electricity"].value
    )
    assert monthly["peb"].sum() == pytest.approx(report["peb"].value)
    assert monthly["net_import"].sum() == report["months_net_import"].value
    assert monthly.attrs["units"]["peb"] == "kWh_PE"


def test_quarter_hourly_flows_give_the_same_kpis(year_flows, report):
    fine = quarter_hourly(year_flows)
    check_balance(fine)
    fine_report = compute_kpis(fine, make_scenario())
    for kpi in report.kpis:
        other = fine_report[kpi.key].value
        if np.isnan(kpi.value):
            assert np.isnan(other), kpi.key
        else:
            assert other == pytest.approx(kpi.value, rel=1e-9, abs=1e-9), kpi.key
    assert fine_report.verdict == report.verdict
    assert fine_report["peak_import"].note == report["peak_import"].note
    pd.testing.assert_frame_equal(fine_report.monthly, report.monthly)
    numeric = report.per_building.drop(columns="peak_import_time")
    pd.testing.assert_frame_equal(
        fine_report.per_building.drop(columns="peak_import_time"), numeric
    )


def test_baseline_reductions_and_targets():
    flows = make_flows(
        {
            "grid_import_kwh": {"b1": [1, 3]},
            "dh_import_kwh": {"b1": [1, 1]},
            "pv_kwh": {"b1": [2, 0]},
            "electricity_demand_kwh": {"b1": [3, 3]},
        }
    )
    baseline = make_flows(
        {
            "grid_import_kwh": {"b1": [4, 6]},
            "dh_import_kwh": {"b1": [2, 2]},
            "electricity_demand_kwh": {"b1": [4, 6]},
        }
    )
    report = compute_kpis(flows, make_scenario(), baseline=baseline)
    # final energy 6 vs 14 kWh (-57 %); peak 3 vs 6 kW
    assert report["final_energy_reduction"].value == pytest.approx(100 * 8 / 14)
    assert report["peak_import_reduction"].value == pytest.approx(50.0)
    el, dh = FI_EL.co2_kg_per_kwh, FI_DH.co2_kg_per_kwh
    co2 = 4 * el + 2 * dh
    co2_base = 10 * el + 4 * dh  # -56 %: short of -64 %
    assert report["co2_reduction"].value == pytest.approx(100 * (co2_base - co2) / co2_base)
    # self-consumed PV 2 kWh; Espoo district heat is 35 % renewable (fi-2018-decree)
    share = (2 + 0.565 * 4 + 0.35 * 2) / (6 + 2)
    share_base = (0.565 * 10 + 0.35 * 4) / 14  # +23 %: short of +65 %
    assert report["res_share_increase"].value == pytest.approx(
        100 * (share - share_base) / share_base
    )
    met = {t.key: t.met for t in report.targets}
    assert met == {
        "final_energy_reduction": True,
        "co2_reduction": False,
        "res_share_increase": False,
    }
    assert report.to_dict()["targets"][0]["target"] == 53.0


def test_baseline_of_another_length_is_rejected():
    flows = make_flows({"grid_import_kwh": {"b1": [1, 1]}})
    baseline = make_flows({"grid_import_kwh": {"b1": [1, 1, 1, 1]}})
    with pytest.raises(DataError, match="same length"):
        compute_kpis(flows, make_scenario(), baseline=baseline)


def test_virtual_boundary_in_compute_kpis():
    flows = make_flows(
        {
            "grid_import_kwh": {"b1": [2, 2]},
            "grid_export_kwh": {"b1": [1, 0]},
            "virtual_kwh": {"district": [2, 2]},
        }
    )
    virtual = make_scenario(
        boundary={
            "kind": "virtual",
            "virtual_assets": [
                {"name": "wind park share", "kind": "wind", "capacity_kw": 1000, "share": 0.01}
            ],
        }
    )
    report = compute_kpis(flows, virtual)
    assert report.verdict.ped_class == "PEDvirtual"
    assert report["pee_virtual"].value == pytest.approx(4 * FI_EL.pef)
    assert report["peb_virtual"].value == pytest.approx(FI_EL.pef)
    assert compute_kpis(flows, make_scenario()).verdict.ped_class == "not PED"


def test_mobility_left_out_of_the_scope():
    flows = make_flows(
        {
            "electricity_demand_kwh": {"b1": [1, 1]},
            "ev_charge_kwh": {"b1": [2, 2]},
            "grid_import_kwh": {"b1": [3, 3]},
        }
    )
    with_ev = compute_kpis(flows, make_scenario())
    without = compute_kpis(flows, make_scenario(boundary={"include_mobility": False}))
    assert with_ev["final_energy"].value == pytest.approx(6.0)
    assert without["final_energy"].value == pytest.approx(2.0)
    assert without["ev_energy"].value == pytest.approx(4.0)  # still reported
    assert without.meta["include_mobility"] is False


def test_public_api_is_sorted_and_complete():
    assert sparcs.kpi.__all__ == sorted(sparcs.kpi.__all__)
    assert all(hasattr(sparcs.kpi, name) for name in sparcs.kpi.__all__)


def test_res_share_target_from_a_zero_baseline_share():
    flows = make_flows(
        {
            "pv_kwh": {"b1": [2, 0]},
            "electricity_demand_kwh": {"b1": [2, 2]},
            "grid_import_kwh": {"b1": [0, 2]},
        }
    )
    baseline = make_flows({"dh_import_kwh": {"b1": [2, 2]}})
    # gr-kenak district heat has no renewable share, so the baseline's RES share is zero
    report = compute_kpis(flows, make_scenario(factors={"set": "gr-kenak"}), baseline=baseline)
    assert np.isnan(report["res_share_increase"].value)  # unbounded increase from zero
    check = {t.key: t for t in report.targets}["res_share_increase"]
    assert check.met and report.to_dict()["kpis"]["res_share_increase"]["value"] is None


def test_monthly_emissions_add_up(report):
    assert report.monthly["co2"].sum() == pytest.approx(report["co2"].value)
    assert report.monthly["co2_net"].sum() == pytest.approx(report["co2_net"].value)
    assert report.monthly.attrs["units"]["co2"] == "kg CO2-eq"


def test_monthly_co2_per_carrier_adds_up(year_flows) -> None:
    """The report draws these columns: carriers sum to co2, co2 - co2_credit = co2_net."""
    monthly = compute_kpis(year_flows, make_scenario()).monthly
    carriers = monthly[
        [f"co2_{c}" for c in ("electricity", "district_heat", "gas", "oil", "biomass")]
    ].sum(axis=1)
    np.testing.assert_allclose(carriers, monthly["co2"], rtol=1e-12)
    np.testing.assert_allclose(
        monthly["co2"] - monthly["co2_credit"], monthly["co2_net"], rtol=1e-12, atol=1e-9
    )
    assert monthly.attrs["units"]["co2_credit"] == "kg CO2-eq"
