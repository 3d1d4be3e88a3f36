"""Flat-plate collector profiles: EN ISO 9806 curve, POA reuse, invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sparcs.errors import ScenarioError
from sparcs.profiles.solar_thermal import collector_efficiency, solar_thermal_kw

# Scenario defaults of sparcs.scenario.assets.SolarThermal
ETA0, A1, A2, TM = 0.78, 3.5, 0.015, 50.0


def test_collector_curve_hand_value():
    # 0.78 * 800 - 3.5 * 30 - 0.015 * 30^2 = 624 - 105 - 13.5
    assert collector_efficiency(800.0, 30.0, ETA0, A1, A2) == pytest.approx(505.5)
    assert collector_efficiency(100.0, 60.0, ETA0, A1, A2) == 0.0  # losses exceed gains
    # fluid colder than the air: no ambient gain is credited, only the optical gain
    assert collector_efficiency(500.0, -10.0, ETA0, A1, A2) == pytest.approx(ETA0 * 500.0)
    assert collector_efficiency(0.0, -10.0, ETA0, A1, A2) == 0.0


def test_matches_independent_poa(prague_weather):
    """Output = area x curve(G_poa) with G_poa from pvlib's get_total_irradiance on Series."""
    weather = prague_weather
    step = pd.Timedelta(hours=weather.dt_h)
    position = pvlib.solarposition.get_solarposition(
        weather.time + step / 2, weather.latitude, weather.longitude, altitude=weather.elevation_m
    )
    data = weather.data
    irradiance = pvlib.irradiance.get_total_irradiance(
        40.0,
        180.0,
        position["apparent_zenith"].to_numpy(),
        position["azimuth"].to_numpy(),
        data["dni"].to_numpy(),
        data["ghi"].to_numpy(),
        data["dhi"].to_numpy(),
        dni_extra=pvlib.irradiance.get_extra_radiation(weather.time + step / 2).to_numpy(),
        airmass=pvlib.atmosphere.get_relative_airmass(position["apparent_zenith"].to_numpy()),
        albedo=0.2,
        model="perez",
    )
    g_poa = np.nan_to_num(np.asarray(irradiance["poa_global"]))
    expected = 6.0 * collector_efficiency(g_poa, TM - data["temp_air"].to_numpy(), ETA0, A1, A2)
    heat = solar_thermal_kw(weather, 6.0, 40.0, 180.0, ETA0, A1, A2, TM)
    np.testing.assert_allclose(heat[:, 0], expected / 1000.0, rtol=1e-9, atol=1e-9)


def test_annual_yield_plausible(prague_weather):
    """Central Europe, 50 degC fluid: a few hundred kWh per m2 and year."""
    heat = solar_thermal_kw(prague_weather, 1.0, 40.0, 180.0, ETA0, A1, A2, TM)
    annual = heat.sum() * prague_weather.dt_h
    assert 250.0 < annual < 650.0


def test_hotter_fluid_gives_less_heat(prague_weather):
    heat = solar_thermal_kw(prague_weather, 10.0, 40.0, 180.0, ETA0, A1, A2, [30.0, 50.0, 80.0])
    annual = heat.sum(axis=0)
    assert annual[0] > annual[1] > annual[2] > 0.0


def test_vectorised_equals_one_by_one(prague_weather):
    area = [4.0, 10.0, 25.0, 4.0]
    tilt = [30.0, 45.0, 30.0, 90.0]
    azimuth = [180.0, 135.0, 180.0, 200.0]
    together = solar_thermal_kw(prague_weather, area, tilt, azimuth, ETA0, A1, A2, TM)
    for i in range(4):
        single = solar_thermal_kw(prague_weather, area[i], tilt[i], azimuth[i], ETA0, A1, A2, TM)
        np.testing.assert_allclose(together[:, i], single[:, 0], rtol=1e-12)


def test_fifteen_minute_steps(clear_june_hourly, clear_june_15min):
    hourly = solar_thermal_kw(clear_june_hourly, 5.0, 40.0, 180.0, ETA0, A1, A2, TM)
    quarter = solar_thermal_kw(clear_june_15min, 5.0, 40.0, 180.0, ETA0, A1, A2, TM)
    assert quarter.shape == (288, 1)
    assert quarter.sum() * 0.25 == pytest.approx(hourly.sum(), rel=0.02)


def test_bad_parameters_raise(clear_june_hourly):
    with pytest.raises(ScenarioError, match="area_m2"):
        solar_thermal_kw(clear_june_hourly, -1.0, 40.0, 180.0, ETA0, A1, A2, TM)
    with pytest.raises(ScenarioError, match="eta0"):
        solar_thermal_kw(clear_june_hourly, 1.0, 40.0, 180.0, 1.5, A1, A2, TM)


_STEPS = 48


@settings(max_examples=40, deadline=None)
@given(
    ghi=arrays(float, _STEPS, elements=st.floats(0.0, 1100.0)),
    dni=arrays(float, _STEPS, elements=st.floats(0.0, 1000.0)),
    dhi=arrays(float, _STEPS, elements=st.floats(0.0, 500.0)),
    temp_air=arrays(float, _STEPS, elements=st.floats(-30.0, 45.0)),
    area=st.floats(0.0, 200.0),
    tilt=st.floats(0.0, 90.0),
    azimuth=st.floats(0.0, 360.0),
    eta0=st.floats(0.3, 0.9),
    a1=st.floats(0.0, 10.0),
    a2=st.floats(0.0, 0.1),
    tm=st.floats(20.0, 95.0),
)
def test_property_bounded(
    make_weather, ghi, dni, dhi, temp_air, area, tilt, azimuth, eta0, a1, a2, tm
):
    """Finite, >= 0, <= optical gain eta0 * G_poa * area; zero without light."""
    index = pd.date_range("2019-06-01", periods=_STEPS, freq="1h", tz="UTC", name="time")
    weather = make_weather(index, ghi=ghi, dni=dni, dhi=dhi, temp_air=temp_air)
    heat = solar_thermal_kw(weather, area, tilt, azimuth, eta0, a1, a2, tm)[:, 0]
    optical = solar_thermal_kw(weather, area, tilt, azimuth, eta0, 0.0, 0.0, tm)[:, 0]
    assert np.isfinite(heat).all()
    assert (heat >= 0.0).all()
    assert (heat <= optical + 1e-9).all()
    dark = (ghi == 0) & (dni == 0) & (dhi == 0)
    assert (heat[dark] == 0.0).all()
