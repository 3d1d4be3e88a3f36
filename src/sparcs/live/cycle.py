"""One operation cycle at ``now``: measured state and forecasts in, a schedule per asset out.

The cycle (the loop FlexMeasures runs as post data → trigger a schedule → get it):

1. **State.** History of the last :data:`HISTORY_DAYS` days and the levels of batteries and
   thermal stores at ``now`` come from the store (:mod:`sparcs.live.state`). A store level
   without a state meter starts where the scenario says (stated in ``fallbacks``).
2. **Forecasts.** Electricity demand, heat demand and PV of every metered node over the
   horizon, by the chosen forecaster (:mod:`sparcs.live.forecasters`). A node or quantity
   without enough measured history keeps the scenario's own profile (stated). Prices, grid
   CO2 and EV sessions come from the scenario (published day-ahead or stated at plug-in).
   With stale data (the latest reading more than :data:`STALE_STEPS` steps before ``now``)
   the forecast is made from the last data there is, over the gap and the horizon (stated).
3. **Schedule.** The scenario's dispatch LP on the horizon (the optimal model of
   :mod:`sparcs.operation.optimal`), on the forecasts, from the measured levels, with the
   stores ending at least where they started. When it cannot be solved, the rule strategy
   runs on the same forecasts instead (stated) — never a silent stale schedule.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]  # no type information shipped

from sparcs.errors import DataError, SparcsError
from sparcs.live.dispatch import Operator, Plan, plan_horizon
from sparcs.live.forecasters import FORECASTERS, Forecaster
from sparcs.live.horizon import (
    STALE_STEPS,
    choose_forecasts,
    chosen_forecaster,
    horizon_forecasts,
    wanted_forecasters,
    with_series,
)
from sparcs.live.outcome import Cycle
from sparcs.live.schedule import schedule_of
from sparcs.live.sessions import manual_charging, window_inputs
from sparcs.live.sizing import year_heat_pumps
from sparcs.live.state import measured_state
from sparcs.live.weather import ingested_weather
from sparcs.operation.flows import DISTRICT_NODE
from sparcs.operation.optimal.blocking import FINE_H, resolution
from sparcs.operation.rule import simulate
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario
from sparcs.store import Store
from sparcs.store.beliefs import read_overrides

__all__ = [
    "HISTORY_DAYS",
    "STALE_STEPS",
    "Cycle",
    "Operator",
    "Plan",
    "operate_cycle",
    "schedule_of",
    "with_series",
]

#: Measured history read for the forecasts [days].
HISTORY_DAYS = 28


@functools.cache
def _blas() -> ThreadpoolController:
    """The process's thread pools, found once (a search of the loaded libraries costs ~5 ms);
    made at the first cycle, when the libraries a cycle uses are loaded."""
    return ThreadpoolController()


def _start_index(inputs: Inputs, now: pd.Timestamp) -> int:
    if now.tzinfo is None:
        msg = f"now {now} has no time zone; give it with an offset (2025-06-01T12:00+03:00)"
        raise DataError(msg)
    step = pd.Timedelta(hours=inputs.dt_h)
    start = int(inputs.time.searchsorted(now.tz_convert("UTC").floor(step), side="left"))
    if start >= len(inputs.time) or inputs.time[start] != now.tz_convert("UTC").floor(step):
        msg = (
            f"now {now.isoformat()} is outside the scenario's period "
            f"({inputs.time[0].isoformat()} to {inputs.time[-1].isoformat()}); "
            "set the scenario's year to the year being operated"
        )
        raise DataError(msg)
    return start


def operate_cycle(
    scenario: Scenario,
    store: Store,
    inputs: Inputs,
    *,
    now: pd.Timestamp,
    horizon_h: float = 48.0,
    forecaster: Forecaster | Mapping[str, str] = "persistence",
    district: str | None = None,
    ev_drawn_kwh: Mapping[int, float] | None = None,
    operator: Operator | None = None,
    every_forecaster: bool = True,
    beside_solve: Callable[[], None] | None = None,
    fine_h: float | None = FINE_H,
) -> Cycle:
    """Run one operation cycle of ``scenario`` at ``now`` (module docstring).

    Parameters
    ----------
    scenario
        The district.
    store
        The open store with its meters and readings.
    inputs
        The scenario's profiles over a period containing ``now`` and the horizon (the
        stand-in for unmetered series, and the source of prices and EV sessions).
    now
        The belief time (time-zone aware); floored to the step.
    horizon_h
        Length of the schedule [h]; cut at the end of ``inputs``' period (stated).
    forecaster
        ``"persistence"``, ``"seasonal"`` or ``"regression"`` for every quantity, or a
        mapping quantity → forecaster (:func:`sparcs.live.archive.choose_forecasters`). Every
        forecaster that can run is computed (and stored, so its skill can be scored); the
        chosen one drives the schedule, a simpler one stands in where it cannot run (stated).
        The regression runs on the scenario's weather until a weather forecast is ingested.
    district
        The id the district's overrides are kept under; None: no overrides are read. An
        override fixes the asset's power in the LP over its steps (within the asset's
        limits; the rule fallback does not follow it, stated).
    ev_drawn_kwh
        Index of an EV session of ``inputs`` → energy it drew before ``now`` [kWh]: the
        state of the cars plugged in (:mod:`sparcs.live.sessions`); a plugged-in car not
        listed is taken to have charged uncontrolled (stated).
    operator
        What the district's earlier cycles left: give the same :class:`Operator` to every
        cycle of a district and the LP is updated and warm-started instead of built (same
        schedule cost); None builds it for this cycle alone.
    every_forecaster
        Run every forecaster, so that each can be stored and scored (the loop); False runs
        only the chosen ones (and the simpler ones where they cannot run), for a replay that
        scores nothing.
    beside_solve
        Work that needs neither this cycle's schedule nor the store, run once while HiGHS
        solves (:func:`~sparcs.live.dispatch.plan_horizon`); not run when the cycle falls
        back before its LP (a replay prepares the next step there).
    fine_h
        Hours of the horizon the LP plans at the step [h]; after them, steps shorter than
        an hour are planned in hour blocks (:mod:`~sparcs.operation.optimal.blocking`; the
        schedule still has every step, constant over a block). None: every step.

    Returns
    -------
    Cycle
        The schedule, forecasts and fallbacks.

    Raises
    ------
    DataError
        ``now`` without a time zone, outside the period of ``inputs`` or at its last step.
    """
    # a cycle's linear algebra is small (forecast fits of a few hundred rows): BLAS threads
    # only spin, doubling a warm cycle's CPU on a busy 2-core machine (docs/live.md)
    with _blas().limit(limits=1):
        return _operate(
            scenario,
            store,
            inputs,
            now,
            horizon_h,
            forecaster,
            district,
            ev_drawn_kwh,
            operator,
            every_forecaster,
            beside_solve,
            fine_h,
        )


def _operate(
    scenario: Scenario,
    store: Store,
    inputs: Inputs,
    now: pd.Timestamp,
    horizon_h: float,
    forecaster: Forecaster | Mapping[str, str],
    district: str | None,
    ev_drawn_kwh: Mapping[int, float] | None,
    operator: Operator | None,
    every_forecaster: bool,
    beside_solve: Callable[[], None] | None,
    fine_h: float | None,
) -> Cycle:
    start = _start_index(inputs, now)
    steps = max(1, math.ceil(horizon_h / inputs.dt_h))
    stop = min(len(inputs.time), start + steps)
    if stop - start < 2:  # one step tells neither the step's length nor a store's course
        msg = (
            f"now {now.isoformat()} is the last step of the scenario's period: a schedule needs "
            "at least two steps of it; operate at an earlier time or extend the period"
        )
        raise DataError(msg)
    notes: list[str] = []
    if stop - start < steps:
        notes.append(f"the horizon is cut at the end of the period, after {stop - start} steps")
    history_steps = round(HISTORY_DAYS * 24 / inputs.dt_h)
    history_time = inputs.time[max(0, start - history_steps) : start]
    recent = None if operator is None else operator.recent
    state = measured_state(store, scenario, history_time, now, recent)
    notes += state.notes
    if not state.history:
        notes.append("no measured history: the scenario's profiles stand in for every forecast")
    step = pd.Timedelta(hours=inputs.dt_h)
    sources: dict[str, str] = {}

    def run(
        kinds: tuple[Forecaster, ...], said: list[str]
    ) -> dict[str, dict[tuple[str, str], np.ndarray]]:
        weather = (
            ingested_weather(
                store, inputs.time[start] - history_steps * step, inputs.time[stop - 1] + step, step
            )
            if "regression" in kinds
            else None
        )
        return horizon_forecasts(
            state,
            start,
            stop - start,
            inputs,
            said,
            timezone=scenario.timezone,
            weather=weather,
            sources=sources,
            kinds=kinds,
        )

    wanted = wanted_forecasters(forecaster)
    said: list[str] = []
    available = run(FORECASTERS if every_forecaster else wanted, said)
    if not all(
        key in available.get(chosen_forecaster(forecaster, key[0]), {}) for key in state.history
    ):
        said = []  # a chosen one could not run: the simpler ones stand in (choose_forecasts)
        available = run(FORECASTERS, said)
    notes += said
    predicted, used = choose_forecasts(available, forecaster, notes)
    sliced, sessions = window_inputs(inputs, start, stop, ev_drawn_kwh)
    if sessions.assumed:
        notes.append(
            f"{sessions.assumed} EV session(s) plugged in before now without a known energy "
            "drawn; taken as charged uncontrolled since their arrival"
        )
    window = with_series(sliced, predicted)
    plan: Plan | None = None
    manual = (
        None  # no id, no overrides (an empty frame costs ~0.3 ms a cycle)
        if district is None
        else read_overrides(
            store, district, window.time[0], window.time[-1] + pd.Timedelta(hours=window.dt_h)
        )
    )
    owners = (*(b.id for b in scenario.buildings), DISTRICT_NODE)
    window, forced = manual_charging(window, owners, manual, notes)
    try:
        sizes = (
            year_heat_pumps(scenario, inputs)
            if operator is None
            else operator.heat_pumps_kw(scenario, inputs)
        )
        planned, plan = plan_horizon(
            scenario,
            window,
            state,
            notes,
            manual,
            forced,
            sizes,
            operator=operator,
            beside_solve=beside_solve,
            fine_h=fine_h,
        )
        strategy = "optimal"
    except SparcsError as error:
        notes.append(
            f"the schedule could not be optimised ({error}); the rule strategy runs instead"
        )
        ruled = simulate(scenario, window)
        planned, strategy = (lambda: ruled), "rule"
    return Cycle(
        now=now.tz_convert("UTC"),
        time=window.time,
        strategy=strategy,
        forecaster=used,
        forecast_kwh=predicted,
        forecasts=available,
        fallbacks=tuple(notes),
        plan=plan,
        weather=sources.get("weather", ""),
        resolution="" if plan is None else resolution(plan.problem, window.dt_h),
        planned=planned,
    )
