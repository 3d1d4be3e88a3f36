"""Degree-hours of a weather series and of a climate's normal year (hand-solved cases)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sparcs.profiles._degree_hours import (
    NORMAL_MONTH_HOURS,
    degree_hours,
    month_hours,
    normal_degree_hours,
)


def test_degree_hours_of_a_constant_temperature() -> None:
    temp = np.full(10, 5.0)
    np.testing.assert_allclose(degree_hours(temp, [15.0, 5.0, 0.0], 0.5), [50.0, 0.0, 0.0])
    np.testing.assert_allclose(degree_hours(temp, [0.0, 10.0], 2.0, cooling=True), [100.0, 0.0])


def test_normal_degree_hours_without_scatter_is_the_plain_difference() -> None:
    flat = np.full(12, 5.0)
    hdh = normal_degree_hours(flat, np.zeros(12), [15.0, 5.0], day_sigma_k=1e-9)
    np.testing.assert_allclose(hdh, [10.0 * 8760.0, 0.0], atol=1e-4)


def test_scatter_adds_degree_hours_at_the_base() -> None:
    # a month whose mean equals the base: E[max(0, b - X)] = sigma / sqrt(2 pi) per hour
    flat = np.full(12, 15.0)
    hdh = normal_degree_hours(flat, np.zeros(12), 15.0, day_sigma_k=2.0)
    assert hdh[0] == pytest.approx(8760.0 * 2.0 / np.sqrt(2.0 * np.pi), rel=1e-9)
    cdh = normal_degree_hours(flat, np.zeros(12), 15.0, day_sigma_k=2.0, cooling=True)
    assert cdh[0] == pytest.approx(hdh[0], rel=1e-12)


def test_colder_normals_give_more_heating_degree_hours() -> None:
    temp = np.array([0, 1, 4, 8, 13, 16, 18, 18, 14, 10, 5, 1], float)
    amp = np.full(12, 4.0)
    assert normal_degree_hours(temp - 1, amp, 15.0)[0] > normal_degree_hours(temp, amp, 15.0)[0]
    assert (
        normal_degree_hours(temp + 1, amp, 18.0, cooling=True)[0]
        > normal_degree_hours(temp, amp, 18.0, cooling=True)[0]
    )


def test_month_hours_of_a_year_index() -> None:
    time = pd.date_range("2025-01-01", periods=8760, freq="h", tz="UTC", name="time")
    np.testing.assert_array_equal(month_hours(time, 1.0), NORMAL_MONTH_HOURS)
