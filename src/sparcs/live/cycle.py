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

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from sparcs.errors import DataError, InsufficientDataError, SparcsError
from sparcs.live.forecasters import FORECASTERS, Forecaster, WeatherForecast, forecast
from sparcs.live.state import MeasuredState, measured_state
from sparcs.operation.flows import DISTRICT_NODE, Flows
from sparcs.operation.optimal.adapter import OptimalSettings, scenario_problem
from sparcs.operation.optimal.model import DispatchModel
from sparcs.operation.optimal.output import to_flows
from sparcs.operation.optimal.problem import DispatchProblem
from sparcs.operation.optimal.realise import realise
from sparcs.operation.optimal.solve import solve_dispatch
from sparcs.operation.rule import simulate
from sparcs.profiles.inputs import Inputs, slice_inputs
from sparcs.scenario import Scenario
from sparcs.store import Store
from sparcs.store.beliefs import read_overrides

__all__ = [
    "HISTORY_DAYS",
    "STALE_STEPS",
    "Cycle",
    "Plan",
    "operate_cycle",
    "schedule_of",
    "with_series",
]

#: Measured history read for the forecasts [days].
HISTORY_DAYS = 28
#: Steps without readings before ``now`` after which the data counts as stale.
STALE_STEPS = 2
#: Assets of a schedule: name → (flows drawn from, flows delivered) [kWh per step].
ASSETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "battery": (("battery_charge_kwh",), ("battery_discharge_kwh",)),
    "heat_pump": (("hp_el_kwh",), ()),
    "electric_boiler": (("eboiler_el_kwh",), ()),
    "ev_chargers": (("ev_charge_kwh",), ("ev_v2g_kwh",)),
    "grid": (("grid_import_kwh",), ("grid_export_kwh",)),
}


#: Assets an operator can put in manual mode: kind → LP blocks (drawing, delivering).
OVERRIDABLE: dict[str, tuple[str, ...]] = {"battery": ("bc", "bd"), "heat_pump": ("hp",)}


@dataclass(frozen=True)
class Plan:
    """The dispatch LP a cycle solved and its solution (named arrays, kW per step)."""

    problem: DispatchProblem
    solution: dict[str, np.ndarray]


@dataclass(frozen=True)
class Cycle:
    """The outcome of one operation cycle.

    Attributes
    ----------
    now
        The belief time: when the schedule was computed (UTC).
    time
        UTC start of each horizon step.
    strategy
        ``"optimal"`` (the LP) or ``"rule"`` (the fallback).
    forecaster
        Quantity → the forecaster whose forecast drove the schedule.
    schedule
        Asset id (``"<node>/<asset>"``) → power per step [kW], positive when the asset
        draws electricity (charging, running), negative when it delivers it.
    forecast_kwh
        (quantity, node) → forecast energy per step [kWh] of the measured series, as used.
    forecasts
        Forecaster → (quantity, node) → its forecast [kWh per step]: every forecaster that
        could run, for scoring.
    soc_kwh
        Node → planned battery level at the end of each step [kWh] (nodes with a battery).
    flows
        The planned flows of the horizon.
    fallbacks
        Every stand-in used, in words.
    plan
        The LP and its solution (None for the rule fallback): what a replay carries out on
        the data that then happened (:mod:`sparcs.live.replay`).
    """

    now: pd.Timestamp
    time: pd.DatetimeIndex
    strategy: str
    forecaster: dict[str, str]
    schedule: dict[str, np.ndarray]
    forecast_kwh: dict[tuple[str, str], np.ndarray]
    forecasts: dict[str, dict[tuple[str, str], np.ndarray]] = field(default_factory=dict)
    soc_kwh: dict[str, np.ndarray] = field(default_factory=dict)
    flows: Flows | None = None
    fallbacks: tuple[str, ...] = ()
    plan: Plan | None = None

    def as_dict(self, timezone: str = "UTC") -> dict[str, object]:
        """The cycle as JSON-ready data, times in ISO 8601 with the offset of ``timezone``.

        Parameters
        ----------
        timezone
            IANA zone to write times in (the district's local time).

        Returns
        -------
        dict
            ``{"now", "strategy", "forecaster", "schedule": {asset: [{"time", "kw"}]},
            "forecast": {"<node>/<quantity>": [{"time", "kwh"}]}, "fallbacks": [...]}``.
        """
        stamps = [t.isoformat() for t in self.time.tz_convert(timezone)]
        return {
            "now": self.now.tz_convert(timezone).isoformat(),
            "strategy": self.strategy,
            "forecaster": self.forecaster,
            "schedule": {
                asset: [
                    {"time": t, "kw": round(float(v), 6)} for t, v in zip(stamps, kw, strict=True)
                ]
                for asset, kw in self.schedule.items()
            },
            "forecast": {
                f"{node}/{quantity}": [
                    {"time": t, "kwh": round(float(v), 6)} for t, v in zip(stamps, kwh, strict=True)
                ]
                for (quantity, node), kwh in self.forecast_kwh.items()
            },
            "fallbacks": list(self.fallbacks),
        }


