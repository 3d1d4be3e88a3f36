"""CalTRACK daily change-point model: recovery, qualification, selection (hand-computed)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from mv_helpers import COOLING_BP_C, HEATING_BP_C, daily_temperature, daily_usage
from scipy import stats

from sparcs.monitoring import fit_baseline
from sparcs.monitoring.caltrack_daily import (
    DEFAULT_BALANCE_POINTS_C,
    MIN_DEGREE_DAYS_PER_YEAR,
    fahrenheit_to_celsius,
    fit_daily_model,
)


def test_grid_is_caltrack_30_to_90_f_in_3_f_steps_converted_to_celsius() -> None:
    assert DEFAULT_BALANCE_POINTS_C.size == 21
    assert DEFAULT_BALANCE_POINTS_C[0] == pytest.approx(-10 / 9)
    assert DEFAULT_BALANCE_POINTS_C[-1] == pytest.approx(290 / 9)
    assert np.diff(DEFAULT_BALANCE_POINTS_C) == pytest.approx(np.full(20, 5 / 3))
    assert fahrenheit_to_celsius(65.0) == pytest.approx(18.3333333)
    assert pytest.approx(20 / 1.8) == MIN_DEGREE_DAYS_PER_YEAR


def test_known_balance_points_and_slopes_are_recovered() -> None:
    temperature = daily_temperature()
    usage = daily_usage(temperature, noise=0.5)
    baseline = fit_baseline(usage, temperature, "daily")
    assert baseline.model_type == "hdd_cdd"
    assert baseline.balance_points_c == pytest.approx(
        {"heating": HEATING_BP_C, "cooling": COOLING_BP_C}
    )
    assert baseline.coefficients["intercept"] == pytest.approx(20.0, abs=0.3)
    assert baseline.coefficients["beta_hdd"] == pytest.approx(2.0, rel=0.02)
    assert baseline.coefficients["beta_cdd"] == pytest.approx(3.0, rel=0.05)
    assert baseline.n == 365 and baseline.n_params == 5
    assert baseline.r2 > 0.99 and baseline.accepted


def test_selected_coefficients_match_a_hand_built_least_squares_fit() -> None:
    temperature = daily_temperature(seed=3)
    usage = daily_usage(temperature, noise=2.0, seed=4)
    model = fit_daily_model(temperature.to_numpy(), usage.to_numpy())
    t, y = temperature.to_numpy(), usage.to_numpy()
    x = np.column_stack(
        [
            np.ones_like(t),
            np.maximum(model.heating_bp_c - t, 0),
            np.maximum(t - model.cooling_bp_c, 0),
        ]
    )
    coef, ssr, *_ = np.linalg.lstsq(x, y, rcond=None)
    assert [model.intercept, model.beta_hdd, model.beta_cdd] == pytest.approx(coef, rel=1e-9)
    sst = np.sum((y - y.mean()) ** 2)
    assert model.adj_r2 == pytest.approx(1 - (ssr[0] / (365 - 3)) / (sst / 364), rel=1e-9)
    # p-values from the textbook covariance σ²(XᵀX)⁻¹
    cov = ssr[0] / (365 - 3) * np.linalg.inv(x.T @ x)
    p = 2 * stats.t.sf(np.abs(coef / np.sqrt(np.diag(cov))), 365 - 3)
    row = model.candidates.query(
        "model_type == 'hdd_cdd' and heating_bp_c == @model.heating_bp_c "
        "and cooling_bp_c == @model.cooling_bp_c"
    ).iloc[0]
    assert [row.p_hdd, row.p_cdd] == pytest.approx(p[1:], rel=1e-6)


def test_selection_is_the_qualified_candidate_of_highest_adjusted_r2() -> None:
    temperature = daily_temperature(seed=5)
    model = fit_daily_model(temperature.to_numpy(), daily_usage(temperature, noise=4).to_numpy())
    table = model.candidates
    best = table[table.qualified].adj_r2.max()
    assert model.adj_r2 == best
    assert (table[~table.qualified].reason != "").all()
    # the cooling balance point is never below the heating one
    pairs = table[table.model_type == "hdd_cdd"]
    assert (pairs.cooling_bp_c >= pairs.heating_bp_c).all()
    assert len(pairs) == 21 * 22 // 2


def test_pure_intercept_series_selects_intercept_only() -> None:
    temperature = daily_temperature()
    usage = pd.Series(np.full(365, 12.0), index=temperature.index)
    baseline = fit_baseline(usage, temperature, "daily")
    assert baseline.model_type == "intercept_only"
    assert baseline.coefficients == {"intercept": 12.0, "beta_hdd": 0.0, "beta_cdd": 0.0}
    assert baseline.balance_points_c == {}
    noisy = usage + np.random.default_rng(7).normal(0, 1, 365)
    assert fit_baseline(noisy, temperature, "daily").model_type == "intercept_only"


def test_negative_heating_slope_is_disqualified() -> None:
    temperature = daily_temperature()
    t = temperature.to_numpy()
    usage = pd.Series(
        40 - 1.5 * np.maximum(HEATING_BP_C - t, 0) + np.random.default_rng(8).normal(0, 0.5, 365),
        index=temperature.index,
    )
    model = fit_daily_model(t, usage.to_numpy())
    hdd = model.candidates[model.candidates.model_type == "hdd_only"]
    assert not hdd.qualified.any()
    assert "slope not positive" in set(hdd.reason)
    assert model.beta_hdd == 0.0 and model.model_type in ("intercept_only", "cdd_only")


def test_slope_with_high_p_value_is_disqualified() -> None:
    temperature = daily_temperature()
    rng = np.random.default_rng(9)
    t = temperature.to_numpy()
    y = 50 + 0.01 * np.maximum(HEATING_BP_C - t, 0) + rng.normal(0, 5, 365)
    model = fit_daily_model(t, y, max_p_value=0.1)
    table = model.candidates[model.candidates.model_type == "hdd_only"]
    rejected = table[(table.beta_hdd > 0) & (table.p_hdd >= 0.1)]
    assert len(rejected) and not rejected.qualified.any()
    assert set(rejected.reason) <= {"p-value too high", "too few degree days", "negative intercept"}


def test_balance_points_with_too_few_degree_days_do_not_qualify() -> None:
    temperature = daily_temperature() + 12  # a warm site: the lowest balance points never heat
    model = fit_daily_model(temperature.to_numpy(), daily_usage(temperature).to_numpy())
    coldest = model.candidates[
        (model.candidates.model_type == "hdd_only")
        & (model.candidates.heating_bp_c < temperature.min())
    ]
    assert len(coldest) and (coldest.reason == "too few degree days").all()


def test_heat_and_fuel_meters_get_no_cooling_terms() -> None:
    temperature = daily_temperature()
    usage = daily_usage(temperature)
    baseline = fit_baseline(usage, temperature, "daily", carrier="heat")
    assert baseline.model_type == "hdd_only"
    types = set(baseline.model.candidates.model_type)
    assert types == {"intercept_only", "hdd_only"}


def test_hourly_readings_are_summed_to_local_days() -> None:
    daily = daily_temperature(days=366)
    hourly_index = pd.date_range(
        "2023-01-01", "2024-01-01", freq="h", tz="Europe/Berlin", inclusive="left"
    )
    temperature = daily.reindex(hourly_index.normalize()).set_axis(hourly_index)
    usage_daily = daily_usage(daily.iloc[:365], noise=0.3)
    per_hour = usage_daily.reindex(hourly_index.normalize()).to_numpy()
    hours_in_day = (
        pd.Series(1, index=hourly_index).groupby(hourly_index.normalize()).transform("sum")
    )
    usage = pd.Series(per_hour / hours_in_day.to_numpy(), index=hourly_index)
    from_hours = fit_baseline(usage, temperature, "daily")
    from_days = fit_baseline(usage_daily, daily.iloc[:365], "daily")
    assert from_hours.fitted["observed"].to_numpy() == pytest.approx(
        from_days.fitted["observed"].to_numpy()
    )
    assert from_hours.coefficients == pytest.approx(from_days.coefficients)
