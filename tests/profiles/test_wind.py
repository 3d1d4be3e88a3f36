"""Small wind turbines: log-law shear, generic power curve, invariants."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sparcs.errors import ScenarioError
from sparcs.profiles.wind import generic_power_curve, log_law_wind_speed, wind_kw

# Scenario defaults of sparcs.scenario.assets.Wind
HUB, CUT_IN, RATED, CUT_OUT, Z0 = 20.0, 3.0, 11.0, 25.0, 0.5


def test_log_law_hand_values():
    assert log_law_wind_speed(5.0, 10.0, Z0) == pytest.approx(5.0)
    expected = 5.0 * math.log(20.0 / 0.5) / math.log(10.0 / 0.5)
    assert log_law_wind_speed(5.0, 20.0, 0.5) == pytest.approx(expected)
    assert expected == pytest.approx(6.157, abs=1e-3)
    # rougher terrain, stronger shear
    assert log_law_wind_speed(5.0, 30.0, 1.0) > log_law_wind_speed(5.0, 30.0, 0.03)


def test_power_curve_hand_values():
    v = np.array([0.0, 2.99, 3.0, 7.0, 11.0, 20.0, 25.0, 25.01])
    share = generic_power_curve(v, CUT_IN, RATED, CUT_OUT)
    cubic_7 = (7.0**3 - 3.0**3) / (11.0**3 - 3.0**3)  # 316 / 1304
    np.testing.assert_allclose(share, [0, 0, 0, cubic_7, 1, 1, 1, 0], atol=1e-12)


def test_vectorised_equals_one_by_one(prague_weather):
    params = {
        "capacity_kw": [5.0, 10.0, 2.5],
        "hub_height_m": [12.0, 20.0, 30.0],
        "cut_in_m_s": [2.5, 3.0, 3.5],
        "rated_m_s": [10.0, 11.0, 12.0],
        "cut_out_m_s": [20.0, 25.0, 25.0],
        "roughness_m": [0.3, 0.5, 1.0],
    }
    together = wind_kw(prague_weather, **params)
    for i in range(3):
        single = wind_kw(prague_weather, **{k: v[i] for k, v in params.items()})
        np.testing.assert_allclose(together[:, i], single[:, 0], rtol=1e-12)


def test_capacity_factor_plausible(prague_weather):
    power = wind_kw(prague_weather, 10.0, HUB, CUT_IN, RATED, CUT_OUT, Z0)
    capacity_factor = power.mean() / 10.0
    assert 0.0 < capacity_factor < 0.35  # small urban turbine, hourly means


def test_taller_hub_yields_more(prague_weather):
    power = wind_kw(prague_weather, 10.0, [10.0, 20.0, 40.0], CUT_IN, RATED, CUT_OUT, Z0)
    energy = power.sum(axis=0)
    assert energy[0] < energy[1] < energy[2]


def test_bad_parameters_raise(prague_weather):
    with pytest.raises(ScenarioError, match="cut_in_m_s < rated_m_s"):
        wind_kw(prague_weather, 10.0, HUB, 12.0, RATED, CUT_OUT, Z0)
    with pytest.raises(ScenarioError, match="roughness"):
        wind_kw(prague_weather, 10.0, 0.4, CUT_IN, RATED, CUT_OUT, Z0)
    with pytest.raises(ScenarioError, match="different lengths"):
        wind_kw(prague_weather, [1.0, 2.0], [10.0, 20.0, 30.0], CUT_IN, RATED, CUT_OUT, Z0)


_STEPS = 48


@settings(max_examples=60, deadline=None)
@given(
    wind=arrays(float, _STEPS, elements=st.floats(0.0, 40.0)),
    capacity=st.floats(0.0, 500.0),
    hub=st.floats(5.0, 150.0),
    z0=st.floats(0.0001, 2.0),
    cut_in=st.floats(0.0, 5.0),
    span=st.floats(1.0, 15.0),
    headroom=st.floats(0.0, 15.0),
)
def test_property_bounded_and_monotone(
    make_weather, wind, capacity, hub, z0, cut_in, span, headroom
):
    """Finite, within [0, capacity]; more wind never means less power below cut-out."""
    rated = cut_in + span
    cut_out = rated + headroom
    index = pd.date_range("2019-01-01", periods=_STEPS, freq="1h", tz="UTC", name="time")
    order = np.sort(wind)
    weather = make_weather(index, wind_speed=order)
    power = wind_kw(weather, capacity, max(hub, 2.0 * z0), cut_in, rated, cut_out, z0)[:, 0]
    assert np.isfinite(power).all()
    assert (power >= 0.0).all()
    assert (power <= capacity + 1e-9).all()
    v_hub = log_law_wind_speed(order, max(hub, 2.0 * z0), z0)
    running = v_hub <= cut_out
    assert (np.diff(power[running]) >= -1e-9).all()
    assert (power[~running] == 0.0).all()
