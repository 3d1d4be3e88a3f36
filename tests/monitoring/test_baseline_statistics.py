"""ASHRAE Guideline 14 statistics and the fractional savings uncertainty, by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sparcs.monitoring import ASHRAE14_HOURLY, CALTRACK_PORTFOLIO, Criteria
from sparcs.monitoring.statistics import (
    adjusted_r_squared,
    check_fit,
    cvrmse,
    fractional_savings_uncertainty,
    lag1_autocorrelation,
    nmbe,
    r_squared,
)

OBSERVED = np.array([10.0, 12.0, 9.0, 11.0, 13.0, 5.0])
PREDICTED = np.array([11.0, 11.0, 10.0, 10.0, 12.0, 6.0])


def test_cvrmse_nmbe_and_r2_by_hand() -> None:
    # residuals y - ŷ: -1, 1, -1, 1, 1, -1; Σe² = 6; Σe = 0; ȳ = 60/6 = 10
    assert cvrmse(OBSERVED, PREDICTED, n_params=2) == pytest.approx(math.sqrt(6 / 4) / 10)
    assert nmbe(OBSERVED, PREDICTED, n_params=2) == 0.0
    # SS_tot = 0 + 4 + 1 + 1 + 9 + 25 = 40
    assert r_squared(OBSERVED, PREDICTED) == pytest.approx(1 - 6 / 40)


def test_nmbe_sign_is_positive_when_the_model_under_predicts() -> None:
    # Σ(y - ŷ) = 6 over (n - p) = 5 periods, ȳ = 10
    assert nmbe(OBSERVED, OBSERVED - 1.0, n_params=1) == pytest.approx(6 / (5 * 10))
    assert nmbe(OBSERVED, OBSERVED + 1.0, n_params=1) < 0


def test_statistics_skip_missing_pairs_and_need_more_points_than_parameters() -> None:
    y = np.append(OBSERVED, np.nan)
    yhat = np.append(PREDICTED, 3.0)
    assert cvrmse(y, yhat, 2) == pytest.approx(cvrmse(OBSERVED, PREDICTED, 2))
    assert math.isnan(cvrmse(OBSERVED, PREDICTED, n_params=6))


def test_adjusted_r2_caltrack_definition() -> None:
    # 1 - (SS_res/(P - c - 1)) / (SS_tot/(P - 1)) with P = 6, c = 1
    assert adjusted_r_squared(6.0, 40.0, 6, 1) == pytest.approx(1 - (6 / 4) / (40 / 5))


def test_lag1_autocorrelation_by_hand() -> None:
    e = np.array([1.0, 2.0, -1.0, -2.0])  # mean 0; Σe_t e_(t-1) = 2 - 2 + 2 = 2; Σe² = 10
    assert lag1_autocorrelation(e) == pytest.approx(0.2)


def test_fsu_daily_by_hand() -> None:
    # CalTRACK §4.3.2.4: t(aM² + bM + d) CV sqrt(P/P' (1 + 2/P') / Q) / F
    cv, n, p, rho, q, f, m = 0.2, 365, 3, 0.5, 180, 0.1, 6
    n_eff = n * (1 - rho) / (1 + rho)
    t = stats.t.ppf(0.95, n - p)
    k = -0.00024 * m**2 + 0.03535 * m + 1.00286
    expected = t * k * cv * math.sqrt(n / n_eff * (1 + 2 / n_eff) / q) / f
    got = fractional_savings_uncertainty(
        cvrmse=cv,
        n=n,
        n_params=p,
        rho=rho,
        n_reporting=q,
        savings_fraction=f,
        months=m,
        confidence=0.9,
        frequency="daily",
    )
    assert got == pytest.approx(expected, rel=1e-12)
    # by hand: P' = 121.67, sqrt(3 · 1.01644 / 180) = 0.13016, t(0.95; 362) = 1.6490,
    # k = -0.00864 + 0.2121 + 1.00286 = 1.20632 -> 1.6490 · 1.20632 · 0.2 · 0.13016 / 0.1
    assert expected == pytest.approx(0.5178, abs=2e-4)


def test_fsu_hourly_uses_the_g14_factor_and_billing_its_own_coefficients() -> None:
    common = {
        "cvrmse": 0.3,
        "n": 8760,
        "n_params": 180,
        "rho": 0.0,
        "n_reporting": 8760,
        "savings_fraction": 0.2,
        "months": 12,
        "confidence": 0.68,
    }
    hourly = fractional_savings_uncertainty(frequency="hourly", **common)
    t = stats.t.ppf(0.84, 8760 - 180)
    assert hourly == pytest.approx(t * 1.26 * 0.3 * math.sqrt(1 + 2 / 8760) / math.sqrt(8760) / 0.2)
    billing = fractional_savings_uncertainty(frequency="billing", **common)
    k = -0.00022 * 144 + 0.03306 * 12 + 0.94054
    assert billing == pytest.approx(hourly / 1.26 * k)


def test_fsu_without_savings_is_infinite() -> None:
    assert math.isinf(
        fractional_savings_uncertainty(
            cvrmse=0.2,
            n=365,
            n_params=1,
            rho=0.0,
            n_reporting=30,
            savings_fraction=0.0,
            months=1,
            confidence=0.9,
            frequency="daily",
        )
    )


def test_checks_report_value_threshold_and_source() -> None:
    checks = check_fit(ASHRAE14_HOURLY, cvrmse=0.35, nmbe=-0.02, r2=0.6)
    by_name = {c.name: c for c in checks}
    assert not by_name["cvrmse"].passed and by_name["cvrmse"].threshold == 0.30
    assert by_name["nmbe"].passed
    assert not by_name["r2"].passed and by_name["r2"].advisory
    assert "ASHRAE Guideline 14" in str(by_name["cvrmse"])
    assert [c.name for c in check_fit(CALTRACK_PORTFOLIO, cvrmse=0.9, nmbe=0.5, r2=0.1)] == [
        "cvrmse"
    ]
    custom = Criteria("procurer", cvrmse_max=0.25, nmbe_max=0.01, r2_min=None)
    assert [c.passed for c in check_fit(custom, cvrmse=0.2, nmbe=0.02, r2=0.0)] == [True, False]
