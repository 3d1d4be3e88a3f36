"""A sweep loads the weather once when no point changes it, and gets the same table."""

from __future__ import annotations

import pandas as pd
import pytest

from sparcs.scenario import Scenario
from sparcs.sweep import make_points, parse_param, run_point, run_sweep, sweep_table
from sparcs.sweep.points import WEATHER_KEYS, shared_weather


def test_a_shared_weather_gives_the_table_of_points_run_on_their_own(small: Scenario) -> None:
    params = [parse_param("buildings[flats].pv.kwp=10,30"), parse_param("seed=1,2")]
    assert shared_weather(small, params) is not None
    swept = run_sweep(small, params)
    # each point loading its own weather, as a point changing a weather key does
    alone = [run_point(point) for point in make_points(small, params)]
    pd.testing.assert_frame_equal(swept.table, sweep_table(params, alone), check_exact=True)


@pytest.mark.parametrize(
    "param",
    [
        "weather.seed=1,2",
        "weather.temperature_offset_c=0,1.5",
        "site.city=maia,lviv",
        "year=2023,2024",
    ],
)
def test_a_point_that_may_change_the_weather_loads_its_own(small: Scenario, param: str) -> None:
    parsed = parse_param(param)
    assert parsed.path.split(".")[0] in WEATHER_KEYS
    assert shared_weather(small, [parse_param("seed=1,2"), parsed]) is None


def test_a_sweep_over_the_weather_seed_changes_the_weather(small: Scenario) -> None:
    swept = run_sweep(small, [parse_param("weather.seed=1,2")])
    assert not swept.errors
    first, second = swept.table.iloc[0], swept.table.iloc[1]
    assert first["weather.seed"] == 1 and second["weather.seed"] == 2
    assert (first.drop("weather.seed") != second.drop("weather.seed")).any()
