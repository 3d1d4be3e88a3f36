"""The time loop of the rule simulation: battery and thermal-storage state recursions.

Only columns with a battery, a thermal store or power-to-heat enter this loop. Each step is a
handful of array expressions over those columns; everything without state is computed on whole
arrays elsewhere. The order inside a step is the merit order of :mod:`sparcs.operation.rule`:

1. the thermal store loses its standing loss, takes the solar surplus and covers the heat need;
2. the supply stack (CHP, heat pump, last source) covers the rest, which fixes the column's
   electricity use;
3. the battery charges from the electricity surplus or discharges to the deficit;
4. power-to-heat takes the surplus left, displaces bought heat or burnt fuel, and fills the
   thermal store with the rest; the remainder is exported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sparcs.operation._columns import Columns
from sparcs.operation._heat import HeatStack, heat_electricity, split_heat

__all__ = ["StorageRun", "run_storage"]


@dataclass(frozen=True)
class StorageRun:
    """What the time loop decided, per step and column [kWh per step, or kWh for states].

    Attributes
    ----------
    need
        Heat need left for the supply stack after solar thermal and storage discharge.
    solar_charge
        Solar-thermal surplus stored in the thermal store.
    p2h_el, p2h_stored
        Electricity into power-to-heat, and the part of its heat that went into the store.
    battery_net
        Battery charge (positive) or discharge (negative), AC side.
    battery_soc, tes_soc
        Energy stored at the end of each step.
    """

    need: np.ndarray
    solar_charge: np.ndarray
    p2h_el: np.ndarray
    p2h_stored: np.ndarray
    battery_net: np.ndarray
    battery_soc: np.ndarray
    tes_soc: np.ndarray


class _Limits:
    """Per-column constants of the storage and power-to-heat steps."""

    def __init__(self, cols: Columns, dt_h: float) -> None:
        self.keep = (1.0 - cols.tes_loss_per_h) ** dt_h
        self.tes_kwh = cols.tes_kwh
        self.bat_kwh_step = cols.battery_kw * dt_h
        self.e_min = cols.soc_min * cols.battery_kwh
        self.e_max = cols.soc_max * cols.battery_kwh
        self.eta_ch = cols.charge_eff
        self.inv_eta_ch = 1.0 / cols.charge_eff
        self.eta_dis = cols.discharge_eff
        self.inv_eta_dis = 1.0 / cols.discharge_eff
        self.p2h_kwh_step = cols.p2h_kw * dt_h
        self.p2h_eff = cols.p2h_efficiency
        self.inv_p2h_eff = 1.0 / cols.p2h_efficiency
        self.has_tes = bool((cols.tes_kwh > 0).any())
        self.has_battery = bool((cols.battery_kwh > 0).any())
        self.has_p2h = bool((cols.p2h_kw > 0).any())


def _battery_step(net: np.ndarray, soc: np.ndarray, lim: _Limits) -> np.ndarray:
    """Charge from surplus (net < 0) or discharge to deficit (net > 0); update ``soc``.

    Returns the AC-side battery flow: charge positive, discharge negative [kWh].
    """
    charge_room = np.minimum(lim.bat_kwh_step, (lim.e_max - soc) * lim.inv_eta_ch)
    discharge_room = np.minimum(lim.bat_kwh_step, (soc - lim.e_min) * lim.eta_dis)
    flow = np.minimum(np.maximum(-net, -discharge_room), charge_room)
    # one sign per step and column, so charging and discharging never coincide
    soc += np.where(flow > 0, flow * lim.eta_ch, flow * lim.inv_eta_dis)
    return flow


def _p2h_step(
    surplus: np.ndarray, displaceable: np.ndarray, tes: np.ndarray, lim: _Limits
) -> tuple[np.ndarray, np.ndarray]:
    """Turn surplus electricity into heat: displace bought heat first, then fill the store.

    Returns electricity used and heat stored [kWh]; ``tes`` is updated in place.
    """
    room = displaceable + (lim.tes_kwh - tes)
    el = np.minimum(np.minimum(surplus, lim.p2h_kwh_step), room * lim.inv_p2h_eff)
    stored = np.maximum(el * lim.p2h_eff - displaceable, 0.0)
    tes += stored
    return el, stored


def _empty(shape: tuple[int, int], used: bool) -> np.ndarray:
    # np.zeros maps untouched pages lazily, so records a run does not use cost no memory
    return np.zeros(shape) if used else np.zeros((0, 0))


def run_storage(
    cols: Columns,
    *,
    need: np.ndarray,
    solar_surplus: np.ndarray | None,
    base_kwh: np.ndarray,
    inverse_cop: np.ndarray | None,
    dt_h: float,
) -> StorageRun:
    """Step the storage recursions of ``cols`` through time.

    Parameters
    ----------
    cols
        Columns that have a battery, a thermal store or power-to-heat.
    need
        Heat demand left after solar thermal [kWh per step], shape (time, column).
    solar_surplus
        Solar-thermal heat beyond demand [kWh per step], or None when there is none.
    base_kwh
        Electricity use minus generation before heat supply and storage [kWh per step].
    inverse_cop
        1 / COP of the heat pumps [-], 0 where a column has none; None when no heat pump.
    dt_h
        Step length [h].

    Returns
    -------
    StorageRun
    """
    n_t, n = base_kwh.shape
    lim, stack = _Limits(cols, dt_h), HeatStack(cols, dt_h)
    tes = cols.tes_initial * cols.tes_kwh
    soc = cols.soc_initial * cols.battery_kwh
    rec = StorageRun(
        need=np.empty((n_t, n)),
        solar_charge=_empty((n_t, n), lim.has_tes and solar_surplus is not None),
        p2h_el=_empty((n_t, n), lim.has_p2h),
        p2h_stored=_empty((n_t, n), lim.has_p2h and lim.has_tes),
        battery_net=_empty((n_t, n), lim.has_battery),
        battery_soc=_empty((n_t, n), lim.has_battery),
        tes_soc=_empty((n_t, n), lim.has_tes),
    )
    for t in range(n_t):
        rest = need[t]
        if lim.has_tes:
            tes *= lim.keep
            taken = np.minimum(rest, tes)
            if solar_surplus is not None:
                # a solar surplus only exists when the need is zero: no charge with discharge
                charge = np.minimum(solar_surplus[t], lim.tes_kwh - tes)
                rec.solar_charge[t] = charge
                tes += charge
            tes -= taken
            rest = rest - taken
        rec.need[t] = rest
        chp, hp, top = split_heat(rest, stack)
        cop_t = None if inverse_cop is None else inverse_cop[t]
        net = base_kwh[t] + heat_electricity(chp, hp, top, stack, cop_t)
        if lim.has_battery:
            flow = _battery_step(net, soc, lim)
            rec.battery_net[t] = flow
            rec.battery_soc[t] = soc
            net = net + flow
        if lim.has_p2h:
            el, stored = _p2h_step(np.maximum(-net, 0.0), top * stack.displaceable, tes, lim)
            rec.p2h_el[t] = el
            if lim.has_tes:
                rec.p2h_stored[t] = stored
        if lim.has_tes:
            rec.tes_soc[t] = tes
    return rec
