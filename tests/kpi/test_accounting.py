"""The accounting rules of issue 11 against hand-computed cases (docs/accounting.md):
only renewable surplus counts, the GHG condition, physical net-import counts, the symmetric
export credit, RER, the named pre-PED convention and the functional boundary."""

from __future__ import annotations

import numpy as np
import pytest
from kpi_helpers import hand_set, make_flows, make_scenario

from sparcs.carriers import step_factors
from sparcs.kpi import (
    co2_emissions,
    compute_kpis,
    net_import_hours,
    net_import_months,
    ped_verdict,
    renewable_energy_ratio,
    virtual_net_import_hours,
)
from sparcs.timeseries import year_index

HAND = hand_set()  # electricity f_P,nren 1.2 / CO2 0.072; heat 0.5 / 0.183; gas 1.0 / 0.202


def chp_district():
    """Gas CHP: 10 kWh fuel -> 4.5 kWh electricity (all exported) + 4.5 kWh heat per step."""
    return make_flows(
        {
            "chp_fuel_kwh": {"b1": [10, 10]},
            "chp_el_kwh": {"b1": [4.5, 4.5]},
            "chp_heat_kwh": {"b1": [4.5, 4.5]},
            "heat_demand_kwh": {"b1": [4.5, 4.5]},
            "grid_export_kwh": {"b1": [4.5, 4.5]},
        },
        fuel={"b1": "gas"},
    )


def test_a_gas_chp_district_that_exports_is_neither_ped_nor_pre_ped():
    flows = chp_district()
    f = step_factors(HAND, flows.time)
    # the old rule (every exported kWh at the grid factor) made it pre-PED: 9 x 1.2 >= 0.5 x 20
    assert 9 * 1.2 >= 0.5 * 20
    verdict = ped_verdict(flows, factors=f)
    assert verdict.ped_class == "not PED"
    # export is credited at the gas it used, energy method: 4.5 x 10 / 9 x 1.0 = 5 per step
    assert verdict.balance_kwh_pe == pytest.approx(2 * 5.0 - 20.0)
    assert "no surplus" in verdict.reason and "covers only 0.0%" in verdict.reason
    # CO2: the same rule, 20 x 0.202 gross minus 2 x 5 x 0.202 for the exported share
    assert co2_emissions(flows, factors=f, export_credit=True) == pytest.approx(10 * 0.202)
    assert not verdict.ghg_net_zero and "GHG not net-zero" in verdict.reason


def test_pv_export_next_to_a_chp_counts_only_above_the_chp_output():
    flows = make_flows(
        {
            "chp_fuel_kwh": {"b1": [10, 0]},
            "chp_el_kwh": {"b1": [4.5, 0]},
            "chp_heat_kwh": {"b1": [4.5, 0]},
            "pv_kwh": {"b1": [3, 6]},
            "grid_export_kwh": {"b1": [6, 6]},
        },
        fuel={"b1": "gas"},
    )
    f = step_factors(HAND, flows.time)
    verdict = ped_verdict(flows, factors=f)
    # step 1: 4.5 CHP (credit 5.0) + 1.5 renewable; step 2: 6 renewable
    assert verdict.balance_kwh_pe == pytest.approx(5.0 + 7.5 * 1.2 - 10.0)