def schedule_of(flows: Flows) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Power per asset and battery levels from planned flows.

    Parameters
    ----------
    flows
        Flows of the horizon.

    Returns
    -------
    schedule, soc
        ``"<node>/<asset>"`` → kW per step (assets that move at all, plus the district's
        grid exchange); node → battery level at the end of each step [kWh].
    """
    schedule: dict[str, np.ndarray] = {}
    for j, node in enumerate(flows.nodes):
        for asset, (draws, delivers) in ASSETS.items():
            if asset == "grid" and node != DISTRICT_NODE:
                continue
            kwh = sum((flows.data[n][:, j] for n in draws), start=np.zeros(len(flows.time)))
            kwh = kwh - sum(
                (flows.data[n][:, j] for n in delivers), start=np.zeros(len(flows.time))
            )
            if asset == "grid" or np.any(np.abs(kwh) > 1e-9):
                schedule[f"{node}/{asset}"] = kwh / flows.dt_h
    capacity = flows.capacities.get("battery_kwh", np.zeros(len(flows.nodes)))
    soc = {
        node: np.array(flows.data["battery_soc_kwh"][:, j])
        for j, node in enumerate(flows.nodes)
        if capacity[j] > 0
    }
    return schedule, soc


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


def _weather(
    inputs: Inputs, history_time: pd.DatetimeIndex, future_time: pd.DatetimeIndex
) -> WeatherForecast:
    """The scenario's weather over history and horizon: the stand-in for a weather forecast."""
    data = inputs.weather.data
    past = data.reindex(history_time.tz_convert("UTC"), method="nearest")
    ahead = data.reindex(future_time.tz_convert("UTC"), method="nearest")
    return WeatherForecast(
        past["temp_air"].to_numpy(float),
        past["ghi"].to_numpy(float),
        ahead["temp_air"].to_numpy(float),
        ahead["ghi"].to_numpy(float),
    )


def _forecasts(
    state: MeasuredState, start: int, horizon: int, inputs: Inputs, notes: list[str]
) -> dict[str, dict[tuple[str, str], np.ndarray]]:
    """Forecaster → forecast energy per horizon step [kWh] of every measured series."""
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
    history_time = state.time[:keep].tz_convert(inputs.time.tz)
    future_time = pd.DatetimeIndex([*state.time[keep:], *inputs.time[start : start + horizon]])
    weather = _weather(inputs, history_time, future_time) if keep else None
    result: dict[str, dict[tuple[str, str], np.ndarray]] = {kind: {} for kind in FORECASTERS}
    short: dict[str, str] = {}
    keys = sorted(state.history)
    if not keys:
        return result
    history = np.column_stack([state.history[key][:keep] for key in keys])
    for kind in FORECASTERS:  # every series at once: one fit per forecaster
        try:
            ahead = forecast(kind, history, history_time, future_time, weather)
        except InsufficientDataError as error:
            short[kind] = str(error)
            continue
        result[kind] = {key: np.array(ahead[gap:, i], dtype=float) for i, key in enumerate(keys)}
    notes += [f"{kind}: {why}" for kind, why in short.items()]
    return result


def _choose(
    available: dict[str, dict[tuple[str, str], np.ndarray]],
    forecaster: Forecaster | Mapping[str, str],
    notes: list[str],
) -> tuple[dict[tuple[str, str], np.ndarray], dict[str, str]]:
    """The forecast used per series: the chosen forecaster of its quantity, else a simpler one."""
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


