"""Replay: live operation over a past period, one cycle per step, through the store.

The replay is the loop of live operation run against history, and so its test:

1. the exogenous readings (electricity and heat demand, PV of every building) of the
   :data:`~sparcs.live.cycle.HISTORY_DAYS` before the period are written into the store from
   "actual" profiles (:func:`write_readings`), and those of each step of the period are sent
   at its end, as meters send them (with the levels and the grid exchange below): the store
   grows in time order, and a cycle sees exactly the readings before its ``now``;
2. at every step a cycle plans the horizon from the store
   (:func:`~sparcs.live.cycle.operate_cycle`);
3. its first step is carried out on the actual data (the decisions of the plan — storage,
   EV charging, CHP, heat — realised as :func:`~sparcs.operation.optimal.realise.realise` does
   for model-predictive control); the battery and thermal-store levels reached are written
   back to the store as state-meter readings, where the next cycle reads them, and the
   energy every plugged-in car drew is handed to the next cycle
   (:mod:`sparcs.live.sessions`).

The result holds the cost of the replay (the objective the dispatch LP minimises, on what
was realised) and its electricity bill at the grid connection, against perfect foresight
from the same start to the same end state (:mod:`sparcs.live.foresight`: stores ending at
least where the replay left them, cars plugged in at the end drawing what they drew in the
replay) and the rule strategy's bill, all on the same actual data. Every step is checked:
store levels within their capacity, every car that left had its energy.
"""

from __future__ import annotations

import functools
import math
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sparcs.errors import DataError
from sparcs.live.cycle import HISTORY_DAYS, Operator, operate_cycle
from sparcs.live.forecasters import Forecaster
from sparcs.live.foresight import bill, perfect_foresight, rule_bill
from sparcs.live.meter_feed import (
    exogenous_readings,
    replay_meters,
    write_readings,
)
from sparcs.live.replay_steps import ReplayedSteps, prepare_beside
from sparcs.live.sessions import charged_uncontrolled
from sparcs.operation.flows import DISTRICT_NODE
from sparcs.operation.optimal.adapter import OptimalSettings, scenario_problem
from sparcs.operation.optimal.blocking import FINE_H
from sparcs.operation.optimal.objective import objective_value
from sparcs.profiles.inputs import Inputs, slice_inputs
from sparcs.scenario import Scenario
from sparcs.store import Store
from sparcs.store.recent import one_thread

__all__ = ["ReplayResult", "replay", "replay_meters", "write_readings"]


@dataclass(frozen=True)
class ReplayResult:
    """What a replay achieved, against perfect foresight and the rules.

    Attributes
    ----------
    time
        UTC start of each replayed step.
    cost_eur, perfect_cost_eur
        Cost over the period, the objective of the dispatch LP [EUR]: the replay (on what
        was realised) and perfect foresight ending in the same state.
    bill_eur, perfect_bill_eur, rule_bill_eur
        Electricity bill at the connection over the period [EUR]: the replay, perfect
        foresight, the rule strategy.
    import_kwh
        Grid import of the replay per step [kWh].
    battery_kwh, tank_kwh
        Battery and thermal-store level per node at the start of each step and after the
        last, (steps + 1, nodes) [kWh].
    nodes
        Node of each column of ``battery_kwh`` and ``tank_kwh``.
    fallbacks
        Cycles that fell back to the rule strategy.
    ev_short_kwh
        Energy the cars that left within the period lacked, summed [kWh] (0 when feasible).
    notes
        Limits the realised operation went beyond (absorbing forecast errors), per step.
    """

    time: pd.DatetimeIndex
    cost_eur: float
    perfect_cost_eur: float
    bill_eur: float
    perfect_bill_eur: float
    rule_bill_eur: float
    import_kwh: np.ndarray
    battery_kwh: np.ndarray
    tank_kwh: np.ndarray
    nodes: tuple[str, ...]
    fallbacks: int
    ev_short_kwh: float = 0.0
    notes: tuple[str, ...] = ()

    @property
    def gap(self) -> float:
        """Cost above perfect foresight, as a share of its cost's magnitude [-]."""
        return (self.cost_eur - self.perfect_cost_eur) / max(abs(self.perfect_cost_eur), 1e-9)


