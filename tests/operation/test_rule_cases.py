"""Hand-computed cases of the rule simulation: every number below is worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest
from operation_helpers import make_inputs, make_scenario

from sparcs.errors import DataError, InfeasibleError, ScenarioError
from sparcs.operation.flows import check_balance
from sparcs.operation.rule import simulate

BATTERY = {
    "capacity_kwh": 10.0,
    "power_kw": 4.0,
    "charge_efficiency": 0.9,
    "discharge_efficiency": 0.9,
    "soc_min": 0.1,
    "soc_max": 0.9,
    "soc_initial": 0.5,
}


def test_battery_three_steps_exact() -> None:
    # t0: surplus 6 kWh, charge limited by power (4 kWh), SoC 5 + 4*0.9 = 8.6, export 2
    # t1: deficit 6, discharge limited by power (4), SoC 8.6 - 4/0.9, import 2
    # t2: deficit 8, discharge limited by energy: (SoC - 1) * 0.9, SoC ends at soc_min (1 kWh)
    scenario = make_scenario(
        [{"id": "a", "heating": "district_heating", "battery": BATTERY, "pv": {"kwp": 8.0}}]
    )
    inputs = make_inputs(
        ["a"], 3, building={"electricity_kw": [[1.0], [6.0], [8.0]], "pv_kw": [[7.0], [0.0], [0.0]]}
    )
    flows = simulate(scenario, inputs)
    check_balance(flows)
    soc1 = 8.6 - 4 / 0.9
    last = (soc1 - 1.0) * 0.9
    np.testing.assert_allclose(flows["battery_charge_kwh"][:, 0], [4.0, 0.0, 0.0])
    np.testing.assert_allclose(flows["battery_discharge_kwh"][:, 0], [0.0, 4.0, last])
    np.testing.assert_allclose(flows["battery_soc_kwh"][:, 0], [8.6, soc1, 1.0])
    np.testing.assert_allclose(flows["grid_export_kwh"][:, 0], [2.0, 0.0, 0.0])
    np.testing.assert_allclose(flows["grid_import_kwh"][:, 0], [0.0, 2.0, 8.0 - last])
    assert flows.capacities["battery_kwh"].tolist() == [10.0, 0.0]


def test_solar_thermal_fills_store_with_losses_then_covers_demand() -> None:
    # t0: demand 1, solar 4 -> surplus 3 stored; t1: store 3*0.9=2.7, takes 2.3, dumps 2.7;
    # t2: store 5*0.9 = 4.5 covers demand 3, leaves 1.5; district heat never needed
    scenario = make_scenario(
        [
            {
                "id": "a",
                "heating": "district_heating",
                "solar_thermal": {"area_m2": 10},
                "thermal_storage": {
                    "capacity_kwh": 5.0,
                    "loss_pct_per_h": 10.0,
                    "soc_initial": 0.0,
                },
            }
        ]
    )
    inputs = make_inputs(
        ["a"],
        3,
        building={
            "space_heat_kw": [[1.0], [0.0], [3.0]],
            "solar_thermal_kw": [[4.0], [5.0], [0.0]],
        },
    )
    flows = simulate(scenario, inputs)
    check_balance(flows)
    np.testing.assert_allclose(flows["tes_charge_kwh"][:, 0], [3.0, 2.3, 0.0])
    np.testing.assert_allclose(flows["tes_discharge_kwh"][:, 0], [0.0, 0.0, 3.0])
    np.testing.assert_allclose(flows["tes_soc_kwh"][:, 0], [3.0, 5.0, 1.5])
    np.testing.assert_allclose(flows["heat_dumped_kwh"][:, 0], [0.0, 2.7, 0.0])
    np.testing.assert_allclose(flows["dh_import_kwh"][:, 0], [0.0, 0.0, 0.0])


def test_chp_min_load() -> None:
    # thermal capacity 35 * 0.5 / 0.35 = 50 kW, min load 25 kW: below it the CHP is off
    chp = {
        "electric_kw": 35.0,
        "electrical_efficiency": 0.35,
        "thermal_efficiency": 0.5,
        "min_load": 0.5,
    }
    scenario = make_scenario([{"id": "a", "heating": "chp", "chp": chp}])
    inputs = make_inputs(["a"], 4, building={"space_heat_kw": [[10.0], [25.0], [40.0], [60.0]]})
    flows = simulate(scenario, inputs)
    check_balance(flows)
    np.testing.assert_allclose(flows["chp_heat_kwh"][:, 0], [0.0, 25.0, 40.0, 50.0])
    np.testing.assert_allclose(flows["boiler_heat_kwh"][:, 0], [10.0, 0.0, 0.0, 10.0])
    np.testing.assert_allclose(flows["chp_el_kwh"][:, 0], [0.0, 17.5, 28.0, 35.0])
    np.testing.assert_allclose(flows["chp_fuel_kwh"][:, 0], [0.0, 50.0, 80.0, 100.0])
    np.testing.assert_allclose(flows["boiler_fuel_kwh"][:, 0], np.array([10, 0, 0, 10]) / 0.92)
    np.testing.assert_allclose(flows["grid_export_kwh"][:, 0], [0.0, 17.5, 28.0, 35.0])
    assert flows.fuel == ("gas", "")


def test_heat_pump_with_backup_heater_and_cop() -> None:
    # 3 kW heat pump, COP 2.5; demand 5 kW: 3 from the heat pump (1.2 kWh el), 2 from the
    # electric back-up heater at 99 %
    scenario = make_scenario(
        [
            {
                "id": "a",
                "heating": "air_source_hp",
                "heat_pump": {"source": "air", "capacity_kw": 3.0},
            }
        ]
    )
    inputs = make_inputs(["a"], 2, building={"space_heat_kw": 5.0, "cop_heating": 2.5})
    flows = simulate(scenario, inputs)
    check_balance(flows)
    np.testing.assert_allclose(flows["hp_heat_kwh"][:, 0], 3.0)
    np.testing.assert_allclose(flows["hp_el_kwh"][:, 0], 1.2)
    np.testing.assert_allclose(flows["eboiler_heat_kwh"][:, 0], 2.0)
    np.testing.assert_allclose(flows["eboiler_el_kwh"][:, 0], 2.0 / 0.99)
    np.testing.assert_allclose(flows["grid_import_kwh"][:, 0], 1.2 + 2.0 / 0.99)
    assert any("back-up" in note for note in flows.notes)


def test_heat_pump_without_table_is_sized_to_peak() -> None:
    scenario = make_scenario([{"id": "a", "heating": "ground_source_hp"}])
    inputs = make_inputs(["a"], 3, building={"space_heat_kw": [[2.0], [6.0], [1.0]], "dhw_kw": 1.0})
    flows = simulate(scenario, inputs)
    np.testing.assert_allclose(flows["hp_heat_kwh"][:, 0], [3.0, 7.0, 2.0])
    assert flows["eboiler_el_kwh"].sum() == 0
    assert flows.capacities["hp_kw"][0] == pytest.approx(7.0)
    assert any("sized to the peak" in note for note in flows.notes)


def test_direct_electric_and_fuel_boilers() -> None:
    scenario = make_scenario(
        [
            {"id": "e", "heating": "electric"},
            {"id": "o", "heating": "oil_boiler", "boiler": {"efficiency": 0.8}},
            {"id": "w", "heating": "biomass_boiler"},
        ]
    )
    inputs = make_inputs(["e", "o", "w"], 2, building={"space_heat_kw": 4.0})
    flows = simulate(scenario, inputs)
    check_balance(flows)
    np.testing.assert_allclose(flows["eboiler_el_kwh"][:, 0], 4.0 / 0.99)
    np.testing.assert_allclose(flows["boiler_fuel_kwh"][:, 1:3], [[5.0, 4.0 / 0.92]] * 2)
    assert flows.fuel == ("", "oil", "biomass", "")


def test_power_to_heat_displaces_district_heat_then_fills_store() -> None:
    # surplus 5 kWh; the 2 kW electric boiler makes 1.98 kWh: 1 displaces district heat,
    # 0.98 fills the (lossless) store; 3 kWh are exported
    scenario = make_scenario(
        [
            {
                "id": "a",
                "heating": "district_heating",
                "pv": {"kwp": 6},
                "electric_boiler": {"power_kw": 2.0},
                "thermal_storage": {
                    "capacity_kwh": 10.0,
                    "loss_pct_per_h": 0.0,
                    "soc_initial": 0.0,
                },
            }
        ]
    )
    inputs = make_inputs(["a"], 2, building={"pv_kw": [[5.0], [0.0]], "space_heat_kw": 1.0})
    flows = simulate(scenario, inputs)
    check_balance(flows)
    np.testing.assert_allclose(flows["eboiler_el_kwh"][:, 0], [2.0, 0.0])
    np.testing.assert_allclose(flows["eboiler_heat_kwh"][:, 0], [1.98, 0.0])
    np.testing.assert_allclose(flows["dh_import_kwh"][:, 0], [0.0, 0.02])
    np.testing.assert_allclose(flows["tes_charge_kwh"][:, 0], [0.98, 0.0])
    np.testing.assert_allclose(flows["tes_discharge_kwh"][:, 0], [0.0, 0.98])
    np.testing.assert_allclose(flows["grid_export_kwh"][:, 0], [3.0, 0.0])


def test_power_to_heat_never_charges_a_discharging_store() -> None:
    # the store (4 kWh) covers the 3 kWh need; the electric boiler then has surplus to store.
    # Netting: the store discharges nothing and takes 1.98 - 3 < 0 -> discharge 1.02, no charge
    scenario = make_scenario(
        [
            {
                "id": "a",
                "heating": "electric",
                "pv": {"kwp": 6},
                "electric_boiler": {"power_kw": 2.0},
                "thermal_storage": {
                    "capacity_kwh": 10.0,
                    "loss_pct_per_h": 0.0,
                    "soc_initial": 0.4,
                },
            }
        ]
    )
    inputs = make_inputs(["a"], 2, building={"pv_kw": 5.0, "space_heat_kw": 3.0})
    flows = simulate(scenario, inputs)
    check_balance(flows)
    assert flows["tes_charge_kwh"][0, 0] == pytest.approx(0.0)
    assert flows["tes_discharge_kwh"][0, 0] == pytest.approx(3.0 - 1.98)
    assert flows["tes_soc_kwh"][0, 0] == pytest.approx(4.0 - 3.0 + 1.98)


def test_cooling_default_chiller_and_reversible_heat_pump() -> None:
    scenario = make_scenario(
        [
            {"id": "c", "heating": "gas_boiler", "cooling": True},
            {
                "id": "r",
                "heating": "air_source_hp",
                "cooling": True,
                "heat_pump": {
                    "source": "air",
                    "capacity_kw": 5.0,
                    "cooling": True,
                    "carnot_efficiency": 0.4,
                },
            },
        ]
    )
    inputs = make_inputs(["c", "r"], 2, building={"cooling_kw": 7.0}, temp_air=35.0)
    flows = simulate(scenario, inputs)
    check_balance(flows)
    eer = 0.4 * (7.0 + 273.15) / (35.0 - 7.0)
    np.testing.assert_allclose(flows["chiller_el_kwh"][:, 0], 2.0)
    np.testing.assert_allclose(flows["chiller_el_kwh"][:, 1], 7.0 / eer)
    np.testing.assert_allclose(flows["chiller_cold_kwh"], flows["cooling_demand_kwh"])


def test_no_heating_with_demand_is_infeasible() -> None:
    scenario = make_scenario([{"id": "shed", "heating": "none"}])
    inputs = make_inputs(["shed"], 2, building={"dhw_kw": 0.5})
    with pytest.raises(InfeasibleError, match="building 'shed' has heating = 'none'"):
        simulate(scenario, inputs)


def test_no_heating_without_demand_runs() -> None:
    scenario = make_scenario([{"id": "shed", "heating": "none", "hot_water": False}])
    flows = simulate(scenario, make_inputs(["shed"], 2, building={"electricity_kw": 1.0}))
    check_balance(flows)
    assert flows.total("heat_demand_kwh").sum() == 0


def test_fifteen_minutes_match_hourly_on_constant_profile() -> None:
    rows = [
        {"id": "a", "heating": "air_source_hp", "pv": {"kwp": 10}, "battery": BATTERY},
        {"id": "b", "heating": "chp", "chp": {"electric_kw": 2.0}},
        {
            "id": "c",
            "heating": "district_heating",
            "electric_boiler": {"power_kw": 1.0},
            "thermal_storage": {"capacity_kwh": 3.0, "loss_pct_per_h": 0.0},
        },
    ]
    profile = {
        "electricity_kw": [1.0, 2.0, 0.5],
        "pv_kw": [6.0, 0.0, 4.0],
        "space_heat_kw": [2.0, 5.0, 1.0],
        "cop_heating": 3.0,
    }
    # the district battery never fills within the 6 h, so the export stays constant within each
    # hour: curtailment (a threshold) then adds up the same at both steps. A store that fills in
    # mid-hour ahead of a threshold legitimately differs between 15 min and 1 h.
    district = {"battery": {**BATTERY, "capacity_kwh": 1000.0}}
    results = []
    for step, n_steps in (("1h", 6), ("15min", 24)):
        scenario = make_scenario(
            rows, step=step, sharing="community", district=district, grid={"export_limit_kw": 0.1}
        )
        flows = simulate(
            scenario, make_inputs(["a", "b", "c"], n_steps, step=step, building=profile)
        )
        check_balance(flows)
        results.append(flows)
    hourly, quarter = results
    for name, values in hourly.data.items():
        if name.endswith("soc_kwh"):
            np.testing.assert_allclose(quarter[name][3::4], values, atol=1e-9, err_msg=name)
        else:
            summed = quarter[name].reshape(6, 4, -1).sum(axis=1)
            np.testing.assert_allclose(summed, values, atol=1e-9, err_msg=name)


def test_inputs_must_match_scenario() -> None:
    scenario = make_scenario([{"id": "a"}])
    with pytest.raises(DataError, match="disagree on the buildings"):
        simulate(scenario, make_inputs(["b"], 2))
    with pytest.raises(DataError, match="negative or missing"):
        simulate(scenario, make_inputs(["a"], 2, building={"pv_kw": [[1.0], [-0.1]]}))
    with pytest.raises(DataError, match="negative or missing"):
        simulate(scenario, make_inputs(["a"], 2, building={"electricity_kw": np.nan}))


def test_heat_pump_needs_positive_cop() -> None:
    scenario = make_scenario([{"id": "a", "heating": "air_source_hp"}])
    inputs = make_inputs(["a"], 2, building={"space_heat_kw": 1.0, "cop_heating": 0.0})
    with pytest.raises(DataError, match="'a' has a heat pump but cop_heating"):
        simulate(scenario, inputs)


def test_two_fuels_in_one_building_are_refused() -> None:
    scenario = make_scenario(
        [
            {
                "id": "a",
                "heating": "chp",
                "chp": {"electric_kw": 5.0, "fuel": "biomass"},
                "boiler": {"fuel": "gas"},
            }
        ]
    )
    with pytest.raises(ScenarioError, match="burns biomass and gas"):
        simulate(scenario, make_inputs(["a"], 2))


def test_boiler_table_contradicting_heating_is_refused() -> None:
    scenario = make_scenario([{"id": "a", "heating": "oil_boiler", "boiler": {"fuel": "gas"}}])
    with pytest.raises(ScenarioError, match="boiler.fuel = 'gas'"):
        simulate(scenario, make_inputs(["a"], 2))


def test_boiler_above_capacity_is_noted_not_dropped() -> None:
    scenario = make_scenario([{"id": "a", "heating": "gas_boiler", "boiler": {"capacity_kw": 3.0}}])
    flows = simulate(scenario, make_inputs(["a"], 2, building={"space_heat_kw": [[2.0], [5.0]]}))
    check_balance(flows)
    np.testing.assert_allclose(flows["boiler_heat_kwh"][:, 0], [2.0, 5.0])
    (note,) = flows.notes
    assert "'a'" in note and "5 kW, above its capacity of 3 kW" in note


def test_power_to_heat_is_not_reported_as_back_up_heating() -> None:
    scenario = make_scenario(
        [
            {
                "id": "a",
                "heating": "air_source_hp",
                "pv": {"kwp": 5},
                "electric_boiler": {"power_kw": 1.0},
                "thermal_storage": {"capacity_kwh": 10.0},
            }
        ]
    )
    inputs = make_inputs(["a"], 2, building={"pv_kw": 5.0, "space_heat_kw": 1.0})
    flows = simulate(scenario, inputs)
    check_balance(flows)
    assert flows["eboiler_el_kwh"].sum() > 0
    assert not any("back-up" in note for note in flows.notes)


def test_storage_loop_subset_and_full_give_the_same_building_flows() -> None:
    # one building with storage among three (loop over the subset) and alone (loop over all)
    stored = {
        "id": "s",
        "heating": "district_heating",
        "pv": {"kwp": 8},
        "battery": BATTERY,
        "electric_boiler": {"power_kw": 1.0},
        "solar_thermal": {"area_m2": 5},
        "thermal_storage": {"capacity_kwh": 4.0},
    }
    plain = [{"id": "p1", "heating": "gas_boiler"}, {"id": "p2", "heating": "air_source_hp"}]
    rng = np.random.default_rng(7)
    series = {
        name: rng.uniform(0, 4, (24, 3))
        for name in ("electricity_kw", "pv_kw", "space_heat_kw", "solar_thermal_kw")
    }
    mixed = simulate(
        make_scenario([*plain, stored]), make_inputs(["p1", "p2", "s"], 24, building=series)
    )
    alone = simulate(
        make_scenario([stored]),
        make_inputs(["s"], 24, building={k: v[:, 2:] for k, v in series.items()}),
    )
    for name, values in alone.data.items():
        np.testing.assert_allclose(mixed[name][:, 2], values[:, 0], atol=1e-12, err_msg=name)
