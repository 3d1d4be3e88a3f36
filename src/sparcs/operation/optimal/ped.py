"""Positive-energy constraint: the primary-energy balance of each period must not be negative.

For each period ``p`` (the year, or each month) one row (``PED``)::

    sum_{t in p} dt * [ f_exp(t) ge(t) - f_imp(t) gi(t) - f_dh(t) dh_bought(t)
                        - sum_b f_fuel(t, b) fuel(t, b) ] >= -credit(p)

with non-renewable primary-energy factors ``f`` [kWh_PE/kWh] and ``credit`` the primary
energy credited from outside the LP (e.g. virtual assets) [kWh_PE]. ``fuel`` is the fuel
burnt by boilers (``boiler / efficiency``) and CHP units (``chp * fuel_per_heat``). This is
the balance ``PEB = PEE - PEI >= 0`` of Gabaldón Moreno et al., *Sustainability* 13(2) 710
(2021), steps 6-7, which :mod:`sparcs.kpi.ped` reports.

**Only renewable surplus counts** (docs/accounting.md, section 3), written linearly. The KPIs
attribute export to the CHP first, which is not convex (an optimiser would always call its
export renewable); the LP instead bounds the credited parts by what was made in the step, so
the credit is never above what the renewable and CHP output of the step can justify:

* with a CHP in the problem, electricity export ``ge`` is split into per-step columns
  ``ger + gec <= ge`` (rows ``PXE``): renewable export ``ger <= sum_b pv`` (``PXR``, the PV and
  wind used), credited at ``f_exp``, and CHP export ``gec <= sum_b el_per_heat chp`` (``PXC``),
  credited at ``c_CHP``, the f_P,nren of the fuel per kWh of CHP output (energy method:
  ``f_fuel fuel_per_heat / (1 + el_per_heat)``, the smallest over the CHP units); the rest
  (e.g. stored energy) earns nothing. Without a CHP every kWh of ``ge`` is credited at
  ``f_exp``, as in the KPIs;
* heat fed into the network (``hx``, :mod:`.heat_export`) likewise: ``hxr + hxc <= sum_b hx``
  (``PHE``), ``hxr <= sum_b solar + sum_b (COP - 1) hp`` (``PHR``: solar heat and the ambient
  part of heat-pump heat), credited at the district-heat export factor (k_exp and network
  losses included), ``hxc <= sum_b chp`` (``PHC``) at ``c_CHP``; the rest earns nothing.

The LP's credit equals the KPIs' whenever no step has both CHP output and a renewable
surplus beyond the local use (then "CHP first" and "renewable first" coincide); otherwise
the KPI verdict is the authority.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sparcs.lp.builder import per_step
from sparcs.operation.optimal.durations import one_length

if TYPE_CHECKING:
    from sparcs.lp.builder import LpBuilder
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["PedParams", "add_ped", "chp_output_pe", "pe_coefficients"]


@dataclass(frozen=True)
class PedParams:
    """Primary-energy factors and the periods of the balance.

    Attributes
    ----------
    import_pe, export_pe
        Factors of imported and exported electricity, (time,) [kWh_PE/kWh].
    district_heat_pe
        Factor of bought district heat: scalar or (time,) [kWh_PE/kWh].
    district_heat_export_pe
        Credit per kWh of renewable heat fed into the network (k_exp and network losses
        included): scalar or (time,) [kWh_PE/kWh].
    fuel_pe
        Factor of fuel burnt: scalar, (unit,) or (time, unit) [kWh_PE/kWh].
    period
        Period of each step, (time,) int in ``0 .. P-1`` (all 0 = one annual balance).
    credit_kwh
        Primary energy credited to each period from outside the LP, (P,) [kWh_PE]; None = 0.
    """

    import_pe: np.ndarray
    export_pe: np.ndarray
    district_heat_pe: np.ndarray | float = 0.0
    district_heat_export_pe: np.ndarray | float = 0.0
    fuel_pe: np.ndarray | float = 0.0
    period: np.ndarray | None = None
    credit_kwh: np.ndarray | None = None

    def periods(self, n_steps: int) -> np.ndarray:
        """Period index of each step, (time,)."""
        return np.zeros(n_steps, dtype=int) if self.period is None else np.asarray(self.period)


def pe_coefficients(p: DispatchProblem, ped: PedParams) -> dict[str, np.ndarray]:
    """Primary energy per unit of each column [kWh_PE per kW over a step], (time, unit)."""
    t, n, dt = p.n_steps, p.n_units, p.dt_h
    out = {
        "gi": -np.asarray(ped.import_pe, dtype=float) * dt,
        "ge": np.asarray(ped.export_pe, dtype=float) * dt,
    }
    fuel = per_step(ped.fuel_pe, t, n) * dt
    if p.boiler is not None:
        out["boiler"] = -fuel * p.boiler.fuel_per_heat()
    if p.chp is not None:
        out["chp"] = -fuel * np.asarray(p.chp.fuel_per_heat, dtype=float)
    if p.district_heat is not None:
        dh = np.asarray(ped.district_heat_pe, dtype=float)
        dh = per_step(dh[:, None] if dh.ndim == 1 else dh, t, n)
        out["dh"] = -dh * p.district_heat.priced(n) * dt
    return out


def chp_output_pe(p: DispatchProblem, ped: PedParams) -> np.ndarray | None:
    """f_P,nren of the fuel per kWh of CHP output (electricity + heat), the smallest over the
    CHP units, (time,) [kWh_PE/kWh]; None without a CHP."""
    if p.chp is None or not np.any(np.asarray(p.chp.max_heat_kw) > 0):
        return None
    t, n = p.n_steps, p.n_units
    has = np.flatnonzero(np.asarray(p.chp.max_heat_kw) > 0)
    fuel = per_step(ped.fuel_pe, t, n)[:, has]
    per_heat = np.asarray(p.chp.fuel_per_heat, dtype=float)[has]
    el = np.asarray(p.chp.el_per_heat, dtype=float)[has]
    lowest: np.ndarray = (fuel * per_heat / (1.0 + el)).min(axis=1)
    return lowest


def add_ped(lp: LpBuilder, p: DispatchProblem) -> None:
    """Rows ``PED``: one primary-energy balance per period; the export splits."""
    ped = p.ped
    if ped is None:
        return
    one_length(p, "a primary-energy balance")
    period = ped.periods(p.n_steps)
    n_periods = int(period.max()) + 1 if period.size else 0
    credit = np.zeros(n_periods) if ped.credit_kwh is None else np.asarray(ped.credit_kwh, float)
    rows = lp.add_rows("PED", 1, n_periods, lower=-credit, upper=np.inf).ids()[0]
    chp_pe = chp_output_pe(p, ped)
    coefficients = pe_coefficients(p, ped)
    if chp_pe is not None and p.chp is not None:  # the split replaces the plain credit of ge
        del coefficients["ge"]
        _split_electricity(lp, p, ped, chp_pe, rows[period], p.chp.el_per_heat)
    if "hx" in lp.cols:
        _split_heat(lp, p, ped, chp_pe, rows[period])
    for name, coef in coefficients.items():
        if name not in lp.cols:
            continue
        block = lp.cols[name]
        ids = block.ids()
        if block.units == 1:
            lp.add_coef(rows[period], ids[0], coef)
        else:
            lp.add_coef(rows[period][None, :], ids, coef.T)


def _bounded_parts(
    lp: LpBuilder, p: DispatchProblem, names: tuple[str, str], total: str, prefix: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-step columns ``names`` (renewable, CHP) with ``sum <= total`` (rows ``{prefix}E``);
    returns their ids and the ids of the rows bounding each (``{prefix}R``, ``{prefix}C``)."""
    t = p.n_steps
    ren = lp.add_cols(names[0], 1, t, upper=np.inf).ids()[0]
    chp = lp.add_cols(names[1], 1, t, upper=np.inf).ids()[0]
    whole = lp.add_rows(f"{prefix}E", 1, t, lower=-np.inf, upper=0.0).ids()[0]
    lp.add_coef(whole, ren, 1.0)
    lp.add_coef(whole, chp, 1.0)
    block = lp.cols[total]
    lp.add_coef(np.broadcast_to(whole, (block.units, t)), block.ids(), -1.0)
    ren_rows = lp.add_rows(f"{prefix}R", 1, t, lower=-np.inf, upper=0.0).ids()[0]
    lp.add_coef(ren_rows, ren, 1.0)
    chp_rows = lp.add_rows(f"{prefix}C", 1, t, lower=-np.inf, upper=0.0).ids()[0]
    lp.add_coef(chp_rows, chp, 1.0)
    return ren, chp, ren_rows, chp_rows


