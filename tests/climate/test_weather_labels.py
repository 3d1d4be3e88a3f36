"""Instantaneous and interval-labelled weather files: the sun of each interval is the right one.

NSRDB PSM values are satellite samples at the stamped instant. Read with the default labels
(``"instantaneous"``), they become interval means whose sun, taken at the interval's middle,
matches the irradiance: on clear-sky periods the measured GHI fits Ineichen's clear sky best
with no time shift, so solar noon and the irradiance peak agree. Read as period-beginning
means (the old behaviour), the sun is placed 7.5 min late.
"""

from __future__ import annotations

import warnings
from functools import cache

import numpy as np
import pandas as pd
import pytest
from climate_helpers import EPW_3DAYS, NSRDB_3DAYS, PVGIS_JSON_3DAYS
from measured_years import MEASURED, SHARED_WEATHER
from pvlib import clearsky, location

from sparcs.climate import Weather, read_epw, read_nsrdb_psm, read_pvgis_tmy
from sparcs.errors import WeatherError

SHIFTS_MIN = np.arange(-15.0, 15.01, 0.5)


def best_shift_min(weather: Weather) -> float:
    """Shift of the sun [min] at which clear-sky GHI best fits the weather's 15-minute GHI.

    Clear steps are detected once (Reno and Hansen 2016, pvlib) against Ineichen's clear sky at
    interval midpoints; then the sun is moved by each shift and the scatter of the ratio
    measured / clear-sky on those steps is measured. Zero means the labels are right.
    """
    site = location.Location(weather.latitude, weather.longitude, "UTC", weather.elevation_m)
    mid = weather.time + (weather.time[1] - weather.time[0]) / 2
    ghi = weather.data["ghi"].to_numpy()
    reference = site.get_clearsky(mid)["ghi"].to_numpy()
    with warnings.catch_warnings():  # pvlib warns when its rescaling needs > 20 iterations
        warnings.simplefilter("ignore", RuntimeWarning)
        clear = clearsky.detect_clearsky(
            pd.Series(ghi, index=mid), pd.Series(reference, index=mid), window_length=90
        ).to_numpy() & (reference > 100)
    scatter = []
    for shift in SHIFTS_MIN:
        sky = site.get_clearsky(mid[clear] + pd.Timedelta(minutes=shift))["ghi"].to_numpy()
        scatter.append(np.std(np.log(ghi[clear] / sky)))
    return float(SHIFTS_MIN[int(np.argmin(scatter))])


@cache
def quarter_hourly(city: str, labels: str = "instantaneous") -> Weather:
    if SHARED_WEATHER is None:
        pytest.skip("the shared NSRDB weather files (shared/data/weather) are not present")
    return read_nsrdb_psm(SHARED_WEATHER / MEASURED[city], labels=labels)


@pytest.mark.parametrize("city", list(MEASURED))
def test_nsrdb_irradiance_peaks_at_the_sun_of_its_interval(city: str) -> None:
    """Solar noon and the irradiance peak agree within 3 min (0 to 1 min in the five files)."""
    shift = best_shift_min(quarter_hourly(city))
    assert abs(shift) <= 3.0
    # read as period-beginning means, the fit wants the sun 4 to 7 min earlier: it was late
    assert best_shift_min(quarter_hourly(city, "period_beginning")) <= shift - 3.5


def test_labels_are_explicit(nsrdb_3days) -> None:
    samples, _ = nsrdb_3days
    means = read_nsrdb_psm(NSRDB_3DAYS)
    assert any("instantaneous samples" in note for note in means.repairs)
    expected = (samples["ghi"] + samples["ghi"].shift(-1)) / 2
    pd.testing.assert_series_equal(
        means.data["ghi"].iloc[:-1], expected.iloc[:-1], check_names=False, check_freq=False
    )
    as_is = read_nsrdb_psm(NSRDB_3DAYS, labels="period_beginning")
    np.testing.assert_allclose(as_is.data["ghi"], samples["ghi"])
    ending = read_nsrdb_psm(NSRDB_3DAYS, labels="period_ending")
    assert ending.time[0] == samples.index[0] - pd.Timedelta("15min")
    with pytest.raises(WeatherError, match="time label 'middle' is not one of instantaneous"):
        read_nsrdb_psm(NSRDB_3DAYS, labels="middle")  # type: ignore[arg-type]


