"""Realised dispatch: decisions carried out on the actual data, balances closed exactly.

A plan is made on some data (a forecast, or the actual data itself); :func:`realise` keeps
its decisions - storage charge and discharge, EV charging, CHP output, heat fed into the
district-heating network, curtailment, space heat of thermal-mass buildings - and
recomputes the rest with the actual data:

1. Renewable and solar heat used = actual availability minus the planned curtailment.
2. Heat: the difference between the actual and the planned heat balance is taken by the
   heat pump (up to its capacity), then the electric boiler, the boiler and district heat,
   in that order; heat not needed is taken back in the reverse order, and what is left over
   (e.g. a tank discharge larger than the need) is dumped. Heat pump electricity is its
   heat divided by the actual COP.
3. Electricity: each unit's exchange with the district node is its net need, and the grid
   (district meter or each unit's meter) absorbs the rest.

With the plan's own data the LP solution comes back unchanged (up to rounding and the
netting of simultaneous import and export), so one code path turns both optimal and
rolling-horizon plans into flows. Limits violated by absorbing forecast errors are listed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sparcs.lp.builder import per_step
from sparcs.operation.optimal.thermal_mass import indoor_temperature

if TYPE_CHECKING:
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["heat_need", "realise"]

_DECIDED = ("bc", "bd", "bs", "tc", "td", "ts", "chp", "ev_ch", "ev_dis", "ev_e", "sh", "hx")


def _get(solution: dict[str, np.ndarray], name: str, shape: tuple[int, ...]) -> np.ndarray:
    value = solution.get(name)
    return np.zeros(shape) if value is None else np.maximum(np.asarray(value, dtype=float), 0.0)


def heat_need(p: DispatchProblem, sol: dict[str, np.ndarray]) -> np.ndarray:
    """Heat each unit needs per step: demand, thermal-mass space heat and network load [kW]."""
    need = np.array(p.demand_heat_kw, dtype=float)
    tm = p.thermal_mass
    if tm is not None and "sh" in sol:
        need[:, tm.unit] += _get(sol, "sh", need[:, tm.unit].shape) - tm.reference_kw
    dh = p.district_heat
    if dh is not None and dh.network_unit >= 0 and "dh" in sol:
        served = dh.served_mask(p.n_units)
        need[:, dh.network_unit] += sol["dh"][:, served].sum(axis=1)
    return need


def _capacities(p: DispatchProblem) -> dict[str, np.ndarray]:
    """Heat each flexible source can give per step and unit [kW], in merit order."""
    t, n = p.n_steps, p.n_units
    caps = {"hp": p.hp_max() * np.asarray(p.cop, dtype=float)}
    if p.electric_boiler is not None:
        eb = per_step(p.electric_boiler.max_el_kw, t, n)
        with np.errstate(invalid="ignore"):
            caps["eboiler"] = np.where(
                eb > 0, eb * per_step(p.electric_boiler.efficiency, t, n), 0.0
            )
    if p.boiler is not None:
        caps["boiler"] = per_step(p.boiler.max_heat_kw, t, n)
    if p.district_heat is not None:
        caps["dh"] = per_step(p.district_heat.max_kw, t, n)
    return caps


def _heat_out(p: DispatchProblem, sol: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Heat delivered by each flexible source per step and unit [kW]."""
    shape = (p.n_steps, p.n_units)
    out = {"hp": _get(sol, "hp", shape) * np.asarray(p.cop, dtype=float)}
    if p.electric_boiler is not None:
        out["eboiler"] = _get(sol, "eboiler", shape) * per_step(
            p.electric_boiler.efficiency, *shape
        )
    for name in ("boiler", "dh"):
        if getattr(p, {"dh": "district_heat"}.get(name, name)) is not None:
            out[name] = _get(sol, name, shape)
    return out


def _fixed_heat(p: DispatchProblem, sol: dict[str, np.ndarray]) -> np.ndarray:
    """Heat of the decided sources and sinks: tank, CHP, solar, heat fed in [kW]."""
    shape = (p.n_steps, p.n_units)
    result: np.ndarray = (
        _get(sol, "td", shape)
        - _get(sol, "tc", shape)
        + _get(sol, "chp", shape)
        + _get(sol, "solar", shape)
        - _get(sol, "hx", shape)
    )
    return result


def _rebalance(
    heat: dict[str, np.ndarray],
    caps: dict[str, np.ndarray],
    gap: np.ndarray,
    cols: slice | np.ndarray,
) -> np.ndarray:
    """Close ``gap`` (need minus supply) on columns ``cols`` in merit order; return dump."""
    order = list(heat)
    missing = np.maximum(gap, 0.0)
    for name in order:  # more heat: each source up to its capacity
        add = np.minimum(missing, np.maximum(caps[name][:, cols] - heat[name][:, cols], 0.0))
        heat[name][:, cols] += add
        missing -= add
    surplus = np.maximum(-gap, 0.0)
    for name in reversed(order):  # less heat: take back, never below zero
        cut = np.minimum(surplus, heat[name][:, cols])
        heat[name][:, cols] -= cut
        surplus -= cut
    if np.any(missing > 0):  # beyond every capacity: the largest source covers it
        top = np.argmax(np.stack([caps[k][:, cols] for k in order]), axis=0)
        for k, name in enumerate(order):
            heat[name][:, cols] += np.where(top == k, missing, 0.0)
    result: np.ndarray = surplus
    return result


