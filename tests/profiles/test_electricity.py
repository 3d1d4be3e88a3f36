"""BDEW electricity profiles: energy, local calendar, DST, diversity and the demandlib wrapper."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.data import USES
from sparcs.errors import ScenarioError
from sparcs.profiles._annual import scale_to_annual
from sparcs.profiles._calendar import (
    public_holidays,
    wallclock_grid,
)
from sparcs.profiles._diversity import NOISE_POOL, ar1_factor, diversify, draw_shifts, shifted_means
from sparcs.profiles.electricity import (
    AUTO_PROFILE,
    BDEW_1999,
    PROFILE_TYPES,
    _call_demandlib,
    electricity_profiles,
    resolve_profile_types,
)
from sparcs.timeseries import year_index

BERLIN = {"timezone": "Europe/Berlin", "country": "DE"}
HELSINKI = {"timezone": "Europe/Helsinki", "country": "FI"}


def _daily_kwh(power: np.ndarray, time: pd.DatetimeIndex, tz: str) -> pd.DataFrame:
    dt_h = (time[1] - time[0]) / pd.Timedelta(hours=1)
    local = time.tz_convert(tz)
    return pd.DataFrame(power * dt_h, index=local).groupby(local.date).sum()


def _local_day(power: np.ndarray, time: pd.DatetimeIndex, tz: str, day: str) -> np.ndarray:
    return power[np.asarray(time.tz_convert(tz).date == pd.Timestamp(day).date())]


def test_demandlib_wrapper_leaves_warning_filters_unchanged():
    _call_demandlib.cache_clear()
    before = list(warnings.filters)
    time = year_index(2025, "1h", "Europe/Berlin")
    electricity_profiles(time, [3000.0, 1.0], ["h0", "h25"], seed=1, **BERLIN)
    assert list(warnings.filters) == before
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        inner = list(warnings.filters)
        _call_demandlib.cache_clear()
        electricity_profiles(time, [3000.0], ["g0"], **BERLIN)
        assert list(warnings.filters) == inner


@pytest.mark.parametrize("step", ["1h", "15min"])
def test_sums_equal_annual_for_every_type(step):
    time = year_index(2025, step, "Europe/Berlin")
    annual = np.linspace(500.0, 20_000.0, len(PROFILE_TYPES))
    power = electricity_profiles(time, annual, list(PROFILE_TYPES), seed=3, **BERLIN)
    dt_h = (time[1] - time[0]) / pd.Timedelta(hours=1)
    assert power.shape == (len(time), len(PROFILE_TYPES))
    assert (power >= 0).all() and np.isfinite(power).all()
    np.testing.assert_allclose(power.sum(axis=0) * dt_h, annual, rtol=1e-9)


def test_zero_annual_gives_zeros_and_no_buildings_gives_empty():
    time = year_index(2025, "1h", "Europe/Berlin")
    power = electricity_profiles(time, [0.0, 100.0], ["h0", "h0"], **BERLIN)
    assert (power[:, 0] == 0).all() and power[:, 1].sum() == pytest.approx(100.0)
    assert electricity_profiles(time, [], [], **BERLIN).shape == (8760, 0)


@pytest.mark.parametrize(("city", "tz"), [(BERLIN, "Europe/Berlin"), (HELSINKI, "Europe/Helsinki")])
@pytest.mark.parametrize("step", ["1h", "15min"])
def test_every_local_day_keeps_its_bdew_energy_including_dst_days(city, tz, step):
    time = year_index(2025, step, tz)
    power = electricity_profiles(time, [1e6, 1e6], ["h0", "g0"], diversity=0.0, **city)
    daily = _daily_kwh(power, time, tz)
    free = tuple(sorted(public_holidays(city["country"], 2025)))
    table = _call_demandlib(2025, free, "1999")
    for k, kind in enumerate(("h0", "g0")):
        bdew = table[:, BDEW_1999.index(kind)].reshape(365, 96).sum(axis=1)
        np.testing.assert_allclose(daily[k].to_numpy(), 1e6 * bdew / bdew.sum(), rtol=1e-9)
    per_hour = 4 if step == "15min" else 1
    assert len(_local_day(power, time, tz, "2025-03-30")) == 23 * per_hour
    assert len(_local_day(power, time, tz, "2025-10-26")) == 25 * per_hour


@pytest.mark.parametrize(
    ("city", "tz", "year", "holiday", "sunday", "workday"),
    [
        (HELSINKI, "Europe/Helsinki", 2024, "2024-12-06", "2024-12-08", "2024-12-05"),
        (BERLIN, "Europe/Berlin", 2025, "2025-10-03", "2025-10-05", "2025-10-02"),
    ],
)
def test_holidays_behave_like_sundays(city, tz, year, holiday, sunday, workday):
    time = year_index(year, "1h", tz)
    power = electricity_profiles(time, [1e5], ["g1"], diversity=0.0, **city)[:, 0]
    on_holiday = _local_day(power, time, tz, holiday)
    np.testing.assert_allclose(on_holiday, _local_day(power, time, tz, sunday), rtol=1e-9)
    assert on_holiday.sum() < 0.5 * _local_day(power, time, tz, workday).sum()
    plain = electricity_profiles(time, [1e5], ["g1"], diversity=0.0, timezone=tz, country=None)
    on_plain = _local_day(plain[:, 0], time, tz, holiday)
    assert on_plain.sum() > 2.0 * on_holiday.sum()  # without holidays it is a working day


def test_profile_follows_the_local_clock():
    for tz, city in (("Europe/Berlin", BERLIN), ("Europe/Helsinki", HELSINKI)):
        time = year_index(2025, "1h", tz)
        power = electricity_profiles(time, [1e5], ["g1"], diversity=0.0, **city)[:, 0]
        day = _local_day(power, time, tz, "2025-01-15")  # a Wednesday
        assert day.argmax() in range(8, 13)  # g1: working hours in local time
        assert day[:6].max() < 0.25 * day.max()


def test_fifteen_minutes_and_hourly_agree():
    uses = ["single_family", "office", "retail", "hotel", "sports"] * 4
    kinds = ["auto"] * len(uses)
    annual = np.full(len(uses), 4000.0)
    hourly_t = year_index(2025, "1h", "Europe/Berlin")
    quarter_t = year_index(2025, "15min", "Europe/Berlin")
    for diversity in (0.0, 1.0):
        hourly = electricity_profiles(
            hourly_t, annual, kinds, uses=uses, diversity=diversity, **BERLIN
        )
        quarter = electricity_profiles(
            quarter_t, annual, kinds, uses=uses, diversity=diversity, **BERLIN
        )
        means = quarter.reshape(len(hourly_t), 4, -1).mean(axis=1)
        if diversity == 0.0:
            np.testing.assert_allclose(means, hourly, rtol=1e-9)
        else:
            district = np.corrcoef(means.sum(axis=1), hourly.sum(axis=1))[0, 1]
            assert district > 0.98
            np.testing.assert_allclose(means.sum(axis=0), hourly.sum(axis=0), rtol=1e-9)


def test_diversity_buildings_differ_but_sums_hold():
    time = year_index(2025, "1h", "Europe/Berlin")
    n = 50
    annual = np.full(n, 3000.0)
    power = electricity_profiles(time, annual, ["h0_dyn"] * n, seed=7, **BERLIN)
    np.testing.assert_allclose(power.sum(axis=0), annual, rtol=1e-9)
    assert len({round(float(v), 9) for v in power[1000]}) == n  # no two alike
    corr = np.corrcoef(power.T)[np.triu_indices(n, 1)]
    assert 0.3 < corr.mean() < 0.97
    single = power[:, 0].max() / power[:, 0].mean()
    district = power.sum(axis=1).max() / power.sum(axis=1).mean()
    assert district < single  # coincidence below one
    copies = electricity_profiles(time, annual, ["h0_dyn"] * n, diversity=0.0, **BERLIN)
    np.testing.assert_allclose(copies, copies[:, :1].repeat(n, axis=1))


def test_reproducible_with_seed():
    time = year_index(2025, "15min", "Europe/Helsinki")[:2000]
    args = (time, [100.0, 200.0, 300.0], ["h0", "g4", "h25"])
    first = electricity_profiles(*args, seed=11, **HELSINKI)
    np.testing.assert_array_equal(first, electricity_profiles(*args, seed=11, **HELSINKI))
    assert not np.allclose(first, electricity_profiles(*args, seed=12, **HELSINKI))


def test_partial_index_across_new_year_and_odd_steps():
    for step in ("15min", "5min", "2h"):
        time = pd.date_range(
            "2024-12-30 05:10" if step == "5min" else "2024-12-30 05:00",
            "2025-01-02 17:00",
            freq=step,
            tz="UTC",
            inclusive="left",
            name="time",
        )
        power = electricity_profiles(time, [50.0, 80.0], ["h0", "g25"], seed=2, **HELSINKI)
        dt_h = (time[1] - time[0]) / pd.Timedelta(hours=1)
        np.testing.assert_allclose(power.sum(axis=0) * dt_h, [50.0, 80.0], rtol=1e-9)


def test_auto_mapping_and_errors():
    assert set(AUTO_PROFILE) == set(USES)
    assert resolve_profile_types(["auto", "g4", "auto"], ["office", "hotel", "single_family"]) == (
        "g1",
        "g4",
        "h0_dyn",
    )
    time = year_index(2025, "1h", "Europe/Berlin")
    with pytest.raises(ScenarioError, match="needs the building use"):
        electricity_profiles(time, [1.0], ["auto"], **BERLIN)
    with pytest.raises(ScenarioError, match="h9"):
        electricity_profiles(time, [1.0], ["h9"], **BERLIN)
    with pytest.raises(ScenarioError, match="castle"):
        resolve_profile_types(["auto"], ["castle"])
    with pytest.raises(ScenarioError, match="time zone"):
        electricity_profiles(time, [1.0], ["h0"], timezone="Mars/Olympus", country="DE")


@settings(max_examples=25, deadline=None)
@given(
    start_h=st.integers(0, 24 * 360),
    n_steps=st.integers(2, 200),
    step=st.sampled_from(["15min", "1h"]),
    kinds=st.lists(st.sampled_from(PROFILE_TYPES), min_size=1, max_size=4),
    annual=st.floats(0.0, 1e6),
    seed=st.integers(0, 2**31),
    diversity=st.floats(0.0, 2.0),
    country=st.sampled_from(["DE", "FI"]),
)
def test_invariants(start_h, n_steps, step, kinds, annual, seed, diversity, country):
    tz = "Europe/Berlin" if country == "DE" else "Europe/Helsinki"
    time = pd.date_range(
        pd.Timestamp("2025-01-01", tz="UTC") + pd.Timedelta(hours=start_h),
        periods=n_steps,
        freq=step,
        name="time",
    )
    energy = np.full(len(kinds), annual)
    power = electricity_profiles(
        time, energy, kinds, timezone=tz, country=country, seed=seed, diversity=diversity
    )
    dt_h = (time[1] - time[0]) / pd.Timedelta(hours=1)
    assert power.shape == (n_steps, len(kinds))
    assert np.isfinite(power).all() and (power >= 0).all()
    np.testing.assert_allclose(power.sum(axis=0) * dt_h, energy, rtol=1e-6, atol=1e-9)


def _ar1_by_steps(
    rng: np.random.Generator, shape: tuple[int, int], std: float, memory_steps: float
) -> np.ndarray:
    """The AR(1) noise written as the plain loop over steps (the definition)."""
    n_steps, n_columns = shape
    n_pool = min(NOISE_POOL, n_columns)
    pool = rng.standard_normal((n_steps, n_pool))
    phi = math.exp(-1.0 / max(memory_steps, 1e-9))
    pool[1:] *= math.sqrt(1.0 - phi * phi)
    for t in range(1, n_steps):
        pool[t] += phi * pool[t - 1]
    pool = np.exp(std * pool - 0.5 * std * std)
    member = rng.integers(0, n_pool, size=n_columns)
    offset = rng.integers(0, n_steps, size=n_columns)
    return np.stack([np.roll(pool[:, m], -o) for m, o in zip(member, offset, strict=True)], 1)


@pytest.mark.parametrize("shape", [(8760, 300), (96, 3), (1, 2)])
def test_ar1_factor_equals_the_loop_over_steps_bit_for_bit(shape):
    fast = ar1_factor(np.random.default_rng(3), shape, 0.15, 2.0)
    np.testing.assert_array_equal(fast, _ar1_by_steps(np.random.default_rng(3), shape, 0.15, 2.0))


@pytest.mark.parametrize(("step", "noise_std"), [("1h", 0.15), ("15min", 0.3), ("1h", 0.0)])
def test_diversify_equals_its_definition_bit_for_bit(step, noise_std):
    time = year_index(2025, step, "Europe/Berlin")
    grid = wallclock_grid(time, "Europe/Berlin", "DE")
    base = np.random.default_rng(1).uniform(0.1, 1.0, (grid.day_pos.size, 3))
    groups = np.random.default_rng(2).integers(0, 3, 70)
    annual = np.random.default_rng(4).uniform(0.0, 9000.0, 70)
    kwargs = {"shift_min": 45.0, "noise_std": noise_std, "noise_hours": 2.0}
    out = diversify(grid, base, groups, annual, np.random.default_rng(9), **kwargs)
    rng = np.random.default_rng(9)
    dt_h = (time[1] - time[0]) / pd.Timedelta(hours=1)
    shape = shifted_means(base, groups, draw_shifts(rng, 70, 45.0, grid.fine_s), grid)
    if noise_std > 0:
        shape *= ar1_factor(rng, shape.shape, noise_std, 2.0 / dt_h)
    np.testing.assert_array_equal(out, scale_to_annual(shape, annual, dt_h))
    assert out.flags.f_contiguous
