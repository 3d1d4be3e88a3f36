"""Synthetic years behave like measured years: overcast days, spread and persistence of clearness.

Each synthetic year is generated from the monthly normals *of the measured year* it is compared
with (its own GHI, temperature and wind), so any difference comes from the generator, not from
the normals. The statistics are averaged over three seeds. Measured: NSRDB 2019 (15 min, read
by :func:`sparcs.climate.read_nsrdb_psm`, hourly means).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest
from measured_years import (
    MEASURED,
    OVERCAST_KT,
    ClearnessStats,
    clearness_stats,
    daily_kt,
    measured,
    normals_of,
)
from pvlib import irradiance, solarposition

from sparcs.climate import synthetic_year
from sparcs.climate.clearness import bendt_kt_max, bendt_quantile, bendt_shape
from sparcs.data import city_names, get_city

CITIES = tuple(MEASURED)
SEEDS = (1, 2, 3)


@cache
def synthetic_stats(city: str, own_normals: bool = True) -> ClearnessStats:
    """Clearness statistics of synthetic 2019 years, averaged over :data:`SEEDS`."""
    source = normals_of(measured(city), city) if own_normals else city
    stats = [clearness_stats(daily_kt(synthetic_year(source, 2019, seed=s))) for s in SEEDS]
    fields = ClearnessStats.__dataclass_fields__
    return ClearnessStats(**{f: np.mean([getattr(s, f) for s in stats]) for f in fields})


@cache
def measured_stats(city: str) -> ClearnessStats:
    return clearness_stats(daily_kt(measured(city)))


@pytest.mark.parametrize("city", CITIES)
def test_overcast_days_as_in_the_measured_year(city: str) -> None:
    syn, meas = synthetic_stats(city), measured_stats(city)
    assert syn.overcast_days == pytest.approx(meas.overcast_days, rel=0.25)
    assert syn.clear_days == pytest.approx(meas.clear_days, rel=0.25, abs=10)


@pytest.mark.parametrize("city", CITIES)
def test_spread_of_daily_clearness_as_in_the_measured_year(city: str) -> None:
    syn, meas = synthetic_stats(city), measured_stats(city)
    assert syn.std == pytest.approx(meas.std, rel=0.25)
    assert syn.iqr == pytest.approx(meas.iqr, rel=0.25)


@pytest.mark.parametrize("city", CITIES)
def test_persistence_of_daily_clearness_as_in_the_measured_year(city: str) -> None:
    syn, meas = synthetic_stats(city), measured_stats(city)
    assert 0.25 < syn.lag1 < 0.7
    assert syn.lag1 == pytest.approx(meas.lag1, abs=0.15)
    assert syn.overcast_spell_days == pytest.approx(meas.overcast_spell_days, rel=0.25)


@pytest.mark.parametrize("city", city_names())
def test_every_city_gets_the_overcast_days_of_bendts_distribution(city: str) -> None:
    """With the embedded normals: as many overcast days as Bendt et al. (1981) expect."""
    days = [
        clearness_stats(daily_kt(synthetic_year(city, 2019, seed=s))).overcast_days for s in SEEDS
    ]
    assert np.mean(days) == pytest.approx(_bendt_overcast_days(city), rel=0.2, abs=8)


def _bendt_overcast_days(city: str) -> float:
    """Days with KT < 0.3 that Bendt's distributions of the city's monthly means expect."""
    normals = get_city(city)
    index = pd.date_range("2019-01-01", "2020-01-01", freq="1h", inclusive="left", tz="UTC")
    mid = index + pd.Timedelta("30min")
    sun = solarposition.get_solarposition(mid, normals.latitude, normals.longitude)
    h0 = irradiance.get_extra_radiation(mid).to_numpy() * np.clip(
        np.cos(np.radians(sun["zenith"].to_numpy())), 0.0, None
    )
    month = index.month.to_numpy() - 1
    kt_mean = np.asarray(normals.ghi_kwh_m2) * 1000.0 / np.bincount(month, weights=h0)
    kt_max = bendt_kt_max(kt_mean)
    shape = bendt_shape(kt_mean, 0.05, kt_max)
    u = (np.arange(10_000) + 0.5) / 10_000
    below = (bendt_quantile(u[:, None], shape, 0.05, kt_max) < OVERCAST_KT).mean(axis=0)
    return float(below @ np.bincount(index.normalize().month.to_numpy() - 1) / 24)


def test_bendt_distribution_has_the_requested_mean_and_bounds() -> None:
    kt_mean = np.array([0.2, 0.35, 0.5, 0.65])
    kt_max = bendt_kt_max(kt_mean)
    np.testing.assert_allclose(kt_max, [0.5851, 0.7170, 0.7646, 0.8048], atol=1e-4)
    shape = bendt_shape(kt_mean, 0.05, kt_max)
    u = (np.arange(100_000) + 0.5) / 100_000
    kt = bendt_quantile(u[:, None], shape, 0.05, kt_max)
    np.testing.assert_allclose(kt.mean(axis=0), kt_mean, atol=1e-4)
    assert (kt >= 0.05).all() and (kt <= kt_max).all()
    assert shape[0] < 0 < shape[-1]  # skewed to overcast in a dull month, to clear in a sunny one


@pytest.mark.parametrize("city", ["kladno", "reykjavik"])
def test_monthly_irradiation_and_temperature_of_the_normals_are_kept(city: str) -> None:
    normals = get_city(city)
    weather = synthetic_year(city, 2025, seed=5)
    months = weather.time.tz_convert(normals.timezone).month
    ghi = weather.data["ghi"].groupby(months).sum().to_numpy() / 1000.0
    np.testing.assert_allclose(ghi, normals.ghi_kwh_m2, rtol=1e-4, atol=1e-3)
    temp = weather.data["temp_air"].groupby(months).mean().to_numpy()
    np.testing.assert_allclose(temp, normals.temp_c, atol=0.05)
