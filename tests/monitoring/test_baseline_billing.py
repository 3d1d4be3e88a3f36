"""CalTRACK billing method: periods, averaged degree days, WLS fit, drop rules, savings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sparcs.errors import InsufficientDataError, TimeIndexError
from sparcs.monitoring import avoided_energy, fit_baseline
from sparcs.monitoring.caltrack_billing import billing_periods
from sparcs.monitoring.caltrack_daily import fit_degree_day_model

ZONE = "Europe/Berlin"


def _reads(dates: list[str], values: list[float]) -> pd.Series:
    """Billing reads: a value per read date; the last date closes the last period (NaN)."""
    return pd.Series([*values, np.nan], index=pd.DatetimeIndex(dates, tz=ZONE))


def _days(start: str, end: str, temps: np.ndarray | float) -> pd.Series:
    index = pd.date_range(start, end, freq="D", inclusive="left", tz=ZONE)
    return pd.Series(np.broadcast_to(temps, (len(index),)).astype(float), index=index)


def test_degree_days_are_the_mean_of_daily_degree_days_not_of_the_mean_temperature() -> None:
    # 30 days alternating 0 °C and 20 °C: mean 10 °C, so HDD(10 °C) of the mean would be 0;
    # CalTRACK averages the daily HDD: (10 + 0) / 2 = 5 K·d per day
    temps = np.tile([0.0, 20.0], 15)
    periods = billing_periods(
        _reads(["2024-01-01", "2024-01-31"], [300.0]),
        _days("2024-01-01", "2024-01-31", temps),
        timezone=ZONE,
    )
    hdd, cdd = periods.degree_days(np.array([10.0, 15.0]))
    assert periods.days.tolist() == [30]
    assert periods.usage_per_day.tolist() == [10.0]
    assert hdd[:, 0].tolist() == [5.0, 7.5]  # (15 + 0) / 2 at 15 °C
    assert cdd[:, 0].tolist() == [5.0, 2.5]


def test_period_lengths_follow_local_days_across_dst() -> None:
    # March 2025 in Berlin has 23-hour 30 March: still 31 local days
    periods = billing_periods(
        _reads(["2025-03-01", "2025-04-01", "2025-05-01"], [310.0, 300.0]),
        _days("2025-03-01", "2025-05-01", 8.0),
        timezone=ZONE,
    )
    assert periods.days.tolist() == [31, 30]
    assert periods.usage_per_day.tolist() == [10.0, 10.0]
    assert periods.coverage.tolist() == [1.0, 1.0]


def test_off_cycle_long_and_cold_less_periods_are_dropped() -> None:
    dates = ["2024-01-01", "2024-01-21", "2024-03-01", "2024-04-01", "2024-05-01"]
    temperature = _days("2024-01-01", "2024-05-01", 5.0)
    temperature[(temperature.index >= "2024-04-01") & (temperature.index < "2024-04-05")] = np.nan
    periods = billing_periods(
        _reads(dates, [200.0, 400.0, 310.0, 300.0]), temperature, timezone=ZONE
    )
    assert periods.days.tolist() == [20, 40, 31, 30]
    assert list(periods.dropped) == [
        "off-cycle (fewer than 25 days)",
        "longer than 35 days",
        "",
        "temperature below 90 % of its days",  # 26 of 30 days = 87 %
    ]
    assert periods.used.tolist() == [False, False, True, False]
    # bimonthly billing (median over 35 days): up to 70 days are kept
    bimonthly = billing_periods(
        _reads(["2024-01-01", "2024-03-01", "2024-05-01", "2024-07-01"], [600.0, 610.0, 600.0]),
        _days("2024-01-01", "2024-07-01", 5.0),
        timezone=ZONE,
    )
    assert bimonthly.days.tolist() == [60, 61, 61] and bimonthly.used.all()


def test_reads_off_local_midnight_are_refused() -> None:
    reads = pd.Series(
        [1.0, np.nan], index=pd.DatetimeIndex(["2024-01-01 00:00", "2024-02-01 06:00"], tz=ZONE)
    )
    with pytest.raises(TimeIndexError, match="not a local midnight"):
        billing_periods(reads, _days("2024-01-01", "2024-02-02", 5.0), timezone=ZONE)


def test_wls_weights_periods_by_their_days_hand_computed() -> None:
    # one balance point; x = HDD per day, y = usage per day, w = days (scaled 1 or 2)
    x = np.array([[0.0, 1.0, 2.0, 3.0, 4.0]])
    y = np.array([1.0, 3.0, 4.0, 8.0, 9.0])
    w = np.array([1.0, 2.0, 1.0, 2.0, 1.0])
    model = fit_degree_day_model(
        x,
        np.zeros_like(x),
        y,
        weights=w,
        balance_points_c=np.array([15.0]),
        cooling=False,
        billing=True,
    )
    # by hand: weighted means x = 14/7 = 2, y = 36/7; Sxy = 26, Sxx = 12
    assert model.model_type == "hdd_only"
    assert model.beta_hdd == pytest.approx(13 / 6, rel=1e-12)
    assert model.intercept == pytest.approx(36 / 7 - 2 * 13 / 6, rel=1e-12)  # 17/21
    # ordinary least squares would give 2.1 and 0.8
    assert model.beta_hdd != pytest.approx(2.1)


def _year_of_bills(
    start: str, months: int, saving: float = 0.0
) -> tuple[pd.Series, pd.Series, float]:
    """Monthly reads of a heat-driven building: 20 kWh/d + 3 kWh/K·d below 14 °C."""
    stop = (pd.Timestamp(start) + pd.DateOffset(months=months)).strftime("%Y-%m-%d")
    days = pd.date_range(start, stop, freq="D", inclusive="left", tz=ZONE)
    t = 8 + 10 * np.sin(2 * np.pi * (days.dayofyear.to_numpy() - 110) / 365.25)
    daily = (20 + 3 * np.maximum(14 - t, 0)) * (1 - saving)
    month = days.strftime("%Y-%m")
    totals = pd.Series(daily, index=days).groupby(month).sum()
    reads = pd.Series(
        [*totals.to_numpy(), np.nan],
        index=pd.DatetimeIndex([*(f"{m}-01" for m in totals.index), stop], tz=ZONE),
    )
    return reads, pd.Series(t, index=days), float(daily.sum())


def test_fit_baseline_billing_recovers_the_model_and_reports_savings() -> None:
    reads, temperature, _ = _year_of_bills("2023-01-01", 12)
    grid = np.array([10.0, 12.0, 14.0, 16.0, 18.0])
    baseline = fit_baseline(
        reads, temperature, method="billing", carrier="heat", balance_points_c=grid
    )
    assert baseline.method == "billing" and baseline.unit == "kWh/d"
    assert baseline.model_type == "hdd_only"
    assert baseline.balance_points_c == {"heating": 14.0}
    assert baseline.coefficients["intercept"] == pytest.approx(20.0, abs=1e-8)
    assert baseline.coefficients["beta_hdd"] == pytest.approx(3.0, abs=1e-8)
    assert baseline.n == 12 and baseline.r2 == pytest.approx(1.0)
    assert baseline.sufficiency.ok and baseline.sufficiency.method == "billing"
    assert baseline.criteria.name == "ASHRAE Guideline 14, monthly data"
    after, temperature_after, observed = _year_of_bills("2024-01-01", 12, saving=0.1)
    result = avoided_energy(baseline, after, temperature_after)
    assert result.n_periods == 12 and result.months == 12
    assert result.observed_kwh == pytest.approx(observed)
    assert result.savings_fraction == pytest.approx(0.1, abs=1e-9)
    assert result.avoided_kwh == pytest.approx(observed / 0.9 * 0.1)


def test_billing_sufficiency_names_short_baselines_and_dropped_days() -> None:
    reads, temperature, _ = _year_of_bills("2023-01-01", 10)
    with pytest.raises(InsufficientDataError, match="baseline_length"):
        fit_baseline(reads, temperature, method="billing", carrier="heat")
    reads, temperature, _ = _year_of_bills("2023-01-01", 13)
    # a read lost in February and April: their two periods merge into 59 + 61 days: dropped
    gaps = reads.drop(pd.DatetimeIndex(["2023-02-01", "2023-04-01"], tz=ZONE))
    baseline = fit_baseline(gaps, temperature, method="billing", carrier="heat", strict=False)
    failed = {r.name: r for r in baseline.sufficiency.failures}
    assert failed["missing_days"].value == 31 + 28 + 31 + 30
    assert baseline.n == 13 - 4
