"""Array helpers shared by the KPI modules (private).

Every KPI reduces the (time, node) arrays of a :class:`~sparcs.operation.flows.Flows` object.
District KPIs first sum over nodes (one pass per flow, giving a (time,) series); building KPIs
sum over time, usually as a matrix-vector product ``weights @ array`` that BLAS runs in one
pass. Inside :func:`reuse_arrays` (used by :func:`~sparcs.kpi.compute.compute_kpis`) these
reductions are computed once per Flows object and reused by every KPI.

Accounting conventions used throughout ``sparcs.kpi``:

* **District scope**: the boundary meter. Import is ``grid_import_kwh`` summed over all nodes,
  export is ``grid_export_kwh`` summed over all nodes; ``shared_in``/``shared_out`` cancel.
* **Building scope**: the building's own meter. Electricity drawn from outside the building
  (public grid *or* the community) counts as import, ``grid_import + shared_in``; electricity
  leaving it counts as export, ``grid_export + shared_out``. Under ``sharing="community"`` a
  building's ``grid_import`` is zero, so this is the only reading that gives a building KPI.
  Likewise heat from the district's local heat network (``heat_shared_in``) counts as district
  heat delivered to the building, at the district-heat factors and price.
* **Electrical load**: ``electricity_demand + hp_el + eboiler_el + chiller_el + ev_charge``
  (storage charging is not a load).
* **Local generation**: ``pv + wind + chp_el - curtailed`` (``pv`` and ``wind`` are potentials,
  ``curtailed`` is the renewable output not used); renewable local generation leaves out CHP.
* **Fuel**: ``boiler_fuel + chp_fuel`` of a node, in the carrier named by ``flows.fuel``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal, TypeVar, cast

import numpy as np
import pandas as pd

from sparcs._memory import blocks
from sparcs.errors import DataError, ScenarioError
from sparcs.operation.flows import Flows
from sparcs.timeseries import to_zoneinfo

_T = TypeVar("_T")

By = Literal["district", "building"]
Per = Literal["m2", "resident"]

#: Fuels a node can burn; their carriers in a factor set have the same names.
FUELS = ("gas", "oil", "biomass")
#: Delivered carriers found in Flows, in report order.
DELIVERED = ("electricity", "district_heat", *FUELS)
#: Electrical loads [kWh per step].
LOADS = ("electricity_demand_kwh", "hp_el_kwh", "eboiler_el_kwh", "chiller_el_kwh", "ev_charge_kwh")
#: Local electricity generation before curtailment [kWh per step].
GENERATION = ("pv_kwh", "wind_kwh", "chp_el_kwh")
RENEWABLE_GENERATION = ("pv_kwh", "wind_kwh")

_MEMO: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("_MEMO", default=None)


@contextmanager
def reuse_arrays() -> Iterator[None]:
    """Reuse reductions of the same Flows object inside the block.

    Flows are treated as immutable inside the block; arrays must not be changed in place.
    """
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def memo(flows: Flows, key: tuple[Any, ...], compute: Callable[[], _T], *keep: object) -> _T:
    """Return ``compute()``, computed once per ``flows`` and ``key`` inside :func:`reuse_arrays`.

    Objects whose ``id`` is part of ``key`` are passed as ``keep``; they are held until the block
    ends so that an id cannot be reused by another object meanwhile.
    """
    store = _MEMO.get()
    if store is None:
        return compute()
    full = (id(flows), *key)
    if full not in store:
        for obj in (flows, *keep):
            store[("__keep__", id(obj))] = obj
        store[full] = compute()
    # the store holds values of every key; the key fixes the type of each one
    return cast(_T, store[full])


def month_groups(flows: Flows) -> tuple[list[str], np.ndarray]:
    """Local calendar months of the steps: labels ``YYYY-MM`` and the month of each step."""

    def compute() -> tuple[list[str], np.ndarray]:
        local = flows.time.tz_convert(to_zoneinfo(flows.timezone))
        code = np.asarray(local.year, dtype=np.int64) * 12 + np.asarray(local.month) - 1
        unique, inverse = np.unique(code, return_inverse=True)
        return [f"{c // 12}-{c % 12 + 1:02d}" for c in unique], inverse

    return memo(flows, ("months", flows.timezone), compute)


def check_by(by: str) -> None:
    """Raise :class:`ScenarioError` unless ``by`` is ``"district"`` or ``"building"``."""
    if by not in ("district", "building"):
        msg = f"by={by!r} is not supported; use 'district' or 'building'"
        raise ScenarioError(msg)


def district_only(by: str, what: str) -> None:
    """Raise :class:`ScenarioError` for a district-only KPI asked ``by="building"``."""
    check_by(by)
    if by != "district":
        msg = f"{what} is defined for the district boundary only; call it with by='district'"
        raise ScenarioError(msg)


def ratio(num: Any, den: Any) -> Any:
    """``num / den`` with NaN where ``den <= 0`` (no warning); scalar in, scalar out."""
    num_a = np.asarray(num, dtype=float)
    den_a = np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num_a, den_a).shape, np.nan)
    with np.errstate(over="ignore"):  # a tiny denominator gives inf, not a warning
        np.divide(num_a, den_a, out=out, where=den_a > 0)
    return float(out) if out.ndim == 0 else out


def _totals(flows: Flows, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Sums of flow ``name`` over nodes (time,) and over time (node,) [kWh], in one pass.

    Both sums are taken from each cache-sized block (:func:`sparcs._memory.blocks`) while it is
    cached, over the flow's support only: one pass over memory, and the sums across a block's
    rows as a matrix-vector product, several times faster than ``sum(axis=1)``.
    """

    def compute() -> tuple[np.ndarray, np.ndarray]:
        array = np.asarray(flows[name], dtype=float)
        n_t, n_n = array.shape
        by_step, by_node = np.zeros(n_t), np.zeros(n_n)
        for rows, cols, (block,) in blocks([array], flows.nonzero_nodes(name)):
            by_node[cols] += block.sum(axis=0)
            by_step[rows] += block @ np.ones(block.shape[1])
        return by_step, by_node

    return memo(flows, ("totals", name), compute)


