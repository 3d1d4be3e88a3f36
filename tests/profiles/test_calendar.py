"""Local calendar, wall-clock grid and shared steps of the demand profiles."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from sparcs.errors import DataError, ScenarioError, TimeIndexError
from sparcs.profiles._annual import (
    check_annual,
    check_uses,
    column_blocks,
    fill_to_annual,
    make_rng,
    scale_to_annual,
)
from sparcs.profiles._calendar import (
    SATURDAY,
    SUMMER,
    SUNDAY,
    TRANSITION,
    WINTER,
    WORKDAY,
    day_types,
    keep_day_energy,
    public_holidays,
    wallclock_grid,
)
from sparcs.timeseries import year_index


def _on(calendar, day: str) -> np.ndarray:
    return calendar.local_date == np.datetime64(day)


def test_finnish_independence_day_is_a_sunday():
    cal = day_types(year_index(2024, "1h", "Europe/Helsinki"), "Europe/Helsinki", "FI")
    assert cal.is_holiday[_on(cal, "2024-12-06")].all()
    assert (cal.day_type[_on(cal, "2024-12-06")] == SUNDAY).all()  # a Friday
    assert (cal.day_type[_on(cal, "2024-12-05")] == WORKDAY).all()
    assert (cal.day_type[_on(cal, "2024-12-07")] == SATURDAY).all()
    assert (cal.day_type[_on(cal, "2024-12-08")] == SUNDAY).all()


def test_german_unity_day_and_regional_holidays():
    time = year_index(2025, "1h", "Europe/Berlin")
    national = day_types(time, "Europe/Berlin", "DE")
    assert (national.day_type[_on(national, "2025-10-03")] == SUNDAY).all()
    assert not national.is_holiday[_on(national, "2025-10-31")].any()
    saxony = day_types(time, "Europe/Berlin", "DE", subdivision="SN")
    assert saxony.is_holiday[_on(saxony, "2025-10-31")].all()  # Reformation Day


def test_no_country_means_no_holidays_and_unknown_country_is_an_error():
    time = year_index(2024, "1h", "Europe/Helsinki")
    assert not day_types(time, "Europe/Helsinki", None).is_holiday.any()
    with pytest.raises(ScenarioError, match="XX"):
        day_types(time, "Europe/Helsinki", "XX")
    assert public_holidays("UA", 2025) == frozenset()  # martial law: holidays are work days
    assert date(2025, 12, 25) in public_holidays("CZ", 2025)
    for country in ("FI", "DE", "IS", "PT", "GR", "CZ"):
        assert date(2025, 1, 1) in public_holidays(country, 2025)


def test_local_hour_and_dst_day_lengths():
    time = year_index(2025, "1h", "Europe/Berlin")
    cal = day_types(time, "Europe/Berlin", "DE")
    assert cal.hour[0] == 0.0 and cal.local_date[0] == np.datetime64("2025-01-01")
    assert _on(cal, "2025-03-30").sum() == 23
    assert _on(cal, "2025-10-26").sum() == 25
    assert 2.0 not in cal.hour[_on(cal, "2025-03-30")]
    assert (cal.hour[_on(cal, "2025-10-26")] == 2.0).sum() == 2
    helsinki = day_types(time, "Europe/Helsinki", "FI")
    assert helsinki.hour[0] == 1.0  # 23:00 UTC is 01:00 in Helsinki in winter


@pytest.mark.parametrize(
    ("day", "season"),
    [
        ("2025-03-20", WINTER),
        ("2025-03-21", TRANSITION),
        ("2025-05-14", TRANSITION),
        ("2025-05-15", SUMMER),
        ("2025-09-14", SUMMER),
        ("2025-09-15", TRANSITION),
        ("2025-10-31", TRANSITION),
        ("2025-11-01", WINTER),
    ],
)
def test_bdew_seasons(day, season):
    cal = day_types(year_index(2025, "1h", "Europe/Berlin"), "Europe/Berlin", "DE")
    assert (cal.season[_on(cal, day)] == season).all()


@pytest.mark.parametrize(
    ("step", "fine_s", "n_sub"),
    [("1h", 900, 4), ("15min", 900, 1), ("5min", 300, 1), ("20min", 300, 4), ("2h", 900, 8)],
)
def test_wallclock_grid_steps(step, fine_s, n_sub):
    time = pd.date_range("2025-03-29 10:00", periods=40, freq=step, tz="UTC", name="time")
    grid = wallclock_grid(time, "Europe/Berlin", "DE")
    assert (grid.fine_s, grid.n_sub) == (fine_s, n_sub)
    assert grid.offset * fine_s == (10 * 3600 + 3600)  # from local midnight (UTC+1)
    counts = np.bincount(grid.day_pos)
    full = 86_400 // fine_s
    assert set(counts[grid.odd_days]) <= {full - 3600 // fine_s}
    assert (np.delete(counts, grid.odd_days) == full).all()  # whole local days


def test_keep_day_energy_restores_nominal_days():
    time = year_index(2025, "15min", "Europe/Helsinki")
    grid = wallclock_grid(time, "Europe/Helsinki", "FI")
    assert [str(grid.days.number[d].astype("datetime64[D]")) for d in grid.odd_days] == [
        "2025-03-30",
        "2025-10-26",
    ]

    def evaluate(day_pos, minute):
        return np.stack([1.0 + minute / 60.0, np.ones(minute.shape)], axis=1)

    values = keep_day_energy(grid, evaluate)
    nominal = np.array([(1.0 + np.arange(96) * 15 / 60.0).sum(), 96.0])
    for k in range(2):
        per_day = np.bincount(grid.day_pos, weights=values[:, k])
        np.testing.assert_allclose(per_day, nominal[k], rtol=1e-12)


def test_bad_step_and_naive_index():
    with pytest.raises(TimeIndexError):
        wallclock_grid(pd.date_range("2025-01-01", periods=4, freq="1h"), "Europe/Berlin", "DE")
    odd = pd.date_range("2025-01-01", periods=4, freq="1500ms", tz="UTC", name="time")
    with pytest.raises(TimeIndexError, match="whole number of seconds"):
        wallclock_grid(odd, "Europe/Berlin", "DE")


def test_scale_to_annual():
    shape = np.array([[1.0, 0.0, 2.0], [3.0, 0.0, 2.0]])
    out = scale_to_annual(shape, np.array([8.0, 0.0, 2.0]), 0.5)
    np.testing.assert_allclose(out.sum(axis=0) * 0.5, [8.0, 0.0, 2.0])
    assert (out[:, 1] == 0).all()
    with pytest.raises(DataError, match="building 1"):
        scale_to_annual(shape, np.array([1.0, 1.0, 1.0]), 1.0)


def test_column_blocks_cover_every_column_once():
    for n_steps, n_columns in [(8760, 0), (8760, 1), (8760, 100), (35_136, 7), (1, 3), (0, 2)]:
        blocks = column_blocks(n_steps, n_columns)
        covered = np.concatenate([np.arange(n_columns)[b] for b in blocks] or [np.zeros(0)])
        np.testing.assert_array_equal(covered, np.arange(n_columns))
    assert len(column_blocks(8760, 100)) > 1  # the case below spans several blocks


def test_fill_to_annual_equals_scale_to_annual_bit_for_bit():
    rng = np.random.default_rng(5)
    shape = np.asfortranarray(rng.gamma(2.0, 1.0, (8760, 100)))
    annual = rng.uniform(0.0, 5000.0, 100)
    annual[[3, 60]] = 0.0
    calls = []

    def fill(columns: np.ndarray, out: np.ndarray) -> None:
        assert out.flags.f_contiguous and out.shape == (8760, columns.size)
        calls.append(columns)
        out[...] = shape[:, columns]

    out = fill_to_annual(8760, annual, 0.25, fill)
    assert len(calls) > 1 and out.flags.f_contiguous
    np.testing.assert_array_equal(out, scale_to_annual(shape, annual, 0.25))
    filled = np.concatenate(calls)
    # every building with energy once, in order; those without are zeros never filled
    np.testing.assert_array_equal(filled, np.setdiff1d(np.arange(100), [3, 60]))


def test_fill_to_annual_writes_into_the_callers_buffer():
    annual = np.array([1.0, 0.0, 2.0])

    def fill(columns: np.ndarray, out: np.ndarray) -> None:
        out[...] = 1.0

    buffer = np.zeros((24, 4), order="F")
    out = fill_to_annual(24, annual, 1.0, fill, out=buffer[:, :3])
    assert out.shape == (24, 3) and out.flags.f_contiguous and out.base is buffer
    np.testing.assert_array_equal(buffer[:, :3], out)
    assert not buffer[:, 3].any() and not out[:, 1].any()
    np.testing.assert_allclose(out.sum(axis=0), annual)
    with pytest.raises(DataError, match=r"column-major zeros of shape \(24, 3\)"):
        fill_to_annual(24, annual, 1.0, fill, out=np.zeros((24, 3)))


def test_fill_to_annual_names_the_building_of_a_zero_shape_in_a_later_block():
    annual = np.ones(100)

    def fill(columns: np.ndarray, out: np.ndarray) -> None:
        out[...] = 1.0
        out[:, columns == 70] = 0.0

    with pytest.raises(DataError, match="building 70:"):
        fill_to_annual(8760, annual, 1.0, fill)


def test_input_checks():
    with pytest.raises(DataError, match=r"annual_kwh\[1\]"):
        check_annual([1.0, -2.0])
    with pytest.raises(DataError, match="finite"):
        check_annual([np.nan])
    with pytest.raises(DataError, match="1-D"):
        check_annual([[1.0]])
    with pytest.raises(DataError, match="3 buildings"):
        check_annual([1.0], 3)
    with pytest.raises(ScenarioError, match="castle"):
        check_uses(["office", "castle"], 2)
    with pytest.raises(ScenarioError, match="seed"):
        make_rng(-1, 1, 1.0)
    with pytest.raises(ScenarioError, match="diversity"):
        make_rng(1, 1, -0.5)
