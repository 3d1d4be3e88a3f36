"""Typical days: medoids scaled to their cluster's totals, weights summing to the year."""

from __future__ import annotations

import numpy as np
import pytest

from sparcs.planning import PlanConfig, typical_days_for
from sparcs.planning.config import LARGE_DISTRICT
from sparcs.planning.typical import typical_days


def _year(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = np.arange(8760)
    season = np.cos(2 * np.pi * t / 8760)
    hour = (t % 24) / 24
    sun = np.clip(np.sin(np.pi * (hour - 0.25) / 0.5), 0, None) * (0.6 - 0.4 * season)
    cloud = np.repeat(rng.uniform(0.1, 1.0, 365), 24)
    return {
        "electricity": 50 + 20 * np.sin(2 * np.pi * hour) + rng.normal(0, 3, 8760),
        "heat": np.clip(80 * season + 40 + rng.normal(0, 5, 8760), 5, None),
        "pv": sun * cloud,
    }


def test_scaled_typical_days_keep_the_annual_totals() -> None:
    series = _year()
    agg = typical_days(series, dt_h=1.0, k=8, year_steps=8760, peak=series["heat"])
    assert agg.weight.sum() == pytest.approx(8760)
    assert agg.days.size in (8, 9)  # the peak-heat day on top, unless it is a medoid
    for name, values in series.items():
        kept = float(np.sum(values[agg.idx] * agg.weight * agg.factor(name)))
        assert kept == pytest.approx(values.sum(), rel=1e-9), name
        scaled = values[agg.idx] * agg.factor(name)
        assert scaled.max() <= values.max() * (1 + 1e-12)  # no day above the year's peak
    unscaled = float(np.sum(series["pv"][agg.idx] * agg.weight))
    assert abs(unscaled / series["pv"].sum() - 1) > 1e-3  # medoids alone miss the total


def test_every_day_is_its_own_typical_day_without_scaling() -> None:
    series = {k: v[: 24 * 10] for k, v in _year(1).items()}
    agg = typical_days(series, dt_h=1.0, k=10, year_steps=8760)
    assert agg.scale == {} and agg.days.size == 10
    assert np.all(agg.factor("pv") == 1.0)


def test_large_districts_plan_on_fewer_typical_days() -> None:
    # the days never grow with the district, and a district small enough stays on the
    # default of PlanConfig (Kladno's plan and sizes are those of 12 days)
    days = [typical_days_for(n) for n in range(1, 3 * LARGE_DISTRICT)]
    assert all(a >= b for a, b in zip(days, days[1:], strict=False))
    assert typical_days_for(LARGE_DISTRICT - 1) == PlanConfig().typical_days == 12
    assert typical_days_for(LARGE_DISTRICT) == typical_days_for(100) == 8
    PlanConfig(typical_days=typical_days_for(100))  # a valid setting
