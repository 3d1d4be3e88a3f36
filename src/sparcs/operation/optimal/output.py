"""A realised dispatch solution -> :class:`~sparcs.operation.flows.Flows`.

The solution must come from :func:`~sparcs.operation.optimal.realise.realise`, whose
balances close exactly; the flows then pass :func:`~sparcs.operation.flows.check_balance`
with the naming conventions of the rule simulation: ``pv`` and ``wind`` are potentials and
``curtailed`` the unused part; buildings exchange with the district node through
``shared_in``/``shared_out`` under community sharing (the district node meters the grid), or
with the grid directly under building sharing; the district's heat plants hand their heat to
the buildings on district heating as ``heat_shared_out``/``heat_shared_in``, pro rata to each
building's draw, and only the heat bought outside stays ``dh_import``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sparcs.lp.builder import per_step
from sparcs.operation.flows import DISTRICT_NODE, FLOW_NAMES, STATE_NAMES, Flows
from sparcs.operation.optimal.realise import heat_need
from sparcs.operation.params import capacities

if TYPE_CHECKING:
    from sparcs.operation.optimal.adapter import ScenarioProblem
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["to_flows"]


def _z(sol: dict[str, np.ndarray], name: str, shape: tuple[int, int]) -> np.ndarray:
    value = sol.get(name)
    return np.zeros(shape) if value is None else np.asarray(value, dtype=float)


def _electric(
    p: DispatchProblem, sp: ScenarioProblem, sol: dict[str, np.ndarray], d: dict[str, np.ndarray]
) -> None:
    shape, dt, s = (p.n_steps, p.n_units), p.dt_h, sp.series
    d["electricity_demand_kwh"] = s["electricity"] * dt
    d["chiller_el_kwh"] = s["chiller_el"] * dt
    d["chiller_cold_kwh"] = d["cooling_demand_kwh"] = s["cooling"] * dt
    d["pv_kwh"], d["wind_kwh"] = s["pv"] * dt, s["wind"] * dt
    d["curtailed_kwh"] = np.maximum(s["pv"] + s["wind"] - _z(sol, "pv", shape), 0.0) * dt
    d["hp_el_kwh"] = _z(sol, "hp", shape) * dt
    d["battery_charge_kwh"] = _z(sol, "bc", shape) * dt
    d["battery_discharge_kwh"] = _z(sol, "bd", shape) * dt
    d["battery_soc_kwh"] = _z(sol, "bs", shape)
    d["eboiler_el_kwh"] = _z(sol, "eboiler", shape) * dt
    ev_ch, ev_dis = s["ev_fixed"] * dt, np.zeros(shape)
    if p.ev is not None and "ev_ch" in sol:
        np.add.at(ev_ch.T, p.ev.unit, sol["ev_ch"].T * dt)
        np.add.at(ev_dis.T, p.ev.unit, _z(sol, "ev_dis", sol["ev_ch"].shape).T * dt)
    d["ev_charge_kwh"], d["ev_v2g_kwh"] = ev_ch, ev_dis
    if p.chp is not None:
        chp = _z(sol, "chp", shape)
        d["chp_el_kwh"] = chp * np.asarray(p.chp.el_per_heat) * dt
        d["chp_fuel_kwh"] = chp * np.asarray(p.chp.fuel_per_heat) * dt
    d["virtual_kwh"] = s["virtual"] * dt
    d["virtual_heat_kwh"] = s["virtual_heat"] * dt


def _exchange(p: DispatchProblem, sol: dict[str, np.ndarray], d: dict[str, np.ndarray]) -> None:
    shape, dt = (p.n_steps, p.n_units), p.dt_h
    cin, cout = _z(sol, "cin", shape) * dt, _z(sol, "cout", shape) * dt
    if p.metering == "building":
        d["grid_import_kwh"], d["grid_export_kwh"] = cin, cout
        return
    d["shared_in_kwh"], d["shared_out_kwh"] = cin.copy(), cout.copy()
    d["shared_in_kwh"][:, -1] = cout[:, :-1].sum(axis=1)
    d["shared_out_kwh"][:, -1] = cin[:, :-1].sum(axis=1)
    d["grid_import_kwh"][:, -1] = np.asarray(sol["gi"]) * dt
    d["grid_export_kwh"][:, -1] = np.asarray(sol["ge"]) * dt


def _heat(
    p: DispatchProblem, sp: ScenarioProblem, sol: dict[str, np.ndarray], d: dict[str, np.ndarray]
) -> None:
    shape, dt = (p.n_steps, p.n_units), p.dt_h
    d["hp_heat_kwh"] = _z(sol, "hp", shape) * np.asarray(p.cop) * dt
    d["tes_charge_kwh"] = _z(sol, "tc", shape) * dt
    d["tes_discharge_kwh"] = _z(sol, "td", shape) * dt
    d["tes_soc_kwh"] = _z(sol, "ts", shape)
    if p.electric_boiler is not None:
        d["eboiler_heat_kwh"] = d["eboiler_el_kwh"] * per_step(p.electric_boiler.efficiency, *shape)
    if p.boiler is not None:
        boiler = _z(sol, "boiler", shape)
        d["boiler_heat_kwh"] = boiler * dt
        d["boiler_fuel_kwh"] = boiler * p.boiler.fuel_per_heat() * dt
    d["chp_heat_kwh"] = _z(sol, "chp", shape) * dt
    d["dh_export_kwh"] = _z(sol, "hx", shape) * dt
    solar = sp.series["solar"]
    d["solar_thermal_kwh"] = solar * dt
    d["heat_dumped_kwh"] = (
        np.maximum(solar - _z(sol, "solar", shape), 0.0) + _z(sol, "dump", shape)
    ) * dt
    need = heat_need(p, sol)
    dh = _z(sol, "dh", shape) * dt
    params = p.district_heat
    if params is None or params.network_unit < 0:
        d["heat_demand_kwh"] = need * dt
        d["dh_import_kwh"] = dh
        return
    net = params.network_unit
    served = params.served_mask(p.n_units)
    load = dh[:, served].sum(axis=1)
    local = np.clip(load - dh[:, net], 0.0, load)
    share = np.divide(local, load, out=np.zeros_like(load), where=load > 0)
    need[:, net] = 0.0
    d["heat_demand_kwh"] = need * dt
    received = dh * share[:, None] * served
    d["heat_shared_in_kwh"] = received
    d["dh_import_kwh"] = dh - received
    # heat bought beyond the buildings' draw (if any) stays bought at the district node
    d["dh_import_kwh"][:, net] = np.maximum(dh[:, net] - load, 0.0)
    d["heat_shared_out_kwh"] = np.zeros(shape)
    d["heat_shared_out_kwh"][:, net] = received.sum(axis=1)


def to_flows(
    sp: ScenarioProblem, solution: dict[str, np.ndarray], notes: tuple[str, ...] = ()
) -> Flows:
    """Flows of a realised solution of ``sp.problem``.

    Parameters
    ----------
    sp
        The scenario's problem.
    solution
        Realised arrays (:func:`~sparcs.operation.optimal.realise.realise`).
    notes
        Remarks to attach besides the adapter's own.
    """
    p = sp.problem
    shape = (p.n_steps, p.n_units)
    data = {name: np.zeros(shape) for name in (*FLOW_NAMES, *STATE_NAMES)}
    _electric(p, sp, solution, data)
    _exchange(p, solution, data)
    _heat(p, sp, solution, data)
    for name in FLOW_NAMES:  # rounding of the solver: no flow below zero
        np.maximum(data[name], 0.0, out=data[name])
    buildings = sp.buildings
    return Flows(
        time=sp.inputs.time,
        dt_h=p.dt_h,
        nodes=(*sp.cols.ids, DISTRICT_NODE),
        data=data,
        fuel=(*sp.cols.fuel, *sp.dcols.fuel),
        floor_area_m2=np.array([b.floor_area_m2 for b in buildings] + [0.0]),
        residents=np.array([b.residents or 0 for b in buildings] + [0], dtype=float),
        sharing=sp.scenario.boundary.sharing,
        capacities=capacities(buildings, sp.scenario.district, sp.cols, sp.dcols),
        notes=(*sp.notes, *notes),
        timezone=sp.scenario.timezone,
    )
