"""One pass of the rule simulation over a group of columns: the buildings, or the district node.

The pass reads demands and generation that the caller has already written into the columns'
flow arrays (energy per step), and writes every other flow of the columns. It returns the
electricity residual (positive: the columns need electricity from outside; negative: they have
some to give), which the caller routes to the grid or to the district node.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sparcs.operation._columns import TOP_BOILER, TOP_DISTRICT_HEAT, TOP_ELECTRIC, Columns
from sparcs.operation._heat import CHILLER_EER, HeatStack, reversible_eer, split_heat, split_solar
from sparcs.operation._storage import StorageRun, run_storage

__all__ = ["NodeData", "run_nodes"]


@dataclass(frozen=True)
class NodeData:
    """What a pass reads and writes.

    Attributes
    ----------
    out
        Flow name -> array (time, column) to write into: views of the Flows arrays. The caller
        has filled the demands and generation [kWh per step].
    given
        Names in ``out`` that hold data; the others are still zero.
    cop
        Heat-pump COP per step (time, column) [-], or None when no column has a heat pump.
    base_extra_kwh
        Further electricity use (positive) or supply (negative) per step (time, column) [kWh],
        e.g. the buildings' residuals at the district node; None when there is none.
    temp_air_c
        Outdoor temperature per step (time,) [degC], for reversible heat pumps; None if unused.
    """

    out: dict[str, np.ndarray]
    given: frozenset[str]
    cop: np.ndarray | None = None
    base_extra_kwh: np.ndarray | None = None
    temp_air_c: np.ndarray | None = None


def _cooling(cols: Columns, data: NodeData) -> bool:
    """Chillers meet the cooling demand; reversible heat pumps cool at a weather-dependent EER.

    Returns whether any chiller electricity was written.
    """
    if "cooling_demand_kwh" not in data.given:
        return False
    out = data.out
    cold = out["cooling_demand_kwh"]
    np.copyto(out["chiller_cold_kwh"], cold)
    np.divide(cold, CHILLER_EER, out=out["chiller_el_kwh"])
    reversible = np.flatnonzero(cols.hp_cooling)
    if reversible.size and data.temp_air_c is not None:
        eer = reversible_eer(data.temp_air_c, cols.hp_carnot[reversible])
        out["chiller_el_kwh"][:, reversible] = cold[:, reversible] / eer
    return True


def _electric_base(data: NodeData, chiller: bool) -> np.ndarray:
    """Electricity use minus generation before heat supply and storage [kWh per step]."""
    out = data.out
    base = out["electricity_demand_kwh"].copy()
    for name, sign in (("ev_charge_kwh", 1), ("pv_kwh", -1), ("wind_kwh", -1)):
        if name in data.given:
            (np.add if sign > 0 else np.subtract)(base, out[name], out=base)
    if chiller:
        base += out["chiller_el_kwh"]
    if data.base_extra_kwh is not None:
        base += data.base_extra_kwh
    return base


def _inverse_cop(cop: np.ndarray | None, stack: HeatStack) -> np.ndarray | None:
    """1 / COP where a column has a heat pump, else 0 [-]."""
    if cop is None or not stack.has_hp:
        return None
    has = stack.hp_kwh > 0
    return np.divide(1.0, cop, out=np.zeros(cop.shape), where=(cop > 0) & has)


def _write_storage(data: NodeData, need: np.ndarray, run: StorageRun, idx: np.ndarray) -> None:
    """Write the storage flows of the looped columns; leave their stack need in ``need``."""
    out = data.out
    if run.battery_net.size:
        out["battery_charge_kwh"][:, idx] = np.maximum(run.battery_net, 0.0)
        out["battery_discharge_kwh"][:, idx] = np.maximum(-run.battery_net, 0.0)
        out["battery_soc_kwh"][:, idx] = run.battery_soc
    if run.tes_soc.size:
        discharge = need[:, idx] - run.need
        charge = np.zeros_like(discharge)
        for part in (run.solar_charge, run.p2h_stored):
            if part.size:
                charge += part
        # heat from power-to-heat that enters the store while it discharges goes straight to
        # the load: net the two so the store never charges and discharges in one step
        both = np.minimum(charge, discharge)
        out["tes_charge_kwh"][:, idx] = charge - both
        out["tes_discharge_kwh"][:, idx] = discharge - both
        out["tes_soc_kwh"][:, idx] = run.tes_soc
    need[:, idx] = run.need


def _write_top(cols: Columns, data: NodeData, top: np.ndarray) -> None:
    """Write the last source's heat, fuel and electricity, by kind of source."""
    out = data.out
    for kind, heat_name in ((TOP_DISTRICT_HEAT, "dh_import_kwh"), (TOP_BOILER, "boiler_heat_kwh"),
                            (TOP_ELECTRIC, "eboiler_heat_kwh")):
        mask = cols.top == kind
        if not mask.any():
            continue
        np.multiply(top, mask, out=out[heat_name])
        if kind == TOP_BOILER:
            np.multiply(top, mask / cols.top_efficiency, out=out["boiler_fuel_kwh"])
        elif kind == TOP_ELECTRIC:
            np.multiply(top, mask / cols.top_efficiency, out=out["eboiler_el_kwh"])