def _split_electricity(
    lp: LpBuilder,
    p: DispatchProblem,
    ped: PedParams,
    chp_pe: np.ndarray,
    ped_rows: np.ndarray,
    el_per_heat: np.ndarray,
) -> None:
    """Columns ``ger``/``gec``: renewable and CHP export, each credited at its own factor;
    ``el_per_heat`` is the CHP units' electricity per unit of heat, (unit,) [-]."""
    t, n, dt = p.n_steps, p.n_units, p.dt_h
    ren, chp, ren_rows, chp_rows = _bounded_parts(lp, p, ("ger", "gec"), "ge", "PX")
    lp.add_coef(np.broadcast_to(ren_rows, (n, t)), lp.cols["pv"].ids(), -1.0)
    el = np.broadcast_to(np.asarray(el_per_heat, dtype=float)[:, None], (n, t))
    lp.add_coef(np.broadcast_to(chp_rows, (n, t)), lp.cols["chp"].ids(), -el)
    lp.add_coef(ped_rows, ren, np.asarray(ped.export_pe, dtype=float) * dt)
    lp.add_coef(ped_rows, chp, chp_pe * dt)


def _split_heat(
    lp: LpBuilder,
    p: DispatchProblem,
    ped: PedParams,
    chp_pe: np.ndarray | None,
    ped_rows: np.ndarray,
) -> None:
    """Columns ``hxr``/``hxc``: renewable and CHP heat fed in, each credited at its factor."""
    t, n, dt = p.n_steps, p.n_units, p.dt_h
    ren, chp, ren_rows, chp_rows = _bounded_parts(lp, p, ("hxr", "hxc"), "hx", "PH")
    if "solar" in lp.cols:
        lp.add_coef(np.broadcast_to(ren_rows, (n, t)), lp.cols["solar"].ids(), -1.0)
    if "hp" in lp.cols:
        ambient = np.maximum(np.asarray(p.cop, dtype=float) - 1.0, 0.0).T
        lp.add_coef(np.broadcast_to(ren_rows, (n, t)), lp.cols["hp"].ids(), -ambient, varying=True)
    if chp_pe is not None and "chp" in lp.cols:
        lp.add_coef(np.broadcast_to(chp_rows, (n, t)), lp.cols["chp"].ids(), -1.0)
        lp.add_coef(ped_rows, chp, chp_pe * dt)
    dh = np.broadcast_to(np.asarray(ped.district_heat_export_pe, dtype=float), (t,))
    lp.add_coef(ped_rows, ren, dh * dt)
