"""Why a dispatch problem has no solution, in plain words.

Two stages. :func:`precheck` tests necessary conditions family by family before any solve
(vectorised bounds, no LP): each EV session can get its energy while plugged; each unit's
heat need fits its heat supply; each unit's and the district's least electricity need fits
its connection, also over runs of steps when every store is used. When HiGHS still reports
infeasibility, :func:`elastic_diagnosis` solves the problem again with non-negative slack
columns on every balance row family (priced so that the cheapest explanation is the grid
connection, then storage, EV and comfort, then a unit's own balances) and names the
families whose slack is used, with the worst step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from sparcs.lp.builder import LpArrays, per_step
from sparcs.operation.optimal.model import assemble

if TYPE_CHECKING:
    from sparcs.lp.status import SolverOptions
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["elastic_diagnosis", "explain", "precheck"]

_TOL = 1e-6

# One block of slack columns: (row family, sign of the slack, first column, units, steps).
_Span = tuple[str, float, int, int, int]


def _ev_sessions(p: DispatchProblem) -> list[str]:
    """Sessions whose energy exceeds what their charge point can give while plugged."""
    ev = p.ev
    if ev is None or ev.n_lanes == 0:
        return []
    s = ev.session
    plugged = s >= 0
    ids = s[plugged]
    steps = np.bincount(ids, minlength=ev.energy_kwh.size)
    done = np.zeros(ev.energy_kwh.size)
    np.maximum.at(done, ids, ev.progress[plugged])
    most = ev.power_kw * steps * p.dt_h
    bad = np.flatnonzero((done >= 1 - 1e-9) & (ev.energy_kwh > most * (1 + 1e-9) + _TOL))
    out = []
    t_idx, l_idx = np.nonzero(plugged)
    for k in bad[:3]:
        last = int(t_idx[s[plugged] == k].max())
        unit = int(ev.unit[l_idx[s[plugged] == k][0]])
        out.append(
            f"EV session {k} at {p.labels.unit(unit)} needs {ev.energy_kwh[k]:.3g} kWh by "
            f"{p.labels.step(last + 1)} but at most {most[k]:.3g} kWh can be charged "
            f"({ev.power_kw[k]:g} kW for {steps[k] * p.dt_h:g} h plugged)"
        )
    if bad.size > 3:
        out.append(f"... and {bad.size - 3} more EV sessions like these")
    return out


def _heat_supply(p: DispatchProblem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fixed heat need, non-electric and electric heat capacity per step and unit [kW]."""
    t, n = p.n_steps, p.n_units
    need = np.array(p.demand_heat_kw, dtype=float)
    if p.thermal_mass is not None:
        need[:, p.thermal_mass.unit] -= p.thermal_mass.reference_kw
    other = np.zeros((t, n))
    if p.solar_heat_kw is not None:
        other += p.solar_heat_kw
    for params, name in (
        (p.boiler, "max_heat_kw"),
        (p.chp, "max_heat_kw"),
        (p.district_heat, "max_kw"),
    ):
        if params is not None:
            other += np.asarray(getattr(params, name), dtype=float)
    if p.tank.present:
        other += np.where(np.asarray(p.tank.capacity_kwh) > 0, p.tank.discharge_kw, 0.0)
    if p.district_heat is not None and p.district_heat.network_unit >= 0:
        need[:, p.district_heat.network_unit] = 0.0  # its load is decided by the LP
    electric = p.hp_max() * np.asarray(p.cop, dtype=float)
    ratio = np.where(p.hp_max() > 0, np.asarray(p.cop, dtype=float), 0.0)
    if p.electric_boiler is not None:
        eb = per_step(p.electric_boiler.max_el_kw, t, n)
        eff = per_step(p.electric_boiler.efficiency, t, n)
        with np.errstate(invalid="ignore"):
            electric = electric + np.where(eb > 0, eb * eff, 0.0)
        ratio = np.maximum(ratio, np.where(eb > 0, eff, 0.0))
    return need, other, np.stack([electric, ratio])


