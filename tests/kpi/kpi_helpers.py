"""Helpers of the KPI tests: small hand-made Flows and scenarios."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sparcs.operation.flows import FLOW_NAMES, STATE_NAMES, Flows
from sparcs.scenario import Scenario, scenario_from_dict

Column = Sequence[float] | np.ndarray


def make_flows(
    values: Mapping[str, Mapping[str, Column] | np.ndarray] | None = None,
    *,
    n_steps: int | None = None,
    buildings: Sequence[str] = ("b1",),
    start: str = "2025-01-01",
    freq: str = "1h",
    index: pd.DatetimeIndex | None = None,
    fuel: Mapping[str, str] | None = None,
    floor_area: Mapping[str, float] | None = None,
    residents: Mapping[str, float] | None = None,
    sharing: str = "building",
    capacities: Mapping[str, Mapping[str, float]] | None = None,
    timezone: str = "Europe/Helsinki",
) -> Flows:
    """Flows with every name zero except ``values``.

    ``values`` maps a flow name to ``{node: series}`` (nodes are the buildings and
    ``"district"``) or to a full (time, node) array.
    """
    values = dict(values or {})
    nodes = (*buildings, "district")
    if index is None:
        if n_steps is None:
            lengths = [
                len(next(iter(v.values()))) if isinstance(v, Mapping) else len(v)
                for v in values.values()
            ]
            n_steps = lengths[0] if lengths else 4
        index = pd.date_range(start, periods=n_steps, freq=freq, tz="UTC", name="time")
    shape = (len(index), len(nodes))
    data = {name: np.zeros(shape) for name in (*FLOW_NAMES, *STATE_NAMES)}
    for name, value in values.items():
        if isinstance(value, Mapping):
            for node, series in value.items():
                data[name][:, nodes.index(node)] = np.asarray(series, dtype=float)
        else:
            data[name] = np.asarray(value, dtype=float).reshape(shape)

    def per_node(mapping: Mapping[str, Any] | None, default: Any) -> list[Any]:
        mapping = mapping or {}
        return [mapping.get(n, default if n != "district" else type(default)()) for n in nodes]

    caps = {
        key: np.asarray([m.get(n, 0.0) for n in nodes], dtype=float)
        for key, m in (capacities or {}).items()
    }
    return Flows(
        time=index,
        dt_h=float((index[1] - index[0]) / pd.Timedelta(hours=1)),
        nodes=nodes,
        data=data,
        fuel=tuple(per_node(fuel, "")),
        floor_area_m2=np.asarray(per_node(floor_area, 100.0), dtype=float),
        residents=np.asarray(per_node(residents, 2.0), dtype=float),
        sharing=sharing,
        capacities=caps,
        timezone=timezone,
    )


def make_scenario(city: str = "espoo", **sections: Any) -> Scenario:
    """A scenario of an embedded city (default Espoo: factor set fi-2018-decree)."""
    return scenario_from_dict({"name": "test", "site": {"city": city}, **sections})


def quarter_hourly(flows: Flows) -> Flows:
    """The same flows on 15-minute steps, each hour's energy split evenly over its quarters.

    States of charge are interpolated as if each hour's charge and discharge were spread
    evenly (exact for a linear store), so storage balances still close.
    """
    index = pd.date_range(flows.time[0], periods=4 * len(flows.time), freq="15min", name="time")
    data = {}
    for name in FLOW_NAMES:
        data[name] = np.repeat(np.asarray(flows[name]) / 4.0, 4, axis=0)
    for name in STATE_NAMES:
        end = np.asarray(flows[name])
        begin = np.vstack([end[:1], end[:-1]])
        frac = np.tile(np.arange(1, 5) / 4.0, len(flows.time))[:, None]
        data[name] = np.repeat(begin, 4, axis=0) + frac * np.repeat(end - begin, 4, axis=0)
    return Flows(
        time=index,
        dt_h=0.25,
        nodes=flows.nodes,
        data=data,
        fuel=flows.fuel,
        floor_area_m2=flows.floor_area_m2,
        residents=flows.residents,
        sharing=flows.sharing,
        capacities=flows.capacities,
        timezone=flows.timezone,
    )


def _carrier(nren: float, tot: float, co2: float) -> dict[str, Any]:
    return {"f_p_nren": nren, "f_p_tot": tot, "co2_kg_per_kwh": co2, "source": "test"}


#: Round factors for hand-computed tests, independent of the embedded data: electricity
#: f_P,nren 1.2 (f_P,tot 2.0, CO2 0.072), district heat 0.5 (1.0, 0.183), gas 1.0 (1.0, 0.202),
#: oil 1.0 (1.0, 0.267), biomass 0.5 (1.5, 0), district cold 0.28; symmetric, k_exp 1.
HAND_TABLE: dict[str, Any] = {
    "description": "hand-computed test set",
    "country": "FI",
    "version": "2025",
    "updated": "2026-12",
    "pef_kind": "nren",
    "method": "round test numbers",
    "co2_scope": "life-cycle",
    "k_exp": 1.0,
    "export_credit": "symmetric",
    "dh_allocation": "test",
    "grid_renewable_share": 0.5,
    "dh_renewable_share": 0.35,
    "electricity": _carrier(1.2, 2.0, 0.072),
    "district_heat": _carrier(0.5, 1.0, 0.183),
    "district_cold": _carrier(0.28, 0.28, 0.0),
    "gas": _carrier(1.0, 1.0, 0.202),
    "oil": _carrier(1.0, 1.0, 0.267),
    "biomass": _carrier(0.5, 1.5, 0.0),
}


def hand_set(**changes: Any) -> Any:
    """The :data:`HAND_TABLE` set, with top-level ``changes``."""
    from sparcs.data import parse_factor_set

    return parse_factor_set("hand", {**HAND_TABLE, **changes})
