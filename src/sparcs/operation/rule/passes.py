"""One pass of the rule simulation over a group of columns: the buildings, or the district node.

The pass reads demands and generation that the caller has already written into the columns'
flow arrays (energy per step), and writes every other flow of the columns, each only in the
columns that have the asset (see :mod:`._owners`). It returns the electricity residual
(positive: the columns need electricity from outside; negative: they have some to give), which
the caller routes to the grid or to the district node.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sparcs._memory import add, only
from sparcs.operation.params import TOP_BOILER, TOP_DISTRICT_HEAT, TOP_ELECTRIC, Columns
from sparcs.operation.rule.heat import HeatStack, split_heat, split_solar
from sparcs.operation.rule.storage_blocks import storage_pass
from sparcs.profiles.heat_pump import CHILLER_EER, reversible_eer

__all__ = ["NodeData", "NodeResult", "run_nodes", "written_columns"]


@dataclass(frozen=True)
class NodeData:
    """What a pass reads and writes.

    Attributes
    ----------
    out
        Flow name -> array (time, column) to write into: views of the Flows arrays, zero
        where not written. The caller has filled the demands and generation [kWh per step].
    given
        Names in ``out`` that hold data, each with the mask of the columns that hold it.
    cop
        Heat-pump COP per step (time, column) [-], or None when no column has a heat pump.
    base_extra_kwh
        Further electricity use (positive) or supply (negative) per step (time, column) [kWh],
        e.g. the buildings' residuals at the district node; None when there is none.
    temp_air_c
        Outdoor temperature per step (time,) [degC], for reversible heat pumps; None if unused.
    residual_out
        Array (time, column) to build the electricity residual in, e.g. the flow it will be
        routed to (saves a copy on large runs); None = a new array.
    scratch
        Array (time, column) free until the pass returns, to build the heat need in, e.g.
        the flow the residual's negative part will be routed to (saves a copy on large
        runs); None = a new array.
    """

    out: dict[str, np.ndarray]
    given: dict[str, np.ndarray]
    cop: np.ndarray | None = None
    base_extra_kwh: np.ndarray | None = None
    temp_air_c: np.ndarray | None = None
    residual_out: np.ndarray | None = None
    scratch: np.ndarray | None = None


@dataclass(frozen=True)
class NodeResult:
    """What a pass hands back besides the flows it wrote.

    Attributes
    ----------
    residual
        Electricity the columns need from outside per step (time, column) [kWh]; negative
        where they have some to give.
    top_total_kwh, top_peak_kwh
        Heat of each column's last source over the run and in its largest step [kWh], for
        columns whose last source is a heat pump's back-up heater or a boiler of limited
        capacity (0 elsewhere).
    top_written
        Mask of the columns whose last source delivered heat in some step: its flows are
        written there only (a heat pump's back-up heater that never ran stays unwritten).
    """

    residual: np.ndarray
    top_total_kwh: np.ndarray
    top_peak_kwh: np.ndarray
    top_written: np.ndarray


def _cooling(cols: Columns, data: NodeData) -> np.ndarray | None:
    """Chillers meet the cooling demand; reversible heat pumps cool at a weather-dependent EER.

    Returns the mask of the columns with chiller electricity, or None when no column cools.
    """
    cooled = data.given.get("cooling_demand_kwh")
    if cooled is None:
        return None
    out = data.out
    cold = out["cooling_demand_kwh"]
    np.copyto(out["chiller_cold_kwh"], cold, where=only(cooled))
    np.divide(cold, CHILLER_EER, out=out["chiller_el_kwh"], where=only(cooled))
    reversible = np.flatnonzero(cols.hp_cooling & cooled)
    if reversible.size and data.temp_air_c is not None:
        eer = reversible_eer(data.temp_air_c, cols.hp_carnot[reversible])
        out["chiller_el_kwh"][:, reversible] = cold[:, reversible] / eer
    return cooled


def _copy(source: np.ndarray, into: np.ndarray | None) -> np.ndarray:
    """A copy of ``source``, written into ``into`` when the caller lends an array."""
    if into is None:
        return source.copy(order="K")
    np.copyto(into, source)
    return into


def _electric_base(data: NodeData, chiller: np.ndarray | None) -> np.ndarray:
    """Electricity use minus generation before heat supply and storage [kWh per step]."""
    out = data.out
    base = _copy(out["electricity_demand_kwh"], data.residual_out)
    for name, sign in (("ev_charge_kwh", 1.0), ("pv_kwh", -1.0), ("wind_kwh", -1.0)):
        if name in data.given:
            add(base, data.given[name], out[name], sign)
    if chiller is not None:
        add(base, chiller, out["chiller_el_kwh"])
    if data.base_extra_kwh is not None:
        base += data.base_extra_kwh
    return base


def _top_of_kind(cols: Columns, kind: int, written: np.ndarray) -> np.ndarray:
    """Columns whose last source is of ``kind`` and delivered heat (``written``)."""
    result: np.ndarray = (cols.top == kind) & written
    return result


def _electric_heat(cols: Columns, written: np.ndarray) -> np.ndarray:
    """Columns with electric-heater flows: an electric last source that ran, or power-to-heat."""
    return _top_of_kind(cols, TOP_ELECTRIC, written) | (cols.p2h_kw > 0)


def _write_top(cols: Columns, data: NodeData, top: np.ndarray, written: np.ndarray) -> None:
    """Write the last source's heat, fuel and electricity, by kind of source.

    Only in the ``written`` columns: elsewhere the last source's heat is zero in every step.
    """
    out = data.out
    for kind, heat_name in (
        (TOP_DISTRICT_HEAT, "dh_import_kwh"),
        (TOP_BOILER, "boiler_heat_kwh"),
        (TOP_ELECTRIC, "eboiler_heat_kwh"),
    ):
        mask = _top_of_kind(cols, kind, written)
        if not mask.any():
            continue
        np.copyto(out[heat_name], top, where=only(mask))
        if kind == TOP_BOILER:
            np.divide(top, cols.top_efficiency, out=out["boiler_fuel_kwh"], where=only(mask))
        elif kind == TOP_ELECTRIC:
            np.divide(top, cols.top_efficiency, out=out["eboiler_el_kwh"], where=only(mask))


def _write_stack(cols: Columns, data: NodeData, need: np.ndarray, dt_h: float) -> None:
    """Split ``need`` over the CHPs and heat pumps, in the columns that have one.

    Writes their heat, electricity and fuel, and leaves the last source's heat in ``need``.
    Columns with a CHP (few) are split on a gathered copy by :func:`split_heat`; columns
    with a heat pump alone in place, through masks.
    """
    out = data.out
    with_chp = np.flatnonzero(cols.chp_heat_kw > 0)
    if with_chp.size:
        sub = cols.take(with_chp)
        rest = need[:, with_chp]
        chp, hp, rest = split_heat(rest, HeatStack(sub, dt_h), in_place=True)
        need[:, with_chp] = rest
        if chp is not None:
            out["chp_heat_kwh"][:, with_chp] = chp
            out["chp_el_kwh"][:, with_chp] = chp * sub.chp_el_per_heat
            out["chp_fuel_kwh"][:, with_chp] = chp * sub.chp_fuel_per_heat
        if hp is not None and data.cop is not None:
            has = np.flatnonzero(sub.hp_heat_kw > 0)
            out["hp_heat_kwh"][:, with_chp[has]] = hp[:, has]
            out["hp_el_kwh"][:, with_chp[has]] = hp[:, has] / data.cop[:, with_chp[has]]
    pump = (cols.hp_heat_kw > 0) & (cols.chp_heat_kw <= 0)
    if not pump.any() or data.cop is None:
        return
    heat, at = out["hp_heat_kwh"], only(pump)
    np.minimum(need, cols.hp_heat_kw * dt_h, out=heat, where=at)
    np.subtract(need, heat, out=need, where=at)
    # check_cop made the COP positive in every column with a heat pump
    np.divide(heat, data.cop, out=out["hp_el_kwh"], where=at)


def _write_supply(
    cols: Columns,
    data: NodeData,
    need: np.ndarray,
    p2h: tuple[np.ndarray, np.ndarray] | None,
    idx: np.ndarray,
    dt_h: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split the need over the stack and write heat-supply flows (``need`` is consumed).

    Returns the last source's total and peak heat per column and the mask of the columns
    where it delivered heat (see :class:`NodeResult`).
    """
    out = data.out
    _write_stack(cols, data, need, dt_h)
    top = need
    if p2h is not None:
        p2h_el, p2h_stored = p2h
        p2h_heat = p2h_el * cols.p2h_efficiency[idx]
        top[:, idx] -= (p2h_heat - p2h_stored) if p2h_stored.size else p2h_heat
    # a heat pump's back-up heater that never runs would write zeros into fresh memory
    written: np.ndarray = np.any(top, axis=0)  # (column,) bool
    _write_top(cols, data, top, written)
    if p2h is not None:
        out["eboiler_heat_kwh"][:, idx] += p2h_heat
        out["eboiler_el_kwh"][:, idx] += p2h_el
    return (*_top_stats(cols, top), written)


def _top_stats(cols: Columns, top: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Total and peak heat of the last source where a note may be due [kWh]."""
    backup = (cols.hp_heat_kw > 0) & (cols.top == TOP_ELECTRIC)
    watched = backup | np.isfinite(cols.top_capacity_kw)
    if not watched.any() or not top.shape[0]:
        return np.zeros(len(cols)), np.zeros(len(cols))
    # reductions over every column read the array once and allocate no (time x column) copy
    return np.where(watched, top.sum(axis=0), 0.0), np.where(watched, top.max(axis=0), 0.0)


def _residual(
    cols: Columns, stack: HeatStack, data: NodeData, base: np.ndarray, written: np.ndarray
) -> np.ndarray:
    """Electricity the columns need from outside (negative: they have some to give).

    ``written`` is the mask of the columns where the last source's flows were written.
    """
    out = data.out
    if stack.has_hp:
        add(base, cols.hp_heat_kw > 0, out["hp_el_kwh"])
    electric = _electric_heat(cols, written)
    if electric.any():
        add(base, electric, out["eboiler_el_kwh"])
    if stack.has_chp:
        add(base, cols.chp_heat_kw > 0, out["chp_el_kwh"], -1.0)
    battery = cols.battery_kwh > 0
    if battery.any():
        add(base, battery, out["battery_charge_kwh"])
        add(base, battery, out["battery_discharge_kwh"], -1.0)
    return base


def run_nodes(cols: Columns, data: NodeData, dt_h: float) -> NodeResult:
    """Simulate ``cols`` and write their flows into ``data.out``.

    Parameters
    ----------
    cols
        Parameters of the columns (heat pumps already sized).
    data
        Flow arrays with the demands and generation filled in, and the extra series.
    dt_h
        Step length [h].

    Returns
    -------
    NodeResult
        The electricity residual per step and column and heat statistics for notes.
    """
    need, surplus = _heat_need(data)
    chiller = _cooling(cols, data)
    base = _electric_base(data, chiller)
    stack = HeatStack(cols, dt_h)
    p2h, idx = storage_pass(cols, data, need, surplus, base, dt_h)
    total, peak, written = _write_supply(cols, data, need, p2h, idx, dt_h)
    del need
    return NodeResult(_residual(cols, stack, data, base, written), total, peak, written)


def _heat_need(data: NodeData) -> tuple[np.ndarray, np.ndarray | None]:
    """The heat demand left after solar thermal, and the solar surplus [kWh per step].

    The need is built in ``data.scratch`` when given; the surplus in ``heat_dumped_kwh``,
    the flow it ends in (what the thermal store does not take is dumped), so neither takes
    an array of its own. The surplus is None when no column has solar heat.
    """
    out = data.out
    need = _copy(out["heat_demand_kwh"], data.scratch)
    solar = data.given.get("solar_thermal_kwh")
    if solar is None:
        return need, None
    surplus = out["heat_dumped_kwh"]
    split_solar(need, out["solar_thermal_kwh"], surplus, only(solar))
    return need, surplus


def written_columns(
    cols: Columns, given: dict[str, np.ndarray], top_written: np.ndarray
) -> dict[str, np.ndarray]:
    """The columns where :func:`run_nodes` may write each flow it writes column by column.

    Every other column of these flows stays zero (a property test checks it); flows not
    listed (the electricity residual's, district heat shared) may be non-zero anywhere.

    Parameters
    ----------
    cols
        The columns of the pass (heat pumps already sized).
    given
        The demand and generation masks the pass was given.
    top_written
        :attr:`NodeResult.top_written` of the pass.

    Returns
    -------
    dict
        Flow name -> boolean mask over the columns.
    """
    none = np.zeros(len(cols), dtype=bool)
    cooled = given.get("cooling_demand_kwh", none)
    chp, pump = cols.chp_heat_kw > 0, cols.hp_heat_kw > 0
    battery, store = cols.battery_kwh > 0, cols.tes_kwh > 0
    electric = _electric_heat(cols, top_written)
    boiler = _top_of_kind(cols, TOP_BOILER, top_written)
    masks = {
        name: given.get(name, none)
        for name in (
            "electricity_demand_kwh",
            "pv_kwh",
            "wind_kwh",
            "solar_thermal_kwh",
            "ev_charge_kwh",
            "cooling_demand_kwh",
            "heat_demand_kwh",
        )
    }
    masks |= {
        "chiller_cold_kwh": cooled,
        "chiller_el_kwh": cooled,
        "heat_dumped_kwh": given.get("solar_thermal_kwh", none),
        "chp_heat_kwh": chp,
        "chp_el_kwh": chp,
        "chp_fuel_kwh": chp,
        "hp_heat_kwh": pump,
        "hp_el_kwh": pump,
        "dh_import_kwh": _top_of_kind(cols, TOP_DISTRICT_HEAT, top_written),
        "boiler_heat_kwh": boiler,
        "boiler_fuel_kwh": boiler,
        "eboiler_heat_kwh": electric,
        "eboiler_el_kwh": electric,
        "battery_charge_kwh": battery,
        "battery_discharge_kwh": battery,
        "battery_soc_kwh": battery,
        "tes_charge_kwh": store,
        "tes_discharge_kwh": store,
        "tes_soc_kwh": store,
        "ev_v2g_kwh": none,
        "virtual_kwh": none,
        "heat_shared_out_kwh": none,
        "virtual_heat_kwh": none,
        "dh_export_kwh": none,
    }
    return masks
