"""Rolling-horizon operation: one model for all windows, realised flows, near the optimum."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent / "optimal"))  # the optimal tests' helpers

from dispatch_cases import store, tiny  # noqa: E402
from optimal_helpers import week  # noqa: E402

from sparcs.errors import DataError, ScenarioError  # noqa: E402
from sparcs.operation import mpc  # noqa: E402
from sparcs.operation.flows import check_balance  # noqa: E402
from sparcs.operation.optimal import (
    PedParams,  # noqa: E402
    rolling,  # noqa: E402
)
from sparcs.operation.optimal.solve import solve_optimal  # noqa: E402


@pytest.fixture(scope="module")
def district() -> tuple[Any, Any, float]:
    s, inputs = week(days=5)
    return s, inputs, solve_optimal(s, inputs).objective


def test_perfect_forecast_over_the_whole_period_is_optimal(
    district: tuple[Any, Any, float],
) -> None:
    s, inputs, optimum = district
    hours = inputs.n_steps * inputs.dt_h
    result = mpc.run_mpc(s, inputs, horizon_h=hours, step_h=hours, forecast="perfect")
    assert result.is_ok
    assert result.objective == pytest.approx(optimum, rel=1e-6)
    check_balance(result.flows)


def test_day_ahead_windows_stay_near_the_optimum(district: tuple[Any, Any, float]) -> None:
    s, inputs, optimum = district
    for forecast in ("perfect", "persistence"):
        result = mpc.run_mpc(s, inputs, horizon_h=48, step_h=24, forecast=forecast)
        check_balance(result.flows)
        assert optimum - 1e-6 <= result.objective <= 1.05 * optimum
        soc = result.flows.frame("battery_soc_kwh")["B1"]
        assert soc.min() >= 1.0 - 1e-6 and soc.max() <= 10.0 + 1e-6


def test_model_is_built_once_and_progress_is_reported(
    district: tuple[Any, Any, float], monkeypatch: pytest.MonkeyPatch
) -> None:
    s, inputs, _ = district
    built: list[int] = []
    original = rolling.DispatchModel.__init__

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(rolling.DispatchModel, "__init__", counting)
    calls: list[tuple[int, int]] = []
    result = mpc.run_mpc(
        s,
        inputs,
        horizon_h=48,
        step_h=24,
        forecast="seasonal",
        thermal_mass=True,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert built == [1]
    assert calls == [(k, 5) for k in range(1, 6)]
    assert result.timings["windows"] == 5
    check_balance(result.flows)
    assert result.solution["tin"].shape[0] == inputs.n_steps


def test_rolling_horizon_on_hand_case() -> None:
    # arbitrage of test_hand_lps, two one-step windows with two-step look-ahead and perfect
    # forecast: the first window charges, the second discharges -> 1.30 EUR
    problem = tiny([[0.0], [10.0]], [0.10, 0.30], battery=store(1, 10.0, 10.0, eta_c=0.9))
    plan = rolling.RollingPlan(horizon=2, step=1, n_steps=2, steps_per_day=1)
    result = rolling.rolling_horizon(problem, plan, forecast="perfect")
    assert result.objective == pytest.approx(1.30, abs=1e-9)
    np.testing.assert_allclose(result.solution["bs"][:, 0], [9.0, 0.0], atol=1e-9)


def test_year_long_constraints_are_refused() -> None:
    ped = PedParams(import_pe=np.ones(2), export_pe=np.ones(2))
    problem = tiny([[1.0], [1.0]], [0.1, 0.1], ped=ped)
    plan = rolling.RollingPlan(horizon=2, step=1, n_steps=2, steps_per_day=1)
    with pytest.raises(DataError, match="whole period"):
        rolling.rolling_horizon(problem, plan, forecast="perfect")


def test_bad_window_lengths_are_refused(district: tuple[Any, Any, float]) -> None:
    s, inputs, _ = district
    with pytest.raises(ScenarioError, match="step_h"):
        mpc.run_mpc(s, inputs, horizon_h=12, step_h=24)


def test_window_infeasible_on_its_forecast_gets_soft_limits() -> None:
    # hourly "days": the plan for step 2 copies step 1 (10 kW) and cannot keep the 5 kW
    # limit, so it is made with soft limits; step 1 itself exceeds the limit in reality
    problem = tiny([[1.0], [10.0], [1.0]], [0.1] * 3, grid_import_kw=5.0)
    plan = rolling.RollingPlan(horizon=1, step=1, n_steps=3, steps_per_day=1)
    result = rolling.rolling_horizon(problem, plan, forecast="persistence")
    np.testing.assert_allclose(result.solution["gi"], [1.0, 10.0, 1.0])
    assert any("soft limits on the grid connection" in note for note in result.notes)
    assert any("grid import exceeded its limit of 5 kW" in note for note in result.notes)
    with pytest.raises(Exception, match="grid connection"):
        rolling.rolling_horizon(
            problem, plan, forecast="persistence", soften=False
        ).raise_for_status()
