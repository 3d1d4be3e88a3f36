"""Replay of live operation through the store: feasible every step, better than the rules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sparcs.climate import load_weather
from sparcs.live.replay import replay
from sparcs.live.value import value_of_operation
from sparcs.profiles.build import build_inputs
from sparcs.scenario import load_scenario
from sparcs.store import open_store

ROOT = Path(__file__).resolve().parents[2]


def test_a_day_of_cycles_stays_feasible_and_beats_the_rules(tmp_path: Path) -> None:
    scenario = load_scenario(ROOT / "examples" / "maia-solar-schools.toml")
    actual = build_inputs(scenario, load_weather(scenario))
    start = int(actual.time.searchsorted(pd.Timestamp("2025-04-10T00:00Z")))
    done: list[int] = []
    with open_store(tmp_path / "replay.duckdb") as store:
        result = replay(
            scenario, actual, store, start=start, steps=24, on_step=lambda k, n: done.append(k)
        )
        # the levels the replay reached were read back by the cycles as state readings
        soc = store.readings(["escola-basica:battery_soc_kwh"])
        value = value_of_operation(
            store, scenario, actual, actual.time[start], actual.time[start + 24]
        ).table.set_index("kpi")
        tes = store.readings(["flats-norte:tes_soc_kwh"])
    assert done == list(range(1, 25)) and result.fallbacks == 0
    school, flats = result.nodes.index("escola-basica"), result.nodes.index("flats-norte")
    levels = result.battery_kwh[:, school]
    assert levels.min() >= -1e-6 and levels.max() <= 200 + 1e-6
    assert result.tank_kwh[:, flats].min() >= -1e-6 and result.tank_kwh.max() <= 150 + 1e-6
    # the levels the replay reached were read back by the cycles as state readings
    np.testing.assert_allclose(soc["value"].to_numpy(), levels[:-1], atol=1e-9)
    np.testing.assert_allclose(tes["value"].to_numpy(), result.tank_kwh[:-1, flats], atol=1e-9)
    assert result.bill_eur < result.rule_bill_eur
    # perfect foresight ends where the replay ended: it can only be cheaper
    assert result.cost_eur >= result.perfect_cost_eur - 1e-6
    # the value of operation, from the meters alone, finds the same two bills
    assert value.loc["net_energy_cost", "operated"] == pytest.approx(result.bill_eur, rel=1e-9)
    assert value.loc["net_energy_cost", "rule"] == pytest.approx(result.rule_bill_eur, rel=1e-9)
    assert value.loc["net_energy_cost", "gain"] > 0