def operate_cycle(
    scenario: Scenario,
    store: Store,
    inputs: Inputs,
    *,
    now: pd.Timestamp,
    horizon_h: float = 48.0,
    forecaster: Forecaster | Mapping[str, str] = "persistence",
    district: str | None = None,
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

    Returns
    -------
    Cycle
        The schedule, forecasts and fallbacks.

    Raises
    ------
    DataError
        ``now`` without a time zone or outside the period of ``inputs``.
    """
    start = _start_index(inputs, now)
    steps = max(1, math.ceil(horizon_h / inputs.dt_h))
    stop = min(len(inputs.time), start + steps)
    notes: list[str] = []
    if stop - start < steps:
        notes.append(f"the horizon is cut at the end of the period, after {stop - start} steps")
    history_steps = round(HISTORY_DAYS * 24 / inputs.dt_h)
    history_time = inputs.time[max(0, start - history_steps) : start]
    state = measured_state(store, scenario, history_time, now)
    notes += state.notes
    if not state.history:
        notes.append("no measured history: the scenario's profiles stand in for every forecast")
    available = _forecasts(state, start, stop - start, inputs, notes)
    predicted, used = _choose(available, forecaster, notes)
    window = with_series(slice_inputs(inputs, start, stop), predicted)
    plan: Plan | None = None
    manual = (
        pd.DataFrame(columns=["asset", "start_time", "end_time", "kw"])
        if district is None
        else read_overrides(
            store, district, window.time[0], window.time[-1] + pd.Timedelta(hours=window.dt_h)
        )
    )
    try:
        flows, plan = _optimal(scenario, window, state, notes, manual)
        strategy = "optimal"
    except SparcsError as error:
        notes.append(
            f"the schedule could not be optimised ({error}); the rule strategy runs instead"
        )
        flows = simulate(scenario, window)
        strategy = "rule"
    schedule, soc = schedule_of(flows)
    return Cycle(
        now=now.tz_convert("UTC"),
        time=window.time,
        strategy=strategy,
        forecaster=used,
        schedule=schedule,
        forecast_kwh=predicted,
        forecasts=available,
        soc_kwh=soc,
        flows=flows,
        fallbacks=tuple(notes),
        plan=plan,
    )


def _fix_overrides(
    model: DispatchModel,
    nodes: tuple[str, ...],
    time: pd.DatetimeIndex,
    manual: pd.DataFrame,
    notes: list[str],
) -> None:
    """Fix the power of overridden assets in ``model`` (before its first solve)."""
    arrays = model.arrays
    for row in manual.to_dict("records"):
        node, _, kind = str(row["asset"]).rpartition("/")
        blocks = OVERRIDABLE.get(kind)
        if node not in nodes or blocks is None or blocks[0] not in model.layout.cols:
            notes.append(
                f"override of {row['asset']} ignored: no such asset; overridable are "
                f"<node>/{' and <node>/'.join(OVERRIDABLE)} of the district's nodes"
            )
            continue
        steps = np.flatnonzero((time >= row["start_time"]) & (time < row["end_time"]))
        unit = nodes.index(node)
        kw = float(row["kw"])
        for block, value in zip(blocks, (max(kw, 0.0), max(-kw, 0.0)), strict=False):
            if block not in model.layout.cols:
                continue
            ids = model.layout.cols[block].ids()[unit, steps]
            low, high = arrays.col_lower[ids], arrays.col_upper[ids]
            fixed = np.clip(value, low, high)
            if np.any(np.abs(fixed - value) > 1e-9):
                notes.append(
                    f"override of {row['asset']} at {kw:g} kW is beyond its limits; held at them"
                )
            arrays.col_lower[ids] = fixed
            arrays.col_upper[ids] = fixed
        notes.append(f"{row['asset']} in manual mode at {kw:g} kW for {steps.size} steps")


def _optimal(
    scenario: Scenario,
    window: Inputs,
    state: MeasuredState,
    notes: list[str],
    manual: pd.DataFrame | None = None,
) -> tuple[Flows, Plan]:
    sp = scenario_problem(scenario, window, OptimalSettings(terminal="initial"))
    problem = sp.problem
    nodes = (*sp.cols.ids, DISTRICT_NODE)
    for quantity, name in (("battery_soc_kwh", "battery"), ("tes_soc_kwh", "tank")):
        store_params = getattr(problem, name)
        capacity = np.asarray(store_params.capacity_kwh, dtype=float)
        if not np.any(capacity > 0):
            continue
        initial = np.array(
            np.zeros(len(nodes)) if store_params.initial_kwh is None else store_params.initial_kwh,
            dtype=float,
        )
        for j, node in enumerate(nodes):
            if capacity[j] <= 0:
                continue
            level = state.levels.get((quantity, node))
            if level is None:
                notes.append(
                    f"{node} {name}: no {quantity} reading; it starts at the scenario's "
                    f"initial level {initial[j]:.1f} kWh"
                )
                continue
            initial[j] = float(np.clip(level[0], 0.0, capacity[j]))
        final = None if store_params.final_min_kwh is None else initial
        problem = replace(
            problem, **{name: replace(store_params, initial_kwh=initial, final_min_kwh=final)}
        )
    if manual is not None and len(manual):
        model = DispatchModel(problem)
        _fix_overrides(model, nodes, window.time, manual, notes)
        result = model.solve()
    else:
        # one LP of a few hundred steps: one process, no decomposition, whatever its width
        result = solve_dispatch(problem, method="monolithic")
    if not result.is_ok:
        raise DataError(result.message or f"the LP ended {result.termination.value}")
    realised, realise_notes = realise(problem, problem, result.solution)
    notes += realise_notes
    return to_flows(replace(sp, problem=problem), realised), Plan(problem, result.solution)
