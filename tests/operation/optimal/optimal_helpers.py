"""A small district scenario and its profiles, cut to a few days, for the optimal tests."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

import numpy as np

from sparcs.climate import load_weather
from sparcs.climate.weather import Weather
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import EVSessions, Inputs
from sparcs.scenario import Scenario, scenario_from_dict

DISTRICT: dict[str, Any] = {
    "name": "three buildings",
    "site": {"city": "leipzig"},
    "year": 2025,
    "seed": 3,
    "tariff": {
        "kind": "tou",
        "import_eur_per_kwh": 0.30,
        "export_eur_per_kwh": 0.08,
        "tou": [
            {"start_hour": 0, "end_hour": 6, "price_eur_per_kwh": 0.18},
            {"start_hour": 17, "end_hour": 21, "price_eur_per_kwh": 0.42},
        ],
    },
    "buildings": [
        {
            "id": "B1",
            "use": "single_family",
            "floor_area_m2": 160,
            "heating": "air_source_hp",
            "pv": {"kwp": 8.0},
            "battery": {"capacity_kwh": 10, "power_kw": 5},
            "thermal_storage": {"capacity_kwh": 15},
            "ev": {"count": 1, "power_kw": 11, "pattern": "home"},
        },
        {
            "id": "B2",
            "use": "apartment_block",
            "floor_area_m2": 1200,
            "heating": "gas_boiler",
            "pv": {"kwp": 30.0},
        },
        {
            "id": "B3",
            "use": "office",
            "floor_area_m2": 900,
            "heating": "air_source_hp",
            "heat_pump": {"capacity_kw": 60},
            "pv": {"kwp": 40.0},
            "electric_boiler": {"power_kw": 10},
            "thermal_storage": {"capacity_kwh": 60},
            "ev": {"count": 2, "power_kw": 11, "pattern": "workplace", "v2g": True},
        },
    ],
    "district": {"battery": {"capacity_kwh": 40, "power_kw": 20}},
}


def scenario(**changes: Any) -> Scenario:
    """The test district, with top-level keys replaced."""
    return scenario_from_dict({**DISTRICT, **changes})


@cache
def _year(key: str) -> tuple[Scenario, Inputs]:
    s = scenario() if key == "base" else scenario(boundary={"sharing": "building"})
    return s, build_inputs(s, load_weather(s))


def cut(inputs: Inputs, start: int, stop: int) -> Inputs:
    """The profiles on steps ``start:stop`` (EV sessions inside that window only)."""
    sl = slice(start, stop)
    s = inputs.ev_sessions
    keep = (s.arrival >= start) & (s.departure <= stop)
    sessions = EVSessions(
        s.owner[keep],
        s.arrival[keep] - start,
        s.departure[keep] - start,
        s.energy_kwh[keep],
        s.power_kw[keep],
        s.v2g[keep],
    )
    w = inputs.weather
    weather = Weather(
        w.data.iloc[sl],
        latitude=w.latitude,
        longitude=w.longitude,
        elevation_m=w.elevation_m,
        timezone=w.timezone,
        source=w.source,
        synthetic=w.synthetic,
    )
    return replace(
        inputs,
        time=inputs.time[sl],
        building={k: v[sl] for k, v in inputs.building.items()},
        district={k: v[sl] for k, v in inputs.district.items()},
        ev_sessions=sessions,
        weather=weather,
    )


def week(start_day: int = 14, days: int = 7, key: str = "base") -> tuple[Scenario, Inputs]:
    """The test district and its profiles for ``days`` days from ``start_day``."""
    s, inputs = _year(key)
    return s, cut(inputs, 24 * start_day, 24 * (start_day + days))


def year(key: str = "base") -> tuple[Scenario, Inputs]:
    """The test district and its profiles for the whole year."""
    return _year(key)


def as_array(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=float)
