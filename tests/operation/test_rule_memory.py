"""What the rule simulation leaves unwritten, and its storage loop run a block of steps at a time.

The simulation writes a flow only where it may be non-zero (fresh memory costs a page fault per
page touched), and steps the storage loop through the year in blocks so that its copies of the
looped columns stay small. Neither may change a single value.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
from hypothesis import HealthCheck, given, settings
from operation_helpers import make_inputs, make_scenario
from test_rule_properties import assert_within_support, districts_with_inputs

from sparcs.operation.flows import check_balance
from sparcs.operation.rule import simulate
from sparcs.operation.rule import storage_blocks as _storage_blocks
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario

BATTERY = {"capacity_kwh": 10.0, "power_kw": 4.0}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(districts_with_inputs())
def test_storage_loop_in_blocks_of_one_step_gives_the_same_flows(
    case: tuple[Scenario, Inputs],
) -> None:
    scenario, inputs = case
    whole = simulate(scenario, inputs)
    with mock.patch.object(_storage_blocks, "_BLOCK_ELEMENTS", 1):  # one step per block
        stepped = simulate(scenario, inputs)
    for name, values in whole.data.items():
        np.testing.assert_array_equal(stepped[name], values, err_msg=name)
    assert stepped.notes == whole.notes


def test_battery_flows_stay_unwritten_in_blocks_where_they_are_zero() -> None:
    # the battery only charges from the PV surplus of the first steps and discharges later:
    # with one step per block, each zero step of a flow leaves its memory untouched
    scenario = make_scenario(
        [{"id": "a", "heating": "gas_boiler", "battery": BATTERY, "pv": {"kwp": 5.0}}]
    )
    pv = np.array([[6.0], [6.0], [0.0], [0.0]])
    inputs = make_inputs(["a"], 4, building={"electricity_kw": 1.0, "pv_kw": pv})
    with mock.patch.object(_storage_blocks, "_BLOCK_ELEMENTS", 1):
        flows = simulate(scenario, inputs)
    check_balance(flows)
    np.testing.assert_allclose(flows["battery_charge_kwh"][0, 0], 4.0)  # at its power
    assert (flows["battery_charge_kwh"][2:, 0] == 0).all()
    assert (flows["battery_discharge_kwh"][:2, 0] == 0).all()
    assert (flows["battery_discharge_kwh"][2:, 0] > 0).all()


def test_a_back_up_heater_that_never_runs_is_left_out_of_the_flows() -> None:
    # heat pump "big" covers its demand alone; "small" needs its electric back-up heater
    scenario = make_scenario(
        [
            {
                "id": "big",
                "heating": "air_source_hp",
                "heat_pump": {"source": "air", "capacity_kw": 9.0},
            },
            {
                "id": "small",
                "heating": "air_source_hp",
                "heat_pump": {"source": "air", "capacity_kw": 3.0},
            },
        ]
    )
    inputs = make_inputs(["big", "small"], 3, building={"space_heat_kw": 5.0})
    flows = simulate(scenario, inputs)
    check_balance(flows)
    assert_within_support(flows)
    for name in ("eboiler_heat_kwh", "eboiler_el_kwh"):
        assert flows.support[name].tolist() == [False, True, True], name
    np.testing.assert_allclose(flows["eboiler_heat_kwh"][:, 1], 2.0)


def test_routed_flows_are_listed_only_where_the_residual_goes() -> None:
    buildings = [
        {"id": "a", "heating": "district_heating", "pv": {"kwp": 5.0}},
        {"id": "b", "heating": "gas_boiler"},
    ]
    inputs = make_inputs(
        ["a", "b"], 3, building={"electricity_kw": 1.0, "pv_kw": [[3.0, 0.0]], "space_heat_kw": 2.0}
    )
    for sharing, unused in (
        ("community", ("grid_import_kwh", "grid_export_kwh", "curtailed_kwh")),
        ("building", ("shared_in_kwh", "shared_out_kwh")),
    ):
        flows = simulate(make_scenario(buildings, sharing=sharing), inputs)
        check_balance(flows)
        assert_within_support(flows)
        for name in unused:
            assert flows.support[name].tolist() == [False, False, True], (sharing, name)
        # heat from the district's own network could only reach the building on district heat
        assert flows.support["heat_shared_in_kwh"].tolist() == [True, False, True]
