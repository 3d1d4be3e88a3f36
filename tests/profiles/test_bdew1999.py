"""The BDEW 1999 lookup against demandlib, the reference it replaces on the hot path."""

from __future__ import annotations

import warnings
from datetime import date

import numpy as np
import pytest
from demandlib import bdew
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.profiles._bdew1999 import SELP_TYPES, bdew_1999_year
from sparcs.profiles._calendar import public_holidays


def _demandlib(year: int, holidays: tuple[date, ...]) -> np.ndarray:
    with warnings.catch_warnings():  # ElecSlp sets warnings.simplefilter("error")
        slp = bdew.ElecSlp(year, holidays=list(holidays))
        return slp.get_profiles(*SELP_TYPES, "h0_dyn").to_numpy(dtype=np.float64)


@pytest.mark.parametrize(
    ("year", "country"), [(2025, "DE"), (2024, "FI"), (2023, "UA"), (2020, None)]
)
def test_equal_to_demandlib_value_for_value(year, country):
    free = tuple(sorted(public_holidays(country, year))) if country else ()
    np.testing.assert_array_equal(bdew_1999_year(year, free), _demandlib(year, free))


@settings(max_examples=3, deadline=None)
@given(
    year=st.integers(1990, 2060),
    days=st.sets(st.integers(0, 364), max_size=12),
)
def test_equal_to_demandlib_on_any_year_and_holiday_set(year, days):
    free = tuple(sorted(date.fromordinal(date(year, 1, 1).toordinal() + d) for d in days))
    np.testing.assert_array_equal(bdew_1999_year(year, free), _demandlib(year, free))


def test_a_holiday_takes_the_sunday_values_and_every_type_sums_to_one():
    plain = bdew_1999_year(2025, ())
    holiday = bdew_1999_year(2025, (date(2025, 10, 3),))  # a Friday; Sunday is 5 October
    friday, sunday = slice(275 * 96, 276 * 96), slice(277 * 96, 278 * 96)
    assert not np.allclose(plain[friday, :11], plain[sunday, :11])
    np.testing.assert_array_equal(holiday[friday, :11], holiday[sunday, :11])
    np.testing.assert_allclose(plain[:, :11].sum(axis=0), 1.0, rtol=1e-12)
    assert plain.shape == (365 * 96, 12)
    assert bdew_1999_year(2024, ()).shape == (366 * 96, 12)