def _heat_capacity(
    p: DispatchProblem, need: np.ndarray, other: np.ndarray, electric: np.ndarray
) -> list[str]:
    short = need - other - electric
    bad = short > _TOL + 1e-9 * need
    if not bad.any():
        return []
    worst = np.unravel_index(int(np.argmax(np.where(bad, short, -np.inf))), short.shape)
    t, b = int(worst[0]), int(worst[1])
    units = np.flatnonzero(bad.any(axis=0))
    return [
        f"{p.labels.unit(b)} needs {need[t, b]:.3g} kW of heat at {p.labels.step(t)} but "
        f"its heat pump, heaters, boilers, district heat, solar heat and tank together give "
        f"at most {need[t, b] - short[t, b]:.3g} kW (heat demand above heat capacity in "
        f"{int(bad.sum())} step(s) of {units.size} unit(s)); add a back-up heater or a "
        "larger heat pump"
    ]


def _least_electricity(
    p: DispatchProblem, need: np.ndarray, other: np.ndarray, ratio: np.ndarray
) -> np.ndarray:
    """Least electricity each unit must draw per step, storage fully used [kW]."""
    heat_el = np.divide(
        np.maximum(need - other, 0.0), ratio, out=np.zeros_like(need), where=ratio > 0
    )
    gen = np.asarray(p.pv_avail_kw, dtype=float).copy()
    if p.battery.present:
        gen += np.where(np.asarray(p.battery.capacity_kwh) > 0, p.battery.discharge_kw, 0.0)
    if p.chp is not None:
        gen += np.asarray(p.chp.max_heat_kw) * np.asarray(p.chp.el_per_heat)
    result: np.ndarray = np.asarray(p.demand_el_kw, dtype=float) + heat_el - gen
    return result


def _connections(p: DispatchProblem, least: np.ndarray) -> list[str]:
    out = []
    over = least - np.asarray(p.connection_kw, dtype=float)
    if (over > _TOL).any():
        t, b = divmod(int(np.argmax(over)), over.shape[1])  # (time, unit) of the worst
        out.append(
            f"{p.labels.unit(b)} must draw at least {least[t, b]:.3g} kW at "
            f"{p.labels.step(t)} but its connection carries {p.connection_kw[b]:.3g} kW"
        )
    district = np.maximum(least, 0).sum(axis=1) if p.metering == "building" else least.sum(axis=1)
    over = district - p.grid_import_kw
    if (over > _TOL).any():
        t = int(np.argmax(over))
        out.append(
            f"the district must import at least {district[t]:.4g} kW at "
            f"{p.labels.step(t)} (demand, heat pumps and fixed charging after PV and "
            f"every store discharging at full power) but the grid import limit is "
            f"{p.grid_import_kw:.4g} kW ({int((over > _TOL).sum())} step(s) above it)"
        )
    return out


def _storage_runs(p: DispatchProblem, least: np.ndarray, ratio: np.ndarray) -> list[str]:
    """Runs of steps above the import limit that need more energy than all stores hold."""
    if not np.isfinite(p.grid_import_kw):
        return []
    bat = np.asarray(p.battery.capacity_kwh, dtype=float) if p.battery.present else 0.0
    discharge = (
        np.where(np.asarray(bat) > 0, p.battery.discharge_kw, 0.0) if p.battery.present else 0.0
    )
    no_battery = least + discharge
    deficit = np.maximum(no_battery.sum(axis=1) - p.grid_import_kw, 0.0) * p.dt_h
    if not (deficit > _TOL).any():
        return []
    held = np.sum(bat * (np.asarray(p.battery.eta_discharge) if p.battery.present else 1.0))
    if p.tank.present:
        best = np.maximum(ratio.max(axis=0), 1e-9)
        held += float(np.sum(np.asarray(p.tank.capacity_kwh) / best))
    on = deficit > _TOL
    starts = np.flatnonzero(on & ~np.r_[False, on[:-1]])
    ends = np.flatnonzero(on & ~np.r_[on[1:], False])
    energy = np.add.reduceat(deficit, starts) if starts.size else np.zeros(0)
    # reduceat sums to the next start; the steps between a run's end and the next start are 0
    bad = np.flatnonzero(energy > held + _TOL)
    if not bad.size:
        return []
    k = int(bad[np.argmax(energy[bad])])
    return [
        f"from {p.labels.step(int(starts[k]))} to {p.labels.step(int(ends[k]) + 1)} the "
        f"district needs {energy[k]:.4g} kWh above the grid import limit of "
        f"{p.grid_import_kw:.4g} kW, but all its batteries and tanks together hold at most "
        f"{held:.4g} kWh (district peak above the grid limit even with all storage)"
    ]


