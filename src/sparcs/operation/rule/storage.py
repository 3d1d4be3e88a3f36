"""The time loop of the rule simulation: battery and thermal-storage state recursions.

Only columns with a battery, a thermal store or power-to-heat need this loop. Each step is a
handful of array expressions over those columns; everything without state is computed on whole
arrays elsewhere. The order inside a step is the merit order of :mod:`sparcs.operation.rule`:

1. the thermal store loses its standing loss, takes the solar surplus and covers the heat need;
2. the supply stack (CHP, heat pump, last source) covers the rest, which fixes the column's
   electricity use;
3. the battery charges from the electricity surplus or discharges to the deficit;
4. power-to-heat takes the surplus left, displaces bought heat or burnt fuel, and fills the
   thermal store with the rest; the remainder is exported.

The loop reads and writes row-major (time, looped column) arrays row by row: each step's row
is one contiguous block, so a step costs a handful of vector operations whatever the number of
columns. The caller gathers the looped columns into such arrays and scatters the results back,
a block of steps at a time if it likes: the states carry over from one call to the next.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sparcs.operation.params import Columns
from sparcs.operation.rule.heat import HeatStack, heat_electricity, split_heat

__all__ = ["STORAGE_FLOWS", "StorageRun", "initial_states", "run_storage"]

#: Flows the loop writes, per step and column [kWh per step, or kWh for the states].
STORAGE_FLOWS = (
    "battery_charge_kwh",
    "battery_discharge_kwh",
    "battery_soc_kwh",
    "tes_charge_kwh",
    "tes_discharge_kwh",
    "tes_soc_kwh",
)


@dataclass(frozen=True)
class StorageRun:
    """Where the time loop reads and writes: row-major arrays shaped (time, looped column).

    Attributes
    ----------
    need
        In: heat demand left after solar thermal. Out: the need left for the supply stack
        after the thermal store [kWh per step].
    solar_surplus
        In: solar heat beyond demand. Out: what the store could not take (dumped heat)
        [kWh per step]; None when there is no solar heat.
    base
        Electricity use minus generation before heat supply and storage [kWh per step].
    cop
        Heat-pump COP [-]; None when no looped column has a heat pump.
    flows
        An array for every name in :data:`STORAGE_FLOWS`, shaped (time, looped column with a
        battery) for the battery's flows and (time, looped column with a store) for the
        store's.
    battery_columns, tes_columns
        Positions among the looped columns of those with a battery and with a store, or
        ``slice(None)`` when all have one.
    p2h_el, p2h_stored
        Out, shaped (time, looped column): electricity into power-to-heat, and the part of its
        heat put into the store before netting against the store's discharge [kWh per step];
        (0, 0) arrays when unused.
    tes, soc
        States shaped (looped column,): the store's content and the battery's energy [kWh],
        at the start of the first step in, at the end of the last step out (in place).
    """

    need: np.ndarray
    solar_surplus: np.ndarray | None
    base: np.ndarray
    cop: np.ndarray | None
    flows: dict[str, np.ndarray]
    p2h_el: np.ndarray
    p2h_stored: np.ndarray
    battery_columns: np.ndarray | slice
    tes_columns: np.ndarray | slice
    tes: np.ndarray
    soc: np.ndarray


#: Lowest COP used as a divisor [-]: columns without a heat pump may carry COP 0.
_COP_FLOOR = 1e-9


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
        self.zeros = np.zeros(len(cols))
        self.has_tes = bool((cols.tes_kwh > 0).any())
        self.has_battery = bool((cols.battery_kwh > 0).any())
        self.has_p2h = bool((cols.p2h_kw > 0).any())


def _battery_step(net: np.ndarray, soc: np.ndarray, lim: _Limits) -> tuple[np.ndarray, np.ndarray]:
    """Charge from surplus (net < 0) or discharge to deficit (net > 0); update ``soc``.

    Returns charge and discharge, AC side [kWh]. The sign of ``net`` picks one of them, so a
    battery never charges and discharges in the same step.
    """
    charge_room = np.minimum(lim.bat_kwh_step, (lim.e_max - soc) * lim.inv_eta_ch)
    discharge_room = np.minimum(lim.bat_kwh_step, (soc - lim.e_min) * lim.eta_dis)
    charge = np.minimum(np.maximum(-net, 0.0), np.maximum(charge_room, 0.0))
    discharge = np.minimum(np.maximum(net, 0.0), np.maximum(discharge_room, 0.0))
    soc += charge * lim.eta_ch - discharge * lim.inv_eta_dis
    return charge, discharge


def _p2h_step(
    surplus: np.ndarray, displaceable: np.ndarray, tes: np.ndarray, lim: _Limits
) -> tuple[np.ndarray, np.ndarray]:
    """Turn surplus electricity into heat: displace bought heat first, then fill the store.

    Returns electricity used and heat stored [kWh]; ``tes`` is updated in place.
    """
    room = displaceable + (lim.tes_kwh - tes)
    # a full store may sit an ulp above its size: no room then, not a negative heater
    np.maximum(room, 0.0, out=room)
    el = np.minimum(np.minimum(surplus, lim.p2h_kwh_step), room * lim.inv_p2h_eff)
    stored = np.maximum(el * lim.p2h_eff - displaceable, 0.0)
    tes += stored
    return el, stored


def _tes_step(
    need: np.ndarray, surplus: np.ndarray | None, tes: np.ndarray, lim: _Limits
) -> tuple[np.ndarray, np.ndarray]:
    """Standing loss, solar charge, discharge to the need; ``tes`` and ``surplus`` in place.

    Returns the discharge and the charge [kWh]. A solar surplus only exists where the need is
    zero, so the store never takes solar heat and discharges in the same step.
    """
    tes *= lim.keep
    taken = np.minimum(need, tes)
    if surplus is None:
        charge = lim.zeros
    else:
        charge = np.minimum(surplus, lim.tes_kwh - tes)
        surplus -= charge
        tes += charge
    tes -= taken
    return taken, charge


def _heat_step(
    t: int, run: StorageRun, tes: np.ndarray, lim: _Limits
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The thermal-store part of step ``t``: returns need left, discharge and charge [kWh]."""
    rest = run.need[t]
    if not lim.has_tes:
        return rest, rest, rest  # discharge and charge are unused without a store
    surplus = None if run.solar_surplus is None else run.solar_surplus[t]
    taken, charge = _tes_step(rest, surplus, tes, lim)
    rest -= taken
    run.need[t] = rest
    if surplus is not None and run.solar_surplus is not None:
        run.solar_surplus[t] = surplus
    return rest, taken, charge


