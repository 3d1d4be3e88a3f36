"""Replay: live operation over a past period, one cycle per step, through the store.

The replay is the loop of live operation run against history, and so its test:

1. the exogenous readings (electricity and heat demand, PV of every building) of the period
   and the :data:`~sparcs.live.cycle.HISTORY_DAYS` before it are written into the store from
   "actual" profiles (:func:`write_readings`); a cycle only reads what lies before its
   ``now``, so writing them up front gives it no look-ahead;
2. at every step a cycle plans the horizon from the store
   (:func:`~sparcs.live.cycle.operate_cycle`);
3. its first step is carried out on the actual data (the decisions of the plan — storage,
   EV charging, CHP, heat — realised as :func:`~sparcs.operation.optimal.realise.realise` does
   for model-predictive control), and the battery levels reached are written back to the
   store as state-meter readings, where the next cycle reads them.

The result holds the electricity bill at the grid connection (import at the import price,
less export at the export price) of the replay, of perfect foresight over the same period
(:func:`~sparcs.operation.optimal.solve_optimal`, stores ending at least where they began)
and of the rule strategy, all on the same actual data.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from sparcs.live.cycle import HISTORY_DAYS, Operator, operate_cycle
from sparcs.live.forecasters import Forecaster
from sparcs.monitoring.ingest import MeterSpec
from sparcs.operation.flows import DISTRICT_NODE
from sparcs.operation.optimal import solve_optimal
from sparcs.operation.optimal.adapter import OptimalSettings, scenario_problem
from sparcs.operation.optimal.realise import realise
from sparcs.operation.rule import simulate
from sparcs.profiles.inputs import Inputs, slice_inputs
from sparcs.scenario import Scenario
from sparcs.store import Store, ingest_file

__all__ = ["ReplayResult", "replay", "replay_meters", "write_readings"]


@dataclass(frozen=True)
class ReplayResult:
    """What a replay achieved, against perfect foresight and the rules.

    Attributes
    ----------
    time
        UTC start of each replayed step.
    cost_eur, perfect_cost_eur, rule_cost_eur
        Electricity bill at the connection over the period [EUR]: the replay, perfect
        foresight, the rule strategy.
    import_kwh
        Grid import of the replay per step [kWh].
    battery_kwh
        Battery level per node at the start of each step and after the last, (steps + 1,
        nodes) [kWh].
    nodes
        Node of each column of ``battery_kwh``.
    fallbacks
        Cycles that fell back to the rule strategy.
    """

    time: pd.DatetimeIndex
    cost_eur: float
    perfect_cost_eur: float
    rule_cost_eur: float
    import_kwh: np.ndarray
    battery_kwh: np.ndarray
    nodes: tuple[str, ...]
    fallbacks: int


def replay_meters(scenario: Scenario) -> dict[str, MeterSpec]:
    """The grid meter, one meter per building and forecast quantity, a state meter per battery.

    Parameters
    ----------
    scenario
        The district.

    Returns
    -------
    dict of str to MeterSpec
        Id (``"<building>:<quantity>"``) → meter.
    """
    meters = {
        f"{DISTRICT_NODE}:{quantity}": MeterSpec(
            id=f"{DISTRICT_NODE}:{quantity}", node=DISTRICT_NODE, quantity=quantity, unit="kWh"
        )
        for quantity in ("grid_import_kwh", "grid_export_kwh")
    }
    for building in scenario.buildings:
        quantities = ["electricity_demand_kwh", "heat_demand_kwh", "pv_kwh"]
        if building.battery is not None and building.battery.capacity_kwh > 0:
            quantities.append("battery_soc_kwh")
        for quantity in quantities:
            meter = MeterSpec(
                id=f"{building.id}:{quantity}", node=building.id, quantity=quantity, unit="kWh"
            )
            meters[meter.id] = meter
    return meters


def _write(store: Store, frame: pd.DataFrame, meters: dict[str, MeterSpec], folder: Path) -> None:
    path = folder / "readings.csv"
    frame.to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%SZ")
    ingest_file(store, path, meters)


def write_readings(
    store: Store, scenario: Scenario, actual: Inputs, start: int, stop: int, folder: Path
) -> None:
    """Write the exogenous readings of steps ``start`` to ``stop`` from ``actual`` profiles.

    Parameters
    ----------
    store
        The open store.
    scenario
        The district.
    actual
        Profiles taken as what the meters measured [kW, interval means].
    start, stop
        Steps of ``actual`` to write.
    folder
        Where the CSV file passes through.
    """
    meters = replay_meters(scenario)
    dt = actual.dt_h
    time = actual.time[start:stop]
    series = {
        "electricity_demand_kwh": actual.building["electricity_kw"],
        "heat_demand_kwh": actual.building["space_heat_kw"] + actual.building["dhw_kw"],
        "pv_kwh": actual.building["pv_kw"],
    }
    parts = []
    for j, building in enumerate(actual.building_ids):
        for quantity, values in series.items():
            parts.append(
                pd.DataFrame(
                    {
                        "time": time,
                        "meter": f"{building}:{quantity}",
                        "value": values[start:stop, j] * dt,
                    }
                )
            )
    _write(store, pd.concat(parts, ignore_index=True), meters, folder)


def _bill(
    import_cost: np.ndarray, export_price: np.ndarray, gi: np.ndarray, ge: np.ndarray, dt: float
) -> float:
    return float(np.dot(import_cost, gi) * dt - np.dot(export_price, ge) * dt)


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
) -> ReplayResult:
    """Replay live operation over ``steps`` steps of ``actual`` from ``start`` (module docstring).

    Parameters
    ----------
    scenario
        The district.
    actual
        The profiles of what happened (and the stand-in for unmetered series).
    store
        An open store; the exogenous readings are written into it here.
    start, steps
        First step and number of steps to replay; ``start`` must leave
        :data:`~sparcs.live.cycle.HISTORY_DAYS` days of history before it.
    horizon_h
        Horizon of every cycle [h].
    forecaster
        The forecaster of every cycle.
    on_step
        Called with (steps done, steps in all) after each cycle (a progress bar).

    Returns
    -------
    ReplayResult
        The bills and the realised levels.
    """
    first = max(0, start - round(HISTORY_DAYS * 24 / actual.dt_h))
    meters = replay_meters(scenario)
    period = slice_inputs(actual, start, start + steps)
    base = scenario_problem(scenario, period, OptimalSettings(terminal="initial"))
    nodes = (*base.cols.ids, DISTRICT_NODE)
    capacity = np.asarray(base.problem.battery.capacity_kwh, dtype=float)
    level = np.array(
        np.zeros(len(nodes))
        if base.problem.battery.initial_kwh is None
        else base.problem.battery.initial_kwh,
        dtype=float,
    )
    levels = [level.copy()]
    gi_all, ge_all, fallbacks = np.zeros(steps), np.zeros(steps), 0
    dt = actual.dt_h
    operator = Operator()  # the LP kept in HiGHS from cycle to cycle
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_readings(store, scenario, actual, first, start + steps, folder)
        for k in range(steps):
            t = start + k
            soc_rows = [
                {"time": actual.time[t], "meter": f"{node}:battery_soc_kwh", "value": level[j]}
                for j, node in enumerate(nodes)
                if capacity[j] > 0 and f"{node}:battery_soc_kwh" in meters
            ]
            if soc_rows:
                _write(store, pd.DataFrame(soc_rows), meters, folder)
            cycle = operate_cycle(
                scenario,
                store,
                actual,
                now=actual.time[t],
                horizon_h=horizon_h,
                forecaster=forecaster,
                operator=operator,
            )
            if cycle.plan is None:  # the rule fallback: its first step as planned
                fallbacks += 1
                assert cycle.flows is not None
                flows = cycle.flows
                gi_all[k] = float(flows.data["grid_import_kwh"][0].sum()) / dt
                ge_all[k] = float(flows.data["grid_export_kwh"][0].sum()) / dt
                level = np.array(flows.data["battery_soc_kwh"][0], dtype=float)
            else:
                plan = cycle.plan
                window = slice_inputs(actual, t, t + plan.problem.n_steps)
                truth = scenario_problem(
                    scenario, window, OptimalSettings(terminal="initial")
                ).problem
                truth = replace(truth, battery=plan.problem.battery, tank=plan.problem.tank)
                done, _ = realise(truth, plan.problem, plan.solution)
                gi_all[k] = float(np.asarray(done["gi"]).reshape(-1)[0])
                ge_all[k] = float(np.asarray(done["ge"]).reshape(-1)[0])
                if "bs" in done:
                    level = np.array(np.asarray(done["bs"])[0], dtype=float)
            levels.append(level.copy())
            if on_step is not None:
                on_step(k + 1, steps)
        # what the grid meter saw: the realised exchange of every step
        grid = pd.concat(
            [
                pd.DataFrame(
                    {"time": period.time, "meter": f"{DISTRICT_NODE}:{name}", "value": kw * dt}
                )
                for name, kw in (("grid_import_kwh", gi_all), ("grid_export_kwh", ge_all))
            ],
            ignore_index=True,
        )
        _write(store, grid, meters, folder)
    prices = base.problem
    cost = _bill(
        np.asarray(prices.import_cost), np.asarray(prices.export_price), gi_all, ge_all, dt
    )
    perfect = solve_optimal(scenario, period, terminal="initial").raise_for_status()
    perfect_cost = _bill(
        np.asarray(prices.import_cost),
        np.asarray(prices.export_price),
        np.asarray(perfect.solution["gi"]).reshape(-1),
        np.asarray(perfect.solution["ge"]).reshape(-1),
        dt,
    )
    rule = simulate(scenario, period)
    rule_cost = _bill(
        np.asarray(prices.import_cost),
        np.asarray(prices.export_price),
        rule.data["grid_import_kwh"].sum(axis=1) / dt,
        rule.data["grid_export_kwh"].sum(axis=1) / dt,
        dt,
    )
    return ReplayResult(
        time=period.time,
        cost_eur=cost,
        perfect_cost_eur=perfect_cost,
        rule_cost_eur=rule_cost,
        import_kwh=gi_all * dt,
        battery_kwh=np.array(levels),
        nodes=nodes,
        fallbacks=fallbacks,
    )
