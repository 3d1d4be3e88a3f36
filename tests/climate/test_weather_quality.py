"""Bad weather files: a clear error naming file, column and timestamp, or a recorded repair."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from climate_helpers import EPW_3DAYS, NSRDB_3DAYS, write_lines

from sparcs.climate import check_weather, read_epw, read_nsrdb_psm, read_weather_csv
from sparcs.errors import TimeIndexError, WeatherError

HEADER = 6  # comment lines before the column names in the CSV fixture
COLUMNS = ["time", "ghi", "dni", "dhi", "temp_air", "wind_speed"]
T09 = re.escape("2019-03-30T09:00:00+00:00 (row 10)")  # data row 10 is 10:00+01:00


def _line(row: int) -> int:
    return HEADER + row


def _edit(lines: list[str], row: int, column: str, value: str) -> list[str]:
    out = list(lines)
    fields = out[_line(row)].split(",")
    fields[COLUMNS.index(column)] = value
    out[_line(row)] = ",".join(fields)
    return out


def _without(lines: list[str], rows: range) -> list[str]:
    return [line for i, line in enumerate(lines) if i - HEADER not in rows]


def test_naive_timestamps_are_rejected(tmp_path, csv_lines) -> None:
    naive = [re.sub(r"\+0[12]00,", ",", line) for line in csv_lines]
    with pytest.raises(
        TimeIndexError,
        match=r"station\.csv: column 'time' has '2019-03-30T01:00' "
        r"in row 1 without a UTC offset.*2024-01-01T00:00\+01:00",
    ):
        read_weather_csv(write_lines(tmp_path, naive))
    frame = pd.DataFrame(
        {"ghi": [0.0, 0.0], "temp_air": [1.0, 2.0]},
        index=pd.date_range("2019-01-01", periods=2, freq="1h"),
    )
    with pytest.raises(TimeIndexError, match="meter.csv: timestamps have no UTC offset"):
        check_weather(frame, source="meter.csv")


def test_short_gap_is_filled_and_recorded(tmp_path, csv_lines) -> None:
    path = write_lines(tmp_path, _without(csv_lines, range(10, 12)))
    weather = read_weather_csv(path)
    assert len(weather.data) == 72
    assert weather.repairs[0] == (
        "inserted 2 missing timestamp(s) in 1 gap(s) of at most 2 h "
        "(first after 2019-03-30T08:00:00+00:00 (row 9))"
    )
    ghi = weather.data["ghi"]
    assert ghi["2019-03-30 08:00"] < ghi["2019-03-30 09:00"] < ghi["2019-03-30 11:00"]
    with pytest.raises(
        TimeIndexError,
        match=re.escape("station.csv: 2 h of data missing after 2019-03-30T08:00:00+00:00 (row 9)"),
    ):
        read_weather_csv(path, repair=False)


def test_long_gap_is_an_error(tmp_path, csv_lines) -> None:
    path = write_lines(tmp_path, _without(csv_lines, range(10, 15)))
    with pytest.raises(
        TimeIndexError,
        match=re.escape(
            "station.csv: 5 h of data missing after 2019-03-30T08:00:00+00:00 (row 9) "
            "(next timestamp 2019-03-30T14:00:00+00:00)"
        ),
    ):
        read_weather_csv(path)


def test_exact_duplicates_are_dropped(tmp_path, csv_lines) -> None:
    lines = list(csv_lines)
    lines.insert(_line(10) + 1, lines[_line(10)])
    path = write_lines(tmp_path, lines)
    weather = read_weather_csv(path)
    assert len(weather.data) == 72
    assert (
        "dropped 1 exact duplicate row(s) (first: 2019-03-30T09:00:00+00:00 (row 11))"
        in weather.repairs
    )
    with pytest.raises(
        TimeIndexError, match="2019-03-30T09:00:00\\+00:00 \\(row 11\\) appears twice"
    ):
        read_weather_csv(path, repair=False)


def test_conflicting_duplicates_are_an_error(tmp_path, csv_lines) -> None:
    lines = list(csv_lines)
    lines.insert(_line(10) + 1, _edit(csv_lines, 10, "ghi", "480")[_line(10)])
    with pytest.raises(TimeIndexError, match="row 11\\) appears with different values"):
        read_weather_csv(write_lines(tmp_path, lines))


def test_unsorted_rows_are_sorted_and_recorded(tmp_path, csv_lines) -> None:
    lines = list(csv_lines)
    lines[_line(10)], lines[_line(11)] = lines[_line(11)], lines[_line(10)]
    path = write_lines(tmp_path, lines)
    weather = read_weather_csv(path)
    assert weather.repairs == (
        "sorted the rows by time (first out of order: 2019-03-30T09:00:00+00:00 (row 11))",
    )
    assert weather.data.loc["2019-03-30 09:00", "ghi"] == 504.0
    with pytest.raises(
        TimeIndexError,
        match=re.escape(
            "station.csv: timestamps are not sorted: 2019-03-30T09:00:00+00:00 (row 11) comes "
            "after 2019-03-30T10:00:00+00:00"
        ),
    ):
        read_weather_csv(path, repair=False)


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        (
            "ghi",
            "1500",
            "column 'ghi' has implausible value 1500 W/m2 at "
            + T09
            + "; the plausible range is 0 to 1400 W/m2",
        ),
        ("dni", "-40", "column 'dni' has implausible value -40 W/m2 at " + T09),
        ("temp_air", "70.5", "column 'temp_air' has implausible value 70.5 degC at " + T09),
        ("wind_speed", "-2", "column 'wind_speed' has implausible value -2 m/s at " + T09),
        ("wind_speed", "80", "column 'wind_speed' has implausible value 80 m/s"),
    ],
)
def test_implausible_values_name_file_column_and_time(
    tmp_path, csv_lines, column, value, words
) -> None:
    with pytest.raises(WeatherError, match=r"station\.csv: " + words):
        read_weather_csv(write_lines(tmp_path, _edit(csv_lines, 10, column, value)))


def test_small_negative_irradiance_is_clipped(tmp_path, csv_lines) -> None:
    path = write_lines(tmp_path, _edit(csv_lines, 2, "ghi", "-3"))
    weather = read_weather_csv(path)
    assert weather.data["ghi"].min() == 0.0
    assert weather.repairs == (
        "ghi: clipped 1 small negative value(s) (>= -10 W/m2) to 0 "
        "(first at 2019-03-30T01:00:00+00:00 (row 2))",
    )
    with pytest.raises(WeatherError, match="implausible value -3 W/m2"):
        read_weather_csv(path, repair=False)


def test_sun_at_night_is_an_error_naming_the_likely_cause(tmp_path, csv_lines) -> None:
    with pytest.raises(
        WeatherError,
        match=re.escape(
            "station.csv: column 'ghi' is 300 W/m2 at 2019-03-30T00:00:00+00:00 (row 1) while the "
            "sun is"
        )
        + ".*local time written as UTC",
    ):
        read_weather_csv(write_lines(tmp_path, _edit(csv_lines, 1, "ghi", "300")))


def test_local_time_written_as_utc_is_caught(tmp_path, csv_lines) -> None:
    as_utc = [re.sub(r"\+0[12]00,", "Z,", line) for line in csv_lines]
    with pytest.raises(WeatherError, match="while the sun is .* below the horizon"):
        read_weather_csv(write_lines(tmp_path, as_utc))


def test_faint_light_at_night_is_zeroed_and_recorded(tmp_path, csv_lines) -> None:
    weather = read_weather_csv(write_lines(tmp_path, _edit(csv_lines, 1, "ghi", "20")))
    assert weather.data["ghi"].iloc[0] == 0.0
    assert weather.repairs == (
        "set irradiance to 0 in 1 night interval(s) with GHI <= 50 W/m2 "
        "(first at 2019-03-30T00:00:00+00:00 (row 1))",
    )


def test_non_numeric_value(tmp_path, csv_lines) -> None:
    with pytest.raises(
        WeatherError, match="column 'temp_air' has 'warm' at " + T09 + ", which is not"
    ):
        read_weather_csv(write_lines(tmp_path, _edit(csv_lines, 10, "temp_air", "warm")))


def test_missing_values(tmp_path, csv_lines) -> None:
    short = _edit(_edit(csv_lines, 10, "temp_air", ""), 11, "temp_air", "")
    weather = read_weather_csv(write_lines(tmp_path, short))
    temp = weather.data["temp_air"]
    assert temp.notna().all()
    assert temp.iloc[9] == pytest.approx(temp.iloc[8] + (temp.iloc[11] - temp.iloc[8]) / 3)
    assert weather.repairs[0].startswith(
        "temp_air: filled 2 missing value(s) by linear interpolation"
    )
    long = list(csv_lines)
    for row in range(10, 16):
        long = _edit(long, row, "temp_air", "")
    with pytest.raises(
        WeatherError, match="column 'temp_air' has 6 h of missing values from " + T09
    ):
        read_weather_csv(write_lines(tmp_path, long, "long.csv"))


def test_timestamp_off_the_grid(tmp_path, csv_lines) -> None:
    lines = _edit(csv_lines, 10, "time", "2019-03-30T10:30+0100")
    with pytest.raises(
        TimeIndexError, match=re.escape("2019-03-30T09:30:00+00:00 (row 10) is off the 1 h grid")
    ):
        read_weather_csv(write_lines(tmp_path, lines))


def test_pvlib_based_readers_report_the_file_too(tmp_path) -> None:
    lines = NSRDB_3DAYS.read_text().splitlines()
    assert lines[3 + 40].startswith("2019,3,30,10,0,")
    fields = lines[3 + 40].split(",")
    fields[7] = "2000"  # GHI
    lines[3 + 40] = ",".join(fields)
    path = write_lines(tmp_path, lines, "nsrdb.csv")
    with pytest.raises(
        WeatherError,
        match=re.escape(
            "nsrdb.csv: column 'ghi' has implausible value 2000 W/m2 at "
            "2019-03-30T10:00:00+00:00 (row 41)"
        ),
    ):
        read_nsrdb_psm(path)


def test_epw_missing_code_is_interpolated(tmp_path) -> None:
    lines = EPW_3DAYS.read_text().splitlines()
    fields = lines[8 + 12].split(",")  # 30 March, hour 13 local standard time
    fields[13] = "9999"  # global horizontal radiation
    lines[8 + 12] = ",".join(fields)
    weather = read_epw(write_lines(tmp_path, lines, "gap.epw"))
    assert np.isfinite(weather.data["ghi"]).all()
    assert weather.repairs[0].startswith("ghi: filled 1 missing value(s)")
