"""Available flexibility: how much a district could change its grid exchange for one hour.

From a rule-based run (:func:`sparcs.operation.simulate`), per hour and asset type:

- **upward** flexibility ``up`` [kW]: how much the district could *lower* its net import (or
  raise its export) for one hour — discharge or stop charging, switch loads off, defer;
- **downward** flexibility ``down`` [kW]: how much it could *raise* its net import (or lower
  its export) for one hour — charge, run heat pumps harder, absorb surplus in heat.

Each figure is a deviation from the rule run held for one whole hour, asset by asset, with
the state (state of charge, store content) the run had; what the deviation does to later
hours (an emptier battery, a later EV charge) is not counted. Both are never negative.

The formulas per asset type are in :mod:`sparcs.services.asset_flexibility`: batteries,
heat pumps backed by a thermal store, EV charging that can be deferred within its session,
electric boilers (power-to-heat).

Steps of one hour or less (15 minutes) are averaged to hours.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sparcs.errors import DataError, ScenarioError
from sparcs.operation.flows import DISTRICT_NODE, Flows
from sparcs.operation.params import (
    TOP_ELECTRIC,
    Columns,
    building_columns,
    district_columns,
    ordered_buildings,
)
from sparcs.services._window import hour_index, local_start
from sparcs.services.asset_flexibility import (
    battery_flexibility_kw,
    electric_boiler_flexibility_kw,
    ev_deferrable_kw,
    heat_pump_flexibility_kw,
)

if TYPE_CHECKING:
    from sparcs.profiles.inputs import Inputs
    from sparcs.scenario.models import Scenario

__all__ = [
    "ASSET_TYPES",
    "Flexibility",
    "available_flexibility",
    "battery_flexibility_kw",
    "ev_deferrable_kw",
    "heat_pump_flexibility_kw",
]

#: Asset types in the result, in column order.
ASSET_TYPES = ("battery", "heat_pump", "ev", "electric_boiler")


@dataclass(frozen=True)
class Flexibility:
    """Upward and downward flexibility per hour and asset type.

    Attributes
    ----------
    frame
        Index ``time`` (UTC, start of each hour); columns ``local_time``, ``up_<asset>_kw`` and
        ``down_<asset>_kw`` for each of :data:`ASSET_TYPES`, and the totals ``up_kw`` and
        ``down_kw`` [kW, held for one hour].
    timezone
        IANA zone of ``local_time``.
    """

    frame: pd.DataFrame
    timezone: str

    @property
    def time(self) -> pd.DatetimeIndex:
        """Start of each hour (UTC)."""
        return hour_index(self.frame, "flexibility")

    def summary(self) -> pd.DataFrame:
        """Mean and maximum per asset type and direction [kW]; rows are :data:`ASSET_TYPES`."""
        rows = {}
        for asset in (*ASSET_TYPES, "total"):
            up = self.frame["up_kw" if asset == "total" else f"up_{asset}_kw"]
            down = self.frame["down_kw" if asset == "total" else f"down_{asset}_kw"]
            rows[asset] = {
                "mean_up_kw": up.mean(),
                "max_up_kw": up.max(),
                "mean_down_kw": down.mean(),
                "max_down_kw": down.max(),
            }
        return pd.DataFrame.from_dict(rows, orient="index")

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the zone, the summary and one record per hour."""
        columns = [c for c in self.frame.columns if c != "local_time"]
        hours = [
            {
                "time": t.isoformat(),
                "local_time": local.isoformat(),
                **{c: float(v) for c, v in zip(columns, values, strict=True)},
            }
            for t, local, values in zip(
                self.time,
                self.frame["local_time"],
                self.frame[columns].to_numpy(),
                strict=True,
            )
        ]
        return {
            "timezone": self.timezone,
            "summary": self.summary().to_dict(orient="index"),
            "hours": hours,
        }

    def to_json(self, path: str | Path | None = None) -> str:
        """The result as JSON text; also written to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=1)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text


def _node_columns(flows: Flows, scenario: Scenario, inputs: Inputs) -> Columns:
    """Asset parameters per flows node (buildings, then the district node)."""
    if tuple(flows.building_ids) != tuple(inputs.building_ids) or not flows.time.equals(
        inputs.time
    ):
        msg = "flows and inputs come from different runs (buildings or steps differ)"
        raise DataError(msg)
    cols = building_columns(ordered_buildings(scenario, inputs))
    d = scenario.district
    network = bool(
        d.solar_thermal or d.thermal_storage or d.heat_pump or d.chp or d.electric_boiler
    )
    dcols = district_columns(d, DISTRICT_NODE, heat_network=network)
    merged: dict[str, Any] = {}
    for f in fields(Columns):
        a, b = getattr(cols, f.name), getattr(dcols, f.name)
        merged[f.name] = np.concatenate([a, b]) if isinstance(a, np.ndarray) else (*a, *b)
    return Columns(**merged)


class _Hourly:
    """Per-node flows and states of a run on whole hours."""

    def __init__(self, flows: Flows) -> None:
        k = round(1.0 / flows.dt_h)
        if flows.dt_h > 1.0 or abs(k * flows.dt_h - 1.0) > 1e-9 or len(flows.time) % k:
            msg = f"flexibility needs steps that divide one hour, got {flows.dt_h:g} h"
            raise ScenarioError(msg)
        self.k, self.flows = k, flows
        self.time = flows.time[::k]

    def kw(self, name: str) -> np.ndarray:
        """Hourly mean power of flow ``name``, shape (hour, node) [kW]."""
        data = self.flows[name]
        result: np.ndarray = data.reshape(-1, self.k, data.shape[1]).mean(axis=1) / self.flows.dt_h
        return result

    def series_kw(self, values: np.ndarray) -> np.ndarray:
        """Hourly mean of a per-step series (time,) or (time, node)."""
        result: np.ndarray = values.reshape(-1, self.k, *values.shape[1:]).mean(axis=1)
        return result

    def state_start(self, name: str, initial: np.ndarray) -> np.ndarray:
        """State at the start of each hour, shape (hour, node) [kWh]."""
        before = np.vstack([initial[None, :], self.flows[name][:-1]])
        return before[:: self.k]

    def state_end(self, name: str) -> np.ndarray:
        """State at the end of each hour, shape (hour, node) [kWh]."""
        return self.flows[name][self.k - 1 :: self.k]


def _per_node(
    flows: Flows, scenario: Scenario, inputs: Inputs, h: _Hourly
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(up, down) per asset type, each shape (hour,) [kW]."""
    cols = _node_columns(flows, scenario, inputs)
    cap = flows.capacities
    missing = [k for k in ("battery_kwh", "tes_kwh", "hp_kw") if k not in cap]
    if missing:
        msg = (
            f"flows lack the capacities {missing}; flexibility needs the flows of a rule-based "
            "run (sparcs.operation.simulate)"
        )
        raise DataError(msg)
    battery_kwh, tes_kwh = cap["battery_kwh"], cap["tes_kwh"]
    batt = battery_flexibility_kw(
        h.kw("battery_charge_kwh"),
        h.kw("battery_discharge_kwh"),
        h.state_start("battery_soc_kwh", cols.soc_initial * battery_kwh),
        capacity_kwh=battery_kwh,
        power_kw=cols.battery_kw,
        soc_min=cols.soc_min,
        soc_max=cols.soc_max,
        charge_efficiency=cols.charge_eff,
        discharge_efficiency=cols.discharge_eff,
    )
    cop = np.column_stack([inputs.building["cop_heating"], inputs.district["cop_heating"]])
    hp_up, hp_down, space = heat_pump_flexibility_kw(
        h.kw("hp_el_kwh"),
        h.kw("hp_heat_kwh"),
        h.series_kw(cop),
        h.state_end("tes_soc_kwh"),
        hp_capacity_kw=cap["hp_kw"],
        tes_capacity_kwh=tes_kwh,
    )
    eb_up, eb_down = _electric_boiler(h, cols, space)
    ev = h.series_kw(ev_deferrable_kw(inputs.ev_sessions, len(flows.time), flows.dt_h))
    return {
        "battery": (batt[0].sum(axis=1), batt[1].sum(axis=1)),
        "heat_pump": (hp_up.sum(axis=1), hp_down.sum(axis=1)),
        "ev": (ev, np.zeros_like(ev)),
        "electric_boiler": (eb_up.sum(axis=1), eb_down.sum(axis=1)),
    }


