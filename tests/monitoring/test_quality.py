"""Quality rules: each flags what it should, and no flag ever changes a value."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))

from helpers import meter_map, write  # noqa: E402

from sparcs.monitoring.ingest import MeterSpec, load_meter_map, prepare, read_meter_file  # noqa: E402
from sparcs.monitoring.ingest.raw import RawReadings  # noqa: E402
from sparcs.monitoring.quality import FLAGS  # noqa: E402

NOW = pd.Timestamp("2026-01-01", tz="UTC")
START = pd.Timestamp("2025-01-01", tz="UTC").value
QUARTER = 15 * 60 * 10**9


@pytest.fixture
def meters(tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_meter_map(meter_map(tmp_path))


def _raw(values: list[float], *, times: list[int] | None = None, meter: str = "m1") -> RawReadings:
    n = len(values)
    time = np.array(
        times if times is not None else [START + i * QUARTER for i in range(n)], dtype=np.int64
    )
    value = np.array(values, dtype=float)
    return RawReadings(
        source="test",
        meter=np.array([meter] * n, dtype=object),
        time=time,
        value=value,
        missing=np.isnan(value),
        line=lambda p: p + 2,
    )


def _flags(ready, name: str) -> list[int]:  # type: ignore[no-untyped-def]
    return list(np.flatnonzero(ready.flags & FLAGS[name]))


def test_gap_is_counted(meters) -> None:  # type: ignore[no-untyped-def]
    times = [START + i * QUARTER for i in (0, 1, 2, 6, 7)]
    ready = prepare(_raw([1, 2, 3, 4, 5], times=times), meters, now=NOW)
    assert ready.gaps == 3 and ready.flagged["gap"] == 3


def test_duplicates_ignored_and_conflicts_kept(meters) -> None:  # type: ignore[no-untyped-def]
    times = [START, START + QUARTER, START + QUARTER, START + QUARTER]
    ready = prepare(_raw([1, 2, 2, 5], times=times), meters, now=NOW)
    assert list(ready.value) == [1, 2] and ready.duplicates == 1
    meter, time, value, first = ready.conflicts
    assert list(meter) == ["m1"] and list(time) == [START + QUARTER] and list(value) == [5.0]
    assert list(first) == [2.0]


def test_negative_flagged_not_changed(meters) -> None:  # type: ignore[no-untyped-def]
    ready = prepare(_raw([1, -2, 3, 1]), meters, now=NOW)
    assert _flags(ready, "negative") == [1] and ready.value[1] == -2


def test_spike_above_median_plus_three_iqr(meters) -> None:  # type: ignore[no-untyped-def]
    values = [1.0, 2.0, 1.5, 1.2, 1.8, 50.0, 1.1, 1.9]
    ready = prepare(_raw(values), meters, now=NOW)
    assert _flags(ready, "spike") == [5] and ready.value[5] == 50.0


def test_stuck_values_over_six_hours(meters) -> None:  # type: ignore[no-untyped-def]
    values = [1.0, 2.0] + [3.3] * 24 + [1.0] + [0.0] * 30 + [4.4] * 23
    ready = prepare(_raw(values), meters, now=NOW)
    stuck = _flags(ready, "stuck")
    assert stuck == list(range(2, 26))  # 24 quarters = 6 h; zeros and 23 quarters are not


def test_out_of_range_and_off_grid_times(meters) -> None:  # type: ignore[no-untyped-def]
    times = [
        pd.Timestamp("1980-01-01", tz="UTC").value,
        START,
        START + 7 * 60 * 10**9,
        START + QUARTER,
        pd.Timestamp("2030-01-01", tz="UTC").value,
    ]
    ready = prepare(_raw([1, 1, 1, 1, 1], times=times, meter="pv"), meters, now=NOW)
    assert _flags(ready, "out_of_range") == [0, 4]
    assert _flags(ready, "off_grid") == [2]


def test_missing_from_the_file(tmp_path: Path, meters) -> None:  # type: ignore[no-untyped-def]
    path = write(
        tmp_path, "d.csv", "time,meter,value\n2025-01-01T00:00Z,m1,\n2025-01-01T01:00Z,m1,NA\n"
    )
    raw, _ = read_meter_file(path, meters)
    ready = prepare(raw, meters, now=NOW)
    assert ready.flagged == {"missing": 2} and np.isnan(ready.value).all()


MAP = {"m1": MeterSpec(id="m1", node="b1", quantity="grid_import_kwh", unit="kWh")}
series = st.lists(
    st.one_of(
        st.floats(-1e6, 1e6, allow_nan=False), st.just(float("nan")), st.sampled_from([0.0, 3.3])
    ),
    min_size=1,
    max_size=200,
)


@settings(max_examples=200, deadline=None)
@given(values=series, data=st.data())
def test_a_flag_never_changes_a_value(values: list[float], data: st.DataObject) -> None:
    meters = MAP
    steps = data.draw(st.lists(st.integers(1, 3), min_size=len(values), max_size=len(values)))
    times = list(START + np.cumsum(steps) * QUARTER)
    ready = prepare(_raw(values, times=times), meters, now=NOW)
    np.testing.assert_array_equal(ready.value, np.array(values))  # kWh meter: factor 1
    assert np.array_equal(np.asarray(ready.time), np.asarray(times))
