"""The inputs of a cycle's horizon: every forecaster's forecast, the one chosen, the profiles.

A forecast runs on the measured history up to the last reading; with stale data it covers
the gap and the horizon, and the part over the horizon is used. Where a series has too
little history for a forecaster, that forecaster is left out for it (stated), and the
choice falls to a simpler one; a series that is not metered keeps the scenario's profile.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from sparcs.errors import InsufficientDataError
from sparcs.live.forecasters import FORECASTERS, Forecaster, forecast
from sparcs.live.state import FORECAST_QUANTITIES, MeasuredState
from sparcs.live.weather import horizon_weather
from sparcs.operation.flows import DISTRICT_NODE
from sparcs.profiles.inputs import Inputs

__all__ = [
    "STALE_STEPS",
    "choose_forecasts",
    "chosen_forecaster",
    "horizon_forecasts",
    "wanted_forecasters",
    "with_series",
]

#: Steps without readings before ``now`` after which the data counts as stale.
STALE_STEPS = 2


def horizon_forecasts(
    state: MeasuredState,
    start: int,
    horizon: int,
    inputs: Inputs,
    notes: list[str],
    timezone: str = "UTC",
    weather: pd.DataFrame | None = None,
    sources: dict[str, str] | None = None,
    kinds: Sequence[Forecaster] = FORECASTERS,
) -> dict[str, dict[tuple[str, str], np.ndarray]]:
    """Every forecaster's forecast of every measured series over the horizon.

    Parameters
    ----------
    state
        The measured history and when the latest reading was.
    start, horizon
        First step of the horizon in ``inputs`` and its number of steps.
    inputs
        The scenario's profiles (their weather stands in for a weather forecast).
    notes
        Stand-ins are appended here, in words.
    timezone
        The district's IANA zone: the regression's hour of day and weekend are local.
    weather
        Ingested weather per step (:func:`sparcs.live.weather.ingested_weather`); the
        scenario's weather year fills what it lacks.
    sources
        ``sources["weather"]`` is set to the weather input the regression used, in words.
    kinds
        The forecasters to run (all of them by default: every one is stored and scored).

    Returns
    -------
    dict
        Forecaster → (quantity, node) → energy per horizon step [kWh].
    """
    step = pd.Timedelta(hours=inputs.dt_h)
    gap = 0
    if state.last_reading is not None and len(state.time):
        gap = max(0, int((state.time[-1] - state.last_reading.floor(step)) / step))
        if gap >= STALE_STEPS:
            notes.append(
                f"the latest reading is from {state.last_reading.isoformat()}, "
                f"{gap} steps before now; forecasts run from it over the gap"
            )
    keep = len(state.time) - gap
    history_time = state.time[:keep].tz_convert(timezone)
    gap_time, coming = state.time[keep:], inputs.time[start : start + horizon]
    future_time = pd.DatetimeIndex(  # appended, not built from Timestamps (~0.3 ms a cycle)
        gap_time.append(coming) if gap_time.dtype == coming.dtype else [*gap_time, *coming]
    ).tz_convert(timezone)
    drivers = None
    if "regression" in kinds:  # the only forecaster that runs on weather
        ingested = pd.DataFrame() if weather is None else weather
        drivers, source = horizon_weather(ingested, inputs, history_time, future_time)
        if sources is not None:
            sources["weather"] = source
    result: dict[str, dict[tuple[str, str], np.ndarray]] = {kind: {} for kind in kinds}
    short: dict[str, str] = {}
    keys = sorted(state.history)
    if not keys:
        return result
    history = np.column_stack([state.history[key][:keep] for key in keys])
    for kind in kinds:  # every series at once: one fit per forecaster
        try:
            ahead = forecast(kind, history, history_time, future_time, drivers if keep else None)
        except InsufficientDataError as error:
            short[kind] = str(error)
            continue
        result[kind] = {key: np.array(ahead[gap:, i], dtype=float) for i, key in enumerate(keys)}
    notes += [f"{kind}: {why}" for kind, why in short.items()]
    return result


def chosen_forecaster(forecaster: Forecaster | Mapping[str, str], quantity: str) -> str:
    """The forecaster chosen for ``quantity``.

    Parameters
    ----------
    forecaster
        One forecaster for every quantity, or quantity → forecaster (persistence where absent).
    quantity
        A forecast quantity.

    Returns
    -------
    str
        The forecaster's name.
    """
    if isinstance(forecaster, str):
        return forecaster
    return forecaster.get(quantity, "persistence")


def wanted_forecasters(forecaster: Forecaster | Mapping[str, str]) -> tuple[Forecaster, ...]:
    """The forecasters chosen for some forecast quantity, simplest first.

    Parameters
    ----------
    forecaster
        One forecaster for every quantity, or quantity → forecaster.

    Returns
    -------
    tuple of str
        In the order of :data:`~sparcs.live.forecasters.FORECASTERS`.

    Examples
    --------
    >>> wanted_forecasters({"pv_kwh": "regression"})
    ('persistence', 'regression')
    """
    chosen = {chosen_forecaster(forecaster, quantity) for quantity in FORECAST_QUANTITIES}
    return tuple(kind for kind in FORECASTERS if kind in chosen)


def choose_forecasts(
    available: dict[str, dict[tuple[str, str], np.ndarray]],
    forecaster: Forecaster | Mapping[str, str],
    notes: list[str],
) -> tuple[dict[tuple[str, str], np.ndarray], dict[str, str]]:
    """The forecast used per series: the chosen forecaster of its quantity, else a simpler one.

    Parameters
    ----------
    available
        Forecaster → (quantity, node) → forecast [kWh per step].
    forecaster
        One forecaster for every quantity, or quantity → forecaster.
    notes
        Stand-ins are appended here, in words.

    Returns
    -------
    forecasts, used
        (quantity, node) → the forecast used [kWh per step]; quantity → forecaster used.
    """
    chosen: dict[tuple[str, str], np.ndarray] = {}
    used: dict[str, str] = {}
    keys = {key for per_kind in available.values() for key in per_kind}
    for key in sorted(keys):
        quantity = key[0]
        wanted = (
            forecaster if isinstance(forecaster, str) else forecaster.get(quantity, "persistence")
        )
        order = [wanted, *(k for k in FORECASTERS if k != wanted)]
        kind = next(k for k in order if key in available.get(k, {}))
        if kind != wanted:
            notes.append(f"{key[1]} {quantity}: {wanted} could not run; {kind} stands in")
        chosen[key] = available[kind][key]
        used[quantity] = kind
    return chosen, used


def with_series(window: Inputs, forecasts: dict[tuple[str, str], np.ndarray]) -> Inputs:
    """``window`` with measured or forecast series in the columns of their buildings.

    Parameters
    ----------
    window
        The profiles of the steps.
    forecasts
        (quantity, node) → energy per step [kWh] of ``electricity_demand_kwh``,
        ``heat_demand_kwh`` (split into space heat and hot water in the profile's ratio) or
        ``pv_kwh``; a district node's PV replaces the district's.

    Returns
    -------
    Inputs
        The window with those series [kW]; every other series as it was.
    """
    column = {bid: j for j, bid in enumerate(window.building_ids)}
    building = {name: np.array(values) for name, values in window.building.items()}
    district = {name: np.array(values) for name, values in window.district.items()}
    changed: set[str] = set()
    dt = window.dt_h
    for (quantity, node), kwh in forecasts.items():
        kw = kwh / dt
        if node == DISTRICT_NODE:
            if quantity == "pv_kwh":
                district["pv_kw"] = kw
            continue
        j = column[node]
        if quantity == "electricity_demand_kwh":
            building["electricity_kw"][:, j] = kw
            changed.add("electricity_kw")
        elif quantity == "pv_kwh":
            building["pv_kw"][:, j] = kw
            changed.add("pv_kw")
        elif quantity == "heat_demand_kwh":
            space, dhw = building["space_heat_kw"][:, j], building["dhw_kw"][:, j]
            total = space + dhw
            share = np.divide(space, total, out=np.ones_like(total), where=total > 0)
            building["space_heat_kw"][:, j] = kw * share
            building["dhw_kw"][:, j] = kw * (1.0 - share)
            changed.update(("space_heat_kw", "dhw_kw"))
    support = {k: v for k, v in window.support.items() if k not in changed}
    return replace(window, building=building, district=district, support=support)