def test_epw_labels_say_what_the_hour_stamp_stands_for() -> None:
    default = read_epw(EPW_3DAYS)  # irradiance hour-ending, temperature at the hour
    ending = read_epw(EPW_3DAYS, labels="period_ending")  # every column hour-ending
    assert ending.time.equals(default.time)
    np.testing.assert_allclose(ending.data["ghi"], default.data["ghi"])
    temp = ending.data["temp_air"].to_numpy()
    # by default the EPW temperature at the end of each hour is averaged with the previous one
    np.testing.assert_allclose(default.data["temp_air"].to_numpy()[1:], (temp[1:] + temp[:-1]) / 2)
    assert not any("averaged with the previous hour" in note for note in ending.repairs)

    beginning = read_epw(EPW_3DAYS, labels="period_beginning")
    assert beginning.time.equals(ending.time + pd.Timedelta(hours=1))
    moved, kept = beginning.data["ghi"].to_numpy(), ending.data["ghi"].to_numpy()
    # same values one hour later, except the few dusk hours now after sunset (set to zero)
    differ = moved != kept
    assert differ.sum() <= 3 and (moved[differ] == 0).all()
    assert differ.any() == any("night interval" in note for note in beginning.repairs)

    samples = read_epw(EPW_3DAYS, labels="instantaneous")
    assert samples.time.equals(beginning.time)
    for column in ("ghi", "temp_air"):  # the samples at both ends of each hour, averaged
        raw = beginning.data[column].to_numpy()
        np.testing.assert_allclose(samples.data[column].to_numpy()[:-1], (raw[:-1] + raw[1:]) / 2)
    assert any("instantaneous samples" in note for note in samples.repairs)
    with pytest.raises(WeatherError, match=r"epw_prague_2019_3days.epw: time label 'middle'"):
        read_epw(EPW_3DAYS, labels="middle")  # type: ignore[arg-type]  # a wrong label on purpose


def test_pvgis_labels_say_what_the_hour_stamp_stands_for() -> None:
    default = read_pvgis_tmy(PVGIS_JSON_3DAYS)  # irradiance on [HH, HH+1), temperature at HH
    beginning = read_pvgis_tmy(PVGIS_JSON_3DAYS, labels="period_beginning")
    assert beginning.time.equals(default.time)
    np.testing.assert_allclose(beginning.data["ghi"], default.data["ghi"])
    temp = beginning.data["temp_air"].to_numpy()
    # by default the PVGIS temperature at the start of each hour is averaged with the next one
    np.testing.assert_allclose(default.data["temp_air"].to_numpy()[:-1], (temp[:-1] + temp[1:]) / 2)
    assert not any("averaged with the next hour" in note for note in beginning.repairs)

    ending = read_pvgis_tmy(PVGIS_JSON_3DAYS, labels="period_ending")
    assert ending.time.equals(beginning.time - pd.Timedelta(hours=1))
    np.testing.assert_allclose(ending.data["ghi"], beginning.data["ghi"])
    assert any("period-ending labels moved back" in note for note in ending.repairs)

    samples = read_pvgis_tmy(PVGIS_JSON_3DAYS, labels="instantaneous")
    raw = beginning.data["ghi"].to_numpy()
    np.testing.assert_allclose(samples.data["ghi"].to_numpy()[:-1], (raw[:-1] + raw[1:]) / 2)
    with pytest.raises(WeatherError, match=r"time label 'hourly' is not one of instantaneous"):
        read_pvgis_tmy(PVGIS_JSON_3DAYS, labels="hourly")  # type: ignore[arg-type]  # on purpose
