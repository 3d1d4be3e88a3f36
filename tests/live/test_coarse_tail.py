"""A 15-min cycle plans its first hours in quarter hours and the rest in hour blocks."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sparcs.climate import load_weather
from sparcs.live.cycle import operate_cycle
from sparcs.live.replay import replay
from sparcs.operation.flows import check_balance
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario
from sparcs.store import open_store
from sparcs.store.beliefs import put_override
from sparcs.testing import synthetic_district

START = pd.Timestamp("2025-04-01T00:00Z")


@cache
def _district() -> tuple[Scenario, Inputs]:
    scenario = synthetic_district(4, city="leipzig", seed=3, timestep="15min")
    return scenario, build_inputs(scenario, load_weather(scenario))


def test_a_cycle_with_a_coarser_tail_schedules_every_step(tmp_path: Path) -> None:
    scenario, actual = _district()
    start = int(actual.time.searchsorted(START))
    with open_store(tmp_path / "tail.duckdb") as store:
        replay(scenario, actual, store, start=start, steps=4, compare=False)
        battery = next(b.id for b in scenario.buildings if b.battery is not None)
        now = actual.time[start + 4]
        hour = pd.Timedelta(hours=1)
        # an override in the tail holds a whole block; one in the first hours its steps
        put_override(store, "d", f"{battery}/battery", now + 10 * hour, now + 11 * hour, -1.5)
        put_override(store, "d", f"{battery}/battery", now, now + hour / 2, 0.0)
        cycles = {
            fine: operate_cycle(
                scenario, store, actual, now=now, horizon_h=24, district="d", fine_h=fine
            )
            for fine in (6.0, None)
        }
    tail, every = cycles[6.0], cycles[None]
    assert tail.strategy == every.strategy == "optimal"
    assert tail.resolution == "6 h in 15-min steps, then 18 h in blocks of up to 1 h"
    assert every.resolution == "96 steps of 15 min"
    assert tail.plan is not None and tail.plan.problem.n_steps == 42
    assert tail.flows is not None
    check_balance(tail.flows)
    payload = tail.as_dict()
    schedule = payload["schedule"]
    assert isinstance(schedule, dict)
    assert all(len(steps) == 96 for steps in schedule.values())
    kw = tail.schedule[f"{battery}/battery"]
    np.testing.assert_allclose(kw[:2], 0.0, atol=1e-9)
    np.testing.assert_allclose(kw[40:44], -1.5, atol=1e-9)  # a block: four equal quarters
    grid = tail.schedule["district/grid"]
    assert np.all(grid[24:28] == grid[24])
    # the first step, the one carried out, is close to that of the full horizon's plan
    for asset, full in every.schedule.items():
        assert abs(tail.schedule[asset][0] - full[0]) <= 0.25 * max(1.0, abs(full[0])) + 2.0


def test_a_replay_with_a_coarser_tail_stays_near_perfect_foresight(tmp_path: Path) -> None:
    scenario, actual = _district()
    start = int(actual.time.searchsorted(START))
    results = {}
    for fine in (6.0, None):
        with open_store(tmp_path / f"r{fine}.duckdb") as store:
            results[fine] = replay(
                scenario, actual, store, start=start, steps=96, horizon_h=24, fine_h=fine
            )
    tail, every = results[6.0], results[None]
    assert tail.fallbacks == every.fallbacks == 0 and tail.ev_short_kwh == 0.0
    assert tail.perfect_cost_eur <= tail.cost_eur + 1e-6
    assert tail.gap < 0.05
    assert tail.cost_eur == pytest.approx(every.cost_eur, rel=0.01)
