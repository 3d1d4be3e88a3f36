"""Heat export to the district-heating network: hand-computed cases of both strategies."""

from __future__ import annotations

import numpy as np
import pytest
from operation_helpers import make_inputs, make_scenario

from sparcs.operation.flows import FLOW_NAMES, check_balance
from sparcs.operation.rule import simulate

STORE = {"capacity_kwh": 5.0, "loss_pct_per_h": 10.0, "soc_initial": 0.0}


def _solar_building(export: dict | None = None, heating: str = "district_heating"):
    district = {"heat_export": export} if export is not None else {}
    return make_scenario(
        [
            {
                "id": "a",
                "heating": heating,
                "solar_thermal": {"area_m2": 10},
                "thermal_storage": STORE,
            }
        ],
        district=district,
    )


def _solar_inputs():
    # the case of test_rule_cases: t1 dumps 2.7 kWh without export
    return make_inputs(
        ["a"],
        3,
        building={
            "space_heat_kw": [[1.0], [0.0], [3.0]],
            "solar_thermal_kw": [[4.0], [5.0], [0.0]],
        },
    )


def test_new_flows_are_named() -> None:
    assert "dh_export_kwh" in FLOW_NAMES and "virtual_heat_kwh" in FLOW_NAMES


def test_rule_exports_what_would_be_dumped() -> None:
    # t0: 3 kWh into the store; t1: store 3*0.9 = 2.7, takes 2.3, the 2.7 left is exported
    flows = simulate(_solar_building({"enabled": True}), _solar_inputs())
    check_balance(flows)
    np.testing.assert_allclose(flows["tes_charge_kwh"][:, 0], [3.0, 2.3, 0.0])
    np.testing.assert_allclose(flows["dh_export_kwh"][:, 0], [0.0, 2.7, 0.0])
    np.testing.assert_allclose(flows["heat_dumped_kwh"][:, 0], 0.0, atol=1e-12)
    assert flows.total("dh_export_kwh").sum() == pytest.approx(2.7)


def test_rule_export_limited_rest_dumped() -> None:
    flows = simulate(_solar_building({"max_kw": 2.0}), _solar_inputs())
    check_balance(flows)
    np.testing.assert_allclose(flows["dh_export_kwh"][:, 0], [0.0, 2.0, 0.0])
    np.testing.assert_allclose(flows["heat_dumped_kwh"][:, 0], [0.0, 0.7, 0.0])
    assert any("heat export limited to 2 kW" in n for n in flows.notes)


def test_rule_without_export_or_connection_dumps() -> None:
    for scenario in (
        _solar_building(None),
        _solar_building({"enabled": False}),
        _solar_building({"enabled": True}, heating="gas_boiler"),
    ):
        flows = simulate(scenario, _solar_inputs())
        check_balance(flows)
        np.testing.assert_allclose(flows["dh_export_kwh"], 0.0)
        np.testing.assert_allclose(flows["heat_dumped_kwh"][:, 0], [0.0, 2.7, 0.0])


def test_rule_district_solar_surplus_exported() -> None:
    # district collectors give 6 kWh, the one building on district heating draws 2 kWh
    scenario = make_scenario(
        [{"id": "a", "heating": "district_heating"}],
        district={"solar_thermal": [{"area_m2": 20}], "heat_export": {"price_eur_per_kwh": 0.03}},
    )
    inputs = make_inputs(
        ["a"],
        2,
        building={"space_heat_kw": [[2.0], [8.0]]},
        district={"solar_thermal_kw": [6.0, 6.0]},
    )
    flows = simulate(scenario, inputs)
    check_balance(flows)
    np.testing.assert_allclose(flows["dh_export_kwh"][:, -1], [4.0, 0.0])
    np.testing.assert_allclose(flows["heat_shared_in_kwh"][:, 0], [2.0, 6.0])
    np.testing.assert_allclose(flows["dh_import_kwh"][:, 0], [0.0, 2.0])
    np.testing.assert_allclose(flows.total("heat_dumped_kwh"), 0.0)


def test_rule_writes_virtual_heat() -> None:
    scenario = _solar_building(None)
    inputs = make_inputs(["a"], 2, district={"virtual_heat_kw": [1.5, 0.0]})
    flows = simulate(scenario, inputs)
    np.testing.assert_allclose(flows["virtual_heat_kwh"][:, -1], [1.5, 0.0])
    check_balance(flows)