def _realise_heat(
    actual: DispatchProblem,
    plan: DispatchProblem,
    sol: dict[str, np.ndarray],
    out: dict[str, np.ndarray],
) -> list[str]:
    heat = _heat_out(plan, sol)
    caps = _capacities(actual)
    network = np.zeros(actual.n_units, dtype=bool)
    dh = actual.district_heat
    if dh is not None and dh.network_unit >= 0:
        network[dh.network_unit] = True
    dump = np.zeros((actual.n_steps, actual.n_units))
    for cols in (np.flatnonzero(~network), np.flatnonzero(network)):  # the network unit last
        if not cols.size:
            continue
        # the network's load is the buildings' district heat as rebalanced just before
        current = {**sol, "dh": heat["dh"]} if "dh" in heat else sol
        gap = (
            heat_need(actual, current)[:, cols]
            - _fixed_heat(actual, out)[:, cols]
            - sum(h[:, cols] for h in heat.values())
        )
        dump[:, cols] = _rebalance(heat, caps, gap, cols)
    cop = np.asarray(actual.cop, dtype=float)
    out["hp"] = np.divide(heat["hp"], cop, out=np.zeros_like(cop), where=cop > 0)
    if "eboiler" in heat and actual.electric_boiler is not None:
        out["eboiler"] = heat["eboiler"] / per_step(
            actual.electric_boiler.efficiency, actual.n_steps, actual.n_units
        )
    for name in ("boiler", "dh"):
        if name in heat:
            out[name] = heat[name]
    out["dump"] = dump
    over = heat["hp"] - caps["hp"]
    return (
        [f"heat pumps ran up to {over.max():.3g} kW above capacity to absorb forecast errors"]
        if over.max() > 1e-6
        else []
    )


def _renewables(
    actual: DispatchProblem,
    plan: DispatchProblem,
    sol: dict[str, np.ndarray],
    out: dict[str, np.ndarray],
) -> None:
    shape = (actual.n_steps, actual.n_units)
    for name, avail in (("pv", "pv_avail_kw"), ("solar", "solar_heat_kw")):
        planned, real = getattr(plan, avail), getattr(actual, avail)
        if real is None:
            continue
        curtail = np.maximum(np.asarray(planned) - _get(sol, name, shape), 0.0)
        out[name] = np.clip(np.asarray(real) - curtail, 0.0, real)


def _electricity(p: DispatchProblem, out: dict[str, np.ndarray]) -> list[str]:
    shape = (p.n_steps, p.n_units)
    net = np.array(p.demand_el_kw, dtype=float)
    for name, sign in (("hp", 1), ("eboiler", 1), ("bc", 1), ("pv", -1), ("bd", -1)):
        if name in out:
            net += sign * out[name]
    if p.chp is not None and "chp" in out:
        net -= out["chp"] * np.asarray(p.chp.el_per_heat, dtype=float)
    if p.ev is not None and "ev_ch" in out:
        np.add.at(net.T, p.ev.unit, (out["ev_ch"] - _get(out, "ev_dis", out["ev_ch"].shape)).T)
    out["cin"], out["cout"] = np.maximum(net, 0.0), np.maximum(-net, 0.0)
    total = net.sum(axis=1)
    if p.metering == "building":
        out["gi"], out["ge"] = out["cin"].sum(axis=1), out["cout"].sum(axis=1)
    else:
        out["gi"], out["ge"] = np.maximum(total, 0.0), np.maximum(-total, 0.0)
    notes = []
    for name, limit in (("import", p.grid_import_kw), ("export", p.grid_export_kw)):
        flow = out["gi" if name == "import" else "ge"]
        if flow.max(initial=0.0) > limit * (1 + 1e-7) + 1e-6:
            notes.append(
                f"grid {name} exceeded its limit of {limit:g} kW in "
                f"{int((flow > limit * (1 + 1e-7) + 1e-6).sum())} step(s), up to "
                f"{flow.max() - limit:.3g} kW above it (forecast errors)"
            )
    del shape
    return notes


def realise(
    actual: DispatchProblem, plan: DispatchProblem, solution: dict[str, np.ndarray]
) -> tuple[dict[str, np.ndarray], list[str]]:
    """Carry out the decisions of ``solution`` (made on ``plan``) on the ``actual`` data.

    Parameters
    ----------
    actual
        The data that happened.
    plan
        The data the solution was computed on (same shape).
    solution
        Named arrays of the LP solution on ``plan``.

    Returns
    -------
    solution, notes
        The realised arrays (same names, plus ``dump``: heat dumped [kW]) and remarks on
        limits exceeded.
    """
    out = {
        name: _get(solution, name, np.shape(solution[name]))
        for name in _DECIDED
        if name in solution
    }
    _renewables(actual, plan, solution, out)
    notes = _realise_heat(actual, plan, solution, out)
    notes += _electricity(actual, out)
    tm = actual.thermal_mass
    if tm is not None and "sh" in out:
        # a cyclic plan starts from its own last temperature
        initial = solution["tin"][-1] if actual.cyclic and "tin" in solution else tm.initial_c
        out["tin"] = indoor_temperature(tm, out["sh"], actual.dt_h, initial)
    if "peak" in solution:
        out["peak"] = np.asarray(max(float(out["gi"].max(initial=0.0)), actual.peak_floor_kw))
    return out, notes
