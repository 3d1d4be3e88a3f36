"""Each reader on small files in its real format; all formats agree on the same hours."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from climate_helpers import CSV_3DAYS, EPW_3DAYS, NSRDB_3DAYS, PVGIS_JSON_3DAYS, write_lines
from weather_formats import hourly, read_nsrdb, write_epw

from sparcs.climate import (
    WEATHER_COLUMNS,
    read_epw,
    read_nsrdb_psm,
    read_pvgis_tmy,
    read_weather_csv,
    read_weather_file,
    resample_weather,
)
from sparcs.climate.solar import interval_midpoints, solar_position
from sparcs.errors import WeatherError

HOURS = pd.date_range("2019-03-30 00:00", "2019-04-01 22:00", freq="1h", tz="UTC", name="time")


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    """Hourly means of the NSRDB samples: what every hourly reader should give back."""
    samples, _ = read_nsrdb(NSRDB_3DAYS)
    means, _ = hourly(samples)
    return means


def test_nsrdb_reader_keeps_the_15_minute_samples() -> None:
    weather = read_nsrdb_psm(NSRDB_3DAYS)
    assert len(weather.data) == 288 and weather.dt_h == 0.25
    assert weather.time[0] == pd.Timestamp("2019-03-30 00:00", tz="UTC")
    assert (weather.latitude, weather.longitude, weather.elevation_m) == (50.09, 14.42, 202.0)
    assert weather.timezone == "Etc/GMT-1"  # the file's Local Time Zone, +1
    assert len(weather.repairs) == 1 and "instantaneous samples" in weather.repairs[0]
    assert not weather.synthetic
    assert "Sengupta" in weather.source and "804583" in weather.source
    samples, _ = read_nsrdb(NSRDB_3DAYS)
    # instantaneous samples: the interval [09:15, 09:30) is the mean of the samples at its ends
    assert samples.loc["2019-03-30 09:15", "ghi"] == 524.0  # line 2019,3,30,9,15 of the file
    expected = (524.0 + samples.loc["2019-03-30 09:30", "ghi"]) / 2
    assert weather.data.loc["2019-03-30 09:15", "ghi"] == expected
    assert read_nsrdb_psm(NSRDB_3DAYS, timezone="Europe/Prague").timezone == "Europe/Prague"


def test_epw_reader_uses_local_standard_time_and_hour_ending_rows(truth: pd.DataFrame) -> None:
    weather = read_epw(EPW_3DAYS)
    assert len(weather.data) == 72 and weather.dt_h == 1.0
    # first row is hour 1 of 30 March in UTC+1: the hour 00:00-01:00 local = 23:00-24:00 UTC
    assert weather.time[0] == pd.Timestamp("2019-03-29 23:00", tz="UTC")
    common = weather.time.intersection(truth.index)
    np.testing.assert_allclose(weather.data.loc[common, "ghi"], truth.loc[common, "ghi"], atol=0.5)
    np.testing.assert_allclose(
        weather.data.loc[common, "temp_air"], truth.loc[common, "temp_air"], atol=0.6
    )
    assert any("EPW values at the end of each hour" in note for note in weather.repairs)
    assert "EPW file epw_prague_2019_3days.epw" in weather.source


def test_pvgis_json_reader(truth: pd.DataFrame) -> None:
    weather = read_pvgis_tmy(PVGIS_JSON_3DAYS)
    assert weather.time.equals(pd.date_range("2019-03-30", periods=72, freq="1h", tz="UTC"))
    np.testing.assert_allclose(weather.data["ghi"], truth["ghi"], atol=0.1)
    np.testing.assert_allclose(weather.data["temp_air"], truth["temp_air"], atol=0.6)
    assert "NSRDB-PSM3/NSRDB-PSM3 2019-2019" in weather.source
    assert any("PVGIS values at the start of each hour" in note for note in weather.repairs)


def test_epw_typical_year_months_are_relabelled(tmp_path) -> None:
    lines = EPW_3DAYS.read_text().splitlines()
    april = [line.replace("2019,4,1,", "2012,4,1,", 1) for line in lines]
    weather = read_epw(write_lines(tmp_path, april, "tmy.epw"))
    assert weather.time[0] == pd.Timestamp("1990-03-29 23:00", tz="UTC")
    assert weather.time[-1] == pd.Timestamp("1990-04-01 22:00", tz="UTC")
    assert weather.repairs[0] == (
        "typical year (Mar 2019, Apr 2012) relabelled onto 1990, keeping month, day and time"
    )


def test_pvgis_csv_typical_year_is_relabelled(pvgis_csv_year) -> None:
    weather = read_pvgis_tmy(pvgis_csv_year)
    assert weather.time.equals(pd.date_range("1990-01-01", periods=8760, freq="1h", tz="UTC"))
    assert weather.repairs[0].startswith("typical year (Jan 2018, Feb 2007, Mar 2009")
    assert weather.data["ghi"].sum() / 1000 == pytest.approx(1001, abs=1)  # Prague 2019


def test_pvgis_epw_rows_are_utc(tmp_path, truth: pd.DataFrame) -> None:
    samples, meta = read_nsrdb(NSRDB_3DAYS)
    path = tmp_path / "tmy_50.090_14.420_2005_2023.epw"
    write_epw(samples, meta, path, pd.date_range("2019-03-30", "2019-03-31"), utc_rows=True)
    weather = read_pvgis_tmy(path)
    assert weather.time[0] == pd.Timestamp("2019-03-30 00:00", tz="UTC")
    common = weather.time.intersection(truth.index)
    np.testing.assert_allclose(weather.data.loc[common, "ghi"], truth.loc[common, "ghi"], atol=0.5)


def test_generic_csv_with_local_offsets_across_the_dst_switch(truth: pd.DataFrame) -> None:
    weather = read_weather_csv(CSV_3DAYS)
    assert weather.time.equals(pd.date_range("2019-03-30", periods=72, freq="1h", tz="UTC"))
    assert weather.timezone == "Europe/Prague" and weather.repairs == ()
    np.testing.assert_allclose(weather.data["ghi"], truth["ghi"], atol=0.5)
    np.testing.assert_allclose(weather.data["temp_air"], truth["temp_air"], atol=0.051)


def test_all_formats_agree_on_the_same_hours() -> None:
    # the fixtures of the other formats hold hourly means of the NSRDB samples taken as
    # instantaneous (tests/data/make_weather_files.py), as the NSRDB reader reads them
    nsrdb = read_nsrdb_psm(NSRDB_3DAYS)
    readers = [
        read_epw(EPW_3DAYS),
        read_pvgis_tmy(PVGIS_JSON_3DAYS),
        read_weather_csv(CSV_3DAYS),
        resample_weather(nsrdb, "1h"),
    ]
    ghi = pd.concat([w.data["ghi"].reindex(HOURS) for w in readers], axis=1)
    assert ghi.notna().all().all()
    assert (ghi.max(axis=1) - ghi.min(axis=1)).max() <= 1.0  # W/m2, rounding only
    assert ghi.sum().min() > 10_000  # three days of real sun, not zeros


def test_generic_csv_derives_missing_components_and_wind(tmp_path, csv_lines) -> None:
    keep = [0, 1, 4]  # time, ghi, temp_air: no dni, dhi or wind_speed
    table = [
        line if line.startswith("#") else ",".join(line.split(",")[i] for i in keep)
        for line in csv_lines
    ]
    assert table[6] == "time,ghi,temp_air"
    weather = read_weather_csv(write_lines(tmp_path, table))
    data = weather.data
    zenith = solar_position(interval_midpoints(weather.time), 50.09, 14.42)["zenith"].to_numpy()
    np.testing.assert_allclose(
        data["dhi"] + data["dni"] * np.cos(np.radians(zenith)), data["ghi"], atol=1e-6
    )
    assert (data["wind_speed"] == 1.0).all()
    assert "wind_speed missing: set to 1.0 m/s" in weather.repairs
    assert "dni and dhi derived from ghi with the Erbs (1982) model" in weather.repairs
    assert list(data.columns) == list(WEATHER_COLUMNS)


def test_generic_csv_needs_the_site(tmp_path, csv_lines) -> None:
    anonymous = [line for line in csv_lines if not line.startswith("# l")]
    with pytest.raises(WeatherError, match=r"station\.csv: the site is unknown; add a '# latitude"):
        read_weather_csv(write_lines(tmp_path, anonymous))
    weather = read_weather_csv(tmp_path / "station.csv", latitude=50.09, longitude=14.42)
    assert weather.latitude == 50.09


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (EPW_3DAYS, "EPW file"),
        (PVGIS_JSON_3DAYS, "PVGIS TMY"),
        (NSRDB_3DAYS, "Sengupta"),
        (CSV_3DAYS, "weather CSV file weather_prague_2019_3days.csv"),
    ],
)
def test_read_weather_file_picks_the_reader(path, words: str) -> None:
    assert words in read_weather_file(path).source


def test_unreadable_and_missing_files(tmp_path) -> None:
    with pytest.raises(WeatherError, match=r"nowhere\.epw: weather file not found"):
        read_epw(tmp_path / "nowhere.epw")
    junk = write_lines(tmp_path, ["this is not", "an EPW file"], "junk.epw")
    with pytest.raises(WeatherError, match=r"junk\.epw: not a readable EPW file"):
        read_epw(junk)
    with pytest.raises(WeatherError, match="PVGIS format 'txt' is not one of csv, json, epw"):
        read_pvgis_tmy(write_lines(tmp_path, ["x"], "tmy.txt"))
    with pytest.raises(WeatherError, match="cannot tell the weather format from '.dat'"):
        read_weather_file(write_lines(tmp_path, ["x"], "weather.dat"))
