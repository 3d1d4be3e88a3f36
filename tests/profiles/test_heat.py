"""Space-heating profiles: energy, response to temperature, usage hours and diversity."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.data import USES
from sparcs.errors import ScenarioError, WeatherError
from sparcs.profiles.heat import THERMAL_USE, smooth, softplus, space_heat_profiles
from sparcs.timeseries import year_index

BERLIN = {"timezone": "Europe/Berlin", "country": "DE"}
NSRDB = Path("/work/shared/data/weather/nsrdb_2019_15min_potsdam_52.41_13.06.csv")


def synthetic_weather(time: pd.DatetimeIndex, mean_c: float = 9.0) -> tuple[np.ndarray, np.ndarray]:
    """Temperature [degC] and GHI [W/m2]: annual and daily sinusoids (Central Europe-like)."""
    days = (time - pd.Timestamp("2025-01-01", tz="UTC")) / pd.Timedelta(days=1)
    hour = np.asarray(days % 1.0) * 24.0
    season = -np.cos(2 * np.pi * (np.asarray(days) - 15) / 365.25)
    temp = mean_c + 10.0 * season + 4.0 * np.sin(2 * np.pi * (hour - 9.0) / 24.0)
    daylight = np.clip(np.sin(np.pi * (hour - 6.0 + 2.0 * season) / (12.0 + 4.0 * season)), 0, None)
    ghi = (450.0 + 350.0 * season) * daylight * ((hour > 6 - 2 * season) & (hour < 18 + 2 * season))
    return temp, ghi


def _daily(power: np.ndarray, time: pd.DatetimeIndex, tz: str = "Europe/Berlin") -> pd.DataFrame:
    dt_h = (time[1] - time[0]) / pd.Timedelta(hours=1)
    local = time.tz_convert(tz)
    return pd.DataFrame(power * dt_h, index=local).groupby(local.date).sum()


def test_every_use_has_parameters():
    assert set(THERMAL_USE) == set(USES)


@pytest.mark.parametrize("step", ["1h", "15min"])
def test_sums_equal_annual(step):
    time = year_index(2025, step, "Europe/Berlin")
    temp, ghi = synthetic_weather(time)
    annual = np.arange(len(USES)) * 5000.0
    power = space_heat_profiles(
        time, annual, list(USES), temp_air_c=temp, ghi_w_m2=ghi, seed=2, **BERLIN
    )
    dt_h = (time[1] - time[0]) / pd.Timedelta(hours=1)
    assert (power >= 0).all() and np.isfinite(power).all()
    np.testing.assert_allclose(power.sum(axis=0) * dt_h, annual, rtol=1e-9)
    assert (power[:, 0] == 0).all()


def test_heat_falls_as_temperature_rises():
    time = pd.date_range("2025-01-06", periods=36 * 24, freq="1h", tz="UTC", name="time")
    temp = -10.0 + np.repeat(np.arange(36), 24) * 1.0  # one degree warmer every day
    for use in ("apartment_block", "single_family", "hotel"):
        power = space_heat_profiles(
            time,
            [1e4],
            [use],
            temp_air_c=temp,
            ghi_w_m2=np.zeros(len(time)),
            diversity=0.0,
            timezone="UTC",
            country=None,
        )[:, 0]
        daily = power.reshape(36, 24).sum(axis=1)
        assert (np.diff(daily) <= 1e-12).all()
        assert daily[0] > 10 * daily[26]
        assert daily[-1] < 1e-4 * daily[0]  # 25 degC: far above the heating limit


def test_sunshine_lowers_heat_demand():
    time = pd.date_range("2025-01-06", periods=10 * 24, freq="1h", tz="UTC", name="time")
    temp = np.full(len(time), 0.0)
    ghi = np.where(np.arange(len(time)) < 5 * 24, 0.0, 300.0)
    power = space_heat_profiles(
        time,
        [1e3],
        ["office"],
        temp_air_c=temp,
        ghi_w_m2=ghi,
        diversity=0.0,
        timezone="UTC",
        country=None,
    )[:, 0]
    assert power[9 * 24 + 10] < power[4 * 24 + 10]


def test_summer_has_next_to_no_heat():
    time = year_index(2025, "1h", "Europe/Berlin")
    temp, ghi = synthetic_weather(time)
    power = space_heat_profiles(
        time, np.full(len(USES), 1e4), list(USES), temp_air_c=temp, ghi_w_m2=ghi, seed=1, **BERLIN
    )
    july = np.asarray(time.tz_convert("Europe/Berlin").month == 7)
    assert (power[july].sum(axis=0) < 1e-3 * power.sum(axis=0)).all()
    january = np.asarray(time.tz_convert("Europe/Berlin").month == 1)
    assert (power[january].sum(axis=0) > 0.15 * power.sum(axis=0)).all()


def test_measured_weather_potsdam():
    raw = pd.read_csv(
        NSRDB, skiprows=2, usecols=["Year", "Month", "Day", "Hour", "Minute", "Temperature", "GHI"]
    )
    raw.index = pd.to_datetime(raw[["Year", "Month", "Day", "Hour", "Minute"]]).dt.tz_localize(
        "UTC"
    )
    weather = raw[["Temperature", "GHI"]].resample("1h").mean()
    time = weather.index.rename("time")
    power = space_heat_profiles(
        time,
        [1e4, 1e4],
        ["apartment_block", "office"],
        temp_air_c=weather["Temperature"],
        ghi_w_m2=weather["GHI"],
        seed=3,
        **BERLIN,
    )
    daily = _daily(power, time)
    daily_temp = weather["Temperature"].groupby(time.tz_convert("Europe/Berlin").date).mean()
    assert np.corrcoef(daily[0], daily_temp)[0, 1] < -0.85
    assert daily[0][daily_temp.to_numpy() > 20].sum() < 1e-3 * 1e4


def test_office_hours_weekends_and_holidays_at_constant_weather():
    time = year_index(2025, "1h", "Europe/Berlin")
    cold = np.full(len(time), -5.0)
    power = space_heat_profiles(
        time,
        [1e4],
        ["office"],
        temp_air_c=cold,
        ghi_w_m2=np.zeros(len(time)),
        diversity=0.0,
        **BERLIN,
    )[:, 0]
    local = time.tz_convert("Europe/Berlin")

    def at(day: str, hour: int) -> float:
        return float(
            power[np.asarray((local.date == pd.Timestamp(day).date()) & (local.hour == hour))][0]
        )

    assert at("2025-10-02", 10) > 1.2 * at("2025-10-02", 3)  # setback at night
    assert at("2025-10-04", 10) < at("2025-10-02", 10)  # Saturday: closed
    assert at("2025-10-03", 10) == pytest.approx(at("2025-10-05", 10))  # holiday = Sunday


def test_diversity_and_heating_limit():
    time = year_index(2025, "1h", "Europe/Berlin")
    temp, ghi = synthetic_weather(time)
    n = 30
    annual = np.full(n, 1e4)
    kw = {"temp_air_c": temp, "ghi_w_m2": ghi, **BERLIN}
    power = space_heat_profiles(time, annual, ["single_family"] * n, seed=4, **kw)
    assert len({round(float(v), 9) for v in power[2000]}) == n
    np.testing.assert_array_equal(
        power, space_heat_profiles(time, annual, ["single_family"] * n, seed=4, **kw)
    )
    same = space_heat_profiles(time, annual, ["single_family"] * n, diversity=0.0, **kw)
    np.testing.assert_allclose(same, same[:, :1].repeat(n, axis=1))
    limits = space_heat_profiles(
        time, [1e4, 1e4], ["single_family"] * 2, diversity=0.0, heating_limit_c=[12.0, 17.0], **kw
    )
    january = np.asarray(time.tz_convert("Europe/Berlin").month == 1)
    assert limits[january, 0].sum() > limits[january, 1].sum()  # lower limit: more in deep winter


def test_fifteen_minutes_and_hourly_agree():
    hourly_t = year_index(2025, "1h", "Europe/Berlin")
    quarter_t = year_index(2025, "15min", "Europe/Berlin")
    t15, g15 = synthetic_weather(quarter_t)
    t1, g1 = t15.reshape(-1, 4).mean(axis=1), g15.reshape(-1, 4).mean(axis=1)
    uses = list(USES)
    annual = np.full(len(uses), 1e4)
    hourly = space_heat_profiles(
        hourly_t, annual, uses, temp_air_c=t1, ghi_w_m2=g1, seed=1, **BERLIN
    )
    quarter = space_heat_profiles(
        quarter_t, annual, uses, temp_air_c=t15, ghi_w_m2=g15, seed=1, **BERLIN
    )
    means = quarter.reshape(len(hourly_t), 4, -1).mean(axis=1)
    for b in range(len(uses)):
        assert np.corrcoef(means[:, b], hourly[:, b])[0, 1] > 0.99
    np.testing.assert_allclose(
        _daily(means, hourly_t), _daily(hourly, hourly_t), rtol=0.05, atol=1.0
    )


def test_smooth_is_a_first_order_lag():
    step = np.r_[np.zeros(48), np.ones(400)]
    lagged = smooth(step, 24.0, 1.0)
    assert lagged[47] == 0.0 and lagged[-1] == pytest.approx(1.0, abs=0.01)
    assert lagged[48 + 24] == pytest.approx(1 - np.exp(-25 / 24), abs=0.02)  # 63 % after tau
    assert (np.diff(lagged) >= 0).all()


def test_errors():
    time = year_index(2025, "1h", "Europe/Berlin")
    temp, ghi = synthetic_weather(time)
    with pytest.raises(WeatherError, match="one value per time step"):
        space_heat_profiles(time, [1.0], ["office"], temp_air_c=temp[:-1], ghi_w_m2=ghi, **BERLIN)
    bad = temp.copy()
    bad[7] = np.nan
    with pytest.raises(WeatherError, match=r"temp_air_c\[7\]"):
        space_heat_profiles(time, [1.0], ["office"], temp_air_c=bad, ghi_w_m2=ghi, **BERLIN)
    with pytest.raises(WeatherError, match="ghi_w_m2"):
        space_heat_profiles(time, [1.0], ["office"], temp_air_c=temp, ghi_w_m2=-ghi - 1, **BERLIN)
    offset = np.where(ghi > 0, ghi, -3.0)  # night-time pyranometer offset reads as 0
    np.testing.assert_array_equal(
        space_heat_profiles(time, [1.0], ["office"], temp_air_c=temp, ghi_w_m2=offset, **BERLIN),
        space_heat_profiles(time, [1.0], ["office"], temp_air_c=temp, ghi_w_m2=ghi, **BERLIN),
    )
    with pytest.raises(ScenarioError, match="heating_limit_c"):
        space_heat_profiles(
            time,
            [1.0, 2.0],
            ["office"] * 2,
            temp_air_c=temp,
            ghi_w_m2=ghi,
            heating_limit_c=[1.0, 2.0, 3.0],
            **BERLIN,
        )
    with pytest.raises(ScenarioError, match="castle"):
        space_heat_profiles(time, [1.0], ["castle"], temp_air_c=temp, ghi_w_m2=ghi, **BERLIN)


@settings(max_examples=30, deadline=None)
@given(
    n_steps=st.integers(2, 150),
    step=st.sampled_from(["15min", "1h"]),
    uses=st.lists(st.sampled_from(USES), min_size=1, max_size=4),
    annual=st.floats(0.0, 1e6),
    temps=st.lists(st.floats(-40.0, 45.0), min_size=1, max_size=6),
    seed=st.integers(0, 2**31),
)
def test_invariants(n_steps, step, uses, annual, temps, seed):
    time = pd.date_range("2025-03-29 20:00", periods=n_steps, freq=step, tz="UTC", name="time")
    temp = np.resize(np.repeat(temps, 7), n_steps)
    ghi = np.resize([0.0, 0.0, 200.0, 800.0], n_steps)
    energy = np.full(len(uses), annual)
    power = space_heat_profiles(
        time, energy, uses, temp_air_c=temp, ghi_w_m2=ghi, seed=seed, **BERLIN
    )
    dt_h = (time[1] - time[0]) / pd.Timedelta(hours=1)
    assert np.isfinite(power).all() and (power >= 0).all()
    np.testing.assert_allclose(power.sum(axis=0) * dt_h, energy, rtol=1e-6, atol=1e-9)


def test_softplus_is_logaddexp_in_place_without_overflow():
    z = np.concatenate([np.linspace(-800.0, 800.0, 20_001), [0.0, -0.0, 1e-300, -1e-300]])
    x = z * 0.5
    out = softplus(x, 0.5)
    assert out is x
    reference = 0.5 * np.logaddexp(0.0, z)
    np.testing.assert_allclose(out, reference, rtol=2e-15, atol=0.0)
    assert np.isfinite(out).all() and (out >= 0).all()
    assert softplus(np.array([0.0]), 1.0)[0] == np.log(2.0)
