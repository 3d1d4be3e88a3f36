"""Tiny dispatch LPs solved by hand: the optimum and the decisions are known exactly."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from dispatch_cases import store, tiny

from sparcs.operation.optimal import (
    BoilerParams,
    DistrictHeatParams,
    ElectricBoilerParams,
    PedParams,
    solve_dispatch,
)
from sparcs.operation.optimal.ev import ev_params
from sparcs.operation.optimal.objective import objective_value
from sparcs.profiles.inputs import EVSessions


def solved(problem):  # noqa: ANN001, ANN201 - test shorthand
    result = solve_dispatch(problem).raise_for_status()
    assert objective_value(problem, result.solution) == pytest.approx(result.objective, abs=1e-9)
    return result


def test_two_step_battery_arbitrage() -> None:
    # buy 10 kWh at 0.10 (charge limit), store 9 (eta_c 0.9), cover 9 of the 10 kWh at 0.30:
    # 10 * 0.10 + 1 * 0.30 = 1.30 EUR
    problem = tiny([[0.0], [10.0]], [0.10, 0.30], battery=store(1, 10.0, 10.0, eta_c=0.9))
    result = solved(problem)
    assert result.objective == pytest.approx(1.30, abs=1e-9)
    np.testing.assert_allclose(result.solution["bc"][:, 0], [10.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(result.solution["bd"][:, 0], [0.0, 9.0], atol=1e-9)
    np.testing.assert_allclose(result.solution["bs"][:, 0], [9.0, 0.0], atol=1e-9)


def test_cyclic_battery_gives_the_same_arbitrage() -> None:
    problem = tiny(
        [[0.0], [10.0]], [0.10, 0.30], battery=store(1, 10.0, 10.0, eta_c=0.9), cyclic=True
    )
    assert solved(problem).objective == pytest.approx(1.30, abs=1e-9)


def test_final_level_costs_the_energy_left_in_store() -> None:
    # start with 5 kWh; free end: fill up (5 at 0.10) and cover all 10 kWh later -> 0.50;
    # end with at least 5 kWh: only the 5 kWh bought at 0.10 can be shifted -> 0.50 + 1.50
    base = tiny([[0.0], [10.0]], [0.10, 0.30])
    free = replace(base, battery=store(1, 10.0, 10.0, initial_kwh=np.array([5.0])))
    held = replace(free, battery=replace(free.battery, final_min_kwh=np.array([5.0])))
    assert solved(free).objective == pytest.approx(0.10 * 5 + 0.30 * 0.0, abs=1e-9)
    assert solved(held).objective == pytest.approx(0.10 * 5 + 0.30 * 5, abs=1e-9)


def test_heat_merit_order() -> None:
    # 9 kW of heat: heat pump (COP 4, 2 kW_el -> 8 kW) at 0.30/4 = 0.075 EUR/kWh_th, boiler
    # (0.09 fuel / 0.9) at 0.10 up to 0.5 kW, electric boiler at 0.30 for the rest
    n = 1
    problem = tiny(
        [[0.0]],
        [0.30],
        demand_heat_kw=np.array([[9.0]]),
        cop=np.array([[4.0]]),
        hp_max_el_kw=np.array([2.0]),
        boiler=BoilerParams(np.array([0.5]), np.array([0.9]), fuel_cost=0.09),
        electric_boiler=ElectricBoilerParams(np.array([np.inf]), np.ones(n)),
    )
    result = solved(problem)
    assert result.objective == pytest.approx(0.30 * 2 + 0.10 * 0.5 + 0.30 * 0.5, abs=1e-9)
    assert result.solution["boiler"][0, 0] == pytest.approx(0.5)
    assert result.solution["eboiler"][0, 0] == pytest.approx(0.5)


def test_smart_ev_charges_in_the_cheap_hours() -> None:
    # 10 kWh at 5 kW within three hours: the two cheapest hours, 5 * 0.10 + 5 * 0.20
    sessions = EVSessions(
        np.array([0]),
        np.array([0]),
        np.array([3]),
        np.array([10.0]),
        np.array([5.0]),
        np.array([False]),
    )
    ev = ev_params(sessions, 3, np.array([0, 0]), np.array([0.9]))
    problem = tiny([[0.0], [0.0], [0.0]], [0.30, 0.10, 0.20], ev=ev)
    result = solved(problem)
    assert result.objective == pytest.approx(1.5, abs=1e-9)
    np.testing.assert_allclose(result.solution["ev_ch"][:, 0], [0.0, 5.0, 5.0], atol=1e-9)
    assert result.solution["ev_e"][-1, 0] == pytest.approx(0.9 * 10.0)


def test_vehicle_to_grid_covers_the_expensive_hour() -> None:
    # charge 2 kWh at 0.10, give them back at 0.50, charge them again at 0.10:
    # 0.2 + 3 * 0.5 + 0.2 = 1.9 (without V2G: 0.2 + 5 * 0.5 = 2.7)
    sessions = EVSessions(
        np.array([0]),
        np.array([0]),
        np.array([3]),
        np.array([2.0]),
        np.array([5.0]),
        np.array([True]),
    )
    ev = ev_params(sessions, 3, np.array([0, 0]), np.array([1.0]))
    problem = tiny([[0.0], [5.0], [0.0]], [0.10, 0.50, 0.10], ev=ev)
    assert solved(problem).objective == pytest.approx(1.9, abs=1e-9)
    one_way = replace(ev, v2g=np.array([False]))
    assert solved(replace(problem, ev=one_way)).objective == pytest.approx(2.7, abs=1e-9)


def test_peak_objective_flattens_the_load() -> None:
    problem = tiny([[4.0], [8.0]], [0.0, 0.0], battery=store(1, 10.0, 10.0), peak_cost=1.0)
    result = solved(problem)
    assert result.objective == pytest.approx(6.0, abs=1e-9)
    np.testing.assert_allclose(result.solution["gi"], [6.0, 6.0], atol=1e-9)


def test_building_metering_prices_each_meter() -> None:
    # one unit needs 5 kW, the other has 5 kW of PV: free under one district meter,
    # 5 * 0.30 - 5 * 0.10 = 1.0 EUR on two meters
    shared = tiny(
        [[5.0, 0.0]], [0.30], pv_avail_kw=np.array([[0.0, 5.0]]), export_price=np.array([0.10])
    )
    assert solved(shared).objective == pytest.approx(0.0, abs=1e-9)
    own = replace(shared, metering="building")
    assert solved(own).objective == pytest.approx(1.0, abs=1e-9)


def test_local_heat_network_serves_a_building() -> None:
    # building 0 draws 20 kW of district heat; the district node (unit 1) runs a heat pump
    # (2 kW_el, COP 4: 8 kW at 0.05 EUR/kWh) and buys the other 12 kW at 0.08
    problem = tiny(
        [[0.0, 0.0]],
        [0.20],
        demand_heat_kw=np.array([[20.0, 0.0]]),
        cop=np.array([[1.0, 4.0]]),
        hp_max_el_kw=np.array([0.0, 2.0]),
        district_heat=DistrictHeatParams(
            np.array([np.inf, np.inf]), cost=0.08, network_unit=1, served=np.array([True, False])
        ),
    )
    result = solved(problem)
    assert result.objective == pytest.approx(2 * 0.20 + 12 * 0.08, abs=1e-9)
    np.testing.assert_allclose(result.solution["dh"][0], [20.0, 12.0], atol=1e-9)


def test_ped_balance_forces_export() -> None:
    # exporting costs 0.01 EUR/kWh, so the LP would curtail the 10 kW of PV; a PE balance
    # (factor 1.8 both ways) makes it export 10 kWh to offset the 10 kWh imported
    base = tiny(
        [[10.0], [0.0]],
        [0.10, 0.10],
        pv_avail_kw=np.array([[0.0], [10.0]]),
        export_price=np.array([-0.01, -0.01]),
    )
    assert solved(base).objective == pytest.approx(1.0, abs=1e-9)
    ped = PedParams(import_pe=np.full(2, 1.8), export_pe=np.full(2, 1.8))
    result = solved(replace(base, ped=ped))
    assert result.objective == pytest.approx(1.1, abs=1e-9)
    assert result.solution["ge"][1] == pytest.approx(10.0)
