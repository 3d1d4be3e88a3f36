"""Synthetic years have the day-to-day temperature anomalies of measured years.

Each synthetic year is generated from the monthly normals *of the measured year* it is compared
with (its own GHI, temperature, wind and size of the daily anomaly, ``temp_day_sd_c``), so any
difference comes from the generator. Anomaly: the daily mean temperature minus its centred
31-day running mean (:func:`measured_years.daily_temperature_anomalies`), on both sides.
Statistics are averaged over three seeds. Measured: NSRDB 2019, hourly means.

Measured vs generated (mean of seeds 1-3): std [K] / lag-one autocorrelation [-] / overcast
days (KT < 0.3). "Before": one anomaly process for every climate (2.7 K, phi 0.72).

=========================  ==================  ==================  ==================
city (measured stand-in)   measured            generated           before
=========================  ==================  ==================  ==================
kladno (Prague)            2.84 / 0.71 / 164   2.95 / 0.71 / 174   2.31 / 0.77 / 174
kifissia (Athens)          1.74 / 0.70 / 67    1.79 / 0.69 / 69    2.28 / 0.76 / 69
leipzig (Potsdam)          2.84 / 0.73 / 173   2.96 / 0.71 / 172   2.32 / 0.77 / 172
lviv (Warsaw)              2.94 / 0.71 / 172   3.06 / 0.71 / 178   2.33 / 0.78 / 178
espoo (Stockholm)          2.60 / 0.67 / 181   2.70 / 0.71 / 177   2.31 / 0.77 / 177
=========================  ==================  ==================  ==================
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np
import pytest
from measured_years import (
    MEASURED,
    OVERCAST_KT,
    daily_kt,
    daily_temperature_anomalies,
    measured,
    normals_of,
)

from sparcs.climate import synthetic_year

SEEDS = (1, 2, 3)
#: Largest relative difference of the anomaly's standard deviation (generated vs measured) [-].
STD_TOLERANCE = 0.15
#: Largest difference of the anomaly's lag-one autocorrelation [-].
LAG1_TOLERANCE = 0.06
#: Overcast days (daily KT < 0.3) within this share of the measured count [-].
OVERCAST_BAND = 0.25


def anomaly_stats(anomaly: np.ndarray) -> tuple[float, float]:
    """Standard deviation [degC] and lag-one autocorrelation [-] of daily anomalies."""
    return float(anomaly.std()), float(np.corrcoef(anomaly[:-1], anomaly[1:])[0, 1])


@cache
def generated(city: str) -> tuple[float, float, float]:
    """Mean over :data:`SEEDS` of (std, lag-one autocorrelation, overcast days)."""
    normals = normals_of(measured(city), city)
    rows = []
    for seed in SEEDS:
        year = synthetic_year(normals, 2019, seed=seed)
        std, lag1 = anomaly_stats(daily_temperature_anomalies(year))
        rows.append((std, lag1, float((daily_kt(year) < OVERCAST_KT).sum())))
    std, lag1, overcast = np.mean(rows, axis=0)
    return float(std), float(lag1), float(overcast)


@pytest.mark.parametrize("city", list(MEASURED))
def test_daily_temperature_anomalies_as_in_the_measured_year(city: str) -> None:
    year = measured(city)
    std, lag1 = anomaly_stats(daily_temperature_anomalies(year))
    syn_std, syn_lag1, syn_overcast = generated(city)
    assert syn_std == pytest.approx(std, rel=STD_TOLERANCE)
    assert syn_lag1 == pytest.approx(lag1, abs=LAG1_TOLERANCE)
    overcast = int((daily_kt(year) < OVERCAST_KT).sum())
    assert syn_overcast == pytest.approx(overcast, rel=OVERCAST_BAND)


def test_the_anomaly_size_follows_the_normals() -> None:
    """A calmer climate gives calmer days: the generator reads ``temp_day_sd_c``."""
    normals = normals_of(measured("kladno"), "kladno")
    calm = synthetic_year(replace(normals, temp_day_sd_c=1.0), 2019)
    rough = synthetic_year(replace(normals, temp_day_sd_c=3.0), 2019)
    calm_std, _ = anomaly_stats(daily_temperature_anomalies(calm))
    rough_std, _ = anomaly_stats(daily_temperature_anomalies(rough))
    assert calm_std == pytest.approx(1.0, rel=0.2)
    assert rough_std == pytest.approx(3.0, rel=0.15)
