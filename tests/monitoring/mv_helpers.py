"""Synthetic meter and weather series for the M&V tests (known balance points and slopes)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sparcs.monitoring.caltrack_daily import DEFAULT_BALANCE_POINTS_C

#: Balance points on the CalTRACK grid: 60 °F and 69 °F [°C].
HEATING_BP_C = float(DEFAULT_BALANCE_POINTS_C[10])
COOLING_BP_C = float(DEFAULT_BALANCE_POINTS_C[13])


def daily_temperature(
    start: str = "2023-01-01", days: int = 365, *, tz: str = "Europe/Berlin", seed: int = 0
) -> pd.Series:
    """Daily mean temperature labelled at local midnight: a seasonal cycle plus noise [°C]."""
    index = pd.date_range(start, periods=days, freq="D", tz=tz, name="time")
    rng = np.random.default_rng(seed)
    doy = index.dayofyear.to_numpy()
    values = 11 - 13 * np.cos(2 * np.pi * (doy - 15) / 365) + rng.normal(0, 3, days)
    return pd.Series(values, index=index, name="temp_air")


def daily_usage(
    temperature: pd.Series,
    *,
    intercept: float = 20.0,
    beta_hdd: float = 2.0,
    beta_cdd: float = 3.0,
    noise: float = 1.0,
    seed: int = 1,
) -> pd.Series:
    """Usage per day of an HDD+CDD building at :data:`HEATING_BP_C`, :data:`COOLING_BP_C` [kWh]."""
    t = temperature.to_numpy()
    rng = np.random.default_rng(seed)
    values = (
        intercept
        + beta_hdd * np.maximum(HEATING_BP_C - t, 0)
        + beta_cdd * np.maximum(t - COOLING_BP_C, 0)
        + rng.normal(0, noise, t.size)
    )
    return pd.Series(values, index=temperature.index, name="usage")


def hourly_frame(
    start: str = "2023-01-01", end: str = "2024-01-01", *, tz: str = "Europe/Berlin", seed: int = 2
) -> pd.DataFrame:
    """Hourly temperature [°C] and office-like usage [kWh] with occupied hours 8-18 on weekdays."""
    index = pd.date_range(start, end, freq="h", tz=tz, inclusive="left", name="time")
    rng = np.random.default_rng(seed)
    doy, hour = index.dayofyear.to_numpy(), index.hour.to_numpy()
    t = (
        10
        - 11 * np.cos(2 * np.pi * (doy - 15) / 365)
        + 4 * np.sin(2 * np.pi * (hour - 9) / 24)
        + rng.normal(0, 1.5, index.size)
    )
    occupied = (index.dayofweek.to_numpy() < 5) & (hour >= 8) & (hour < 18)
    usage = (
        5
        + 10 * occupied
        + 0.8 * np.maximum(12 - t, 0)
        + (1.5 * occupied + 0.3) * np.maximum(t - 22, 0)
        + rng.normal(0, 0.5, index.size)
    )
    return pd.DataFrame({"temperature": t, "usage": usage, "occupied": occupied}, index=index)
