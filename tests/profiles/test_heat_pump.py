"""Heat-pump COP: hand values, physical range, monotone in lift, Carnot limit, seasons."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.errors import ScenarioError
from sparcs.profiles.build import _columns
from sparcs.profiles.heat_pump import (
    COP_MAX,
    COP_MIN,
    cop_cooling,
    cop_heating,
    distinct_heat_pump_cop,
    ground_source_temp_c,
    heat_pump_cop,
    source_temp_c,
)

MODELS = ("carnot", "ruhnau2019")


def test_hand_values():
    # Carnot share: 0.45 * 318.15 K / 45 K
    assert cop_heating(0.0, 45.0, 0.45) == pytest.approx(0.45 * 318.15 / 45.0)
    # Ruhnau et al. 2019: 6.08 - 0.09 * 45 + 0.0005 * 45^2 and 10.29 - 0.21 * 35 + 0.0012 * 35^2
    assert cop_heating(0.0, 45.0, 0.45, model="ruhnau2019", source="air") == pytest.approx(3.0425)
    assert cop_heating(10.0, 45.0, 0.45, model="ruhnau2019", source="ground") == pytest.approx(4.41)
    # cooling: 0.45 * 280.15 K / (35 - 7) K
    assert cop_cooling(35.0, 7.0, 0.45) == pytest.approx(0.45 * 280.15 / 28.0)
    assert cop_cooling(30.0, 18.0, 0.7) == COP_MAX  # 17.0 before the clip


temperature = st.floats(-40.0, 40.0)
sink = st.floats(25.0, 80.0)
eta = st.floats(0.2, 0.7)


@settings(max_examples=200, deadline=None)
@given(t1=temperature, t2=temperature, t_sink=sink, eta=eta, model=st.sampled_from(MODELS))
@pytest.mark.parametrize("source", ["air", "ground"])
def test_property_range_monotone_below_carnot(source, t1, t2, t_sink, eta, model):
    low, high = sorted((t1, t2))
    cop_low = cop_heating(low, t_sink, eta, model=model, source=source)
    cop_high = cop_heating(high, t_sink, eta, model=model, source=source)
    for cop, t_source in ((cop_low, low), (cop_high, high)):
        assert COP_MIN <= cop <= COP_MAX
        lift = t_sink - t_source
        if lift > 0:
            assert cop <= (t_sink + 273.15) / lift + 1e-12  # Carnot limit
    assert cop_high >= cop_low - 1e-12  # a warmer source (smaller lift) never lowers the COP


@settings(max_examples=100, deadline=None)
@given(t_ambient=st.floats(-10.0, 45.0), t_cold=st.floats(5.0, 20.0), eta=eta)
def test_property_cooling_range_and_limit(t_ambient, t_cold, eta):
    eer = cop_cooling(t_ambient, t_cold, eta)
    assert COP_MIN <= eer <= COP_MAX
    if t_ambient > t_cold:
        assert eer <= (t_cold + 273.15) / (t_ambient - t_cold) + 1e-12
    assert cop_cooling(t_ambient + 5.0, t_cold, eta) <= eer + 1e-12


def test_vectorised_over_arrays():
    t_source = np.linspace(-20.0, 20.0, 9)[:, None]
    cop = cop_heating(t_source, np.array([35.0, 55.0]), np.array([0.4, 0.5]))
    assert cop.shape == (9, 2)
    assert (np.diff(cop, axis=0) >= 0).all()
    assert (cop[:, 0] > cop[:, 1]).all()  # lower supply temperature, better COP


@pytest.mark.parametrize("model", MODELS)
def test_air_cop_lower_in_winter(prague_weather, model):
    cop = pd.Series(
        heat_pump_cop(prague_weather, "air", 45.0, 0.45, model=model)[:, 0],
        index=prague_weather.time,
    )
    monthly = cop.groupby(cop.index.month).mean()
    assert monthly[1] < monthly[4] < monthly[7]
    assert 1.5 < monthly[1] < 4.0


def test_ground_source_damped_and_lagged(prague_weather):
    air = source_temp_c(prague_weather, "air")
    ground = source_temp_c(prague_weather, "ground")
    assert ground.mean() == pytest.approx(air.mean(), abs=0.1)
    assert ground.max() - ground.min() == pytest.approx(6.0, abs=0.01)  # amplitude 3 K
    coldest = prague_weather.time[np.argmin(ground)]
    assert coldest.month in (2, 3)  # mid-January air minimum plus 45 days
    cop = heat_pump_cop(prague_weather, ["air", "ground"], 45.0, 0.45)
    assert cop[:, 1].std() < cop[:, 0].std()
    winter = prague_weather.time.month.isin([12, 1, 2])
    assert cop[winter, 1].mean() > cop[winter, 0].mean()


def test_ground_source_southern_hemisphere_is_half_a_year_off():
    index = pd.date_range("2019-01-01", periods=365, freq="D", tz="UTC")
    north = ground_source_temp_c(index, 10.0, latitude=50.0)
    south = ground_source_temp_c(index, 10.0, latitude=-35.0)
    assert index[np.argmin(north)].month in (2, 3)
    assert index[np.argmin(south)].month in (8, 9)


def test_mixed_columns_equal_single_source(prague_weather):
    mixed = heat_pump_cop(prague_weather, ["ground", "air"], [35.0, 55.0], [0.5, 0.4])
    ground = heat_pump_cop(prague_weather, "ground", 35.0, 0.5)
    air = heat_pump_cop(prague_weather, "air", 55.0, 0.4)
    np.testing.assert_allclose(mixed, np.column_stack([ground[:, 0], air[:, 0]]))


@pytest.mark.parametrize("model", MODELS)
def test_repeated_heat_pumps_share_a_series_bit_for_bit(prague_weather, model):
    kinds = ["air", "ground", "air", "air", "ground", "air"]
    sinks = [45.0, 35.0, 45.0, 55.0, 35.0, -0.0]
    etas = [0.45, 0.5, 0.45, 0.45, 0.4, 0.45]
    cop = heat_pump_cop(prague_weather, kinds, sinks, etas, model=model)
    assert cop.shape == (len(prague_weather.time), 6) and cop.flags.f_contiguous
    for j, (kind, sink, eta) in enumerate(zip(kinds, sinks, etas, strict=True)):
        t_source = source_temp_c(prague_weather, kind)
        one = cop_heating(t_source, sink, eta, model=model, source=kind)
        np.testing.assert_array_equal(cop[:, j], one)
    assert heat_pump_cop(prague_weather, [], [], []).shape == (len(prague_weather.time), 0)


def test_bad_efficiency_is_reported_per_heat_pump(prague_weather):
    with pytest.raises(ScenarioError, match=r"\[0\.5, 0\.5, 1\.5\]"):
        heat_pump_cop(prague_weather, "air", 45.0, [0.5, 0.5, 1.5])


def test_bad_input_raises(prague_weather):
    with pytest.raises(ScenarioError, match="model"):
        # a model name the Literal does not allow, on purpose: the run-time check is under test
        cop_heating(0.0, 45.0, 0.45, model="magic")  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match="water"):
        heat_pump_cop(prague_weather, "water", 45.0, 0.45)
    with pytest.raises(ScenarioError, match="carnot_efficiency"):
        cop_heating(0.0, 45.0, 1.5)


def test_distinct_series_placed_in_the_owners_columns_equal_the_per_pump_cop(prague_weather):
    kinds = ["air", "ground", "air", "air", "ground", "air"]
    sinks = [45.0, 35.0, 45.0, 55.0, 35.0, 45.0]
    etas = [0.45, 0.5, 0.45, 0.45, 0.4, 0.45]
    series, which = distinct_heat_pump_cop(prague_weather, kinds, sinks, etas)
    assert series.shape == (len(prague_weather.time), 4)  # air 45 degC shared by three pumps
    per_pump = heat_pump_cop(prague_weather, kinds, sinks, etas)
    np.testing.assert_array_equal(series[:, which], per_pump)
    owners = [7, 0, 3, 8, 5, 1]  # in any order; buildings 2, 4, 6 and 9 have no heat pump
    placed = _columns(len(prague_weather.time), 10, owners, series, which)
    assert placed.flags.f_contiguous
    np.testing.assert_array_equal(placed, _columns(len(prague_weather.time), 10, owners, per_pump))
    np.testing.assert_array_equal(placed[:, owners], per_pump)
    assert not placed[:, [2, 4, 6, 9]].any()


def test_reversible_eer_is_cop_cooling_at_chilled_water():
    """One EER formula: the operation's reversible EER is the profiles' cooling COP."""
    from sparcs.profiles.heat_pump import CHILLED_WATER_C, EER_BOUNDS, reversible_eer

    temp = np.array([-5.0, 10.0, 24.0, 35.0])
    eta = np.array([0.3, 0.45])
    eer = reversible_eer(temp, eta)
    assert eer.shape == (4, 2)
    expected = np.clip(
        eta[None, :]
        * (CHILLED_WATER_C + 273.15)
        / np.maximum(temp - CHILLED_WATER_C, 1e-3)[:, None],
        *EER_BOUNDS,
    )
    np.testing.assert_allclose(eer, expected)
    assert eer[-1, 1] == pytest.approx(0.45 * 280.15 / 28.0)
