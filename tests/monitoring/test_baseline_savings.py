"""Avoided energy use: counterfactual, masking, FSU at three confidence levels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from mv_helpers import daily_temperature, daily_usage, hourly_frame
from scipy import stats

from sparcs.errors import DataError
from sparcs.monitoring import avoided_energy, fit_baseline


@pytest.fixture
def two_years() -> tuple[pd.Series, pd.Series]:
    temperature = daily_temperature("2023-01-01", 731, seed=11)
    return daily_usage(temperature, seed=12), temperature


def test_ten_percent_savings_are_found_with_their_uncertainty(
    two_years: tuple[pd.Series, pd.Series],
) -> None:
    usage, temperature = two_years
    baseline = fit_baseline(usage[:"2023-12-31"], temperature)
    after = usage["2024-01-01":] * 0.9
    result = avoided_energy(baseline, after, temperature)
    assert result.n_periods == 366 and result.n_masked == 0 and result.months == 12
    assert result.savings_fraction == pytest.approx(0.1, abs=0.01)
    assert result.avoided_kwh == pytest.approx(result.counterfactual_kwh - result.observed_kwh)
    assert result.observed_kwh == pytest.approx(after.sum())
    assert result.fsu[0.68] < result.fsu[0.90] < result.fsu[0.95]
    # FSU by hand from the baseline's statistics (CalTRACK §4.3.2.4, daily coefficients)
    n, p, rho = baseline.n, baseline.n_params, baseline.rho
    n_eff = n * (1 - rho) / (1 + rho)
    k = -0.00024 * 144 + 0.03535 * 12 + 1.00286
    by_hand = (
        stats.t.ppf(0.95, n - p)
        * k
        * baseline.cvrmse
        * math.sqrt(n / n_eff * (1 + 2 / n_eff) / 366)
        / result.savings_fraction
    )
    assert result.fsu[0.90] == pytest.approx(by_hand)
    assert result.uncertainty_kwh[0.90] == pytest.approx(by_hand * result.avoided_kwh)
    assert [c.name for c in result.checks] == ["fsu@68%"] and result.checks[0].passed
    assert result.counterfactual.index[0] == pd.Timestamp("2023-12-31T23:00Z")


def test_counterfactual_is_the_baseline_driven_by_reporting_weather(
    two_years: tuple[pd.Series, pd.Series],
) -> None:
    usage, temperature = two_years
    baseline = fit_baseline(usage[:"2023-12-31"], temperature)
    result = avoided_energy(baseline, usage["2024-01-01":], temperature)
    m = baseline.model
    t = temperature["2024-01-01":].to_numpy()
    expected = (
        m.intercept
        + m.beta_hdd * np.maximum(m.heating_bp_c - t, 0)
        + m.beta_cdd * np.maximum(t - m.cooling_bp_c, 0)
    )
    assert result.counterfactual.to_numpy() == pytest.approx(expected)
    assert abs(result.savings_fraction) < 0.02  # no intervention, no savings


def test_days_without_usage_or_temperature_are_masked(
    two_years: tuple[pd.Series, pd.Series],
) -> None:
    usage, temperature = two_years
    baseline = fit_baseline(usage[:"2023-12-31"], temperature)
    after = usage["2024-01-01":].copy()
    after.iloc[:5] = np.nan
    after.iloc[5:8] = 0.0  # electricity: zeros are missing
    temp = temperature.copy()
    temp["2024-06-01":"2024-06-04"] = np.nan
    result = avoided_energy(baseline, after, temp)
    assert result.n_masked == 12 and result.n_periods == 366 - 12
    assert result.series["avoided"].isna().sum() == 12


def test_hourly_savings_and_a_reporting_month_without_baseline_data() -> None:
    frame = hourly_frame("2023-01-01", "2024-07-01")
    baseline = fit_baseline(frame["usage"][:"2023-12-31"], frame["temperature"], "hourly")
    after = frame["usage"]["2024-01-01":] - 1.0
    result = avoided_energy(baseline, after, frame["temperature"])
    assert result.avoided_kwh == pytest.approx(len(after), rel=0.05)
    assert result.months == 6 and result.fsu[0.68] < 0.5
    short = fit_baseline(frame["usage"]["2023-03-01":"2023-05-31"], frame["temperature"], "hourly")
    with pytest.raises(DataError, match="no data in January") as exc:
        avoided_energy(short, after, frame["temperature"])
    assert "\n" not in str(exc.value)
