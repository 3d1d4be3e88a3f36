"""The time contract: tz-aware UTC, fixed steps, DST days, 15-minute steps."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.errors import ScenarioError, TimeIndexError
from sparcs.timeseries import (
    LocalFields,
    check_index,
    dt_hours,
    epoch_ns,
    local_fields,
    local_index,
    parse_timestep,
    year_index,
)


@pytest.mark.parametrize("tz", ["Europe/Helsinki", "Europe/Berlin", "Atlantic/Reykjavik", "UTC"])
def test_year_has_8760_hours_in_utc(tz: str) -> None:
    index = year_index(2025, "1h", tz)
    assert len(index) == 8760
    assert str(index.tz) == "UTC"
    assert index.name == "time"
    local = local_index(index, tz)
    assert (local[0].month, local[0].day, local[0].hour) == (1, 1, 0)
    assert (local[-1].month, local[-1].day, local[-1].hour) == (12, 31, 23)


def test_fifteen_minute_year_and_leap_year() -> None:
    assert len(year_index(2025, "15min", "Europe/Berlin")) == 35040
    assert len(year_index(2024, "1h", "Europe/Helsinki")) == 8784
    assert dt_hours(year_index(2025, "15min")) == 0.25


@pytest.mark.parametrize(
    ("tz", "spring", "autumn"),
    [
        ("Europe/Helsinki", "2025-03-30", "2025-10-26"),
        ("Europe/Berlin", "2025-03-30", "2025-10-26"),
    ],
)
def test_dst_days_have_23_and_25_local_hours(tz: str, spring: str, autumn: str) -> None:
    local = local_index(year_index(2025, "1h", tz), tz)
    counts = pd.Series(1, index=local.date).groupby(level=0).sum()
    assert counts[pd.Timestamp(spring).date()] == 23
    assert counts[pd.Timestamp(autumn).date()] == 25
    assert counts.drop([pd.Timestamp(spring).date(), pd.Timestamp(autumn).date()]).eq(24).all()


def test_naive_index_is_rejected_with_a_fix() -> None:
    naive = pd.date_range("2025-01-01", periods=3, freq="h")
    with pytest.raises(TimeIndexError, match="naive.*tz_localize"):
        check_index(naive)


def test_non_utc_index_is_rejected() -> None:
    local = pd.date_range("2025-01-01", periods=3, freq="h", tz="Europe/Berlin")
    with pytest.raises(TimeIndexError, match="tz_convert"):
        check_index(local)


@pytest.mark.parametrize(
    ("stamps", "message"),
    [
        (["2025-01-01 00:00", "2025-01-01 01:00", "2025-01-01 01:00"], "duplicate"),
        (["2025-01-01 01:00", "2025-01-01 00:00", "2025-01-01 02:00"], "not sorted"),
        (["2025-01-01 00:00", "2025-01-01 01:00", "2025-01-01 03:00"], "uneven step"),
    ],
)
def test_bad_indexes(stamps: list[str], message: str) -> None:
    with pytest.raises(TimeIndexError, match=message):
        check_index(pd.DatetimeIndex(stamps, tz="UTC"), what="meter.csv")


@pytest.mark.parametrize("step", ["7min", "90min", "abc", "0h"])
def test_bad_steps(step: str) -> None:
    with pytest.raises(ScenarioError):
        parse_timestep(step)


def test_steps() -> None:
    assert parse_timestep("15min") == pd.Timedelta(minutes=15)
    assert parse_timestep("1h") == pd.Timedelta(hours=1)
    assert parse_timestep("2h") == pd.Timedelta(hours=2)


def _direct_fields(index: pd.DatetimeIndex, tz: str) -> list[list[int]]:
    """The fields as pandas gives them, without a kept grid."""
    local = index.tz_convert(tz)
    return [list(local.year), list(local.month), list(local.hour), list(local.dayofweek)]


def _fields(fields: LocalFields) -> list[list[int]]:
    return [
        fields.year.tolist(),
        fields.month.tolist(),
        fields.hour.tolist(),
        fields.weekday.tolist(),
    ]


@settings(max_examples=60, deadline=None)
@given(
    tz=st.sampled_from(
        ["Europe/Helsinki", "Europe/Berlin", "Atlantic/Reykjavik", "America/Santiago"]
    ),
    minutes=st.sampled_from([1, 15, 60, 180]),
    unit=st.sampled_from(["ns", "us", "s"]),
    offset_min=st.integers(0, 59),
    day=st.integers(0, 5 * 365),
    n=st.integers(2, 3000),
    moves=st.lists(st.integers(-20_000, 20_000), min_size=1, max_size=4),
)
def test_local_fields_are_pandas_fields_from_a_kept_grid(
    tz: str, minutes: int, unit: str, offset_min: int, day: int, n: int, moves: list[int]
) -> None:
    # windows moving over a kept grid (and beyond it, which makes a new one) give the fields
    # pandas gives each window, across daylight saving changes, in every time unit
    step = pd.Timedelta(minutes=minutes)
    first = pd.Timestamp("2023-01-01T00:00Z") + pd.Timedelta(days=day, minutes=offset_min)
    for move in (0, *moves):
        index = pd.date_range(first + move * step, periods=n, freq=step).as_unit(unit)
        assert _fields(local_fields(index, tz)) == _direct_fields(index, tz)


def test_local_fields_of_an_uneven_index_and_of_one_step() -> None:
    uneven = pd.DatetimeIndex(["2025-03-30T00:30Z", "2025-03-30T01:30Z", "2025-03-30T01:45Z"])
    assert _fields(local_fields(uneven, "Europe/Berlin")) == _direct_fields(uneven, "Europe/Berlin")
    one = pd.DatetimeIndex(["2025-10-26T00:30Z"])
    assert local_fields(one, "Europe/Berlin").hour.tolist() == [2]


def test_kept_fields_are_read_only() -> None:
    index = pd.date_range("2025-01-01T00:00Z", periods=96, freq="15min")
    with pytest.raises(ValueError, match="read-only"):
        local_fields(index, "Europe/Berlin").hour[0] = 5


def test_duplicates_are_named_before_order() -> None:
    # the duplicate check runs only when some step is not positive: a duplicate still says so
    stamps = pd.DatetimeIndex(["2025-01-01T02:00Z", "2025-01-01T01:00Z", "2025-01-01T01:00Z"])
    with pytest.raises(TimeIndexError, match="duplicate timestamp 2025-01-01T01:00"):
        check_index(stamps)


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
@pytest.mark.parametrize("zone", ["UTC", None])
def test_epoch_ns_is_as_unit_ns_whatever_the_unit(unit: str, zone: str | None) -> None:
    index = pd.date_range("1969-12-31T23:00", periods=9, freq="17min", tz=zone).as_unit(unit)
    assert epoch_ns(index).tolist() == index.as_unit("ns").asi8.tolist()
    assert epoch_ns(index[:0]).tolist() == []
