"""Sharing, the district node, the heat network and the grid connection in the rule simulation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from operation_helpers import make_inputs, make_scenario, make_time

from sparcs.errors import DataError
from sparcs.operation.flows import FLOW_NAMES, STATE_NAMES, Flows, check_balance
from sparcs.operation.rule import simulate

BATTERY = {"capacity_kwh": 6.0, "power_kw": 3.0}


def _run_both(rows: list[dict], building: dict, n_steps: int) -> tuple[Flows, Flows]:
    ids = [r["id"] for r in rows]
    runs = []
    for sharing in ("building", "community"):
        flows = simulate(
            make_scenario(rows, sharing=sharing), make_inputs(ids, n_steps, building=building)
        )
        check_balance(flows)
        runs.append(flows)
    return runs[0], runs[1]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 5))
def test_community_imports_no_more_than_buildings_alone(seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    rows = [
        {
            "id": f"b{i}",
            "heating": "air_source_hp",
            "pv": {"kwp": 5.0},
            **({"battery": BATTERY} if i % 2 else {}),
        }
        for i in range(n)
    ]
    building = {
        "electricity_kw": rng.uniform(0, 3, (8, n)),
        "pv_kw": rng.uniform(0, 6, (8, n)),
        "space_heat_kw": rng.uniform(0, 2, (8, n)),
    }
    alone, community = _run_both(rows, building, 8)
    assert (community.total("grid_import_kwh") <= alone.total("grid_import_kwh") + 1e-9).all()
    assert (community.total("grid_export_kwh") <= alone.total("grid_export_kwh") + 1e-9).all()
    # behind the meter nothing changes, and the district passes the net on
    for name in ("battery_soc_kwh", "hp_el_kwh", "pv_kwh"):
        np.testing.assert_allclose(community[name], alone[name])
    net_alone = alone.total("grid_import_kwh") - alone.total("grid_export_kwh")
    net_community = community.total("grid_import_kwh") - community.total("grid_export_kwh")
    np.testing.assert_allclose(net_community, net_alone, atol=1e-9)


def test_community_equals_buildings_when_all_have_deficits() -> None:
    rows = [{"id": "a", "heating": "electric"}, {"id": "b", "heating": "district_heating"}]
    building = {"electricity_kw": [[1.0, 2.0], [3.0, 0.5]], "space_heat_kw": 1.0}
    alone, community = _run_both(rows, building, 2)
    np.testing.assert_allclose(community.total("grid_import_kwh"), alone.total("grid_import_kwh"))
    np.testing.assert_allclose(community["shared_in_kwh"][:, :2], alone["grid_import_kwh"][:, :2])
    np.testing.assert_allclose(community["shared_out_kwh"][:, 2], alone.total("grid_import_kwh"))
    np.testing.assert_allclose(community["grid_import_kwh"][:, :2], 0.0)


def test_community_surplus_offsets_neighbour_and_fills_district_battery() -> None:
    # a offers 5, b needs 2: the district battery (3 kW) takes the 3 left over
    rows = [
        {"id": "a", "heating": "none", "hot_water": False, "pv": {"kwp": 6.0}},
        {"id": "b", "heating": "none", "hot_water": False},
    ]
    scenario = make_scenario(
        rows, sharing="community", district={"battery": {**BATTERY, "charge_efficiency": 1.0}}
    )
    inputs = make_inputs(
        ["a", "b"], 2, building={"pv_kw": [[5.0, 0.0]] * 2, "electricity_kw": [[0.0, 2.0]] * 2}
    )
    flows = simulate(scenario, inputs)
    check_balance(flows)
    np.testing.assert_allclose(flows["shared_out_kwh"][:, 0], 5.0)
    np.testing.assert_allclose(flows["shared_in_kwh"][:, 1], 2.0)
    np.testing.assert_allclose(flows["shared_in_kwh"][:, 2], 5.0)
    np.testing.assert_allclose(flows["shared_out_kwh"][:, 2], 2.0)
    # starts half full (3 kWh): takes 3 and is full, so the next step's surplus is exported
    np.testing.assert_allclose(flows["battery_charge_kwh"][:, 2], [3.0, 0.0])
    np.testing.assert_allclose(flows["battery_soc_kwh"][:, 2], [6.0, 6.0])
    np.testing.assert_allclose(flows["grid_export_kwh"][:, 2], [0.0, 3.0])
    assert flows.total("grid_import_kwh").sum() == 0


def test_building_sharing_keeps_district_assets_on_their_own_meter() -> None:
    scenario = make_scenario(
        [{"id": "a", "heating": "electric"}],
        sharing="building",
        district={"pv": [{"kwp": 10.0}], "ev": [{"count": 2}]},
    )
    inputs = make_inputs(
        ["a"],
        2,
        building={"electricity_kw": 1.0},
        district={"pv_kw": [4.0, 0.0], "ev_kw": [1.0, 3.0]},
    )
    flows = simulate(scenario, inputs)
    check_balance(flows)
    np.testing.assert_allclose(flows["grid_export_kwh"][:, 1], [3.0, 0.0])
    np.testing.assert_allclose(flows["grid_import_kwh"][:, 1], [0.0, 3.0])
    np.testing.assert_allclose(flows["grid_import_kwh"][:, 0], 1.0)
    assert flows.capacities["pv_kwp"].tolist() == [0.0, 10.0]
    assert flows.capacities["ev_points"].tolist() == [0.0, 2.0]


def test_export_limit_curtails_only_when_binding() -> None:
    scenario = make_scenario(
        [
            {"id": "a", "heating": "none", "hot_water": False, "pv": {"kwp": 6.0}},
            {"id": "b", "heating": "none", "hot_water": False, "pv": {"kwp": 6.0}},
        ],
        grid={"export_limit_kw": 4.0},
    )
    inputs = make_inputs(["a", "b"], 3, building={"pv_kw": [[5.0, 1.0], [1.0, 2.0], [5.0, 5.0]]})
    flows = simulate(scenario, inputs)
    check_balance(flows)
    # step 0: export 6 > 4: curtail 2 pro rata (5:1); step 1: 3 <= 4; step 2: 10 -> curtail 6
    np.testing.assert_allclose(flows["curtailed_kwh"][:, :2], [[5 / 3, 1 / 3], [0, 0], [3, 3]])
    np.testing.assert_allclose(flows.total("grid_export_kwh"), [4.0, 3.0, 4.0])
    assert flows.notes == ()


def test_export_limit_in_quarter_hours_uses_energy_per_step() -> None:
    scenario = make_scenario(
        [{"id": "a", "heating": "none", "hot_water": False, "pv": {"kwp": 6}}],
        sharing="community",
        grid={"export_limit_kw": 4.0},
        step="15min",
    )
    flows = simulate(scenario, make_inputs(["a"], 4, step="15min", building={"pv_kw": 6.0}))
    np.testing.assert_allclose(flows["grid_export_kwh"][:, 1], 1.0)
    np.testing.assert_allclose(flows["curtailed_kwh"][:, 1], 0.5)


def test_chp_surplus_above_export_limit_is_noted() -> None:
    chp = {"electric_kw": 10.0, "min_load": 0.0}
    scenario = make_scenario(
        [{"id": "a", "heating": "chp", "chp": chp}], grid={"export_limit_kw": 1.0}
    )
    flows = simulate(scenario, make_inputs(["a"], 2, building={"space_heat_kw": 10.0}))
    check_balance(flows)
    assert flows["curtailed_kwh"].sum() == 0
    assert any("export limit of 1 kW" in note and "CHP" in note for note in flows.notes)


def test_import_limit_violation_is_imported_and_noted() -> None:
    scenario = make_scenario(
        [{"id": "a", "heating": "electric"}], sharing="community", grid={"import_limit_kw": 2.0}
    )
    inputs = make_inputs(["a"], 3, building={"electricity_kw": [[1.0], [5.0], [3.0]]})
    flows = simulate(scenario, inputs)
    check_balance(flows)
    np.testing.assert_allclose(flows["grid_import_kwh"][:, 1], [1.0, 5.0, 3.0])
    (note,) = flows.notes
    assert "import limit of 2 kW in 2 steps (2 h)" in note
    assert "largest exceedance 3 kW" in note


def test_district_heat_network_serves_district_heating_buildings_pro_rata() -> None:
    # district solar heat 3 kWh meets part of the 4 kWh draw of a (1) and b (3);
    # c (boiler) gets none
    rows = [
        {"id": "a", "heating": "district_heating"},
        {"id": "b", "heating": "district_heating"},
        {"id": "c", "heating": "gas_boiler"},
    ]
    scenario = make_scenario(rows, district={"solar_thermal": [{"area_m2": 10.0}]})
    inputs = make_inputs(
        ["a", "b", "c"],
        2,
        building={"space_heat_kw": [[1.0, 3.0, 2.0]] * 2},
        district={"solar_thermal_kw": [3.0, 6.0]},
    )
    flows = simulate(scenario, inputs)
    check_balance(flows)
    np.testing.assert_allclose(flows["heat_shared_in_kwh"][0, :3], [0.75, 2.25, 0.0])
    np.testing.assert_allclose(flows["dh_import_kwh"][0, :3], [0.25, 0.75, 0.0])
    np.testing.assert_allclose(flows["heat_shared_out_kwh"][:, 3], [3.0, 4.0])
    np.testing.assert_allclose(flows["heat_dumped_kwh"][:, 3], [0.0, 2.0])
    np.testing.assert_allclose(flows["dh_import_kwh"][1], 0.0)
    assert flows["heat_demand_kwh"][:, 3].sum() == 0


def test_district_heat_pump_and_chp_feed_the_network() -> None:
    rows = [{"id": "a", "heating": "district_heating"}]
    district = {
        "chp": {"electric_kw": 3.5, "min_load": 0.0},  # 5 kW heat
        "heat_pump": {"capacity_kw": 2.0},
    }
    scenario = make_scenario(rows, district=district, sharing="community")
    inputs = make_inputs(
        ["a"], 2, building={"space_heat_kw": [[4.0], [9.0]]}, district={"cop_heating": 4.0}
    )
    flows = simulate(scenario, inputs)
    check_balance(flows)
    np.testing.assert_allclose(flows["chp_heat_kwh"][:, 1], [4.0, 5.0])
    np.testing.assert_allclose(flows["hp_heat_kwh"][:, 1], [0.0, 2.0])
    np.testing.assert_allclose(flows["dh_import_kwh"][:, 0], [0.0, 2.0])
    np.testing.assert_allclose(flows["heat_shared_in_kwh"][:, 0], [4.0, 7.0])
    # the CHP's electricity covers the heat pump and the rest is exported by the district
    np.testing.assert_allclose(flows["grid_export_kwh"][:, 1], [2.8, 3.5 - 0.5])
    assert flows.fuel == ("", "gas")


def test_district_heat_plants_without_network_customers_are_noted() -> None:
    scenario = make_scenario(
        [{"id": "a", "heating": "gas_boiler"}], district={"solar_thermal": [{"area_m2": 10.0}]}
    )
    inputs = make_inputs(["a"], 2, district={"solar_thermal_kw": 2.0})
    flows = simulate(scenario, inputs)
    check_balance(flows)
    np.testing.assert_allclose(flows["heat_dumped_kwh"][:, 1], 2.0)
    assert any("no building uses district heating" in note for note in flows.notes)


def test_district_without_buildings() -> None:
    scenario = make_scenario(
        [], district={"pv": [{"kwp": 5.0}], "battery": BATTERY}, sharing="community"
    )
    flows = simulate(
        scenario, make_inputs([], 3, district={"pv_kw": [4.0, 0.0, 0.0], "virtual_kw": 2.0})
    )
    check_balance(flows)
    assert flows.nodes == ("district",)
    np.testing.assert_allclose(flows["virtual_kwh"][:, 0], 2.0)
    assert flows["battery_charge_kwh"][0, 0] == pytest.approx(3.0)


def test_flows_missing_a_name_are_refused_with_the_name() -> None:
    time = make_time(2)
    names = [n for n in (*FLOW_NAMES, *STATE_NAMES) if n != "heat_shared_in_kwh"]
    data = {n: np.zeros((2, 2)) for n in names}
    with pytest.raises(DataError, match="flows lack 'heat_shared_in_kwh'"):
        Flows(
            time=time,
            dt_h=1.0,
            nodes=("a", "district"),
            data=data,
            fuel=("", ""),
            floor_area_m2=np.zeros(2),
            residents=np.zeros(2),
            timezone="UTC",
        )