def test_a_virtual_contract_changes_no_physical_net_import_count():
    index = year_index(2025, "1h", "Europe/Helsinki")
    rng = np.random.default_rng(5)
    imports = rng.random(len(index)) * (rng.random(len(index)) < 0.6)
    flows = make_flows(
        {"grid_import_kwh": {"b1": imports}, "grid_export_kwh": {"b1": (imports == 0) * 0.3}},
        index=index,
    )
    contracted = make_flows(
        {
            "grid_import_kwh": {"b1": imports},
            "grid_export_kwh": {"b1": (imports == 0) * 0.3},
            "virtual_kwh": {"district": np.full(len(index), 2.0)},
        },
        index=index,
    )
    f = step_factors(HAND, index)
    assert net_import_hours(contracted) == net_import_hours(flows) > 0
    assert net_import_months(contracted) == net_import_months(flows) == 12
    assert virtual_net_import_hours(contracted, factors=f) == 0.0  # the virtual view differs
    virtual = make_scenario(
        boundary={
            "kind": "virtual",
            "virtual_assets": [
                {"name": "wind share", "kind": "wind", "capacity_kw": 1000, "share": 0.01}
            ],
        }
    )
    with_contract = compute_kpis(contracted, virtual)
    without = compute_kpis(flows, make_scenario())
    for key in ("hours_net_import", "months_net_import"):
        assert with_contract[key].value == without[key].value
    assert with_contract["hours_net_import_virtual"].value == 0.0
    assert "hours_net_import_virtual" not in without.keys()  # noqa: SIM118 (KpiReport is no dict)
    assert with_contract.verdict.ped_class == "PEDvirtual"  # never autonomous on a contract


def test_icelandic_grid_gives_a_renewable_energy_ratio_near_100_percent():
    flows = make_flows(
        {"grid_import_kwh": {"b1": [100, 100]}, "electricity_demand_kwh": {"b1": [100, 100]}},
        timezone="Atlantic/Reykjavik",
    )
    f = step_factors("is-eu-default", flows.time)
    assert renewable_energy_ratio(flows, factors=f) == pytest.approx(1.067 / 1.07, abs=1e-3)
    heated = make_flows(
        {"grid_import_kwh": {"b1": [100, 100]}, "dh_import_kwh": {"b1": [200, 200]}},
        timezone="Atlantic/Reykjavik",
    )
    assert renewable_energy_ratio(heated, factors=f) > 0.95
    report = compute_kpis(heated, make_scenario("reykjavik"))
    assert report["rer"].value > 95 and report["rer"].unit == "%"
    assert report["pei_tot"].value == pytest.approx(200 * 1.07 + 400 * 1.15)
    assert report["pe_ren"].value == pytest.approx(200 * 1.067 + 400 * 1.10)


def test_on_site_renewables_count_in_rer_at_factor_one():
    flows = make_flows(
        {
            "grid_import_kwh": {"b1": [1, 1]},
            "pv_kwh": {"b1": [1, 1]},
            "electricity_demand_kwh": {"b1": [2, 2]},
        }
    )
    f = step_factors(HAND, flows.time)
    # E_P,nren = 2 x 1.2; E_P,ren = 2 x (2.0 - 1.2) + 2 (PV used)
    assert renewable_energy_ratio(flows, factors=f) == pytest.approx(3.6 / (2.4 + 3.6))


@pytest.mark.parametrize("seed", range(6))
def test_positive_net_co2_is_never_net_zero(seed):
    rng = np.random.default_rng(seed)
    flows = make_flows(
        {
            "grid_import_kwh": {"b1": rng.random(24) * 5},
            "grid_export_kwh": {"b1": rng.random(24) * 5},
            "dh_import_kwh": {"b1": rng.random(24)},
        }
    )
    f = step_factors(HAND, flows.time)
    verdict = ped_verdict(flows, factors=f)
    net = co2_emissions(flows, factors=f, export_credit=True)
    assert verdict.ghg_balance_kg == pytest.approx(net)
    assert verdict.ghg_net_zero == (net <= 0)
    assert ("GHG net-zero" in verdict.reason) == (net <= 0)


