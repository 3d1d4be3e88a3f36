"""Bad input, time zones and CalTRACK data sufficiency: clear one-line errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from mv_helpers import daily_temperature, daily_usage, hourly_frame

from sparcs.errors import DataError, InsufficientDataError, ScenarioError, TimeIndexError
from sparcs.monitoring import fit_baseline
from sparcs.monitoring.aggregate import check_series, to_local_days
from sparcs.monitoring.baseline import prepare_periods


@pytest.fixture
def year() -> tuple[pd.Series, pd.Series]:
    temperature = daily_temperature()
    return daily_usage(temperature), temperature


def _one_line(exc: pytest.ExceptionInfo[BaseException]) -> str:
    text = str(exc.value)
    assert "\n" not in text
    return text


def test_naive_index_is_refused(year: tuple[pd.Series, pd.Series]) -> None:
    usage, temperature = year
    with pytest.raises(TimeIndexError, match="naive") as exc:
        fit_baseline(usage.tz_localize(None), temperature)
    assert "tz_localize" in _one_line(exc)


def test_not_a_series_or_not_numbers_is_refused(year: tuple[pd.Series, pd.Series]) -> None:
    usage, temperature = year
    with pytest.raises(DataError, match="pandas Series"):
        fit_baseline(usage.to_frame(), temperature)
    with pytest.raises(DataError, match="must be numbers"):
        fit_baseline(usage.astype(str) + "kWh", temperature)
    with pytest.raises(TimeIndexError, match="not sorted"):
        fit_baseline(usage.iloc[::-1], temperature)


def test_off_grid_timestamps_are_refused() -> None:
    index = pd.DatetimeIndex(
        ["2024-01-01T00:00", "2024-01-01T01:00", "2024-01-01T02:20", "2024-01-01T03:00"], tz="UTC"
    )
    with pytest.raises(TimeIndexError, match="off the grid") as exc:
        to_local_days(
            check_series(pd.Series(1.0, index), what="usage"),
            timezone="UTC",
            kind="sum",
            what="usage",
        )
    _one_line(exc)


def test_temperature_that_does_not_overlap_is_refused(year: tuple[pd.Series, pd.Series]) -> None:
    usage, temperature = year
    later = temperature.set_axis(temperature.index + pd.Timedelta(days=400))
    with pytest.raises(DataError, match="do not overlap") as exc:
        fit_baseline(usage, later)
    _one_line(exc)


def test_daily_labels_at_utc_midnight_need_the_site_zone(year: tuple[pd.Series, pd.Series]) -> None:
    usage, temperature = year
    utc = usage.set_axis(pd.date_range("2023-01-01", periods=365, freq="D", tz="UTC"))
    with pytest.raises(TimeIndexError, match="local midnights in Europe/Berlin"):
        fit_baseline(utc, temperature, timezone="Europe/Berlin")
    assert fit_baseline(utc, temperature.set_axis(utc.index), timezone="UTC").n == 365


def test_hourly_readings_off_the_hour_are_refused() -> None:
    frame = hourly_frame("2023-01-01", "2023-02-01")
    shifted = frame["usage"].set_axis(frame.index + pd.Timedelta(minutes=30))
    with pytest.raises(TimeIndexError, match="must start on the 1 h grid") as exc:
        fit_baseline(shifted, frame["temperature"], "hourly")
    _one_line(exc)


def test_unknown_method_or_carrier_is_refused(year: tuple[pd.Series, pd.Series]) -> None:
    usage, temperature = year
    with pytest.raises(ScenarioError, match="daily, billing, hourly"):
        fit_baseline(usage, temperature, "monthly")  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match="electricity, heat, fuel"):
        fit_baseline(usage, temperature, carrier="water")  # type: ignore[arg-type]


def test_too_short_a_baseline_names_the_rule(year: tuple[pd.Series, pd.Series]) -> None:
    usage, temperature = year
    with pytest.raises(InsufficientDataError, match="baseline_length: 200 day") as exc:
        fit_baseline(usage.iloc[:200], temperature)
    assert "strict=False" in _one_line(exc)
    loose = fit_baseline(usage.iloc[:200], temperature, strict=False)
    assert not loose.sufficiency.ok
    assert [r.name for r in loose.sufficiency.failures] == ["baseline_length"]


def test_missing_days_and_electricity_zeros_count_against_the_limit(
    year: tuple[pd.Series, pd.Series],
) -> None:
    usage, temperature = year
    gappy = usage.drop(usage.index[100:130])  # 30 rows gone: allowed (37)
    assert fit_baseline(gappy, temperature).sufficiency.ok
    zeros = gappy.copy()
    zeros.iloc[:10] = 0.0  # 10 more days missing: electricity zeros are missing
    with pytest.raises(InsufficientDataError, match=r"missing_days: 40 day\(s\)"):
        fit_baseline(zeros, temperature)
    assert fit_baseline(zeros, temperature, carrier="heat").sufficiency.ok
    cold = temperature.copy()
    cold.iloc[200:240] = np.nan
    with pytest.raises(InsufficientDataError, match="40 temperature"):
        fit_baseline(usage, cold)


def test_a_dst_week_in_berlin_sums_23_and_25_hour_days() -> None:
    index = pd.date_range(
        "2023-03-25", "2023-04-01", freq="h", tz="Europe/Berlin", inclusive="left"
    )
    days = to_local_days(
        check_series(pd.Series(1.0, index), what="usage"),
        timezone="Europe/Berlin",
        kind="sum",
        what="usage",
    )
    assert days.values.tolist() == [24, 23, 24, 24, 24, 24, 24]
    assert (days.share == 1).all()
    assert days.start[1] == pd.Timestamp("2023-03-25T23:00Z")  # local midnight in UTC
    autumn = pd.date_range("2023-10-28", "2023-10-31", freq="15min", tz="UTC")
    days = to_local_days(
        check_series(pd.Series(0.25, autumn), what="usage"),
        timezone="Europe/Berlin",
        kind="sum",
        what="usage",
        first=pd.Timestamp("2023-10-29T12:00Z"),
        last=pd.Timestamp("2023-10-29T12:00Z"),
    )
    assert days.values.tolist() == [25.0]


def test_half_a_day_of_readings_is_scaled_up_less_is_missing() -> None:
    index = pd.date_range("2024-01-01", periods=48, freq="h", tz="UTC")
    values = np.ones(48)
    values[:12] = np.nan  # day 1: half present -> 12 readings of 1 scaled to 24
    values[24:37] = np.nan  # day 2: 11 of 24 present -> missing
    days = to_local_days(
        check_series(pd.Series(values, index), what="u"), timezone="UTC", kind="sum", what="u"
    )
    assert days.values[0] == 24.0 and np.isnan(days.values[1])


def test_hourly_method_needs_each_month_covered() -> None:
    frame = hourly_frame()
    usage = frame["usage"].copy()
    usage["2023-03-05":"2023-03-20"] = np.nan
    with pytest.raises(InsufficientDataError, match="month_coverage: .*2023-03") as exc:
        fit_baseline(usage, frame["temperature"], "hourly")
    _one_line(exc)


def test_hourly_temperature_gaps_up_to_six_hours_are_interpolated() -> None:
    frame = hourly_frame("2023-01-01", "2023-02-01")
    temperature = frame["temperature"].copy()
    temperature.iloc[100:106] = np.nan
    periods = prepare_periods(
        frame["usage"], temperature, method="hourly", timezone="Europe/Berlin"
    )
    t = periods["temperature"].values
    assert np.isfinite(t).all()
    assert t[103] == pytest.approx(t[99] + (t[106] - t[99]) * 4 / 7)
    temperature.iloc[200:207] = np.nan
    with pytest.raises(InsufficientDataError, match="longest temperature gap 7 h"):
        fit_baseline(frame["usage"], temperature, "hourly")


def test_hourly_method_refuses_daily_readings(year: tuple[pd.Series, pd.Series]) -> None:
    usage, temperature = year
    with pytest.raises(TimeIndexError, match="use method='daily'"):
        fit_baseline(usage, temperature, "hourly")
