"""Capacity charges in the dispatch LP and the rolling horizon, on hand-solved cases."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from dispatch_cases import store, tiny

from sparcs.operation.optimal import solve_dispatch
from sparcs.operation.optimal.capacity import CapacityParams, max_periods
from sparcs.operation.optimal.model import DispatchModel
from sparcs.operation.optimal.objective import objective_value
from sparcs.operation.optimal.problem import take_steps
from sparcs.operation.optimal.rolling import RollingPlan, rolling_horizon


def charge(period: list[int], price: list[float], **extra: Any) -> CapacityParams:
    period_ = np.asarray(period)
    return CapacityParams(
        period=period_,
        window=np.ones(period_.size, dtype=bool),
        eur_per_kw=np.asarray(price, dtype=float),
        **extra,
    )


def peak_case(price: float, **extra: object):  # noqa: ANN201 - test shorthand
    # 2, 2, 10, 2 kW at 0.10 EUR/kWh; a 10 kWh battery charging at 90 %: shaving x kW of the
    # 10 kW peak costs x * 0.10 * (1/0.9 - 1) = 0.0111 x EUR of losses
    return tiny(
        [[2.0], [2.0], [10.0], [2.0]],
        [0.1] * 4,
        battery=store(1, 10.0, 10.0, eta_c=0.9),
        capacity=charge([0, 0, 0, 0], [price], **extra),
    )


def solved(problem):  # noqa: ANN001, ANN201 - test shorthand
    result = solve_dispatch(problem).raise_for_status()
    assert objective_value(problem, result.solution) == pytest.approx(result.objective, abs=1e-9)
    return result


def test_no_charge_no_shaving() -> None:
    result = solved(peak_case(0.0))
    assert result.solution["gi"].max() == pytest.approx(10.0)
    assert result.objective == pytest.approx(0.1 * 16.0)


def test_a_charge_below_the_cost_of_losses_does_not_shave() -> None:
    result = solved(peak_case(0.005))
    assert result.solution["gi"].max() == pytest.approx(10.0)
    assert result.solution["cpi"][0] == pytest.approx(10.0)


def test_a_high_charge_shaves_the_peak_to_the_hand_solution() -> None:
    # imports 2 + (10 - P) / (0.9 * 2) <= P in the two steps before the peak: P = 13.6 / 2.8
    p = 13.6 / 2.8
    result = solved(peak_case(1.0))
    assert result.solution["cpi"][0] == pytest.approx(p, abs=1e-7)
    np.testing.assert_allclose(result.solution["gi"], [p, p, p, 2.0], atol=1e-7)
    assert result.objective == pytest.approx(0.1 * (16.0 + (10.0 - p) / 9.0) + p, abs=1e-9)


def test_a_floor_above_the_peak_removes_the_value_of_shaving() -> None:
    result = solved(peak_case(1.0, floor_kw=np.array([12.0])))
    assert result.solution["cpi"][0] == pytest.approx(12.0)
    assert result.solution["gi"].max() == pytest.approx(10.0)
    assert result.objective == pytest.approx(0.1 * 16.0 + 12.0)


def test_one_peak_per_period() -> None:
    problem = tiny(
        [[2.0], [10.0], [2.0], [6.0]], [0.1] * 4, capacity=charge([0, 0, 1, 1], [3.0, 5.0])
    )
    result = solved(problem)
    np.testing.assert_allclose(result.solution["cpi"], [10.0, 6.0])
    assert result.objective == pytest.approx(0.1 * 20.0 + 3.0 * 10.0 + 5.0 * 6.0)


def test_window_only_counts_its_steps() -> None:
    problem = tiny(
        [[2.0], [10.0], [2.0], [6.0]],
        [0.1] * 4,
        capacity=replace(charge([0, 0, 0, 0], [1.0]), window=np.array([True, False, True, True])),
    )
    assert solved(problem).solution["cpi"][0] == pytest.approx(6.0)


def test_max_periods_of_a_window() -> None:
    period = np.repeat([0, 1, 2, 3], [30, 5, 30, 30])
    assert max_periods(period, 1) == 1
    assert max_periods(period, 10) == 3  # can span the 5-step period and both neighbours
    assert max_periods(period, 7) == 3  # steps 29-35
    assert max_periods(period, 6) == 2
    assert max_periods(period, 3) == 2
    assert max_periods(np.zeros(10, dtype=int), 5) == 1


def test_windows_keep_one_structure_where_a_month_begins() -> None:
    n = 48
    demand = 2.0 + 8.0 * (np.arange(n) % 24 == 18)
    full = tiny(
        demand[:, None],
        [0.1] * n,
        battery=store(1, 10.0, 10.0, eta_c=0.9),
        capacity=charge([0] * 30 + [1] * 18, [2.0, 2.0]),
    )
    first = take_steps(full, np.arange(0, 24))  # one period
    second = take_steps(full, np.arange(24, 48))  # a month begins at step 30
    assert first.capacity.n_periods == second.capacity.n_periods
    model = DispatchModel(first)
    model.solve()
    model.update(second)
    again = model.solve()
    fresh = solve_dispatch(second, method="monolithic")
    assert again.objective == pytest.approx(fresh.objective, rel=1e-9)


def test_rolling_horizon_keeps_the_peak_reached_as_a_floor() -> None:
    # day 1 peaks at 20 kW, beyond what the 5 kWh battery can shave much; day 2 peaks at
    # 12 kW. With one monthly peak, shaving day 2 has no value once day 1 set 20 - x kW.
    n = 48
    demand = np.full(n, 2.0)
    demand[18], demand[24 + 18] = 20.0, 12.0
    full = tiny(
        demand[:, None],
        [0.1] * n,
        battery=store(1, 5.0, 5.0, eta_c=0.9),
        capacity=charge([0] * n, [1.0]),
    )
    plan = RollingPlan(horizon=24, step=24, n_steps=n, steps_per_day=24)
    result = rolling_horizon(full, plan, forecast="perfect")
    gi = result.solution["gi"]
    assert gi[18] == pytest.approx(15.0, abs=1e-6)  # day 1 shaved by the full 5 kWh
    assert gi[24 + 18] == pytest.approx(12.0, abs=1e-6)  # day 2 below the floor: no shaving
    assert result.solution["bd"][24:].sum() == pytest.approx(0.0, abs=1e-6)
    # the realised objective charges the month's peak once
    energy = 0.1 * (demand.sum() + 5.0 / 0.9 - 5.0)
    assert result.objective == pytest.approx(energy + 15.0, abs=1e-6)
    # without the floor, day 2 alone would shave its peak
    alone = solved(take_steps(full, np.arange(24, 48)))
    assert alone.solution["gi"][18] < 12.0 - 1.0
