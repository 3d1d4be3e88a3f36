"""Helpers for testing and benchmarking scenarios: synthetic districts of any size."""

from __future__ import annotations

from typing import Any

import numpy as np

from sparcs.data import PERIODS, USES
from sparcs.scenario import Scenario, scenario_from_dict

__all__ = ["synthetic_district"]

_HEATING = ("district_heating", "air_source_hp", "ground_source_hp", "gas_boiler")


def _building(i: int, rng: np.random.Generator) -> dict[str, Any]:
    use = USES[int(rng.integers(len(USES)))]
    area = float(rng.uniform(150, 5000) if use != "single_family" else rng.uniform(90, 250))
    building: dict[str, Any] = {
        "id": f"b{i:05d}",
        "use": use,
        "floor_area_m2": round(area, 1),
        "construction_period": PERIODS[int(rng.integers(len(PERIODS)))],
        "heating": _HEATING[int(rng.integers(len(_HEATING)))],
        "cooling": bool(rng.random() < 0.2),
    }
    if use in ("apartment_block", "single_family"):
        building["residents"] = max(1, int(area / 35))
    if rng.random() < 0.6:
        building["pv"] = {
            "kwp": round(float(area * rng.uniform(0.01, 0.05)), 1),
            "tilt_deg": float(rng.choice([10, 20, 30, 35, 45])),
            "azimuth_deg": float(rng.choice([90, 135, 180, 225, 270])),
        }
    if rng.random() < 0.2:
        cap = round(float(rng.uniform(5, 200)), 1)
        building["battery"] = {"capacity_kwh": cap, "power_kw": round(cap / 2, 1)}
    if rng.random() < 0.1:
        building["thermal_storage"] = {"capacity_kwh": round(float(area * 0.05), 1)}
    if rng.random() < 0.3:
        building["ev"] = {
            "count": int(rng.integers(1, 10)),
            "power_kw": 11.0,
            "pattern": str(rng.choice(["home", "workplace", "public"])),
        }
    return building


def synthetic_district(
    n_buildings: int,
    *,
    city: str = "leipzig",
    year: int = 2025,
    timestep: str = "1h",
    seed: int = 0,
    **overrides: Any,
) -> Scenario:
    """A random but plausible district of ``n_buildings`` buildings in an embedded city.

    Mixed uses, periods and heating systems; PV on about 60 % of buildings, batteries on 20 %,
    thermal storage on 10 %, EV chargers on 30 %. Reproducible with ``seed``.
    """
    rng = np.random.default_rng(seed)
    data: dict[str, Any] = {
        "name": f"synthetic district of {n_buildings} buildings in {city}",
        "site": {"city": city},
        "year": year,
        "timestep": timestep,
        "seed": seed,
        "buildings": [_building(i, rng) for i in range(n_buildings)],
        **overrides,
    }
    return scenario_from_dict(data)
