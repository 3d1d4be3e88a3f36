"""Meter files into readings: every format, units, time zones and DST days, bad files."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))

from helpers import meter_map, write  # noqa: E402

from sparcs.errors import DataError, ScenarioError, TimeIndexError, UnitError  # noqa: E402
from sparcs.monitoring.ingest import load_meter_map, prepare, read_meter_file  # noqa: E402

NOW = pd.Timestamp("2026-01-01", tz="UTC")


@pytest.fixture
def meters(tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_meter_map(meter_map(tmp_path))


def _read(tmp_path: Path, meters, text: str, fmt: str = "auto", name: str = "data.csv"):  # type: ignore[no-untyped-def]
    raw, used = read_meter_file(write(tmp_path, name, text), meters, fmt)
    return prepare(raw, meters, now=NOW), used


def _times(ready) -> list[str]:  # type: ignore[no-untyped-def]
    return [pd.Timestamp(t, tz="UTC").strftime("%Y-%m-%dT%H:%MZ") for t in ready.time]


def test_long_csv_with_offsets_bom_crlf_and_blank_rows(tmp_path: Path, meters) -> None:  # type: ignore[no-untyped-def]
    text = (
        "\ufefftime,meter,value\r\n2025-01-01T02:00+02:00,m1,1.5\r\n\r\n,,\r\n"
        "2025-01-01T00:15Z,m1,2\r\n"
    )
    ready, used = _read(tmp_path, meters, text)
    assert used == "csv"
    assert _times(ready) == ["2025-01-01T00:00Z", "2025-01-01T00:15Z"]
    np.testing.assert_array_equal(ready.value, [1.5, 2.0])


def test_units_are_converted_to_kwh_per_step(tmp_path: Path, meters) -> None:  # type: ignore[no-untyped-def]
    text = (
        "time,meter,value,unit\n2025-01-01T00:00Z,pv,500,\n2025-01-01T00:15Z,pv,2,kWh\n"
        "2025-01-01T00:30Z,pv,0.001,MWh\n2025-01-01T00:00Z,power,4,\n"
        "2025-01-01T00:15Z,power,2000,W\n"
    )
    ready, _ = _read(tmp_path, meters, text)
    by = dict(zip(zip(ready.meter, _times(ready), strict=True), ready.value, strict=True))
    assert by[("pv", "2025-01-01T00:00Z")] == pytest.approx(0.5)
    assert by[("pv", "2025-01-01T00:15Z")] == pytest.approx(2.0)
    assert by[("pv", "2025-01-01T00:30Z")] == pytest.approx(1.0)
    assert by[("power", "2025-01-01T00:00Z")] == pytest.approx(1.0)  # 4 kW x 0.25 h
    assert by[("power", "2025-01-01T00:15Z")] == pytest.approx(0.5)  # 2 kW x 0.25 h


def test_cumulative_register_becomes_intervals(tmp_path: Path, meters) -> None:  # type: ignore[no-untyped-def]
    text = (
        "time,meter,value\n2025-01-01T00:00Z,register,10.000\n2025-01-01T01:00Z,register,10.002\n"
        "2025-01-01T02:00Z,register,10.005\n2025-01-01T03:00Z,register,0.001\n"
    )
    ready, _ = _read(tmp_path, meters, text)
    np.testing.assert_allclose(ready.value, [2.0, 3.0, -10004.0])
    assert _times(ready) == ["2025-01-01T00:00Z", "2025-01-01T01:00Z", "2025-01-01T02:00Z"]
    assert ready.flagged["reset"] == 1 and ready.flagged["negative"] == 1


def test_unknown_unit_is_refused_with_its_line(tmp_path: Path, meters) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnitError, match=r"line 3: unit 'kWhh' is not known"):
        _read(
            tmp_path,
            meters,
            "time,meter,value,unit\n2025-01-01T00:00Z,m1,1,kWh\n2025-01-01T01:00Z,m1,1,kWhh\n",
        )


def test_naive_time_refused_without_a_zone(tmp_path: Path, meters) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(
        TimeIndexError,
        match=r"line 2: time '2025-01-01 00:00' has no UTC offset"
        r".*meter 'm1' has no timezone",
    ):
        _read(tmp_path, meters, "time,meter,value\n2025-01-01 00:00,m1,1\n")


def _local_day(day: str, zone: str = "Europe/Helsinki") -> list[str]:
    local = pd.date_range(day, periods=96 + 8, freq="15min", tz=zone)
    local = local[local.normalize() == local[0].normalize()]
    return [t.tz_localize(None).strftime("%Y-%m-%dT%H:%M") for t in local]


@pytest.mark.parametrize(("day", "steps"), [("2025-03-30", 92), ("2025-10-26", 100)])
def test_dst_days_in_helsinki_from_naive_local_times(
    tmp_path: Path, meters, day: str, steps: int
) -> None:  # type: ignore[no-untyped-def]
    stamps = _local_day(day)
    assert len(stamps) == steps  # spring: 23 h, autumn: 25 h (03:00-03:45 twice)
    text = "time,meter,value\n" + "".join(f"{t},hel,{i}\n" for i, t in enumerate(stamps))
    ready, _ = _read(tmp_path, meters, text)
    assert len(ready.time) == steps and ready.gaps == 0 and not ready.duplicates
    assert np.all(np.diff(ready.time) == 15 * 60 * 10**9)
    expected = pd.Timestamp(day, tz="Europe/Helsinki").tz_convert("UTC").value
    assert ready.time[0] == expected
    np.testing.assert_array_equal(ready.value, np.arange(steps))  # in the order of the file


def test_time_in_the_spring_gap_is_refused(tmp_path: Path, meters) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TimeIndexError, match="spring DST gap"):
        _read(tmp_path, meters, "time,meter,value\n2025-03-30T03:30,hel,1\n")


def test_wide_csv_with_a_column_map(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "map.toml",
        '[[meters]]\nid = "a"\nnode = "b1"\nquantity = "pv_kwh"\n'
        'unit = "kWh"\ncolumn = "roof PV"\n[[meters]]\nid = "b"\nnode = "district"\n'
        'quantity = "grid_import_kwh"\nunit = "kWh"\n',
    )
    meters = load_meter_map(path)
    ready, used = _read(
        tmp_path, meters, "time,roof PV,b\n2025-06-01T10:00Z,3,1\n2025-06-01T11:00Z,,2\n"
    )
    assert used == "wide"
    assert list(ready.meter) == ["a", "a", "b", "b"]
    np.testing.assert_array_equal(ready.value, [3.0, np.nan, 1.0, 2.0])
    assert ready.flagged == {"missing": 1}
    with pytest.raises(DataError, match="column 'other' names no meter; add column = 'other'"):
        _read(tmp_path, meters, "time,other\n2025-06-01T10:00Z,3\n")


DATAHUB = (
    "Mittauspisteen tunnus;Tuotteen tyyppi;Resoluutio;Yksikkötyyppi;Lukeman tyyppi;"
    "Alkuaika;Määrä;Laatu\n"
    "643006966022791278;8716867000030;PT15M;kWh;BN01;2024-12-31T22:00:00Z;2,126000;OK\n"
    "643006966022791278;8716867000030;PT15M;kWh;BN01;2024-12-31T22:15:00Z;;MISSING\n"
    "643006966022791278;8716867000030;PT15M;kWh;BN01;2024-12-31T22:30:00Z;1,5;OK\n"
)


def test_datahub_csv(tmp_path: Path, meters) -> None:  # type: ignore[no-untyped-def]
    ready, used = _read(tmp_path, meters, DATAHUB)
    assert used == "datahub"
    np.testing.assert_array_equal(ready.value, [2.126, np.nan, 1.5])
    assert ready.flagged == {"missing": 1}
    assert _times(ready)[0] == "2024-12-31T22:00Z"


def test_datahub_unknown_metering_point(tmp_path: Path, meters) -> None:  # type: ignore[no-untyped-def]
    text = DATAHUB.replace(
        "643006966022791278;8716867000030;PT15M;kWh;BN01;2024-12-31T22:30",
        "999;8716867000030;PT15M;kWh;BN01;2024-12-31T22:30",
    )
    with pytest.raises(
        DataError,
        match=r"data.csv, line 4: metering point '999' is not in the "
        r"meter map; add a \[\[meters\]\] table",
    ):
        _read(tmp_path, meters, text)


MSCONS = (
    "UNA:+,? 'UNB+UNOC:3+1:500+2:500+160112:1347+X++TL'UNH+1+MSCONS:D:04B:UN:2.2e'"
    "LOC+172+643006966022791278'DTM+163:201512010000?+01:303'DTM+164:201601010000?+01:303'"
    "LIN+1'PIA+5+1-1?:1.10.0:SRW'"
    "QTY+220:0,9'DTM+163:201512010000?+01:303'DTM+164:201512010015?+01:303'"
    "QTY+220:1,25:KWH'DTM+163:201512010015?+01:303'DTM+164:201512010030?+01:303'"
    "QTY+67:7'DTM+163:201512010030?+01:303'DTM+164:201512010045?+01:303'UNT+9+1'"
)


def test_mscons_load_profile(tmp_path: Path, meters) -> None:  # type: ignore[no-untyped-def]
    ready, used = _read(tmp_path, meters, MSCONS, name="data.edi")
    assert used == "mscons"
    np.testing.assert_allclose(ready.value, [0.9, 1.25])
    assert _times(ready) == ["2015-11-30T23:00Z", "2015-11-30T23:15Z"]
    assert ready.rejected == 1  # the substitute value (QTY+67)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            "time,meter,value\n2025-01-01T00:00Z,nope,1\n",
            r"line 2: meter 'nope' is not in the meter map",
        ),
        ("when,meter,value\n2025-01-01T00:00Z,m1,1\n", r"line 1: no column 'time'"),
        ("time,meter,value\n2025-01-01T00:00Z,m1,1,4\n", r"line 2: 4 field\(s\) but the header"),
        ("time,meter,value\n01/06/2025 10:00+02:00,m1,1\n", r"line 2: time .* is not an ISO 8601"),
    ],
)
def test_bad_files_name_the_line_and_the_fix(tmp_path: Path, meters, text: str, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError, match=match):
        _read(tmp_path, meters, text)


def test_wrong_encoding_is_refused(tmp_path: Path, meters) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "latin.csv"
    path.write_bytes("time,meter,value\n2025-01-01T00:00Z,m1,1\n# Müller\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"line 3: not UTF-8 text .* save the file as UTF-8"):
        read_meter_file(path, meters)


def test_non_numeric_values_are_rejected_and_counted(tmp_path: Path, meters) -> None:  # type: ignore[no-untyped-def]
    ready, _ = _read(
        tmp_path, meters, "time,meter,value\n2025-01-01T00:00Z,m1,1\n2025-01-01T01:00Z,m1,abc\n"
    )
    assert ready.rejected == 1 and list(ready.value) == [1.0]


def test_meter_map_problems_are_all_named(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.toml",
        '[[meters]]\nid = "a"\nnode = "b1"\nquantity = "pv"\n'
        'unit = "kWh"\n[[meters]]\nid = "b"\nnode = "b1"\nquantity = "pv_kwh"\n'
        'unit = "GJ"\ntimezone = "Mars/Base"\n',
    )
    with pytest.raises(ScenarioError) as info:
        load_meter_map(path)
    text = str(info.value)
    assert (
        "meters[0].quantity" in text and "meters[1].unit" in text and "meters[1].timezone" in text
    )


def test_a_single_power_reading_without_resolution_is_refused(tmp_path: Path) -> None:
    """Its energy (mean power x step) would be a guess: say so, never store 0."""
    path = write(
        tmp_path,
        "meters.toml",
        '[[meters]]\nid = "hp"\nnode = "b1"\nquantity = "hp_el_kwh"\nunit = "kW"\n',
    )
    meters = load_meter_map(path)
    with pytest.raises(DataError, match=r"power meter 'hp' has a single reading time and no"):
        _read(tmp_path, meters, "time,meter,value\n2025-01-01T00:00Z,hp,4\n")
    two, _ = _read(
        tmp_path, meters, "time,meter,value\n2025-01-01T00:00Z,hp,4\n2025-01-01T00:15Z,hp,2\n"
    )
    np.testing.assert_allclose(two.value, [1.0, 0.5])  # the step is learnt from the spacing


@pytest.mark.parametrize(
    ("text", "match"),
    [
        # blank lines and a row of empty fields before the bad row: the line is still right
        ("time,meter,value\n2025-01-01T00:00Z,m1,1\n\n,,\n\n2025-13-01T00:00Z,m1,2\n", "line 6"),
        ("time,meter,value\r\n2025-01-01T00:00Z,m1,1\r\n\r\n2025-01-01T00:15Z,zz,2\r\n", "line 4"),
        # a word among the numbers: the file is read as text, the line still named
        ("time,meter,value\n2025-01-01T00:00Z,m1,abc\n\n2025-01-01T00:15Z,zz,2\n", "line 4"),
    ],
)
def test_lines_are_named_after_blank_rows(tmp_path: Path, meters, text: str, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError, match=match):
        _read(tmp_path, meters, text)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    order=st.permutations(list(range(12))),
    repeat=st.lists(st.integers(0, 11), max_size=4),
)
def test_row_order_does_not_change_the_readings(
    tmp_path_factory: pytest.TempPathFactory, order: list[int], repeat: list[int]
) -> None:
    folder = tmp_path_factory.mktemp("order")
    meters = load_meter_map(meter_map(folder))
    times = pd.date_range("2025-01-01", periods=6, freq="15min", tz="UTC")
    rows = [
        f"{t:%Y-%m-%dT%H:%MZ},{m},{v}"
        for m, base in (("m1", 1.0), ("pv", 100.0))
        for t, v in zip(times, base * np.arange(1, 7), strict=True)
    ]
    rows += [rows[i] for i in repeat]  # exact repeats: duplicates, wherever they are
    shuffled = [rows[i] for i in order] + rows[12:]
    header = "time,meter,value\n"
    in_order, _ = _read(folder, meters, header + "\n".join(rows) + "\n", name="a.csv")
    mixed, _ = _read(folder, meters, header + "\n".join(shuffled) + "\n", name="b.csv")
    assert list(mixed.meter) == list(in_order.meter) == ["m1"] * 6 + ["pv"] * 6
    np.testing.assert_array_equal(mixed.time, in_order.time)
    np.testing.assert_array_equal(mixed.value, in_order.value)
    np.testing.assert_array_equal(mixed.flags, in_order.flags)
    assert mixed.duplicates == in_order.duplicates == len(repeat)
