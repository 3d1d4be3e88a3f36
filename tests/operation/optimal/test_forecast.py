"""Naive forecasts: which known step stands in for each future step."""

from __future__ import annotations

import numpy as np
import pytest

from sparcs.errors import ScenarioError
from sparcs.operation.optimal.forecast import forecast_index


def test_persistence_copies_yesterday_same_hour() -> None:
    steps = np.arange(48, 96)  # two days from day 2
    source = forecast_index("persistence", steps, 48, 24)
    np.testing.assert_array_equal(source[:24], np.arange(24, 48))  # tomorrow <- yesterday
    np.testing.assert_array_equal(source[24:], np.arange(24, 48))  # day after <- yesterday
    assert (source < 48).all()


def test_seasonal_copies_last_week_same_hour() -> None:
    steps = np.arange(200, 248)
    source = forecast_index("seasonal", steps, 200, 24)
    np.testing.assert_array_equal(source, steps - 168)
    assert (source < 200).all()


def test_perfect_is_the_data_itself() -> None:
    steps = np.arange(10, 20)
    np.testing.assert_array_equal(forecast_index("perfect", steps, 10, 24), steps)


def test_first_day_stands_in_for_missing_history() -> None:
    source = forecast_index("persistence", np.arange(0, 48), 0, 24)
    np.testing.assert_array_equal(source, np.tile(np.arange(24), 2))
    quarter = forecast_index("persistence", np.arange(96, 192), 96, 96)  # 15-min steps
    np.testing.assert_array_equal(quarter, np.arange(0, 96))


def test_unknown_forecast_is_refused() -> None:
    with pytest.raises(ScenarioError, match="persistence"):
        forecast_index("oracle", np.arange(3), 0, 24)
