"""Readings files: what is read, and one clear line for every kind of bad input."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from community_cases import HEADER, write_csv

from sparcs.community import read_readings
from sparcs.errors import DataError


def test_a_file_is_read_into_matrices_on_a_utc_grid(three_homes_and_pv: Path) -> None:
    r = read_readings(three_homes_and_pv)
    assert r.members == ("a", "b", "c", "p")
    assert r.step_min == 15
    assert r.time[0].isoformat() == "2025-01-01T11:00:00+00:00"
    np.testing.assert_allclose(r.consumption_kwh, [[2, 5, 6, 0], [2, 5, 6, 0]])
    np.testing.assert_allclose(r.production_kwh[:, 3], [10, 20])
    assert r.local_time[0].isoformat() == "2025-01-01T12:00:00"


def test_a_dst_night_keeps_its_intervals_and_its_offsets(tmp_path: Path) -> None:
    # Helsinki, 2025-03-30: 03:00 local (+02:00) becomes 04:00 (+03:00)
    times = ["2025-03-30T02:00+02:00", "2025-03-30T02:30+02:00", "2025-03-30T04:00+03:00"]
    times.insert(2, "2025-03-30T02:45+02:00")
    times.insert(1, "2025-03-30T02:15+02:00")
    rows = [(t, m, 1.0, 0.5) for t in times for m in ("x", "y")]
    r = read_readings(write_csv(tmp_path / "dst.csv", rows))
    assert len(r.time) == 5 and r.step_min == 15
    assert r.utc_offset_min.tolist() == [120, 120, 120, 120, 180]


def test_hourly_files_and_z_times_are_read(tmp_path: Path) -> None:
    rows = [(f"2025-06-01T{h:02d}:00Z", m, 1.0, 0.0) for h in range(3) for m in "ab"]
    r = read_readings(write_csv(tmp_path / "h.csv", rows))
    assert r.step_min == 60 and r.utc_offset_min.tolist() == [0, 0, 0]


def _bad(tmp_path: Path, rows: list[tuple[str, str, object, object]], header: str = HEADER) -> str:
    path = tmp_path / "bad.csv"
    path.write_text(header + "".join(f"{t},{m},{c},{p}\n" for t, m, c, p in rows), "utf-8")
    with pytest.raises(DataError) as caught:
        read_readings(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


T0, T1, T2 = "2025-01-01T00:00+01:00", "2025-01-01T00:15+01:00", "2025-01-01T00:30+01:00"


def test_a_missing_interval_of_one_member_is_named(tmp_path: Path) -> None:
    rows = [(t, m, 1, 0) for t in (T0, T1, T2) for m in "ab"]
    rows.remove((T1, "b", 1, 0))
    message = _bad(tmp_path, rows)
    assert (
        "member 'b' has no reading for the interval starting 2024-12-31T23:15:00+00:00" in message
    )
    assert "every member needs a row for every interval" in message


def test_a_negative_value_names_the_row_and_the_field(tmp_path: Path) -> None:
    message = _bad(
        tmp_path, [(T0, "a", 1, 0), (T0, "b", 1, -0.5), (T1, "a", 1, 0), (T1, "b", 1, 0)]
    )
    assert re.search(r"row 3: member 'b': production_kwh -0.5 is negative", message)


def test_an_empty_value_is_refused(tmp_path: Path) -> None:
    message = _bad(tmp_path, [(T0, "a", "", 0), (T1, "a", 1, 0)])
    assert "row 2: member 'a': consumption_kwh is empty or not a number" in message


def test_text_in_a_number_column_names_the_row(tmp_path: Path) -> None:
    message = _bad(tmp_path, [(T0, "a", 1, 0), (T1, "a", '"1,5"', 0)])
    assert "row 3: consumption_kwh '1,5' is not a number" in message


def test_a_time_without_offset_is_refused(tmp_path: Path) -> None:
    message = _bad(tmp_path, [("2025-01-01T00:00", "a", 1, 0), (T1, "a", 1, 0)])
    assert "row 2: time '2025-01-01T00:00' has no UTC offset" in message
    assert "2025-01-01T00:00+01:00" in message


def test_a_time_that_is_no_time_is_refused(tmp_path: Path) -> None:
    message = _bad(tmp_path, [(T0, "a", 1, 0), ("01/01/2025 00:15", "a", 1, 0)])
    assert "row 3: time '01/01/2025 00:15' is not an ISO 8601 time" in message


def test_duplicate_rows_are_refused(tmp_path: Path) -> None:
    message = _bad(tmp_path, [(T0, "a", 1, 0), (T1, "a", 1, 0), (T0, "a", 2, 0)])
    assert "row 4: member 'a' has 2 rows for the interval starting" in message
    assert "rows 2, 4" in message


def test_the_same_instant_in_two_offsets_is_a_duplicate(tmp_path: Path) -> None:
    message = _bad(tmp_path, [(T0, "a", 1, 0), (T1, "a", 1, 0), ("2024-12-31T23:00Z", "a", 1, 0)])
    assert "has 2 rows" in message


def test_a_gap_for_everyone_is_refused(tmp_path: Path) -> None:
    message = _bad(
        tmp_path, [(T0, "a", 1, 0), (T1, "a", 1, 0), ("2025-01-01T01:00+01:00", "a", 1, 0)]
    )
    assert "no member has readings between" in message


def test_half_hours_are_refused(tmp_path: Path) -> None:
    message = _bad(tmp_path, [(T0, "a", 1, 0), (T2, "a", 1, 0)])
    assert "intervals 30 minutes apart" in message


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    message = _bad(tmp_path, [(T0, "a", 1, 0)], header="time,member,consumption_kwh,export_kwh\n")
    assert "column(s) production_kwh missing" in message


def test_a_file_in_another_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + f"{T0},Müller,1,0\n").encode("latin-1").replace(b"time", b"t\xefme"))
    with pytest.raises(DataError, match="not UTF-8"):
        read_readings(path)
