"""Moving measured and typical years onto a scenario year and step conserves the weather."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from climate_helpers import NSRDB_3DAYS, PVGIS_JSON_3DAYS, synthetic

from sparcs.climate import (
    align_to_year,
    read_embedded,
    read_nsrdb_psm,
    read_pvgis_tmy,
    resample_weather,
)
from sparcs.climate.solar import interval_midpoints, solar_position
from sparcs.errors import WeatherError
from sparcs.timeseries import year_index


@pytest.fixture(scope="module")
def prague():
    return read_embedded("kladno")


def test_hourly_to_quarter_hours_conserves_energy_and_keeps_the_night_dark() -> None:
    hourly = read_pvgis_tmy(PVGIS_JSON_3DAYS)
    quarter = resample_weather(hourly, "15min")
    assert quarter.dt_h == 0.25 and len(quarter.data) == 4 * len(hourly.data)
    back = quarter.data.groupby(quarter.time.floor("1h")).mean()
    np.testing.assert_allclose(back["ghi"], hourly.data["ghi"], atol=1e-9)
    elevation = solar_position(interval_midpoints(quarter.time), 50.09, 14.42)["apparent_elevation"]
    assert (quarter.data.loc[elevation.to_numpy() < -1, "ghi"] == 0).all()
    temp = quarter.data["temp_air"]
    assert temp.between(hourly.data["temp_air"].min(), hourly.data["temp_air"].max()).all()
    assert temp.diff().abs().max() < hourly.data["temp_air"].diff().abs().max()  # smoother
    cos_zenith = np.cos(
        np.radians(solar_position(interval_midpoints(quarter.time), 50.09, 14.42)["zenith"])
    )
    data = quarter.data
    np.testing.assert_allclose(
        data["dhi"] + data["dni"] * cos_zenith.to_numpy(), data["ghi"], atol=1e-6
    )
    assert "irradiance spread over each 1 h in proportion to clear-sky GHI" in quarter.repairs[-1]


def test_quarter_hours_to_hours_are_means(nsrdb_3days) -> None:
    samples, _ = nsrdb_3days
    hourly = resample_weather(read_nsrdb_psm(NSRDB_3DAYS, labels="period_beginning"), "1h")
    expected = samples[["ghi", "temp_air"]].resample("1h").mean()
    np.testing.assert_allclose(hourly.data[["ghi", "temp_air"]], expected, atol=1e-9)
    assert hourly.repairs[-1] == "resampled to 1 h by averaging 4 steps (complete intervals only)"


def test_measured_year_onto_a_leap_year(prague) -> None:
    moved = align_to_year(prague, 2024, "1h", timezone="Europe/Prague")
    assert moved.time.equals(year_index(2024, "1h", "Europe/Prague"))
    assert moved.timezone == "Europe/Prague"
    np.testing.assert_array_equal(
        moved.data.loc["2024-02-29"].to_numpy(), moved.data.loc["2024-02-28"].to_numpy()
    )
    np.testing.assert_array_equal(
        moved.data.loc["2024-06-01 12:00"].to_numpy(),
        prague.data.loc["2019-06-01 12:00"].to_numpy(),
    )
    assert moved.repairs == (
        "relabelled from 2019 onto 2024 (same UTC month, day, time)",
        "29 February filled with the data of 28 February",
    )


@pytest.mark.parametrize("step", ["1h", "15min"])
def test_typical_year_onto_a_scenario_year_conserves_the_annual_sums(
    pvgis_csv_year, step: str
) -> None:
    tmy = read_pvgis_tmy(pvgis_csv_year, timezone="Europe/Prague")
    moved = align_to_year(tmy, 2025, step)
    assert moved.time.equals(year_index(2025, step, "Europe/Prague"))
    assert moved.time[0] == pd.Timestamp("2024-12-31 23:00", tz="UTC")  # local midnight
    annual = moved.data["ghi"].sum() * moved.dt_h
    assert annual == pytest.approx(tmy.data["ghi"].sum(), rel=1e-9)
    assert moved.data["temp_air"].mean() == pytest.approx(tmy.data["temp_air"].mean(), abs=0.01)


def test_same_index_is_returned_unchanged() -> None:
    weather = synthetic("leipzig")
    assert align_to_year(weather, 2025, "1h").data is weather.data


def test_partial_or_overlong_data_are_errors() -> None:
    with pytest.raises(
        WeatherError,
        match="miss .* step\\(s\\) of calendar year 2025 in Etc/GMT-1, "
        "first 2024-12-31 23:00:00\\+00:00; a full year of data is needed",
    ):
        align_to_year(read_nsrdb_psm(NSRDB_3DAYS), 2025, "1h")
    first, second = synthetic("leipzig", year=2024), synthetic("leipzig", year=2025)
    two_years = replace(first, data=pd.concat([first.data, second.data]))
    with pytest.raises(WeatherError, match="cover more than one year"):
        align_to_year(two_years, 2026, "1h")
