"""The synthetic year reproduces the climate normals of every city and keeps the physics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from climate_helpers import local_month, synthetic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pvlib import location, solarposition

from sparcs.climate import ClimateNormals, synthetic_clear_sky, synthetic_year
from sparcs.climate.synthetic import CAP_CLEAR_SKY
from sparcs.data import city_names, get_city
from sparcs.errors import ScenarioError, WeatherError

CITIES = city_names()


def _sun(weather) -> pd.DataFrame:
    """Solar position at interval midpoints with NREL SPA (independent of the generator)."""
    mid = weather.time + (weather.time[1] - weather.time[0]) / 2
    return solarposition.get_solarposition(mid, weather.latitude, weather.longitude)


def _monthly_ghi_kwh(weather, zone: str) -> np.ndarray:
    return (
        weather.data["ghi"].groupby(local_month(weather, zone)).sum().to_numpy()
        * weather.dt_h
        / 1000
    )


def test_all_seven_cities_are_covered() -> None:
    assert len(CITIES) == 7


@pytest.mark.parametrize("step", ["1h", "15min"])
@pytest.mark.parametrize("city", CITIES)
def test_monthly_means_match_the_normals(city: str, step: str) -> None:
    normals = get_city(city)
    weather = synthetic(city, step)
    months = local_month(weather, normals.timezone)
    temp = weather.data["temp_air"].groupby(months).mean().to_numpy()
    ghi = _monthly_ghi_kwh(weather, normals.timezone)
    np.testing.assert_allclose(temp, normals.temp_c, atol=0.5)
    np.testing.assert_allclose(ghi, normals.ghi_kwh_m2, rtol=0.05)
    assert weather.data["wind_speed"].mean() == pytest.approx(normals.wind_m_s, rel=0.01)


def test_weather_is_labelled_synthetic_with_seed() -> None:
    weather = synthetic("espoo")
    assert weather.synthetic
    assert weather.source == "synthetic from climate normals (espoo), seed 1"
    assert weather.repairs == ()
    assert (weather.latitude, weather.timezone) == (60.21, "Europe/Helsinki")


def test_same_seed_same_year_other_seed_other_weather() -> None:
    first = synthetic_year("leipzig", 2025, seed=7)
    again = synthetic_year("leipzig", 2025, seed=7)
    other = synthetic_year("leipzig", 2025, seed=8)
    pd.testing.assert_frame_equal(first.data, again.data)
    assert not np.allclose(first.data["ghi"], other.data["ghi"])
    assert not np.allclose(first.data["temp_air"], other.data["temp_air"])
    # both are still calibrated to the same normals
    np.testing.assert_allclose(
        _monthly_ghi_kwh(first, "Europe/Berlin"),
        _monthly_ghi_kwh(other, "Europe/Berlin"),
        rtol=0.05,
    )


@pytest.mark.parametrize("city", ["reykjavik", "kifissia"])
def test_no_sun_at_night(city: str) -> None:
    weather = synthetic(city, "15min")
    down = _sun(weather)["apparent_elevation"].to_numpy() < -0.5
    assert down.sum() > 10_000
    assert (weather.data.loc[down, ["ghi", "dni", "dhi"]].to_numpy() == 0).all()


@pytest.mark.parametrize("city", CITIES)
def test_ghi_stays_below_the_clear_sky_cap(city: str) -> None:
    weather = synthetic(city)
    clear = synthetic_clear_sky(city, 2025)
    assert (weather.data["ghi"] >= 0).all()
    assert (weather.data["ghi"] <= CAP_CLEAR_SKY * clear["ghi"] + 1e-9).all()


def test_cap_is_against_pvlib_ineichen_where_the_turbidity_is_not_lowered() -> None:
    weather = synthetic("leipzig")
    sun = _sun(weather)
    site = location.Location(weather.latitude, weather.longitude, "UTC", weather.elevation_m)
    clear = site.get_clearsky(sun.index, solar_position=sun)["ghi"].to_numpy()
    assert (weather.data["ghi"].to_numpy() <= 1.1 * clear + 2.0).all()
    # most of the year is well below the cap: clear and cloudy days both occur
    ratio = weather.data["ghi"].to_numpy()[clear > 200] / clear[clear > 200]
    assert np.mean(ratio < 0.3) > 0.1
    assert np.mean(ratio > 0.8) > 0.2


@pytest.mark.parametrize("step", ["1h", "15min"])
def test_closure_of_the_irradiance_components(step: str) -> None:
    weather = synthetic("kladno", step)
    cos_zenith = np.cos(np.radians(_sun(weather)["zenith"].to_numpy()))
    data = weather.data
    rebuilt = data["dhi"] + data["dni"] * cos_zenith
    np.testing.assert_allclose(rebuilt, data["ghi"], atol=2.0)
    assert (data["dhi"] <= data["ghi"] + 1e-9).all() and (data["dni"] >= 0).all()


@pytest.mark.parametrize("city", ["espoo", "maia", "lviv"])
def test_afternoon_is_warmer_than_before_dawn(city: str) -> None:
    normals = get_city(city)
    weather = synthetic(city)
    local = weather.time.tz_convert(normals.timezone)
    hour = local.hour
    months = local.month
    data = weather.data["temp_air"]
    afternoon = data[(hour >= 14) & (hour < 17)].groupby(months[(hour >= 14) & (hour < 17)]).mean()
    dawn = data[(hour >= 3) & (hour < 6)].groupby(months[(hour >= 3) & (hour < 6)]).mean()
    difference = (afternoon - dawn).to_numpy()
    assert (difference > np.asarray(normals.temp_amp_c)).all()


def test_hourly_and_quarter_hourly_years_agree() -> None:
    hourly, quarter = synthetic("kladno", "1h"), synthetic("kladno", "15min")
    assert len(hourly.data) == 8760 and len(quarter.data) == 35040
    assert hourly.dt_h == 1.0 and quarter.dt_h == 0.25
    np.testing.assert_allclose(
        _monthly_ghi_kwh(hourly, "Europe/Prague"),
        _monthly_ghi_kwh(quarter, "Europe/Prague"),
        rtol=0.02,
    )
    # the same seed gives the same sequence of clear and cloudy days at both steps
    daily_h = hourly.data["ghi"].resample("1D").sum() * hourly.dt_h
    daily_q = quarter.data["ghi"].resample("1D").sum() * quarter.dt_h
    assert np.corrcoef(daily_h, daily_q)[0, 1] > 0.95


@pytest.mark.parametrize(
    ("city", "zone", "first_utc"),
    [
        ("espoo", "Europe/Helsinki", "2024-12-31 22:00"),
        ("leipzig", "Europe/Berlin", "2024-12-31 23:00"),
    ],
)
def test_index_is_utc_and_follows_the_local_calendar_year(
    city: str, zone: str, first_utc: str
) -> None:
    weather = synthetic(city)
    index = weather.time
    assert str(index.tz) == "UTC" and index.name == "time"
    assert index[0] == pd.Timestamp(first_utc, tz="UTC")
    assert index[-1] + pd.Timedelta("1h") == pd.Timestamp("2026-01-01", tz=zone)
    steps_per_local_day = pd.Series(1, index=index.tz_convert(zone)).resample("1D").sum()
    assert (
        steps_per_local_day.loc["2025-03-30"] == 23 and steps_per_local_day.loc["2025-10-26"] == 25
    )
    assert len(synthetic(city, year=2024).data) == 8784


def test_temperature_offset_shifts_every_step() -> None:
    base = synthetic_year("lviv", 2025, seed=3)
    warmer = synthetic_year("lviv", 2025, seed=3, temperature_offset_c=1.5)
    np.testing.assert_allclose(warmer.data["temp_air"] - base.data["temp_air"], 1.5)


def test_wind_is_weibull_like_and_persistent() -> None:
    wind = synthetic("reykjavik").data["wind_speed"]
    assert (wind >= 0).all()
    assert wind.std() / wind.mean() == pytest.approx(0.52, abs=0.1)  # Rayleigh (k = 2)
    assert wind.autocorr(1) > 0.9


def test_custom_site_from_normals() -> None:
    normals = ClimateNormals(
        name="test site",
        latitude=47.0,
        longitude=8.0,
        elevation_m=450.0,
        timezone="Europe/Zurich",
        temp_c=(0, 1, 5, 9, 13, 17, 19, 18, 15, 10, 5, 1),
        temp_amp_c=(3,) * 12,
        ghi_kwh_m2=(30, 50, 90, 120, 150, 160, 170, 145, 105, 65, 35, 25),
        wind_m_s=2.5,
    )
    weather = synthetic_year(normals, 2026, "15min", seed=11)
    assert weather.source == "synthetic from climate normals (test site), seed 11"
    np.testing.assert_allclose(
        _monthly_ghi_kwh(weather, "Europe/Zurich"), normals.ghi_kwh_m2, rtol=0.05
    )


def test_bad_normals_are_rejected() -> None:
    with pytest.raises(ScenarioError, match="temp_c needs 12 monthly values"):
        ClimateNormals("x", 50, 10, 0, "Europe/Berlin", (1,) * 11, (3,) * 12, (50,) * 12, 3)
    with pytest.raises(ScenarioError, match="unknown city 'atlantis'"):
        synthetic_year("atlantis", 2025)
    dark = ClimateNormals(
        "dark", 60, 25, 0, "Europe/Helsinki", (0,) * 12, (3,) * 12, (200,) * 12, 3
    )
    with pytest.raises(WeatherError, match="GHI of month 1 .* exceeds the clearest sky"):
        synthetic_year(dark, 2025)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=-(2**40), max_value=2**40), city=st.sampled_from(CITIES))
def test_any_seed_and_city_keeps_the_invariants(seed: int, city: str) -> None:
    normals = get_city(city)
    weather = synthetic_year(city, 2023, seed=seed)
    data = weather.data
    clear = synthetic_clear_sky(city, 2023)["ghi"]
    assert data.notna().all().all() and (data[["ghi", "dni", "dhi", "wind_speed"]] >= 0).all().all()
    assert (data["ghi"] <= CAP_CLEAR_SKY * clear + 1e-9).all()
    assert (data.loc[clear == 0, "ghi"] == 0).all()
    months = local_month(weather, normals.timezone)
    np.testing.assert_allclose(data["temp_air"].groupby(months).mean(), normals.temp_c, atol=0.5)
    np.testing.assert_allclose(
        _monthly_ghi_kwh(weather, normals.timezone), normals.ghi_kwh_m2, rtol=0.05
    )
    assert data["temp_air"].between(-60, 60).all()
