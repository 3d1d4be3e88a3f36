"""Energy, storage and mobility KPIs against hand-computed small cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from kpi_helpers import make_flows

from sparcs.carriers import step_factors
from sparcs.errors import DataError, ScenarioError
from sparcs.kpi import (
    curtailment,
    curtailment_share,
    decentralised_share,
    electricity_use,
    ev_charge_points,
    ev_energy,
    ev_renewable_share,
    exclude_mobility,
    final_energy,
    local_generation,
    res_share,
    self_consumption,
    self_sufficiency,
    storage_cycles,
    storage_losses,
    v2g_energy,
)
from sparcs.operation.flows import check_balance


@pytest.fixture
def pv_case():
    """One building: PV 10 kWh, load 8 kWh; imports 4 at night, exports 6 at noon."""
    return make_flows(
        {
            "pv_kwh": {"b1": [0, 4, 6, 0]},
            "electricity_demand_kwh": {"b1": [2, 2, 2, 2]},
            "grid_import_kwh": {"b1": [2, 0, 0, 2]},
            "grid_export_kwh": {"b1": [0, 2, 4, 0]},
        }
    )


@pytest.fixture
def community_case():
    """Two buildings sharing PV through the district node (community self-consumption)."""
    flows = make_flows(
        {
            "pv_kwh": {"b1": [4, 0]},
            "electricity_demand_kwh": {"b1": [1, 1], "b2": [2, 2]},
            "shared_out_kwh": {"b1": [3, 0], "district": [2, 3]},
            "shared_in_kwh": {"b1": [0, 1], "b2": [2, 2], "district": [3, 0]},
            "grid_import_kwh": {"district": [0, 3]},
            "grid_export_kwh": {"district": [1, 0]},
        },
        buildings=("b1", "b2"),
        sharing="community",
    )
    check_balance(flows)
    return flows


def test_final_energy_per_carrier_area_and_resident():
    flows = make_flows(
        {
            "grid_import_kwh": {"b1": [1, 2, 0, 0]},
            "dh_import_kwh": {"b1": [5, 5, 5, 5]},
            "boiler_fuel_kwh": {"b2": [2, 2, 2, 2]},
            "chp_fuel_kwh": {"district": [1, 0, 0, 0]},
        },
        buildings=("b1", "b2"),
        fuel={"b1": "", "b2": "gas", "district": "biomass"},
        floor_area={"b1": 100.0, "b2": 60.0},
        residents={"b1": 2, "b2": 2},
    )
    assert final_energy(flows, carrier="electricity") == pytest.approx(3.0)
    assert final_energy(flows, carrier="district_heat") == pytest.approx(20.0)
    assert final_energy(flows, carrier="gas") == pytest.approx(8.0)
    assert final_energy(flows, carrier="biomass") == pytest.approx(1.0)
    assert final_energy(flows, carrier="oil") == 0.0
    assert final_energy(flows) == pytest.approx(32.0)
    assert final_energy(flows, per="m2") == pytest.approx(32.0 / 160.0)
    assert final_energy(flows, per="resident") == pytest.approx(8.0)
    by_building = final_energy(flows, by="building")
    assert list(by_building.index) == ["b1", "b2"]
    assert by_building.to_dict() == pytest.approx({"b1": 23.0, "b2": 8.0})
    assert by_building.attrs["unit"] == "kWh"
    per_m2 = final_energy(flows, by="building", per="m2")
    assert per_m2.to_dict() == pytest.approx({"b1": 0.23, "b2": 8.0 / 60.0})
    assert per_m2.attrs["unit"] == "kWh/m2"


def test_per_resident_without_residents_is_nan():
    flows = make_flows({"grid_import_kwh": {"b1": [1, 1]}}, residents={"b1": 0})
    assert np.isnan(final_energy(flows, per="resident"))


def test_self_consumption_and_sufficiency_district(pv_case):
    assert local_generation(pv_case) == pytest.approx(10.0)
    assert electricity_use(pv_case) == pytest.approx(8.0)
    assert self_consumption(pv_case) == pytest.approx(1 - 6 / 10)
    assert self_sufficiency(pv_case) == pytest.approx(1 - 4 / 8)
    assert decentralised_share(pv_case) == pytest.approx(10 / 8)


def test_self_consumption_and_sufficiency_community_and_buildings(community_case):
    assert self_consumption(community_case) == pytest.approx(1 - 1 / 4)
    assert self_sufficiency(community_case) == pytest.approx(1 - 3 / 6)
    ss = self_sufficiency(community_case, by="building")
    assert ss["b1"] == pytest.approx(1 - 1 / 2)  # own meter: community supply counts as import
    assert ss["b2"] == pytest.approx(0.0)
    sc = self_consumption(community_case, by="building")
    assert sc["b1"] == pytest.approx(1 - 3 / 4)
    assert np.isnan(sc["b2"])  # no generation
    assert sc.attrs["unit"] == "-" and sc.name == "self_consumption"


def test_without_generation_or_load_ratios_are_nan():
    flows = make_flows({"grid_import_kwh": {"b1": [0, 0]}})
    assert np.isnan(self_consumption(flows))
    assert np.isnan(self_sufficiency(flows))


def test_res_share_counts_local_solar_ambient_biomass_and_grid_share():
    flows = make_flows(
        {
            "pv_kwh": {"b1": [0, 4, 6, 0]},
            "electricity_demand_kwh": {"b1": [2, 2, 2, 1]},
            "hp_el_kwh": {"b1": [0, 0, 0, 1]},
            "hp_heat_kwh": {"b1": [0, 0, 0, 3]},
            "grid_import_kwh": {"b1": [2, 0, 0, 2]},
            "grid_export_kwh": {"b1": [0, 2, 4, 0]},
            "solar_thermal_kwh": {"b1": [0, 2, 0, 0]},
            "heat_dumped_kwh": {"b1": [0, 1, 0, 0]},
            "boiler_fuel_kwh": {"b1": [1, 0, 0, 0]},
            "boiler_heat_kwh": {"b1": [0.9, 0, 0, 0]},
            "heat_demand_kwh": {"b1": [0.9, 1, 0, 3]},
        },
        fuel={"b1": "biomass"},
    )
    check_balance(flows)
    factors = step_factors("fi-2018-decree", flows.time)
    # local PV used 0.4 * 10 = 4, solar heat used 1, ambient 3 - 1 = 2, biomass 1,
    # grid 0.565 * 4; gross final = delivered (4 + 1) + 4 + 1 + 2
    expected = (4 + 1 + 2 + 1 + 0.565 * 4) / (5 + 4 + 1 + 2)
    assert res_share(flows, factors=factors) == pytest.approx(expected)
    assert res_share(flows, by="building", factors=factors)["b1"] == pytest.approx(expected)


def test_res_share_counts_district_heat_by_its_renewable_share():
    flows = make_flows({"dh_import_kwh": {"b1": [1, 1]}, "heat_demand_kwh": {"b1": [1, 1]}})
    assert res_share(flows, factors=step_factors("fi-2018-decree", flows.time)) == pytest.approx(
        0.35
    )
    assert res_share(flows, factors=step_factors("gr-kenak", flows.time)) == 0.0
    assert res_share(flows, factors=step_factors("is-eu-default", flows.time)) == pytest.approx(1.0)


def test_curtailment():
    flows = make_flows(
        {
            "pv_kwh": {"b1": [0, 5, 5]},
            "wind_kwh": {"district": [0, 0, 2]},
            "curtailed_kwh": {"b1": [0, 1, 2]},
        }
    )
    assert curtailment(flows) == pytest.approx(3.0)
    assert curtailment_share(flows) == pytest.approx(3 / 12)
    assert local_generation(flows) == pytest.approx(9.0)
    assert curtailment_share(flows, by="building")["b1"] == pytest.approx(3 / 10)


def test_storage_cycles_and_losses():
    flows = make_flows(
        {
            "battery_charge_kwh": {"b1": [0, 5, 0, 0]},
            "battery_discharge_kwh": {"b1": [0, 0, 4, 0]},
            "battery_soc_kwh": {"b1": [5, 9.5, 5.5, 5.5]},
            "tes_charge_kwh": {"district": [0, 10, 0, 0]},
            "tes_discharge_kwh": {"district": [0, 0, 6, 2]},
            "tes_soc_kwh": {"district": [1, 10, 3.5, 1.0]},
        },
        capacities={"battery_kwh": {"b1": 10.0}, "tes_kwh": {"district": 20.0}},
    )
    assert storage_cycles(flows) == pytest.approx(0.4)
    assert storage_losses(flows) == pytest.approx(0.5)
    assert storage_cycles(flows, store="tes") == pytest.approx(8 / 20)
    assert storage_losses(flows, store="tes") == pytest.approx(10 - 8 - (1.0 - 1.0))
    assert storage_cycles(flows, by="building")["b1"] == pytest.approx(0.4)


def test_storage_without_capacity_is_nan_and_store_is_checked():
    flows = make_flows({"battery_discharge_kwh": {"b1": [1, 1]}})
    assert np.isnan(storage_cycles(flows))
    with pytest.raises(ScenarioError, match="store="):
        storage_cycles(flows, store="flywheel")  # type: ignore[arg-type]


def test_ev_energy_renewable_share_pro_rata_and_v2g():
    flows = make_flows(
        {
            "pv_kwh": {"b1": [1, 0, 0]},
            "electricity_demand_kwh": {"b1": [1, 1, 0]},
            "ev_charge_kwh": {"b1": [1, 2, 0]},
            "ev_v2g_kwh": {"b1": [0, 0, 1]},
            "grid_import_kwh": {"b1": [1, 3, 0]},
            "grid_export_kwh": {"b1": [0, 0, 1]},
        },
        capacities={"ev_points": {"b1": 2}},
    )
    check_balance(flows)
    assert ev_energy(flows) == pytest.approx(3.0)
    # step 0: PV 1 covers half of the load 2, so half of the 1 kWh EV charge; step 1: none
    assert ev_renewable_share(flows) == pytest.approx(0.5 / 3)
    assert ev_renewable_share(flows, by="building")["b1"] == pytest.approx(0.5 / 3)
    assert v2g_energy(flows) == pytest.approx(1.0)
    assert ev_charge_points(flows) == 2.0


def test_exclude_mobility_keeps_balances_and_removes_ev_from_import():
    flows = make_flows(
        {
            "electricity_demand_kwh": {"b1": [1, 1], "b2": [1, 1]},
            "ev_charge_kwh": {"b1": [2, 0], "district": [0, 1]},
            "ev_v2g_kwh": {"b2": [0, 3]},
            "shared_in_kwh": {"b1": [3, 1], "b2": [1, 0], "district": [0, 2]},
            "shared_out_kwh": {"b2": [0, 2], "district": [4, 1]},
            "grid_import_kwh": {"district": [4, 0]},
        },
        buildings=("b1", "b2"),
        sharing="community",
    )
    check_balance(flows)
    scoped = exclude_mobility(flows)
    check_balance(scoped)
    assert scoped["ev_charge_kwh"].sum() == 0.0 and scoped["ev_v2g_kwh"].sum() == 0.0
    # step 0: EV 2 kWh less import; step 1: net V2G 3 - 1 = 2 kWh no longer exported
    np.testing.assert_allclose(scoped.total("grid_import_kwh"), [2.0, 2.0])
    np.testing.assert_allclose(scoped.total("grid_export_kwh"), [0.0, 0.0])
    assert flows["ev_charge_kwh"].sum() == 3.0  # the input is unchanged


def test_exclude_mobility_building_sharing():
    flows = make_flows(
        {
            "electricity_demand_kwh": {"b1": [1, 1]},
            "ev_charge_kwh": {"b1": [2, 0]},
            "pv_kwh": {"b1": [0, 4]},
            "grid_import_kwh": {"b1": [3, 0]},
            "grid_export_kwh": {"b1": [0, 3]},
        }
    )
    scoped = exclude_mobility(flows)
    check_balance(scoped)
    np.testing.assert_allclose(scoped.total("grid_import_kwh"), [1.0, 0.0])


def test_fuel_without_carrier_is_a_data_error():
    flows = make_flows({"boiler_fuel_kwh": {"b1": [1, 1]}})
    with pytest.raises(DataError, match="'b1'"):
        final_energy(flows)


def test_bad_options_raise_scenario_errors(pv_case):
    with pytest.raises(ScenarioError, match="by="):
        self_sufficiency(pv_case, by="city")  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match="carrier="):
        final_energy(pv_case, carrier="hydrogen")
    with pytest.raises(ScenarioError, match="per="):
        final_energy(pv_case, per="flat")  # type: ignore[arg-type]


def test_building_results_are_labelled_series(pv_case):
    series = local_generation(pv_case, by="building")
    assert isinstance(series, pd.Series)
    assert series.name == "local_generation" and series.attrs["unit"] == "kWh"
    assert series.index.name == "building"


def test_local_heat_network_counts_as_district_heat_for_the_building():
    flows = make_flows(
        {
            "solar_thermal_kwh": {"district": [3, 0]},
            "dh_import_kwh": {"district": [0, 2]},
            "heat_shared_out_kwh": {"district": [3, 2]},
            "heat_shared_in_kwh": {"b1": [3, 2]},
            "heat_demand_kwh": {"b1": [3, 2]},
        },
        sharing="community",
    )
    check_balance(flows)
    assert final_energy(flows, carrier="district_heat") == pytest.approx(2.0)  # boundary
    assert final_energy(flows, by="building", carrier="district_heat")["b1"] == pytest.approx(5.0)
    share = res_share(flows, factors=step_factors("fi-2018-decree", flows.time))
    assert share == pytest.approx((3 + 0.35 * 2) / 5)  # solar heat 3, district heat 35 % of 2
