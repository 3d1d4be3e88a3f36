"""Work beside the solve: HiGHS on one core, the replay's other work on the second; same result."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sparcs.climate import load_weather
from sparcs.live.replay import ReplayResult, replay
from sparcs.lp import highs
from sparcs.lp.builder import LpArrays
from sparcs.lp.status import SolverOptions
from sparcs.profiles.build import build_inputs
from sparcs.store import open_store
from sparcs.testing import synthetic_district


def _small_lp() -> LpArrays:
    """min x0 + 2 x1 s.t. x0 + x1 >= 1, 0 <= x <= 10: optimum 1 at (1, 0)."""
    import scipy.sparse as sp

    return LpArrays(
        col_cost=np.array([1.0, 2.0]),
        col_lower=np.zeros(2),
        col_upper=np.full(2, 10.0),
        row_lower=np.array([1.0]),
        row_upper=np.array([np.inf]),
        matrix=sp.csc_matrix(np.array([[1.0, 1.0]])),
        varying=(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)),
    )


def test_work_beside_the_solve_runs_once_and_the_optimum_is_the_same() -> None:
    options = SolverOptions()
    plain = highs.new_highs(options)
    highs.pass_model(plain, _small_lp())
    alone = highs.run(plain, options)
    h = highs.new_highs(options)
    highs.pass_model(h, _small_lp())
    calls: list[int] = []
    beside = highs.run(h, options, beside=lambda: calls.append(1))
    assert calls == [1]
    assert "not kept" in beside.log and "Optimal" in alone.log  # no log lines beside work
    assert beside.objective == pytest.approx(alone.objective) == pytest.approx(1.0)
    assert beside.col_value is not None and alone.col_value is not None
    np.testing.assert_allclose(beside.col_value, alone.col_value)


def test_a_failure_beside_the_solve_is_raised_after_highs_has_finished() -> None:
    options = SolverOptions()
    h = highs.new_highs(options)
    highs.pass_model(h, _small_lp())

    def fail() -> None:
        msg = "beside failed"
        raise RuntimeError(msg)

    with pytest.raises(RuntimeError, match="beside failed"):
        highs.run(h, options, beside=fail)
    # HiGHS was joined, not left solving: the object solves again at once
    again = highs.run(h, options)
    assert again.objective == pytest.approx(1.0)


def _replayed(tmp_path: Path, name: str) -> ReplayResult:
    scenario = synthetic_district(4, city="leipzig", seed=3, timestep="15min")
    actual = build_inputs(scenario, load_weather(scenario))
    start = int(actual.time.searchsorted(pd.Timestamp("2025-04-01T00:00Z")))
    with open_store(tmp_path / f"{name}.duckdb") as store:
        return replay(scenario, actual, store, start=start, steps=24, compare=False)


def test_the_replay_beside_the_solve_is_the_sequential_replay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    overlapped = _replayed(tmp_path, "overlapped")

    def in_turn(h: Any, beside: Callable[[], None]) -> None:
        beside()
        h.run()

    monkeypatch.setattr(highs, "_run_beside", in_turn)
    sequential = _replayed(tmp_path, "sequential")
    assert overlapped.cost_eur == sequential.cost_eur
    assert overlapped.bill_eur == sequential.bill_eur
    np.testing.assert_array_equal(overlapped.import_kwh, sequential.import_kwh)
    np.testing.assert_array_equal(overlapped.battery_kwh, sequential.battery_kwh)
    np.testing.assert_array_equal(overlapped.tank_kwh, sequential.tank_kwh)
    assert overlapped.notes == sequential.notes and overlapped.fallbacks == 0