def initial_states(cols: Columns) -> tuple[np.ndarray, np.ndarray]:
    """The store's content and the battery's energy before the first step [kWh]."""
    return cols.tes_initial * cols.tes_kwh, cols.soc_initial * cols.battery_kwh


def run_storage(cols: Columns, run: StorageRun, *, dt_h: float) -> None:
    """Step the storage recursions of ``cols`` through the steps of ``run``, writing into it.

    Parameters
    ----------
    cols
        The looped columns (columns without storage pass through unchanged).
    run
        Where to read the heat need, solar surplus, electricity base and COP, and where to
        write the results.
    dt_h
        Step length [h].
    """
    lim, stack = _Limits(cols, dt_h), HeatStack(cols, dt_h)
    tes, soc = run.tes, run.soc
    f, bat, store = run.flows, run.battery_columns, run.tes_columns
    for t in range(run.base.shape[0]):
        rest, taken, charge = _heat_step(t, run, tes, lim)
        chp, hp, top = split_heat(rest, stack)
        # columns without a heat pump have no heat-pump heat; the floor only avoids 0 / 0
        cop = None if run.cop is None else np.maximum(run.cop[t], _COP_FLOOR)
        net = run.base[t] + heat_electricity(chp, hp, top, stack, cop)
        if lim.has_battery:
            charge_el, discharge_el = _battery_step(net, soc, lim)
            f["battery_charge_kwh"][t] = charge_el[bat]
            f["battery_discharge_kwh"][t] = discharge_el[bat]
            f["battery_soc_kwh"][t] = soc[bat]
            net += charge_el - discharge_el
        if lim.has_p2h:
            el, stored = _p2h_step(np.maximum(-net, 0.0), top * stack.displaceable, tes, lim)
            run.p2h_el[t] = el
            if lim.has_tes:
                run.p2h_stored[t] = stored
                # heat stored while the store discharges goes straight to the load: net them
                both = np.minimum(stored, taken)
                taken = taken - both
                charge = charge + stored - both
        if lim.has_tes:
            f["tes_discharge_kwh"][t] = taken[store]
            f["tes_charge_kwh"][t] = charge[store]
            f["tes_soc_kwh"][t] = tes[store]
