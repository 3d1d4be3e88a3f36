"""Hand-built scenarios and profiles for the operation tests (no profile generators)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sparcs.climate.weather import WEATHER_COLUMNS, Weather
from sparcs.profiles.inputs import BUILDING_SERIES, DISTRICT_SERIES, EVSessions, Inputs
from sparcs.scenario import Scenario, scenario_from_dict


def make_time(n_steps: int, step: str = "1h") -> pd.DatetimeIndex:
    """UTC index of ``n_steps`` steps from 1 January 2025."""
    return pd.date_range("2025-01-01", periods=n_steps, freq=step, tz="UTC", name="time")


def make_weather(time: pd.DatetimeIndex, temp_air: float | np.ndarray = 5.0) -> Weather:
    """Constant weather on ``time``."""
    frame = pd.DataFrame({c: np.zeros(len(time)) for c in WEATHER_COLUMNS}, index=time)
    frame["temp_air"] = temp_air
    return Weather(
        frame,
        latitude=51.3,
        longitude=12.4,
        elevation_m=110.0,
        timezone="Europe/Berlin",
        source="test constants",
        synthetic=True,
    )


def make_inputs(
    ids: Sequence[str],
    n_steps: int,
    *,
    step: str = "1h",
    building: Mapping[str, Any] | None = None,
    district: Mapping[str, Any] | None = None,
    temp_air: float | np.ndarray = 5.0,
) -> Inputs:
    """Inputs with zeros except the given series (scalars broadcast, arrays as given) [kW].

    ``cop_heating`` defaults to 3 everywhere.
    """
    time = make_time(n_steps, step)
    shape = (n_steps, len(ids))
    series = {name: np.zeros(shape) for name in BUILDING_SERIES}
    series["cop_heating"] = np.full(shape, 3.0)
    for name, value in (building or {}).items():
        series[name] = np.broadcast_to(np.asarray(value, dtype=float), shape).copy()
    dseries = {name: np.zeros(n_steps) for name in DISTRICT_SERIES}
    dseries["cop_heating"] = np.full(n_steps, 3.0)
    for name, value in (district or {}).items():
        dseries[name] = np.broadcast_to(np.asarray(value, dtype=float), (n_steps,)).copy()
    dt_h = float((time[1] - time[0]) / pd.Timedelta(hours=1))
    return Inputs(
        time=time,
        dt_h=dt_h,
        building_ids=tuple(ids),
        building=series,
        district=dseries,
        annual_kwh={},
        ev_sessions=EVSessions.empty(),
        weather=make_weather(time, temp_air),
    )


def make_scenario(
    buildings: Sequence[Mapping[str, Any]],
    *,
    district: Mapping[str, Any] | None = None,
    sharing: str = "building",
    grid: Mapping[str, Any] | None = None,
    step: str = "1h",
) -> Scenario:
    """A scenario in Leipzig with the given buildings (``floor_area_m2`` defaults to 100)."""
    rows = [{"floor_area_m2": 100.0, **b} for b in buildings]
    return scenario_from_dict(
        {
            "name": "test",
            "site": {"city": "leipzig"},
            "timestep": step,
            "buildings": rows,
            "district": dict(district or {}),
            "boundary": {"sharing": sharing},
            "grid": dict(grid or {}),
        }
    )
