"""Domestic hot-water profiles: energy, draw patterns, season, DST and diversity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.data import USES
from sparcs.errors import ScenarioError
from sparcs.profiles.dhw import DRAW_PATTERN, SEASONAL_AMPLITUDE, dhw_profiles
from sparcs.timeseries import year_index

BERLIN = {"timezone": "Europe/Berlin", "country": "DE"}


def _local(power: np.ndarray, time: pd.DatetimeIndex, tz: str) -> pd.DataFrame:
    local = time.tz_convert(tz)
    dt_h = (time[1] - time[0]) / pd.Timedelta(hours=1)
    return pd.DataFrame(np.atleast_2d(power.T).T * dt_h, index=local)


def _season(day: str) -> float:
    doy = pd.Timestamp(day).dayofyear
    return 1.0 + SEASONAL_AMPLITUDE * np.cos(2 * np.pi * (doy - 15) / 365.25)


def test_every_use_has_three_day_types_of_24_hours():
    assert set(DRAW_PATTERN) == set(USES)
    for pattern in DRAW_PATTERN.values():
        assert np.array(pattern).shape == (3, 24) and np.min(pattern) > 0


@pytest.mark.parametrize("step", ["1h", "15min"])
def test_sums_equal_annual(step):
    time = year_index(2025, step, "Europe/Berlin")
    annual = np.arange(len(USES)) * 1000.0
    power = dhw_profiles(time, annual, list(USES), seed=5, **BERLIN)
    dt_h = (time[1] - time[0]) / pd.Timedelta(hours=1)
    assert (power >= 0).all() and np.isfinite(power).all()
    np.testing.assert_allclose(power.sum(axis=0) * dt_h, annual, rtol=1e-9)
    assert (power[:, 0] == 0).all()


def test_residential_morning_and_evening_peaks_in_local_time():
    for tz in ("Europe/Berlin", "Europe/Helsinki"):
        time = year_index(2025, "1h", tz)
        power = dhw_profiles(
            time, [3000.0], ["apartment_block"], diversity=0.0, timezone=tz, country=None
        )
        frame = _local(power, time, tz)
        workdays = frame[frame.index.dayofweek < 5]
        by_hour = workdays.groupby(workdays.index.hour)[0].mean()
        assert by_hour.idxmax() in (7, 19)
        assert by_hour[7] > 5 * by_hour[3] and by_hour[19] > 5 * by_hour[3]
        assert by_hour[15] < by_hour[7] and by_hour[15] < by_hour[19]


def test_office_weekends_and_holidays_are_quiet():
    time = year_index(2025, "1h", "Europe/Berlin")
    power = dhw_profiles(time, [1000.0], ["office"], diversity=0.0, **BERLIN)
    daily = (
        _local(power, time, "Europe/Berlin").groupby(time.tz_convert("Europe/Berlin").date)[0].sum()
    )

    def day(text: str) -> float:
        return float(daily[pd.Timestamp(text).date()])

    assert day("2025-10-03") == pytest.approx(
        day("2025-10-05") * _season("2025-10-03") / _season("2025-10-05")
    )
    assert day("2025-10-03") < 0.2 * day("2025-10-02")


def test_seasonal_variation_is_about_ten_percent():
    time = year_index(2025, "1h", "Europe/Berlin")
    power = dhw_profiles(time, [3000.0], ["single_family"], diversity=0.0, **BERLIN)
    monthly = _local(power, time, "Europe/Berlin").resample("MS")[0].sum()
    per_day = monthly / monthly.index.days_in_month
    ratio = per_day.iloc[0] / per_day.iloc[6]
    assert 1.15 < ratio < 1.25


@pytest.mark.parametrize("tz", ["Europe/Berlin", "Europe/Helsinki"])
@pytest.mark.parametrize("step", ["1h", "15min"])
def test_dst_days_keep_their_energy(tz, step):
    time = year_index(2025, step, tz)
    power = dhw_profiles(
        time, [5000.0], ["single_family"], diversity=0.0, timezone=tz, country=None
    )
    daily = _local(power, time, tz).groupby(time.tz_convert(tz).date)[0].sum()
    for dst, before in (("2025-03-30", "2025-03-23"), ("2025-10-26", "2025-10-19")):
        expected = daily[pd.Timestamp(before).date()] * _season(dst) / _season(before)
        assert daily[pd.Timestamp(dst).date()] == pytest.approx(expected, rel=1e-9)


def test_fifteen_minutes_and_hourly_agree():
    uses = list(USES) * 3
    annual = np.full(len(uses), 2000.0)
    hourly_t = year_index(2025, "1h", "Europe/Helsinki")
    quarter_t = year_index(2025, "15min", "Europe/Helsinki")
    kw = {"timezone": "Europe/Helsinki", "country": "FI", "seed": 4}
    for diversity in (0.0, 1.0):
        hourly = dhw_profiles(hourly_t, annual, uses, diversity=diversity, **kw)
        means = dhw_profiles(quarter_t, annual, uses, diversity=diversity, **kw)
        means = means.reshape(len(hourly_t), 4, -1).mean(axis=1)
        if diversity == 0.0:
            np.testing.assert_allclose(means, hourly, rtol=1e-9)
        else:
            assert np.corrcoef(means.sum(axis=1), hourly.sum(axis=1))[0, 1] > 0.95


def test_diversity_and_reproducibility():
    time = year_index(2025, "1h", "Europe/Berlin")
    n = 40
    annual = np.full(n, 2500.0)
    power = dhw_profiles(time, annual, ["apartment_block"] * n, seed=9, **BERLIN)
    np.testing.assert_allclose(power.sum(axis=0), annual, rtol=1e-9)
    assert len({round(float(v), 9) for v in power[500]}) == n
    np.testing.assert_array_equal(
        power, dhw_profiles(time, annual, ["apartment_block"] * n, seed=9, **BERLIN)
    )
    assert not np.allclose(
        power, dhw_profiles(time, annual, ["apartment_block"] * n, seed=10, **BERLIN)
    )
    assert (
        power.sum(axis=1).max() / power.sum(axis=1).mean() < power[:, 0].max() / power[:, 0].mean()
    )


def test_errors():
    time = year_index(2025, "1h", "Europe/Berlin")
    with pytest.raises(ScenarioError, match="castle"):
        dhw_profiles(time, [1.0], ["castle"], **BERLIN)
    with pytest.raises(ScenarioError, match="2 entries"):
        dhw_profiles(time, [1.0], ["office", "hotel"], **BERLIN)
    assert dhw_profiles(time, [], [], **BERLIN).shape == (8760, 0)


@settings(max_examples=25, deadline=None)
@given(
    start_h=st.integers(0, 24 * 720),
    n_steps=st.integers(2, 200),
    step=st.sampled_from(["15min", "30min", "1h"]),
    uses=st.lists(st.sampled_from(USES), min_size=1, max_size=4),
    annual=st.floats(0.0, 1e6),
    seed=st.integers(0, 2**31),
    diversity=st.floats(0.0, 2.0),
    tz=st.sampled_from(["Europe/Berlin", "Europe/Helsinki", "Atlantic/Reykjavik", "Europe/Lisbon"]),
)
def test_invariants(start_h, n_steps, step, uses, annual, seed, diversity, tz):
    time = pd.date_range(
        pd.Timestamp("2024-01-01", tz="UTC") + pd.Timedelta(hours=start_h),
        periods=n_steps,
        freq=step,
        name="time",
    )
    energy = np.full(len(uses), annual)
    power = dhw_profiles(
        time, energy, uses, timezone=tz, country="PT", seed=seed, diversity=diversity
    )
    dt_h = (time[1] - time[0]) / pd.Timedelta(hours=1)
    assert np.isfinite(power).all() and (power >= 0).all()
    np.testing.assert_allclose(power.sum(axis=0) * dt_h, energy, rtol=1e-6, atol=1e-9)