def _uncontrolled_before(actual: Inputs, start: int) -> dict[int, float]:
    """Energy the cars plugged in at ``start`` drew before it, charged uncontrolled [kWh]."""
    s = actual.ev_sessions
    before = charged_uncontrolled(s, actual.dt_h, 0, start)
    return {int(i): float(before[i]) for i in np.flatnonzero(s.arrival < start)}


def _ev_short(actual: Inputs, start: int, stop: int, drawn: dict[int, float]) -> float:
    """Energy the cars that left in [start, stop) lacked at departure [kWh]."""
    s = actual.ev_sessions
    left = np.flatnonzero((s.departure > start) & (s.departure <= stop))
    short = [float(s.energy_kwh[i]) - drawn.get(int(i), 0.0) for i in left]
    return float(sum(max(0.0, x) for x in short if x > 1e-6))


def replay(
    scenario: Scenario,
    actual: Inputs,
    store: Store,
    *,
    start: int,
    steps: int,
    horizon_h: float = 24.0,
    forecaster: Forecaster = "persistence",
    on_step: Callable[[int, int], None] | None = None,
    compare: bool = True,
    fine_h: float | None = FINE_H,
) -> ReplayResult:
    """Replay live operation over ``steps`` steps of ``actual`` from ``start`` (module docstring).

    Parameters
    ----------
    scenario
        The district.
    actual
        The profiles of what happened (and the stand-in for unmetered series).
    store
        An open store; the exogenous readings are written into it here. A store opened
        for the replay alone may be opened with ``durable=False``
        (:func:`~sparcs.store.open_store`): a step's batch then costs no forced write to the
        disk (DuckDB: up to ~3 ms of a ~25 ms cycle on a virtual disk).
    start, steps
        First step and number of steps to replay; the last cycle needs two steps of the
        period. With less than :data:`~sparcs.live.cycle.HISTORY_DAYS` days before ``start``
        the first cycles forecast from the history there is (stated in ``notes``).
    horizon_h
        Horizon of every cycle [h].
    forecaster
        The forecaster of every cycle.
    on_step
        Called with (steps done, steps in all) after each cycle (a progress bar).
    compare
        Solve perfect foresight over the period (one LP of all its steps); False leaves its
        cost and bill NaN (a year at 15 min: the loop's speed, not its gap, is measured).
    fine_h
        Hours of each cycle's horizon planned at the step (:func:`~sparcs.live.cycle.
        operate_cycle`); None: every step.

    Returns
    -------
    ReplayResult
        The costs, the realised levels and the checks.

    Raises
    ------
    DataError
        Steps that do not fit in the period of ``actual``.
    """
    first = max(0, start - round(HISTORY_DAYS * 24 / actual.dt_h))
    meters = replay_meters(scenario)
    stop = start + steps
    if start < 0 or steps < 1 or stop > len(actual.time) - 1:
        msg = (
            f"a replay of {steps} steps from step {start}: the period has "
            f"{len(actual.time)} steps and the last cycle needs a horizon of two; replay at "
            f"most {len(actual.time) - 1 - max(start, 0)} steps from there"
        )
        raise DataError(msg)
    period = slice_inputs(actual, start, stop)
    base = scenario_problem(scenario, period, OptimalSettings(terminal="initial")).problem
    nodes = (*actual.building_ids, DISTRICT_NODE)
    levels = {}
    for name in ("battery", "tank"):
        initial = getattr(base, name).initial_kwh
        levels[name] = np.array(np.zeros(len(nodes)) if initial is None else initial, dtype=float)
    run = ReplayedSteps(
        nodes, levels["battery"], levels["tank"], _uncontrolled_before(actual, start)
    )
    drawn_before = dict(run.drawn)
    battery, tank = [run.battery.copy()], [run.tank.copy()]
    operator = Operator()  # the LP kept in HiGHS from cycle to cycle
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store.put_meters(meters.values())  # a replay from the first step has no history
        if start > first:  # the history before the first cycle
            write_readings(store, scenario, actual, first, start, folder)
        exogenous, kwh = exogenous_readings(actual)
        horizon = max(1, math.ceil(horizon_h / actual.dt_h))
        # a step's statements touch a few dozen rows each: DuckDB on one thread
        with one_thread(store):
            for k in range(steps):
                t = start + k
                n = min(len(actual.time), t + horizon) - t  # the cycle's window (cut at the end)
                # the meters report each step: levels now, the grid exchange of the step before
                measured = (exogenous, kwh[t - 1]) if k else None
                staged = run.send(store, actual.time[t], meters, actual.dt_h, measured)
                cycle = operate_cycle(
                    scenario,
                    store,
                    actual,
                    now=actual.time[t],
                    horizon_h=horizon_h,
                    forecaster=forecaster,
                    ev_drawn_kwh=run.drawn,
                    operator=operator,
                    every_forecaster=False,  # nothing is scored here: the chosen one is enough
                    # what needs no schedule is done on this core while HiGHS solves on the other
                    beside_solve=functools.partial(
                        prepare_beside, run, scenario, actual, t, n, horizon, staged
                    ),
                    fine_h=fine_h,
                )
                if staged is not None:  # written beside the solve, or now (raises its failure)
                    staged.commit()
                if cycle.plan is None:
                    run.fall_back(actual, t, cycle)
                else:
                    run.carry_out(scenario, actual, t, cycle)
                battery.append(run.battery.copy())
                tank.append(run.tank.copy())
                if on_step is not None:
                    on_step(k + 1, steps)
        # a rule-fallback step realises only the grid exchange: its other quantities are zeros
        # shaped like those of the optimised steps
        shapes: dict[str, np.ndarray] = {}
        for done in run.steps:
            for name, value in done.items():
                shapes.setdefault(name, np.zeros_like(value, dtype=float))
        realised = {
            name: np.concatenate([s.get(name, zero) for s in run.steps])
            for name, zero in shapes.items()
        }
        gi, ge = realised["gi"].reshape(-1), realised["ge"].reshape(-1)
        dt = actual.dt_h
        end = actual.time[stop - 1] + pd.Timedelta(hours=dt)
        last = run.send(store, end, meters, dt, (exogenous, kwh[stop - 1]))
        if last is not None:
            last.commit()
    nan = float("nan")
    perfect_cost, perfect_bill = nan, nan
    if compare:
        perfect = perfect_foresight(
            scenario,
            actual,
            start,
            stop,
            drawn_before=drawn_before,
            drawn_after=run.drawn,
            battery_end_kwh=run.battery,
            tank_end_kwh=run.tank,
        )
        perfect_cost, perfect_bill = perfect.cost_eur, perfect.bill_eur
    return ReplayResult(
        time=period.time,
        cost_eur=objective_value(base, realised) if not run.fallbacks else bill(base, gi, ge),
        perfect_cost_eur=perfect_cost if not run.fallbacks else perfect_bill,
        bill_eur=bill(base, gi, ge),
        perfect_bill_eur=perfect_bill,
        rule_bill_eur=rule_bill(scenario, actual, start, stop),
        import_kwh=gi * dt,
        battery_kwh=np.array(battery),
        tank_kwh=np.array(tank),
        nodes=nodes,
        fallbacks=run.fallbacks,
        ev_short_kwh=_ev_short(actual, start, stop, run.drawn),
        notes=tuple(run.notes),
    )