def test_energy_positive_but_not_net_zero_says_both_conditions():
    flows = make_flows(
        {
            "grid_import_kwh": {"b1": [10, 0]},
            "grid_export_kwh": {"b1": [0, 11.5]},
            "dh_import_kwh": {"b1": [1, 1]},
        }
    )
    verdict = ped_verdict(flows, factors=step_factors(HAND, flows.time))
    # PEB = 11.5 x 1.2 - 10 x 1.2 - 2 x 0.5 = +0.8; CO2 = 0.72 + 0.366 - 0.828 = +0.258 kg
    assert verdict.ped_class == "PEDdynamic" and not verdict.ghg_net_zero
    assert verdict.reason.startswith("PEDdynamic on energy; GHG not net-zero (+0.0 t CO2-eq/a")
    assert verdict.ghg_balance_kg == pytest.approx(0.258)
    data = compute_kpis(flows, make_scenario()).to_dict()["ped"]
    assert set(data) >= {"ghg_net_zero", "ghg_balance_kg", "pre_ped_convention"}


def test_the_export_credit_is_symmetric_by_default():
    flows = make_flows(
        {"grid_import_kwh": {"b1": [2, 0]}, "grid_export_kwh": {"b1": [0, 3]}},
        timezone="Europe/Berlin",
    )
    de = step_factors("de-geg-2020", flows.time)
    assert co2_emissions(flows, factors=de, export_credit=True) == pytest.approx((2 - 3) * 0.342)
    code = step_factors("de-geg-2020-building-code", flows.time)
    assert co2_emissions(flows, factors=code, export_credit=True) == pytest.approx(
        2 * 0.56 - 3 * 0.86
    )
    assert "asymmetric-regulatory" in code.source and "symmetric" in de.source
    half = step_factors("de-geg-2020", flows.time, k_exp=0.5)
    assert co2_emissions(flows, factors=half, export_credit=True) == pytest.approx(
        (2 - 1.5) * 0.342
    )
    report = compute_kpis(flows, make_scenario("leipzig"))
    assert report.meta["export_credit"] == "symmetric" and report.meta["k_exp"] == 1.0


def test_the_pre_ped_convention_is_named_and_configurable():
    flows = make_flows({"grid_import_kwh": {"b1": [10, 0]}, "grid_export_kwh": {"b1": [0, 3]}})
    default = compute_kpis(flows, make_scenario())
    assert default.verdict.ped_class == "not PED"
    assert "convention sparcs-50/50" in default.verdict.reason
    loose = compute_kpis(
        flows, make_scenario(boundary={"pre_ped": {"name": "city-2030", "min_cover": 0.25}})
    )
    assert loose.verdict.ped_class == "pre-PED"
    assert loose.verdict.reason.startswith("pre-PED (convention city-2030: renewable export >= 25%")
    assert "not a standard" in loose.verdict.reason
    assert loose.to_dict()["ped"]["pre_ped_convention"] == "city-2030"


def test_a_functional_boundary_counts_a_named_plant_outside_the_area():
    index = year_index(2025, "1h", "Europe/Helsinki")
    flows = make_flows({"grid_import_kwh": {"b1": np.full(len(index), 1.0)}}, index=index)
    plant = {"name": "Shared solar park", "carrier": "electricity", "annual_kwh": 2 * 8760.0}
    report = compute_kpis(
        flows, make_scenario(boundary={"kind": "functional", "functional_plants": [plant]})
    )
    el = report.factor_set and step_factors("fi-2018-decree", index).pef["electricity"][0]
    assert report["pee_functional"].value == pytest.approx(2 * 8760 * el)
    assert report["peb"].value == pytest.approx((2 - 1) * 8760 * el)
    assert report.verdict.ped_class == "PEDautonomous"  # the plant covers every hour
    assert "'Shared solar park'" in report.verdict.reason
    assert "functional boundary" in report.verdict.reason
    geo = compute_kpis(flows, make_scenario())
    assert geo.verdict.ped_class == "not PED" and "pee_functional" not in geo.keys()  # noqa: SIM118


def test_functional_plants_need_a_functional_boundary():
    from sparcs.errors import ScenarioError

    plant = {"name": "p", "carrier": "heat", "annual_kwh": 1.0}
    with pytest.raises((ScenarioError, ValueError), match="functional"):
        make_scenario(boundary={"functional_plants": [plant]})
