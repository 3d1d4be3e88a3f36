"""Positive-energy constraint: the primary-energy balance of each period must not be negative.

For each period ``p`` (the year, or each month) one row (``PED``)::

    sum_{t in p} dt * [ f_exp(t) ge(t) - f_imp(t) gi(t) - f_dh(t) dh_bought(t)
                        - sum_b f_fuel(t, b) fuel(t, b) ] >= -credit(p)

with non-renewable primary-energy factors ``f`` [kWh_PE/kWh] and ``credit`` the primary
energy credited from outside the LP (e.g. virtual assets) [kWh_PE]. ``fuel`` is the fuel
burnt by boilers (``boiler / efficiency``) and CHP units (``chp * fuel_per_heat``). This is
the balance ``PEB = PEE - PEI >= 0`` of Gabaldón Moreno et al., *Sustainability* 13(2) 710
(2021), steps 6-7, which :mod:`sparcs.kpi.ped` reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sparcs.lp.builder import per_step

if TYPE_CHECKING:
    from sparcs.lp.builder import LpBuilder
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["PedParams", "add_ped", "pe_coefficients"]


@dataclass(frozen=True)
class PedParams:
    """Primary-energy factors and the periods of the balance.

    Attributes
    ----------
    import_pe, export_pe
        Factors of imported and exported electricity, (time,) [kWh_PE/kWh].
    district_heat_pe
        Factor of bought district heat: scalar or (time,) [kWh_PE/kWh].
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
    fuel_pe: np.ndarray | float = 0.0
    period: np.ndarray | None = None
    credit_kwh: np.ndarray | None = None

    def periods(self, n_steps: int) -> np.ndarray:
        """Period index of each step, (time,)."""
        return np.zeros(n_steps, dtype=int) if self.period is None else np.asarray(self.period)


def pe_coefficients(p: DispatchProblem, ped: PedParams) -> dict[str, np.ndarray]:
    """Primary energy per unit of each column [kWh_PE per kW over a step], (time, unit)."""
    t, n, dt = p.n_steps, p.n_units, p.dt_h
    out = {"gi": -np.asarray(ped.import_pe, dtype=float) * dt,
           "ge": np.asarray(ped.export_pe, dtype=float) * dt}
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


def add_ped(lp: LpBuilder, p: DispatchProblem) -> None:
    """Rows ``PED``: one primary-energy balance per period."""
    ped = p.ped
    if ped is None:
        return
    period = ped.periods(p.n_steps)
    n_periods = int(period.max()) + 1 if period.size else 0
    credit = np.zeros(n_periods) if ped.credit_kwh is None else np.asarray(ped.credit_kwh, float)
    rows = lp.add_rows("PED", 1, n_periods, lower=-credit, upper=np.inf).ids()[0]
    for name, coef in pe_coefficients(p, ped).items():
        if name not in lp.cols:
            continue
        block = lp.cols[name]
        ids = block.ids()
        if block.units == 1:
            lp.add_coef(rows[period], ids[0], coef)
        else:
            lp.add_coef(rows[period][None, :], ids, coef.T)