def step_total(flows: Flows, name: str) -> np.ndarray:
    """Flow ``name`` summed over all nodes, per step, shape (time,) [kWh]."""
    return _totals(flows, name)[0]


def steps(flows: Flows, names: tuple[str, ...]) -> np.ndarray:
    """Sum of :func:`step_total` over ``names``, shape (time,) [kWh]."""
    return memo(
        flows,
        ("steps", names),
        lambda: sum((step_total(flows, n) for n in names), start=np.zeros(len(flows.time))),
    )


def node_total(flows: Flows, name: str) -> np.ndarray:
    """Flow ``name`` summed over time, per node, shape (node,) [kWh]."""
    return _totals(flows, name)[1]


def nodes(flows: Flows, names: tuple[str, ...]) -> np.ndarray:
    """Sum of :func:`node_total` over ``names``, shape (node,) [kWh]."""
    return sum((node_total(flows, n) for n in names), start=np.zeros(len(flows.nodes)))


def weighted_nodes(flows: Flows, names: tuple[str, ...], weights: np.ndarray) -> np.ndarray:
    """``sum_t weights(t) * flow(t, node)`` summed over ``names``, shape (node,).

    Constant weights reuse the plain sums over time; others take one matrix-vector product.
    """
    w = np.asarray(weights, dtype=float)
    if w.size and (w == w[0]).all():
        result: np.ndarray = w[0] * nodes(flows, names)
        return result
    out = np.zeros(len(flows.nodes))
    for name in names:
        where = np.flatnonzero(node_total(flows, name))  # zero columns add nothing
        if where.size == out.size:
            out += w @ np.asarray(flows[name], dtype=float)
        elif where.size:
            out[where] += w @ np.asarray(flows[name], dtype=float)[:, where]
    return out


def node_array(flows: Flows, names: tuple[str, ...]) -> np.ndarray:
    """Element-wise sum of flows ``names``, shape (time, node) [kWh]."""

    def compute() -> np.ndarray:
        out = np.array(flows[names[0]], dtype=float)
        for name in names[1:]:
            out += flows[name]
        return out

    return memo(flows, ("array", names), compute)


def fuel_mask(flows: Flows) -> np.ndarray:
    """One-hot matrix (node, fuel) of each node's fuel in :data:`FUELS`.

    Raises
    ------
    DataError
        When a node burns fuel but names no fuel, or names an unknown fuel.
    """

    def compute() -> np.ndarray:
        fuel = np.asarray(flows.fuel, dtype=object)
        mask = np.stack([fuel == f for f in FUELS], axis=1).astype(float)
        burned = nodes(flows, ("boiler_fuel_kwh", "chp_fuel_kwh"))
        bad = np.flatnonzero((mask.sum(axis=1) == 0) & ((burned > 0) | (fuel != "")))
        if bad.size:
            i = int(bad[0])
            msg = (
                f"node {flows.nodes[i]!r} has fuel {fuel[i]!r} and burns {burned[i]:.6g} kWh; "
                f"flows.fuel must be one of {', '.join(FUELS)} for nodes with a boiler or CHP"
            )
            raise DataError(msg)
        return mask

    return memo(flows, ("fuel_mask",), compute)


def delivered_steps(flows: Flows) -> dict[str, np.ndarray]:
    """Energy delivered across the district boundary per carrier and step, (time,) [kWh]."""

    def compute() -> dict[str, np.ndarray]:
        mask = fuel_mask(flows)
        fuel = np.zeros((len(flows.time), len(FUELS)))
        for name in ("boiler_fuel_kwh", "chp_fuel_kwh"):
            used = mask[node_total(flows, name) > 0].any(axis=0)
            if used.sum() == 1:  # one fuel in use: the plain row sums
                fuel[:, int(np.argmax(used))] += step_total(flows, name)
            elif used.any():
                fuel += np.asarray(flows[name], dtype=float) @ mask
        out = {
            "electricity": step_total(flows, "grid_import_kwh"),
            "district_heat": step_total(flows, "dh_import_kwh"),
        }
        out.update({f: fuel[:, i] for i, f in enumerate(FUELS)})
        return out

    return memo(flows, ("delivered_steps",), compute)


