"""Forecasters of live operation: hand-computed cases, exact recovery, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sparcs.errors import DataError, InsufficientDataError
from sparcs.live import WeatherForecast, forecast, persistence, regression, seasonal_naive

TZ = "Europe/Helsinki"


def _time(start: str, n: int, freq: str = "1h") -> pd.DatetimeIndex:
    return pd.date_range(start, periods=n, freq=freq, tz=TZ)


def test_persistence_repeats_the_latest_day() -> None:
    history = np.arange(48.0)
    got = persistence(history, horizon=30, steps_per_day=24)[:, 0]
    assert got[:24].tolist() == list(range(24, 48))
    assert got[24:].tolist() == list(range(24, 30))


def test_seasonal_naive_takes_the_same_weekday() -> None:
    history = np.column_stack([np.arange(24 * 8.0), -np.arange(24 * 8.0)])
    got = seasonal_naive(history, horizon=5, steps_per_day=24)
    start = 24 * 8 - 24 * 7
    assert got[:, 0].tolist() == list(range(start, start + 5))
    assert got[:, 1].tolist() == [-v for v in range(start, start + 5)]


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, 24, elements=st.floats(0, 100)), st.integers(1, 5), st.integers(1, 72))
def test_persistence_is_exact_on_a_daily_cycle(day: np.ndarray, days: int, horizon: int) -> None:
    history = np.tile(day, days)
    got = persistence(history, horizon, steps_per_day=24)[:, 0]
    expected = np.tile(day, horizon // 24 + 1)[:horizon]
    np.testing.assert_array_equal(got, expected)


def test_too_little_history_is_refused() -> None:
    with pytest.raises(InsufficientDataError, match="needs 168 steps of history, only 100"):
        seasonal_naive(np.zeros(100), horizon=4, steps_per_day=24)
    with pytest.raises(DataError, match="missing values .first at row 3"):
        persistence(np.array([1.0, 2, 3, np.nan, 5, 6]), horizon=2, steps_per_day=3)


def _truth(time: pd.DatetimeIndex, temp: np.ndarray, ghi: np.ndarray) -> np.ndarray:
    hourly = 1.0 + 0.5 * np.sin(np.asarray(time.hour) / 24 * 2 * np.pi) + 2.0
    weekend = 0.7 * (np.asarray(time.dayofweek) >= 5)
    heating = 0.3 * np.maximum(15.0 - temp, 0.0)
    cooling = 0.2 * np.maximum(temp - 22.0, 0.0)
    return hourly + weekend + heating + cooling + 1.5 * ghi / 1000


def test_regression_recovers_a_law_it_can_represent() -> None:
    rng = np.random.default_rng(7)
    past, future = _time("2025-03-01", 24 * 28), _time("2025-03-29", 48)
    temp_p, temp_f = rng.uniform(-5, 30, past.size), rng.uniform(-5, 30, future.size)
    ghi_p, ghi_f = rng.uniform(0, 900, past.size), rng.uniform(0, 900, future.size)
    history = np.column_stack([_truth(past, temp_p, ghi_p), 2 * _truth(past, temp_p, ghi_p)])
    weather = WeatherForecast(temp_p, ghi_p, temp_f, ghi_f)
    got = regression(history, past, future, weather)
    expected = _truth(future, temp_f, ghi_f)
    np.testing.assert_allclose(got[:, 0], expected, rtol=1e-8)
    np.testing.assert_allclose(got[:, 1], 2 * expected, rtol=1e-8)


def test_regression_beats_persistence_when_the_weather_turns() -> None:
    past, future = _time("2025-01-01", 24 * 14), _time("2025-01-15", 24)
    temp_p, temp_f = np.full(past.size, 10.0), np.full(future.size, -10.0)  # a cold snap
    zeros_p, zeros_f = np.zeros(past.size), np.zeros(future.size)
    temp_p[::5] = 0.0  # some spread so the heating slope can be fitted
    history = _truth(past, temp_p, zeros_p)
    weather = WeatherForecast(temp_p, zeros_p, temp_f, zeros_f)
    truth = _truth(future, temp_f, zeros_f)
    reg = forecast("regression", history, past, future, weather)[:, 0]
    naive = forecast("persistence", history, past, future)[:, 0]
    assert np.abs(reg - truth).mean() < 1e-6 < np.abs(naive - truth).mean()


def test_regression_never_forecasts_negative_energy() -> None:
    past, future = _time("2025-06-01", 24 * 7), _time("2025-06-08", 24)
    ghi_p = np.tile(np.r_[np.zeros(6), np.linspace(0, 800, 12), np.zeros(6)], 7)
    history = ghi_p / 100  # PV that follows irradiance
    weather = WeatherForecast(np.full(past.size, 18.0), ghi_p, np.full(24, 18.0), -ghi_p[:24])
    assert forecast("regression", history, past, future, weather).min() >= 0.0


def test_regression_errors_name_the_fix() -> None:
    past, future = _time("2025-06-01", 24 * 7), _time("2025-06-08", 24)
    with pytest.raises(DataError, match="needs a weather forecast"):
        forecast("regression", np.ones(past.size), past, future)
    weather = WeatherForecast(np.zeros(past.size), np.zeros(past.size), np.zeros(5), np.zeros(24))
    with pytest.raises(DataError, match="temperature_c has 5 steps where 24 are needed"):
        forecast("regression", np.ones(past.size), past, future, weather)
    with pytest.raises(InsufficientDataError, match="7 days of history"):
        forecast("regression", np.ones(48), past[:48], future, weather)
    with pytest.raises(DataError, match="not known; choose one of"):
        forecast("tomorrow", np.ones(48), past[:48], future)  # type: ignore[arg-type]  # a bad name on purpose


def test_the_latest_error_is_carried_only_as_far_as_errors_persist() -> None:
    from sparcs.live.forecasters import residual_carry

    # r = 2, 1, 0.5: phi = (2 + 0.5) / (4 + 1) = 0.5 by hand; the last error 0.5 halves ahead
    np.testing.assert_allclose(
        residual_carry(np.array([[2.0], [1.0], [0.5]]), 2), [[0.25], [0.125]]
    )
    # errors that flip sign every step do not persist: nothing is carried
    flipping = np.array([[1.0], [-1.0], [1.0], [-1.0]])
    np.testing.assert_allclose(residual_carry(flipping, 3), 0.0)
    # a level shift the calendar cannot explain: the regression follows it at lead 1
    past, future = _time("2025-01-01", 24 * 14), _time("2025-01-15", 3)
    temp_p, zeros_p = np.full(past.size, 10.0), np.zeros(past.size)
    temp_p[::5] = 0.0
    history = _truth(past, temp_p, zeros_p) + np.r_[np.zeros(past.size - 24), np.ones(24)]
    weather = WeatherForecast(temp_p, zeros_p, np.full(3, 10.0), np.zeros(3))
    shifted = regression(history, past, future, weather)[:, 0] - _truth(
        future, np.full(3, 10.0), np.zeros(3)
    )
    assert 0.5 < shifted[0] <= 1.0 and shifted[0] >= shifted[1] >= shifted[2] > 0
