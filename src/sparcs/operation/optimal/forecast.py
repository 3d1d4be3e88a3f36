"""Naive forecasts for rolling-horizon operation: persistence, seasonal naive, perfect.

A forecast made at step ``s`` for a step ``t >= s`` copies a step ``u < s`` that is already
known (no information from ``s`` on is used):

``persistence``
    the same hour on the latest day before ``s``: ``u = t - D * ceil((t - s + 1) / D)``
    with ``D`` steps per day ("yesterday's same hour", repeated for later days).
``seasonal``
    the same hour on the same weekday of the latest week before ``s``:
    ``u = t - W * ceil((t - s + 1) / W)`` with ``W = 7 D`` (seasonal naive).
``perfect``
    the data itself, ``u = t`` (perfect foresight; a bound on what a forecast can give).

Before the first day (or week) of the period there is no history; there the first day (or
week) of the period stands in for it, so the first window's forecast is built from data of
the period itself (a usual warm-up convention). The forecasts apply to demand, renewable and
solar-heat availability, the COP and the thermal-mass reference heat; tariff prices and EV
sessions are taken as known (prices are published day-ahead; drivers state departure time
and energy when they plug in).

References
----------
R. J. Hyndman, G. Athanasopoulos, *Forecasting: Principles and Practice*, 3rd ed., OTexts
2021, section 5.2 (naive and seasonal naive methods).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

import numpy as np

from sparcs.errors import ScenarioError
from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["FORECASTS", "Forecast", "forecast_index", "forecast_problem"]

Forecast = Literal["persistence", "seasonal", "perfect"]
FORECASTS: tuple[str, ...] = ("persistence", "seasonal", "perfect")


def forecast_index(kind: str, steps: np.ndarray, start: int, steps_per_day: int) -> np.ndarray:
    """Index of the known step whose value forecasts each of ``steps``.

    Parameters
    ----------
    kind
        ``"persistence"``, ``"seasonal"`` or ``"perfect"``.
    steps
        Steps to forecast (``>= start``; may run past the period's end).
    start
        First step not yet known (the forecast's issue time).
    steps_per_day
        Steps per day ``D`` (24 for hourly data).

    Returns
    -------
    numpy.ndarray
        Source steps, each ``< start`` where there is history, otherwise within the first
        day (week) of the period.

    Raises
    ------
    ScenarioError
        For an unknown kind.
    """
    steps = np.asarray(steps, dtype=int)
    if kind == "perfect":
        return steps
    if kind not in FORECASTS:
        msg = f"forecast {kind!r} is not known; choose one of {', '.join(FORECASTS)}"
        raise ScenarioError(msg)
    season = steps_per_day * (7 if kind == "seasonal" else 1)
    back = season * np.ceil((steps - start + 1) / season).astype(int)
    source = steps - back
    # no history yet: the first season of the period stands in for the one before it
    result: np.ndarray = np.where(source < 0, np.mod(steps, season), source)
    return result


def forecast_problem(
    actual: DispatchProblem, source: np.ndarray, full: DispatchProblem, idx: np.ndarray
) -> DispatchProblem:
    """``actual`` (a window of ``full`` at steps ``idx``) with forecast data.

    Parameters
    ----------
    actual
        The window on the true data.
    source
        Forecast source step (in ``full``) of each window step.
    full
        The whole period's problem.
    idx
        Steps of ``full`` the window covers.

    Returns
    -------
    DispatchProblem
        Demand, availability, COP (and heat-pump limits that follow it), solar heat and the
        thermal-mass reference taken at ``source``; everything else as in ``actual``.
    """
    if np.array_equal(source, idx):
        return actual
    # new values by field name (their types differ); dataclasses.replace checks the names
    changes: dict[str, Any] = {
        name: np.asarray(getattr(full, name))[source]
        for name in ("demand_el_kw", "demand_heat_kw", "pv_avail_kw", "cop")
    }
    hp = np.asarray(full.hp_max_el_kw)
    if hp.ndim == 2:
        changes["hp_max_el_kw"] = hp[source]
    if full.solar_heat_kw is not None:
        changes["solar_heat_kw"] = np.asarray(full.solar_heat_kw)[source]
    if actual.thermal_mass is not None and full.thermal_mass is not None:
        changes["thermal_mass"] = replace(
            actual.thermal_mass, reference_kw=full.thermal_mass.reference_kw[source]
        )
    return replace(actual, **changes)