def precheck(p: DispatchProblem) -> list[str]:
    """Necessary conditions of feasibility that fail, as plain sentences (empty: none found)."""
    need, other, (electric, ratio) = _heat_supply(p)
    out = _ev_sessions(p) + _heat_capacity(p, need, other, electric)
    if out:
        return out
    least = _least_electricity(p, need, other, ratio)
    return _connections(p, least) or _storage_runs(p, least, ratio)


#: Row family -> (what it limits, price per unit of slack, slack both ways, unit of slack).
_ELASTIC = {
    "D": ("the grid connection", 1.0, True, "kW"),
    "Dx": ("the grid connection", 1.0, True, "kW"),
    "B": ("the battery levels", 3.0, True, "kWh"),
    "S": ("the tank levels", 3.0, True, "kWh"),
    "V": ("the EV charging (energy by departure)", 3.0, False, "kWh"),
    "TM": ("the comfort band", 3.0, True, "K"),
    "PED": ("the primary-energy balance", 0.2, False, "kWh_PE"),
    "E": ("its electricity supply (connection and generation)", 10.0, True, "kW"),
    "H": ("its heat supply (heat pump, heaters, boilers, storage)", 10.0, True, "kW"),
}


def _signs(p: DispatchProblem, name: str) -> tuple[float, ...]:
    """Directions of slack on a row family; the district rows only where a limit exists."""
    if name == "D":
        return ((1.0,) if np.isfinite(p.grid_import_kw) else ()) + (
            (-1.0,) if np.isfinite(p.grid_export_kw) and p.metering == "district" else ()
        )
    if name == "Dx":
        return (1.0,) if np.isfinite(p.grid_export_kw) else ()
    return (1.0, -1.0) if _ELASTIC[name][2] else (1.0,)


def _elastic_arrays(
    a: LpArrays,
    row_blocks: dict[str, tuple[int, int, int, tuple[float, ...]]],
    *,
    scale: float = 1.0,
    keep_costs: bool = False,
) -> tuple[LpArrays, list[_Span]]:
    """``a`` with slack columns on ``row_blocks`` priced ``scale`` x the family's price."""
    extra: list[sp.csc_matrix] = []
    costs: list[np.ndarray] = []
    spans: list[_Span] = []
    col = a.col_cost.size
    for name, (start, units, steps, signs) in row_blocks.items():
        price = _ELASTIC[name][1]
        size = units * steps
        rows = np.arange(start, start + size)
        for sign in signs:
            extra.append(
                sp.csc_matrix(
                    (np.full(size, sign), (rows, np.arange(size))), shape=(a.row_lower.size, size)
                )
            )
            costs.append(np.full(size, price * scale))
            spans.append((name, sign, col, units, steps))
            col += size
    matrix = sp.hstack([a.matrix, *extra], format="csc")
    n_new = matrix.shape[1] - a.col_cost.size
    return LpArrays(
        col_lower=np.concatenate([a.col_lower, np.zeros(n_new)]),
        col_upper=np.concatenate([a.col_upper, np.full(n_new, np.inf)]),
        col_cost=np.concatenate([a.col_cost if keep_costs else np.zeros(a.col_cost.size), *costs]),
        row_lower=a.row_lower,
        row_upper=a.row_upper,
        matrix=matrix,
        varying=(np.zeros(0), np.zeros(0), np.zeros(0)),
    ), spans


