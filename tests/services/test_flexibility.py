"""Available flexibility: hand cases per asset type, bounds, and a small simulated district."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from operation_helpers import make_inputs, make_scenario

from sparcs.errors import ScenarioError
from sparcs.operation.rule import simulate
from sparcs.profiles.ev import uncontrolled_charging_kw
from sparcs.profiles.inputs import EVSessions
from sparcs.services.asset_flexibility import electric_boiler_flexibility_kw
from sparcs.services.flexibility import (
    ASSET_TYPES,
    available_flexibility,
    battery_flexibility_kw,
    ev_deferrable_kw,
    heat_pump_flexibility_kw,
)

BATTERY = {
    "capacity_kwh": 100.0,
    "power_kw": 50.0,
    "soc_min": 0.1,
    "soc_max": 0.9,
    "soc_initial": 0.3,
    "charge_efficiency": 0.95,
    "discharge_efficiency": 0.95,
}


def battery(charge_kw: float, discharge_kw: float, soc_kwh: float) -> tuple[float, float]:
    up, down = battery_flexibility_kw(
        np.array(charge_kw),
        np.array(discharge_kw),
        np.array(soc_kwh),
        capacity_kwh=100.0,
        power_kw=50.0,
        soc_min=0.1,
        soc_max=0.9,
        charge_efficiency=0.95,
        discharge_efficiency=0.95,
    )
    return float(up), float(down)


def test_battery_headroom_by_hand() -> None:
    # idle at 30 kWh: 20 kWh above the floor give 19 kWh out; 60 kWh of room take 50 kW
    assert battery(0, 0, 30) == pytest.approx((19.0, 50.0))
    # charging 20 kW: stopping adds 20 kW upward, and only 30 kW more can go in
    assert battery(20, 0, 30) == pytest.approx((39.0, 30.0))
    # discharging 10 kW at 80 kWh: 40 kW more out; stopping plus 8.42 kWh / 0.95 of room
    assert battery(0, 10, 88) == pytest.approx((40.0, 10 + 2 / 0.95))
    # empty and full batteries
    assert battery(0, 0, 10) == pytest.approx((0.0, 50.0))
    assert battery(0, 0, 90) == pytest.approx((50.0, 0.0))


def test_electric_boiler_by_hand() -> None:
    up, down = electric_boiler_flexibility_kw(
        np.array([5.0, 5.0, 0.0, 3.0]),
        np.array([20.0, 2.0, 0.0, 50.0]),
        np.array([0.0, 1.0, 0.0, 0.0]),
        power_kw=np.array([30.0, 30.0, 0.0, 30.0]),
        efficiency=np.array([0.98, 0.98, 0.0, 0.98]),
        own_heater=np.array([False, False, False, True]),
    )
    # 25 kW of headroom, 20 kW of heat to displace -> 20 / 0.98 kW more electricity
    # 3 kW of heat (2 displaced, 1 kWh of store space) -> 3 / 0.98; no boiler -> nothing;
    # the building's own heater cannot stop (no up) but can take 27 kW more
    np.testing.assert_allclose(down, [20 / 0.98, 3 / 0.98, 0.0, 27.0])
    np.testing.assert_allclose(up, [5.0, 5.0, 0.0, 0.0])


def test_heat_pump_with_store_by_hand() -> None:
    up, down, space = heat_pump_flexibility_kw(
        np.array([10 / 3, 10 / 3, 0.0]),
        np.array([10.0, 10.0, 0.0]),
        np.array([3.0, 3.0, 3.0]),
        np.array([5.0, 25.0, 9.0]),
        hp_capacity_kw=np.array(20.0),
        tes_capacity_kwh=np.array(30.0),
    )
    # the store carries half of the hour's 10 kWh; then all of it; an idle pump cannot go lower
    np.testing.assert_allclose(up, [10 / 6, 10 / 3, 0.0])
    # 10 kW more heat fits in 25 kWh of space, 5 kWh of space limit the second, 20 kW the third
    np.testing.assert_allclose(down, [10 / 3, 5 / 3, 20 / 3])
    np.testing.assert_allclose(space, [15.0, 0.0, 1.0])
    none = heat_pump_flexibility_kw(
        np.array([2.0]),
        np.array([6.0]),
        np.array([3.0]),
        np.array([0.0]),
        hp_capacity_kw=np.array(20.0),
        tes_capacity_kwh=np.array(0.0),
    )
    assert none[0][0] == 0.0 and none[1][0] == 0.0  # no store, no flexibility (comfort first)


def test_flexibility_is_never_negative() -> None:
    rng = np.random.default_rng(7)
    n = 2000
    up, down = battery_flexibility_kw(
        rng.uniform(0, 80, n),
        rng.uniform(0, 80, n),
        rng.uniform(-5, 110, n),
        capacity_kwh=100.0,
        power_kw=50.0,
        soc_min=0.1,
        soc_max=0.9,
        charge_efficiency=0.9,
        discharge_efficiency=0.9,
    )
    assert up.min() >= 0 and down.min() >= 0
    hp = heat_pump_flexibility_kw(
        rng.uniform(0, 10, n),
        rng.uniform(0, 30, n),
        rng.uniform(0, 5, n),
        rng.uniform(0, 40, n),
        hp_capacity_kw=np.array(20.0),
        tes_capacity_kwh=np.array(30.0),
    )
    assert hp[0].min() >= 0 and hp[1].min() >= 0


def test_ev_charging_defers_within_its_slack() -> None:
    sessions = EVSessions(
        owner=np.array([0, 0]),
        arrival=np.array([1, 10]),
        departure=np.array([6, 13]),
        energy_kwh=np.array([20.0, 25.0]),
        power_kw=np.array([10.0, 10.0]),
        v2g=np.array([False, False]),
    )
    kw = ev_deferrable_kw(sessions, 16, 1.0)
    # first car: 5 h plugged, 2 h needed -> all of its charging can wait an hour
    # second car: 3 h plugged, 2.5 h needed -> half an hour of slack, half of its charging
    expected = np.zeros(16)
    expected[[1, 2]] = 10.0
    expected[[10, 11, 12]] = [5.0, 5.0, 2.5]
    np.testing.assert_allclose(kw, expected)
    assert ev_deferrable_kw(EVSessions.empty(), 16, 1.0).sum() == 0.0


def small_district(step: str = "1h"):
    """Two buildings: heat pump + store + battery + PV + an EV; district heat + electric boiler."""
    per_hour = 4 if step == "15min" else 1
    n = 24 * per_hour
    scenario = make_scenario(
        [
            {
                "id": "a",
                "heating": "air_source_hp",
                "heat_pump": {"capacity_kw": 20.0},
                "thermal_storage": {"capacity_kwh": 30.0, "loss_pct_per_h": 0.0},
                "battery": BATTERY,
            },
            {"id": "b", "heating": "district_heating", "electric_boiler": {"power_kw": 10.0}},
        ],
        step=step,
    )
    sessions = EVSessions(
        owner=np.array([0]),
        arrival=np.array([1 * per_hour]),
        departure=np.array([6 * per_hour]),
        energy_kwh=np.array([20.0]),
        power_kw=np.array([10.0]),
        v2g=np.array([False]),
    )
    inputs = make_inputs(
        ["a", "b"],
        n,
        step=step,
        building={"electricity_kw": 5.0, "space_heat_kw": [[6.0, 4.0]] * n},
    )
    ev = uncontrolled_charging_kw(sessions, n, 1.0 / per_hour, 2)
    inputs = replace(inputs, ev_sessions=sessions, building={**inputs.building, "ev_kw": ev})
    return scenario, inputs, simulate(scenario, inputs)


@pytest.mark.parametrize("step", ["1h", "15min"])
def test_small_district_by_hand(step: str) -> None:
    scenario, inputs, flows = small_district(step)
    flex = available_flexibility(flows, scenario, inputs)
    frame = flex.frame
    assert len(frame) == 24 and frame.index[0] == pd.Timestamp("2025-01-01T00:00Z")
    numeric = frame.drop(columns="local_time")
    assert (numeric.to_numpy() >= 0).all()
    for direction in ("up", "down"):
        total = sum(frame[f"{direction}_{a}_kw"] for a in ASSET_TYPES)
        np.testing.assert_allclose(frame[f"{direction}_kw"], total)
    # battery, hour 0: 30 kWh, it discharges 5 kW for a's load -> 19 - 5 up, 50 + 5 down
    assert frame["up_battery_kw"].iloc[0] == pytest.approx(14.0)
    assert frame["down_battery_kw"].iloc[0] == pytest.approx(55.0)
    # heat pump, hour 0: the store (15 kWh) carries the 6 kW need, the pump idles;
    # it could add 20 kW of heat (21 kWh of space) at COP 3
    assert frame["up_heat_pump_kw"].iloc[0] == pytest.approx(0.0)
    assert frame["down_heat_pump_kw"].iloc[0] == pytest.approx(20 / 3)
    # from hour 3 the store is empty and the pump makes the 6 kW: it cannot stop, can add 14 kW
    assert frame["up_heat_pump_kw"].iloc[5] == pytest.approx(0.0)
    assert frame["down_heat_pump_kw"].iloc[5] == pytest.approx(14 / 3)
    # the EV charging in hours 1 and 2 can wait; nothing can be brought forward
    np.testing.assert_allclose(frame["up_ev_kw"].iloc[:4], [0, 10, 10, 0])
    assert frame["down_ev_kw"].sum() == 0.0
    # b's electric boiler can take over its 4 kW of district heat, and is off (nothing to stop)
    assert frame["down_electric_boiler_kw"].iloc[0] == pytest.approx(4 / 0.99)
    assert frame["up_electric_boiler_kw"].sum() == 0.0


def test_window_and_json(tmp_path) -> None:
    scenario, inputs, flows = small_district()
    flex = available_flexibility(flows, scenario, inputs, start="2025-01-01T05:00", hours=3)
    assert list(flex.frame.index) == list(pd.date_range("2025-01-01T04:00Z", periods=3, freq="1h"))
    assert flex.frame["local_time"].iloc[0].hour == 5
    data = json.loads(flex.to_json(tmp_path / "flex.json"))
    assert len(data["hours"]) == 3 and set(data["summary"]) == {*ASSET_TYPES, "total"}
    assert data["summary"]["battery"]["max_down_kw"] >= data["summary"]["battery"]["mean_down_kw"]
    with pytest.raises(ScenarioError, match="outside the simulated period"):
        available_flexibility(flows, scenario, inputs, start="2025-01-01T22:00", hours=6)
