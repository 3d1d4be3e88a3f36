"""Space-cooling profiles: energy, weather response, occupancy and cold climates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.data import USES
from sparcs.errors import WeatherError
from sparcs.profiles.cooling import UNOCCUPIED_WEIGHT, cooling_profiles
from sparcs.timeseries import year_index

ATHENS = {"timezone": "Europe/Athens", "country": "GR"}


def synthetic_weather(time: pd.DatetimeIndex, mean_c: float) -> tuple[np.ndarray, np.ndarray]:
    """Temperature [degC] and GHI [W/m2] as annual and daily sinusoids."""
    days = np.asarray((time - pd.Timestamp("2025-01-01", tz="UTC")) / pd.Timedelta(days=1))
    hour = (days % 1.0) * 24.0
    season = -np.cos(2 * np.pi * (days - 15) / 365.25)
    temp = mean_c + 9.0 * season + 5.0 * np.sin(2 * np.pi * (hour - 9.0) / 24.0)
    ghi = (500.0 + 300.0 * season) * np.clip(np.sin(np.pi * (hour - 6.0) / 12.0), 0, None)
    return temp, ghi


@pytest.mark.parametrize("step", ["1h", "15min"])
def test_sums_equal_annual_and_zero_stays_zero(step):
    time = year_index(2025, step, "Europe/Athens")
    temp, ghi = synthetic_weather(time, 18.0)
    annual = np.arange(len(USES)) * 2000.0
    power = cooling_profiles(
        time, annual, list(USES), temp_air_c=temp, ghi_w_m2=ghi, seed=1, **ATHENS
    )
    dt_h = (time[1] - time[0]) / pd.Timedelta(hours=1)
    assert (power >= 0).all() and np.isfinite(power).all()
    np.testing.assert_allclose(power.sum(axis=0) * dt_h, annual, rtol=1e-9)
    assert (power[:, 0] == 0).all()


def test_summer_afternoons_carry_the_cooling():
    time = year_index(2025, "1h", "Europe/Athens")
    temp, ghi = synthetic_weather(time, 18.0)
    power = cooling_profiles(time, [1e4], ["office"], temp_air_c=temp, ghi_w_m2=ghi, **ATHENS)[:, 0]
    local = time.tz_convert("Europe/Athens")
    summer = np.asarray(local.month.isin([6, 7, 8]))
    assert power[summer].sum() > 0.5 * power.sum()
    assert power[np.asarray(local.month == 1)].sum() < 1e-3 * power.sum()
    july = pd.Series(power, index=local)[local.month == 7]
    by_hour = july.groupby(july.index.hour).mean()
    assert 11 <= by_hour.idxmax() <= 18


def test_occupancy_weights_at_constant_weather():
    time = year_index(2025, "1h", "Europe/Athens")
    hot = np.full(len(time), 30.0)
    power = cooling_profiles(
        time,
        [1e4],
        ["office"],
        temp_air_c=hot,
        ghi_w_m2=np.zeros(len(time)),
        diversity=0.0,
        **ATHENS,
    )[:, 0]
    local = time.tz_convert("Europe/Athens")
    wednesday = np.asarray(local.date == pd.Timestamp("2025-07-16").date())
    day = power[wednesday]
    assert day[10] / day[3] == pytest.approx(1.0 / UNOCCUPIED_WEIGHT)
    sunday = power[np.asarray(local.date == pd.Timestamp("2025-07-20").date())]
    assert sunday[10] == pytest.approx(day[3])


def test_more_cooling_when_warmer():
    time = pd.date_range("2025-07-01", periods=20 * 24, freq="1h", tz="UTC", name="time")
    temp = 15.0 + np.repeat(np.arange(20), 24) * 1.0
    power = cooling_profiles(
        time,
        [1e3],
        ["hotel"],
        temp_air_c=temp,
        ghi_w_m2=np.zeros(len(time)),
        diversity=0.0,
        timezone="UTC",
        country=None,
    )[:, 0]
    daily = power.reshape(20, 24).sum(axis=1)
    assert (np.diff(daily) > 0).all()


def test_cold_climate_still_places_its_small_cooling():
    time = year_index(2025, "1h", "Atlantic/Reykjavik")
    temp, ghi = synthetic_weather(time, 0.0)  # never above 14 degC
    power = cooling_profiles(
        time,
        [200.0, 0.0],
        ["office", "office"],
        temp_air_c=temp,
        ghi_w_m2=ghi,
        timezone="Atlantic/Reykjavik",
        country="IS",
        seed=2,
    )
    assert power[:, 0].sum() == pytest.approx(200.0) and (power[:, 1] == 0).all()
    warmest = temp >= np.quantile(temp, 0.95)
    assert power[warmest, 0].sum() > 0.5 * 200.0


def test_reproducible_and_diverse():
    time = year_index(2025, "1h", "Europe/Athens")
    temp, ghi = synthetic_weather(time, 18.0)
    kw = {"temp_air_c": temp, "ghi_w_m2": ghi, **ATHENS}
    first = cooling_profiles(time, np.full(10, 500.0), ["retail"] * 10, seed=5, **kw)
    np.testing.assert_array_equal(
        first, cooling_profiles(time, np.full(10, 500.0), ["retail"] * 10, seed=5, **kw)
    )
    assert len({round(float(v), 9) for v in first[4500]}) == 10
    one = cooling_profiles(
        time, [500.0, 500.0], ["retail"] * 2, cooling_base_c=[16.0, 24.0], diversity=0.0, **kw
    )
    local = time.tz_convert("Europe/Athens")
    shoulder = np.asarray(local.month.isin([4, 5, 10]))
    assert one[shoulder, 0].sum() > one[shoulder, 1].sum()


def test_weather_errors():
    time = year_index(2025, "1h", "Europe/Athens")
    temp, ghi = synthetic_weather(time, 18.0)
    with pytest.raises(WeatherError, match="temp_air_c"):
        cooling_profiles(time, [1.0], ["office"], temp_air_c=temp + 100, ghi_w_m2=ghi, **ATHENS)


@settings(max_examples=30, deadline=None)
@given(
    n_steps=st.integers(2, 150),
    step=st.sampled_from(["15min", "1h"]),
    uses=st.lists(st.sampled_from(USES), min_size=1, max_size=4),
    annual=st.floats(0.0, 1e6),
    temps=st.lists(st.floats(-40.0, 50.0), min_size=1, max_size=6),
    seed=st.integers(0, 2**31),
)
def test_invariants(n_steps, step, uses, annual, temps, seed):
    time = pd.date_range("2025-10-25 20:00", periods=n_steps, freq=step, tz="UTC", name="time")
    temp = np.resize(np.repeat(temps, 5), n_steps)
    ghi = np.resize([0.0, 100.0, 900.0], n_steps)
    energy = np.full(len(uses), annual)
    power = cooling_profiles(time, energy, uses, temp_air_c=temp, ghi_w_m2=ghi, seed=seed, **ATHENS)
    dt_h = (time[1] - time[0]) / pd.Timedelta(hours=1)
    assert np.isfinite(power).all() and (power >= 0).all()
    np.testing.assert_allclose(power.sum(axis=0) * dt_h, energy, rtol=1e-6, atol=1e-9)