def _unit(p: DispatchProblem, block: str, index: int) -> int:
    """Unit of entry ``index`` of a row block (EV rows are lanes, comfort rows buildings)."""
    if block == "V" and p.ev is not None:
        return int(p.ev.unit[index])
    if block == "TM" and p.thermal_mass is not None:
        return int(p.thermal_mass.unit[index])
    return index


def elastic_diagnosis(p: DispatchProblem, options: SolverOptions) -> list[str]:
    """Solve with slack on every balance family; name the families that need it."""
    from sparcs.lp import highs

    layout, arrays = assemble(p)
    blocks = {
        name: (b.start, b.units, b.steps, _signs(p, name))
        for name, b in layout.rows.blocks.items()
        if name in _ELASTIC
    }
    elastic, spans = _elastic_arrays(arrays, blocks)
    h = highs.new_highs(options)
    highs.pass_model(h, elastic)
    outcome = highs.run(h, options)
    if outcome.col_value is None:
        return ["the solver could not find which constraint family is at fault"]
    out = []
    for name, sign, start, units, steps in spans:
        values = outcome.col_value[start : start + units * steps].reshape(units, steps)
        if values.max() <= _TOL:
            continue
        b, t = np.unravel_index(int(np.argmax(values)), values.shape)
        what, _, _, unit = _ELASTIC[name]
        where = (
            "the district" if name in ("D", "Dx", "PED") else p.labels.unit(_unit(p, name, int(b)))
        )
        amount = f"up to {values.max():.3g} {unit}"
        told = (
            f"{where} needs {amount} more than {what} allows"
            if sign > 0
            else f"{where} has {amount} more than {what} can take"
        )
        if name == "PED":
            out.append(
                f"{told} over the period"
                if steps == 1
                else f"{told} (worst in period {int(t) + 1} of {steps}; "
                f"{int((values > _TOL).sum())} period(s) short)"
            )
            continue
        out.append(
            f"{told} (worst at {p.labels.step(int(t))}; "
            f"{int((values > _TOL).sum())} step(s) affected)"
        )
    return out or [
        "the model is infeasible but no balance family needs slack; check the "
        "bounds (e.g. a comfort band below the set point)"
    ]


def soft_solve(
    p: DispatchProblem, options: SolverOptions
) -> tuple[dict[str, np.ndarray], list[str]]:
    """Solve ``p`` with its balance families made soft at a high price.

    Used by rolling horizon when a window has no solution on its forecast: the plan keeps
    its costs, and slack (unserved demand, limits exceeded) costs 100 times the largest cost
    coefficient per kW or kWh, so it is used only where nothing else works.

    Returns
    -------
    solution, families
        Named arrays of the plan (slack left out) and the families that needed slack.
    """
    from sparcs.lp import highs
    from sparcs.operation.optimal.model import solution_arrays

    layout, arrays = assemble(p)
    blocks = {
        name: (b.start, b.units, b.steps, _signs(p, name))
        for name, b in layout.rows.blocks.items()
        if name in _ELASTIC
    }
    scale = 100.0 * max(1.0, float(np.abs(arrays.col_cost).max(initial=0.0)) / p.dt_h)
    soft, spans = _elastic_arrays(arrays, blocks, scale=scale, keep_costs=True)
    h = highs.new_highs(options)
    highs.pass_model(h, soft)
    outcome = highs.run(h, options)
    if outcome.col_value is None:
        return {}, []
    used = sorted(
        {
            _ELASTIC[name][0]
            for name, _, start, units, steps in spans
            if outcome.col_value[start : start + units * steps].max() > _TOL
        }
    )
    return solution_arrays(layout, outcome.col_value), used


def explain(reasons: list[str]) -> str:
    """One message from a list of reasons."""
    head = "the dispatch problem has no solution: "
    return head + reasons[0] if len(reasons) == 1 else head + "\n  - " + "\n  - ".join(reasons)