def _electric_boiler(
    h: _Hourly, cols: Columns, space_kwh: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Electric-boiler (power-to-heat) flexibility per node [kW]."""
    sink = h.kw("dh_import_kwh") + h.kw("boiler_heat_kwh")
    # the district node's heat displaces the external district heat its buildings still draw
    sink[:, -1] = h.kw("dh_import_kwh")[:, :-1].sum(axis=1)
    return electric_boiler_flexibility_kw(
        h.kw("eboiler_el_kwh"),
        sink,
        space_kwh,
        power_kw=cols.p2h_kw,
        efficiency=cols.p2h_efficiency,
        own_heater=cols.top == TOP_ELECTRIC,
    )


def available_flexibility(
    flows: Flows,
    scenario: Scenario,
    inputs: Inputs,
    *,
    start: str | pd.Timestamp | None = None,
    hours: int | None = None,
) -> Flexibility:
    """Upward and downward flexibility per hour and asset type of a rule-based run.

    Parameters
    ----------
    flows, scenario, inputs
        The run (:func:`sparcs.operation.simulate`) and what it was made from.
    start
        First hour (local time of the scenario without an offset); None = the first hour.
    hours
        Number of hours; None = to the end of the run.

    Returns
    -------
    Flexibility

    Raises
    ------
    ScenarioError
        Steps longer than an hour, or a window outside the run.
    """
    h = _Hourly(flows)
    parts = _per_node(flows, scenario, inputs, h)
    data: dict[str, np.ndarray] = {}
    for direction, i in (("up", 0), ("down", 1)):
        total = np.zeros(len(h.time))
        for asset in ASSET_TYPES:
            part = np.maximum(parts[asset][i], 0.0)
            data[f"{direction}_{asset}_kw"] = part
            total = total + part
        data[f"{direction}_kw"] = total
    frame = pd.DataFrame(data, index=pd.DatetimeIndex(h.time, name="time"))
    if start is not None or hours is not None:
        tz = scenario.timezone
        first = local_start(start if start is not None else frame.index[0], tz, flows.time, 1)
        n = hours if hours is not None else len(frame.loc[first:])
        local_start(first, tz, flows.time, n)
        frame = frame.loc[first : first + pd.Timedelta(hours=n - 1)].copy()
    frame.insert(0, "local_time", hour_index(frame, "flexibility").tz_convert(scenario.timezone))
    return Flexibility(frame=frame, timezone=scenario.timezone)
