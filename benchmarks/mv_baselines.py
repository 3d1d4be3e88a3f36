"""M&V benchmark cases: CalTRACK daily fits for many meters, hourly TOWT for many meters.

Every meter gets its own synthetic year (seasonal temperature with noise, its own base load,
slopes and balance points) and is fitted through the public API
(:func:`sparcs.monitoring.fit_baseline`), input checks and sufficiency rules included; data
generation is timed apart.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from sparcs.monitoring import fit_baseline

__all__ = ["mv_daily_case", "mv_hourly_case"]


def _daily_meters(n_meters: int) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(13)
    index = pd.date_range("2023-01-01", periods=365, freq="D", tz="Europe/Berlin", name="time")
    doy = index.dayofyear.to_numpy()
    temp = 10 - 11 * np.cos(2 * np.pi * (doy - 15) / 365) + rng.normal(0, 3, (n_meters, 365))
    base = rng.uniform(5, 50, (n_meters, 1))
    heat_bp, cool_bp = rng.uniform(12, 18, (n_meters, 1)), rng.uniform(19, 24, (n_meters, 1))
    usage = (
        base
        + rng.uniform(0, 3, (n_meters, 1)) * np.maximum(heat_bp - temp, 0)
        + rng.uniform(0, 3, (n_meters, 1)) * np.maximum(temp - cool_bp, 0)
        + rng.normal(0, 1, (n_meters, 365)) * base / 10
    )
    return index, usage, temp


def mv_daily_case(n_meters: int) -> dict[str, float]:
    """CalTRACK daily change-point fits (441 candidates each), one meter-year per meter."""
    t0 = time.perf_counter()
    index, usage, temp = _daily_meters(n_meters)
    t1 = time.perf_counter()
    types = set()
    for i in range(n_meters):
        baseline = fit_baseline(pd.Series(usage[i], index), pd.Series(temp[i], index), "daily")
        types.add(baseline.model_type)
    t2 = time.perf_counter()
    assert types <= {"intercept_only", "hdd_only", "cdd_only", "hdd_cdd"}
    return {"data_s": t1 - t0, "fit_s": t2 - t1, "ms_per_meter": 1e3 * (t2 - t1) / n_meters}


def mv_hourly_case(n_meters: int) -> dict[str, float]:
    """CalTRACK hourly TOWT fits, 12 month-weighted models per meter, one year of hours."""
    rng = np.random.default_rng(17)
    t0 = time.perf_counter()
    index = pd.date_range(
        "2023-01-01", "2024-01-01", freq="h", tz="Europe/Berlin", inclusive="left", name="time"
    )
    doy, hour = index.dayofyear.to_numpy(), index.hour.to_numpy()
    occupied = (index.dayofweek.to_numpy() < 5) & (hour >= 8) & (hour < 18)
    t1 = time.perf_counter()
    fit = 0.0
    worst = 0.0
    for _ in range(n_meters):
        temp = (
            10
            - 11 * np.cos(2 * np.pi * (doy - 15) / 365)
            + 4 * np.sin(2 * np.pi * (hour - 9) / 24)
            + rng.normal(0, 1.5, index.size)
        )
        usage = (
            rng.uniform(2, 8)
            + rng.uniform(5, 15) * occupied
            + rng.uniform(0.2, 1) * np.maximum(12 - temp, 0)
            + rng.uniform(0.5, 2) * occupied * np.maximum(temp - 22, 0)
            + rng.normal(0, 0.5, index.size)
        )
        start = time.perf_counter()
        baseline = fit_baseline(pd.Series(usage, index), pd.Series(temp, index), "hourly")
        fit += time.perf_counter() - start
        worst = max(worst, baseline.cvrmse)
    return {
        "setup_s": t1 - t0,
        "fit_s": fit,
        "ms_per_meter": 1e3 * fit / n_meters,
        "worst_cvrmse": worst,
    }
