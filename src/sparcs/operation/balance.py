"""The flows' names and the energy balance they keep, per carrier and node, in every step.

Every flow is energy per step [kWh], non-negative and directional. Balance per carrier and
node, every step:

electricity
    grid_import + pv + wind + chp_el + battery_discharge + ev_v2g + shared_in
    = electricity_demand + hp_el + eboiler_el + chiller_el + battery_charge + ev_charge
      + grid_export + curtailed + shared_out
heat
    dh_import + hp_heat + boiler_heat + chp_heat + eboiler_heat + solar_thermal + tes_discharge
    + heat_shared_in
    = heat_demand + tes_charge + heat_dumped + heat_shared_out + dh_export
cold
    chiller_cold = cooling_demand

``shared_in``/``shared_out`` are exchanges between a building and the district node (community
self-consumption); they cancel over nodes. ``heat_shared_in``/``heat_shared_out`` are the same
for heat: the district node's own heat plants (solar thermal, storage, heat pump, CHP, electric
boiler) feed the local heat network that serves the buildings on district heating; they cancel
over nodes too, and ``dh_import`` is only the heat bought from the external network;
``dh_export`` is heat fed into that network (metered where it leaves the node, before the
network's losses). For buildings, ``grid_import``/``grid_export`` are exchanges with the public
grid through the building's own meter; for the district node they cross the district
connection. The district's total import is the sum over all nodes.

:func:`check_balance` verifies it on a :class:`~sparcs.operation.flows.Flows` object.
``virtual_kwh`` and ``virtual_heat_kwh`` are in no balance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sparcs.errors import DataError

if TYPE_CHECKING:
    from sparcs.operation.flows import Flows

__all__ = ["BALANCES", "FLOW_NAMES", "STATE_NAMES", "balance_residuals", "check_balance"]

#: Flow names [kWh per step]; every Flows object carries every name (zeros where unused).
FLOW_NAMES = (
    "grid_import_kwh",
    "grid_export_kwh",
    "shared_in_kwh",
    "shared_out_kwh",
    "electricity_demand_kwh",
    "pv_kwh",
    "wind_kwh",
    "curtailed_kwh",
    "chp_el_kwh",
    "chp_heat_kwh",
    "chp_fuel_kwh",
    "battery_charge_kwh",
    "battery_discharge_kwh",
    "ev_charge_kwh",
    "ev_v2g_kwh",
    "hp_el_kwh",
    "hp_heat_kwh",
    "eboiler_el_kwh",
    "eboiler_heat_kwh",
    "chiller_el_kwh",
    "chiller_cold_kwh",
    "cooling_demand_kwh",
    "heat_demand_kwh",
    "dh_import_kwh",
    "boiler_heat_kwh",
    "boiler_fuel_kwh",
    "solar_thermal_kwh",
    "tes_charge_kwh",
    "tes_discharge_kwh",
    "heat_dumped_kwh",
    "virtual_kwh",
    "heat_shared_in_kwh",
    "heat_shared_out_kwh",
    "dh_export_kwh",
    "virtual_heat_kwh",
)
#: State names [kWh at the end of each step].
STATE_NAMES = ("battery_soc_kwh", "tes_soc_kwh")

#: Carrier -> (sources, sinks) of the per-step balance.
BALANCES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "electricity": (
        (
            "grid_import_kwh",
            "pv_kwh",
            "wind_kwh",
            "chp_el_kwh",
            "battery_discharge_kwh",
            "ev_v2g_kwh",
            "shared_in_kwh",
        ),
        (
            "electricity_demand_kwh",
            "hp_el_kwh",
            "eboiler_el_kwh",
            "chiller_el_kwh",
            "battery_charge_kwh",
            "ev_charge_kwh",
            "grid_export_kwh",
            "curtailed_kwh",
            "shared_out_kwh",
        ),
    ),
    "heat": (
        (
            "dh_import_kwh",
            "hp_heat_kwh",
            "boiler_heat_kwh",
            "chp_heat_kwh",
            "eboiler_heat_kwh",
            "solar_thermal_kwh",
            "tes_discharge_kwh",
            "heat_shared_in_kwh",
        ),
        (
            "heat_demand_kwh",
            "tes_charge_kwh",
            "heat_dumped_kwh",
            "heat_shared_out_kwh",
            "dh_export_kwh",
        ),
    ),
    "cold": (("chiller_cold_kwh",), ("cooling_demand_kwh",)),
}


def balance_residuals(flows: Flows) -> dict[str, np.ndarray]:
    """Sources minus sinks of every carrier in every step and node.

    Parameters
    ----------
    flows
        Energy flows per step and node [kWh per step]; the carriers and their sources and
        sinks are those of :data:`BALANCES`.

    Returns
    -------
    dict of str to numpy.ndarray
        Carrier name -> residual, shaped (time, node) [kWh per step]; zero where the carrier
        balances, positive where more comes in than goes out.
    """
    out: dict[str, np.ndarray] = {}
    for carrier, (sources, sinks) in BALANCES.items():
        residual = np.zeros((len(flows.time), len(flows.nodes)))
        for name in sources:
            residual += flows[name]
        for name in sinks:
            residual -= flows[name]
        out[carrier] = residual
    return out


def check_balance(flows: Flows, *, atol_kwh: float = 1e-6) -> None:
    """Check that every carrier balances in every step and node.

    Parameters
    ----------
    flows
        Energy flows per step and node [kWh per step].
    atol_kwh
        Largest residual (:func:`balance_residuals`) and largest negative flow accepted, per
        step and node [kWh per step].

    Raises
    ------
    DataError
        Naming the first flow that is not finite or is negative, or the carrier, step and
        node of the largest residual.
    """
    for name in FLOW_NAMES:
        values = flows[name]
        if not np.isfinite(values).all():
            msg = f"flow {name!r} has non-finite values"
            raise DataError(msg)
        if (values < -atol_kwh).any():
            msg = f"flow {name!r} is negative (min {values.min():.3g} kWh); flows are directional"
            raise DataError(msg)
    for carrier, residual in balance_residuals(flows).items():
        worst = float(np.abs(residual).max()) if residual.size else 0.0
        if worst > atol_kwh:
            t, n = divmod(int(np.abs(residual).argmax()), residual.shape[1])  # (time, node)
            msg = (
                f"{carrier} balance does not close at {flows.time[t].isoformat()} in node "
                f"{flows.nodes[n]!r}: residual {residual[t, n]:.6g} kWh"
            )
            raise DataError(msg)