def _write_supply(cols: Columns, stack: HeatStack, data: NodeData, need: np.ndarray,
                  run: StorageRun | None, idx: np.ndarray) -> None:
    """Split the need over the stack and write heat-supply flows (``need`` is consumed)."""
    out = data.out
    chp, hp, top = split_heat(need, stack, chp_out=out["chp_heat_kwh"], hp_out=out["hp_heat_kwh"],
                              in_place=True)
    if chp is not None:
        np.multiply(chp, cols.chp_el_per_heat, out=out["chp_el_kwh"])
        np.multiply(chp, cols.chp_fuel_per_heat, out=out["chp_fuel_kwh"])
    if hp is not None and data.cop is not None:
        np.divide(hp, data.cop, out=out["hp_el_kwh"], where=hp > 0)
    p2h_heat = None
    if run is not None and run.p2h_el.size:
        p2h_heat = run.p2h_el * cols.p2h_efficiency[idx]
        displaced = p2h_heat - run.p2h_stored if run.p2h_stored.size else p2h_heat
        top[:, idx] -= displaced
    _write_top(cols, data, top)
    if p2h_heat is not None and run is not None:
        out["eboiler_heat_kwh"][:, idx] += p2h_heat
        out["eboiler_el_kwh"][:, idx] += run.p2h_el


def _residual(stack: HeatStack, data: NodeData, base: np.ndarray, run: StorageRun | None,
              idx: np.ndarray) -> np.ndarray:
    """Electricity the columns need from outside (negative: they have some to give)."""
    out = data.out
    if stack.has_hp:
        base += out["hp_el_kwh"]
    if stack.has_electric_top or (run is not None and run.p2h_el.size):
        base += out["eboiler_el_kwh"]
    if stack.has_chp:
        base -= out["chp_el_kwh"]
    if run is not None and run.battery_net.size:
        base[:, idx] += run.battery_net
    return base


def run_nodes(cols: Columns, data: NodeData, dt_h: float) -> np.ndarray:
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
    numpy.ndarray
        Electricity residual per step and column [kWh]: positive = import need.
    """
    out = data.out
    heat = out["heat_demand_kwh"]
    if "solar_thermal_kwh" in data.given:
        need, surplus = split_solar(heat, out["solar_thermal_kwh"])
    else:
        need, surplus = heat.copy(), None
    chiller = _cooling(cols, data)
    base = _electric_base(data, chiller)
    stack = HeatStack(cols, dt_h)
    idx = np.flatnonzero(cols.stateful)
    run = None
    if idx.size:
        sub = cols.take(idx)
        sub_cop = None if data.cop is None else data.cop[:, idx]
        run = run_storage(
            sub, need=need[:, idx], solar_surplus=None if surplus is None else surplus[:, idx],
            base_kwh=base[:, idx], inverse_cop=_inverse_cop(sub_cop, HeatStack(sub, dt_h)),
            dt_h=dt_h,
        )
        _write_storage(data, need, run, idx)
    if surplus is not None:
        if run is not None and run.solar_charge.size:
            surplus[:, idx] -= run.solar_charge
        np.copyto(out["heat_dumped_kwh"], surplus)
        del surplus
    _write_supply(cols, stack, data, need, run, idx)
    del need
    return _residual(stack, data, base, run, idx)
