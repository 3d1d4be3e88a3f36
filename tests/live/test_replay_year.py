"""The replay of a whole year: live operation within 5 % of perfect foresight, better than rules.

The issue's acceptance test, on the Maia example (hourly, three buildings with PV, a battery, a
heat-pump tank): the year's readings are sent to the store step by step, a cycle runs
every hour with the forecasters a backtest of the two weeks before chooses, and the operation
that results is compared with perfect foresight from the same start to the same end state and
with the rule strategy. Each cycle is a full one (state from the store, forecasts, the LP kept
in HiGHS); the year is 8,376 cycles (15 January to 30 December, two weeks of history before
it and a day of horizon after it), about five minutes on one core.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sparcs.climate import load_weather
from sparcs.live.backtest import choice_before
from sparcs.live.replay import replay
from sparcs.profiles.build import build_inputs
from sparcs.scenario import load_scenario
from sparcs.store import open_store

ROOT = Path(__file__).resolve().parents[2]


def test_a_year_of_live_cycles_is_within_five_percent_of_perfect_foresight(
    tmp_path: Path,
) -> None:
    scenario = load_scenario(ROOT / "examples" / "maia-solar-schools.toml")
    actual = build_inputs(scenario, load_weather(scenario))
    start = int(actual.time.searchsorted(pd.Timestamp("2025-01-15T00:00Z")))
    day = round(24 / actual.dt_h)
    steps = actual.n_steps - start - day - 23 * day // 24  # the last horizon inside the year
    # the forecaster per quantity by backtested skill over the two weeks before the start
    choice, _ = choice_before(actual, start, scenario.timezone)
    with open_store(tmp_path / "year.duckdb") as store:
        result = replay(scenario, actual, store, start=start, steps=steps, forecaster=choice)
    assert steps > 8000
    # a cycle the LP cannot finish runs the rules, said in a note: at most one in a thousand
    assert result.fallbacks <= steps // 1000
    assert sum("could not be optimised" in note for note in result.notes) == result.fallbacks
    # feasible every step: every level inside its store's bounds
    for j, building in enumerate(scenario.buildings):
        for store_of, levels in (
            (building.battery, result.battery_kwh[:, j]),
            (building.thermal_storage, result.tank_kwh[:, j]),
        ):
            top = 0.0 if store_of is None else store_of.capacity_kwh
            assert levels.min() >= -1e-6 and levels.max() <= top + 1e-6
    # within 5 % of perfect foresight on the year, and a smaller bill than the rule strategy's
    assert result.perfect_cost_eur <= result.cost_eur + 1e-6
    assert result.gap < 0.05, f"gap {result.gap:.1%}"
    assert result.bill_eur < result.rule_bill_eur
