"""EV chargers in manual mode: the next cycle holds the cars' charging where the operator put it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sparcs.climate import load_weather
from sparcs.live.cycle import operate_cycle
from sparcs.operation.flows import check_balance
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario, scenario_from_dict
from sparcs.store import open_store
from sparcs.store.beliefs import put_override

NOW = pd.Timestamp("2025-04-15T18:00Z")
HOUR = pd.Timedelta(hours=1)


@pytest.fixture(scope="module")
def district() -> tuple[Scenario, Inputs]:
    scenario = scenario_from_dict(
        {
            "name": "flats with chargers",
            "site": {"city": "leipzig"},
            "year": 2025,
            "seed": 3,
            "buildings": [
                {
                    "id": "home",
                    "use": "apartment_block",
                    "floor_area_m2": 2000,
                    "construction_period": "2000-2015",
                    "residents": 50,
                    "heating": "air_source_hp",
                    "ev": {"count": 4, "power_kw": 11.0, "pattern": "home"},
                }
            ],
        }
    )
    return scenario, build_inputs(scenario, load_weather(scenario))


def test_chargers_in_manual_mode_are_held_there_and_the_rest_is_planned(
    district: tuple[Scenario, Inputs], tmp_path: Path
) -> None:
    scenario, inputs = district
    t = int(inputs.time.searchsorted(NOW))
    s = inputs.ev_sessions
    plugged = np.flatnonzero((s.arrival <= t) & (s.departure > t))
    assert plugged.size >= 2  # the evening: cars home, nothing drawn yet
    drawn = {int(i): 0.0 for i in plugged}
    with open_store(tmp_path / "ev.duckdb") as store:
        free = operate_cycle(scenario, store, inputs, now=NOW, horizon_h=12, ev_drawn_kwh=drawn)
        put_override(store, "flats", "home/ev_chargers", NOW, NOW + 2 * HOUR, 22.0)
        put_override(store, "flats", "home/ev_chargers", NOW + 2 * HOUR, NOW + 5 * HOUR, 0.0)
        held = operate_cycle(
            scenario, store, inputs, now=NOW, horizon_h=12, district="flats", ev_drawn_kwh=drawn
        )
    kw = held.schedule["home/ev_chargers"]
    # the evening peak is dear: left alone the LP does not charge 22 kW in it
    assert free.schedule["home/ev_chargers"][:2].max() < 22.0 - 1e-6
    np.testing.assert_allclose(kw[:2], 22.0, atol=1e-7)
    np.testing.assert_allclose(kw[2:5], 0.0, atol=1e-7)
    # two cars at full power, the earliest to leave first
    assert held.plan is not None and held.plan.problem.ev is not None
    lanes = held.plan.solution["ev_ch"][0]
    assert sorted(np.round(lanes, 6).tolist())[-2:] == [11.0, 11.0]
    # the cars still leave with what they need: the LP charges them after the pause
    need = sum(float(s.energy_kwh[i]) for i in plugged if s.departure[i] <= t + 12)
    assert kw.sum() * inputs.dt_h >= need - 1e-6
    assert "home/ev_chargers in manual mode at 22 kW for 2 steps" in held.fallbacks
    assert held.strategy == "optimal" and held.flows is not None
    check_balance(held.flows)


def test_a_pause_over_a_whole_stay_lets_the_car_leave_short_and_says_so(
    district: tuple[Scenario, Inputs], tmp_path: Path
) -> None:
    scenario, inputs = district
    with open_store(tmp_path / "ev.duckdb") as store:
        put_override(store, "flats", "home/ev_chargers", NOW, NOW + 24 * HOUR, 0.0)
        put_override(store, "flats", "nowhere/ev_chargers", NOW, NOW + HOUR, 5.0)
        cycle = operate_cycle(scenario, store, inputs, now=NOW, horizon_h=12, district="flats")
    assert cycle.strategy == "optimal"
    np.testing.assert_allclose(cycle.schedule.get("home/ev_chargers", np.zeros(12)), 0.0, atol=1e-7)
    assert any("its charger is in manual mode" in note for note in cycle.fallbacks)
    assert any("nowhere/ev_chargers ignored" in note for note in cycle.fallbacks)
