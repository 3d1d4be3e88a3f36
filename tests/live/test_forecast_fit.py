"""The live regression's predictors, its daily fit kept between cycles, and the backtest."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.errors import DataError
from sparcs.live import WeatherForecast, forecast, regression
from sparcs.live.backtest import backtest_choice, backtest_forecasts
from sparcs.live.daily_fit import cached_fit, fit_window
from sparcs.live.features import HeatingLaw, heating_degrees, moving_average

TZ = "Europe/Lisbon"


def _time(start: str, n: int) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=n, freq="1h", tz=TZ)


def _weather(n: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    hour = np.arange(n) % 24
    day = np.clip(np.sin((hour - 6) / 12 * np.pi), 0, None)
    temp = 9.0 + 5.0 * day + np.repeat(rng.uniform(-4, 4, n // 24 + 1), 24)[:n]
    ghi = 800.0 * day * np.repeat(rng.uniform(0.2, 1.0, n // 24 + 1), 24)[:n]
    return temp, ghi


def test_the_moving_average_is_a_first_order_lag() -> None:
    # a unit step through a lag of time constant tau: 1 - (1 - a)^k after k steps
    tau, a = 5.0, 1.0 - math.exp(-1.0 / 5.0)
    got = moving_average(np.r_[0.0, np.ones(10)], tau, 1.0)
    np.testing.assert_allclose(got[1:], 1.0 - (1.0 - a) ** np.arange(1, 11))
    law = HeatingLaw(balance_c=15.0, inertia_h=tau, solar_k_per_w_m2=0.0)
    degrees = heating_degrees(law, np.r_[10.0, np.full(10, 20.0)], np.zeros(11), 1.0)
    # effective = 0.3 * 20 + 0.7 * (10 + 10 * step response): heating stops once it passes 15
    effective = 0.3 * 20 + 0.7 * (10 + 10 * (1.0 - (1.0 - a) ** np.arange(1, 11)))
    np.testing.assert_allclose(degrees[1:], np.maximum(15 - effective, 0.0))


def _school(time: pd.DatetimeIndex, temp: np.ndarray, ghi: np.ndarray) -> np.ndarray:
    """Heat of a building heated harder in occupied hours (7-16 h on working days), with mass."""
    law = HeatingLaw(15.0, 24.0, 0.015)
    hour, workday = np.asarray(time.hour), np.asarray(time.dayofweek) < 5
    occupied = workday & (hour >= 7) & (hour < 16)
    return 2.0 + 0.5 * workday + (1.0 + 5.0 * occupied) * heating_degrees(law, temp, ghi, 1.0)


def test_heating_harder_in_occupied_hours_is_learnt_per_hour_and_day_type() -> None:
    n, ahead = 24 * 28, 24
    time = _time("2025-03-03", n + ahead)
    temp, ghi = _weather(n + ahead)
    truth = _school(time, temp, ghi)
    weather = WeatherForecast(temp[:n], ghi[:n], temp[n:], ghi[n:])
    got = regression(truth[:n], time[:n], time[n:], weather)[:, 0]
    naive = forecast("seasonal", truth[:n], time[:n], time[n:])[:, 0]
    # the law is chosen on one slope, so not exactly recovered; but within a tenth of the
    # peak every hour, and a fifth of the error of the same weekday a week before
    error = np.abs(got - truth[n:])
    assert error.max() < 0.1 * truth[n:].max()
    assert error.mean() < 0.2 * np.abs(naive - truth[n:]).mean()


def test_pv_follows_irradiance_with_a_factor_per_hour() -> None:
    n, ahead = 24 * 14, 48
    time = _time("2025-05-05", n + ahead)
    temp, ghi = _weather(n + ahead)
    angle = np.clip(np.cos((np.asarray(time.hour) - 13) / 7 * np.pi / 2), 0, None)
    pv = 0.12 * ghi * angle  # the modules face the early afternoon sun
    weather = WeatherForecast(temp[:n], ghi[:n], temp[n:], ghi[n:])
    got = regression(pv[:n], time[:n], time[n:], weather)[:, 0]
    np.testing.assert_allclose(got, pv[n:], atol=1e-6 * pv.max())


def test_the_fit_is_refitted_once_a_day_and_kept_between_cycles() -> None:
    n = 24 * 20
    time = _time("2025-03-03", n + 30)
    temp, ghi = _weather(n + 30)
    y = _school(time, temp, ghi)[:, None] + 0.1
    # cycles at 01:00 and 05:00 of one day fit the same window: the same fit, not a refit
    early, late = n + 1, n + 5
    window_early = fit_window(time[:early], 28, 24)
    window_late = fit_window(time[:late], 28, 24)
    assert window_early == window_late == slice(24, n)  # whole days, not the oldest
    first = cached_fit(y[:early], time[:early], temp[:early], ghi[:early], window_early, 24, 1.0)
    again = cached_fit(y[:late], time[:late], temp[:late], ghi[:late], window_late, 24, 1.0)
    assert again is first
    # other data in the window: another fit, never a stale one
    changed = y[:late].copy()
    changed[30] += 1.0
    other = cached_fit(changed, time[:late], temp[:late], ghi[:late], window_late, 24, 1.0)
    assert other is not first
    # the next day's first cycle fits the day before it too; a rolling history of 28 days
    # keeps the same window through the day
    assert fit_window(time[: n + 24], 28, 24) == slice(24, n + 24)
    assert fit_window(time[1 : n + 25], 28, 24) == slice(23, n + 23)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 47), st.floats(0.0, 3.0))  # upwards: never cut at zero
def test_the_latest_error_moves_only_the_forecast_of_the_same_fit(hour: int, shock: float) -> None:
    # a reading of the day under way changes the carried error, never the fit's law
    n = 24 * 10 + hour
    time = _time("2025-03-03", n + 24)
    temp, ghi = _weather(n + 24)
    y = _school(time, temp, ghi) + 1.0
    weather = WeatherForecast(temp[:n], ghi[:n], temp[n:], ghi[n:])
    base = regression(y[:n], time[:n], time[n:], weather)[:, 0]
    shocked = y[:n].copy()
    shocked[-1] += shock
    moved = regression(shocked, time[:n], time[n:], weather)[:, 0]
    difference = moved - base
    assert np.isfinite(difference).all()
    if hour % 24:  # the latest reading is not of a whole day yet: the same fit
        # the forecasts differ by the carried error alone, shock * phi ** lead
        assert np.all(np.abs(difference[1:]) <= np.abs(difference[:-1]) + 1e-9)
        assert np.abs(difference[0]) <= abs(shock) + 1e-9
        assert np.all(difference * shock >= -1e-12)


def test_the_backtest_uses_only_data_before_each_origin() -> None:
    n = 24 * 12
    time = _time("2025-03-03", n)
    temp, ghi = _weather(n)
    y = _school(time, temp, ghi)[:, None]
    series = [("heat_demand_kwh", "school")]
    origins = [24 * 9, 24 * 10]
    forecasts, measured = backtest_forecasts(
        y, time, temp, ghi, series, origins, horizon=24, history_steps=24 * 28
    )
    assert set(forecasts["forecaster"]) == {"persistence", "seasonal", "regression"}
    assert (forecasts["time"] >= forecasts["belief_time"]).all()
    # what happened after the first origin does not change its forecasts
    later = y.copy()
    later[24 * 9 :] *= 3.0
    again, _ = backtest_forecasts(
        later, time, temp, ghi, series, origins[:1], horizon=24, history_steps=24 * 28
    )
    first = forecasts[forecasts["belief_time"] == time[24 * 9].tz_convert("UTC")]
    np.testing.assert_allclose(first["value_kwh"].to_numpy(), again["value_kwh"].to_numpy())
    assert len(measured) == n
    # the weather-driven heat is forecast best by the regression, and chosen
    choice, scores = backtest_choice(
        y, time, temp, ghi, series, origins, horizon=24, history_steps=24 * 28
    )
    assert choice == {"heat_demand_kwh": "regression"}
    nmae = scores.set_index("forecaster")["nmae"]
    assert nmae["regression"] < 0.5 * min(nmae["persistence"], nmae["seasonal"])


def test_the_backtest_names_bad_input() -> None:
    time = _time("2025-03-03", 48)
    with pytest.raises(DataError, match="values must be steps × 2 series"):
        backtest_forecasts(
            np.zeros((48, 1)),
            time,
            np.zeros(48),
            np.zeros(48),
            [("a", "b"), ("c", "d")],
            [24],
            horizon=24,
            history_steps=24,
        )
    with pytest.raises(DataError, match="ghi_w_m2 has 47 steps where time has 48"):
        backtest_forecasts(
            np.zeros((48, 1)),
            time,
            np.zeros(48),
            np.zeros(47),
            [("a", "b")],
            [24],
            horizon=24,
            history_steps=24,
        )


def test_forecast_keeps_its_signature_for_the_cycle() -> None:
    n = 24 * 8
    time = _time("2025-03-03", n + 24)
    temp, ghi = _weather(n + 24)
    y = np.column_stack([_school(time, temp, ghi)[:n], np.ones(n)])
    weather = WeatherForecast(temp[:n], ghi[:n], temp[n:], ghi[n:])
    got = forecast("regression", y, time[:n], time[n:], weather)
    assert got.shape == (24, 2) and (got >= 0).all()