def delivered_nodes(
    flows: Flows, weights: Mapping[str, np.ndarray] | None = None, key: str = ""
) -> dict[str, np.ndarray]:
    """Energy delivered to each node's own meter per carrier, summed over time, (node,).

    With ``weights`` (carrier -> (time,) array), each step is weighted, e.g. by a factor.
    ``key`` names the weights for reuse inside :func:`reuse_arrays`.
    """

    def compute() -> dict[str, np.ndarray]:
        mask = fuel_mask(flows)
        el_names = ("grid_import_kwh", "shared_in_kwh")
        heat_names = ("dh_import_kwh", "heat_shared_in_kwh")
        fuel_names = ("boiler_fuel_kwh", "chp_fuel_kwh")
        if weights is None:
            out = {"electricity": nodes(flows, el_names), "district_heat": nodes(flows, heat_names)}
            burned = nodes(flows, fuel_names)
            out.update({f: burned * mask[:, i] for i, f in enumerate(FUELS)})
            return out
        out = {
            "electricity": weighted_nodes(flows, el_names, weights["electricity"]),
            "district_heat": weighted_nodes(flows, heat_names, weights["district_heat"]),
        }
        for i, fuel in enumerate(FUELS):
            out[fuel] = (
                weighted_nodes(flows, fuel_names, weights[fuel]) * mask[:, i]
                if mask[:, i].any()
                else np.zeros(len(flows.nodes))
            )
        return out

    if weights is None or key:
        return memo(flows, ("delivered_nodes", key), compute, weights)
    return compute()


def exported_steps(flows: Flows) -> np.ndarray:
    """Electricity exported across the district boundary per step, (time,) [kWh]."""
    return step_total(flows, "grid_export_kwh")


def exported_nodes(flows: Flows, weights: np.ndarray | None = None) -> np.ndarray:
    """Electricity leaving each node's own meter, summed over time, (node,) [kWh]."""
    names = ("grid_export_kwh", "shared_out_kwh")
    return nodes(flows, names) if weights is None else weighted_nodes(flows, names, weights)


def per_denominator(flows: Flows, by: By, per: Per | None) -> float | np.ndarray:
    """Floor area [m2] or residents of the district (scalar) or of each node (node,)."""
    if per is None:
        return 1.0
    if per not in ("m2", "resident"):
        msg = f"per={per!r} is not supported; use 'm2', 'resident' or None"
        raise ScenarioError(msg)
    values = np.asarray(flows.floor_area_m2 if per == "m2" else flows.residents, dtype=float)
    return float(values.sum()) if by == "district" else values


def per_unit(unit: str, per: Per | None) -> str:
    """Unit text of a KPI normalised by ``per``."""
    return unit if per is None else f"{unit}/{'m2' if per == 'm2' else 'resident'}"


def result(flows: Flows, by: By, value: Any, *, name: str, unit: str) -> float | pd.Series:
    """A district value as float, or node values (node,) as a Series over the buildings."""
    if by == "district":
        return float(value)
    values = np.asarray(value)[: len(flows.building_ids)]
    series = pd.Series(values, index=pd.Index(list(flows.building_ids), name="building"), name=name)
    series.attrs["unit"] = unit
    return series


def generation_steps(flows: Flows, names: tuple[str, ...] = GENERATION) -> np.ndarray:
    """Local generation after curtailment per step, district total, (time,) [kWh]."""
    return memo(
        flows,
        ("gen_steps", names),
        lambda: np.maximum(steps(flows, names) - step_total(flows, "curtailed_kwh"), 0.0),
    )


def generation_array(flows: Flows, names: tuple[str, ...] = GENERATION) -> np.ndarray:
    """Local generation after curtailment per step and node, (time, node) [kWh]."""

    def compute() -> np.ndarray:
        out = np.array(node_array(flows, names), dtype=float)  # a copy: node_array is shared
        out -= flows["curtailed_kwh"]
        result: np.ndarray = np.maximum(out, 0.0, out=out)
        return result

    return memo(flows, ("gen_array", names), compute)


def covered(generation: np.ndarray, load: np.ndarray) -> np.ndarray:
    """Share of ``load`` covered by ``generation`` in the same step, min(1, G/L); 0 without load."""
    out = np.zeros(np.broadcast(generation, load).shape)
    np.divide(np.minimum(generation, load), load, out=out, where=load > 0)
    return out


def district_value(value: float | pd.Series) -> float:
    """The value of a district KPI as a float.

    KPI functions return a float for ``by="district"`` and a series for ``by="building"``;
    this narrows the first case (and fails loudly on the second).

    Parameters
    ----------
    value : float or pandas.Series
        What a KPI function returned for ``by="district"``, in the unit of the KPI.

    Returns
    -------
    float
        The same value, in the unit of the KPI.
    """
    if isinstance(value, pd.Series):
        msg = f"a district KPI was expected, got one value per building ({len(value)})"
        raise TypeError(msg)
    return float(value)
