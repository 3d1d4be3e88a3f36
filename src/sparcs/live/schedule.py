"""A schedule per asset from the planned flows of a horizon."""

from __future__ import annotations

import numpy as np

from sparcs.operation.flows import DISTRICT_NODE, Flows

__all__ = ["ASSETS", "schedule_of"]

#: Assets of a schedule: name → (flows drawn from, flows delivered) [kWh per step].
ASSETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "battery": (("battery_charge_kwh",), ("battery_discharge_kwh",)),
    "heat_pump": (("hp_el_kwh",), ()),
    "electric_boiler": (("eboiler_el_kwh",), ()),
    "ev_chargers": (("ev_charge_kwh",), ("ev_v2g_kwh",)),
    "grid": (("grid_import_kwh",), ("grid_export_kwh",)),
}


def schedule_of(flows: Flows) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Power per asset and battery levels from planned flows.

    Parameters
    ----------
    flows
        Flows of the horizon.

    Returns
    -------
    schedule, soc
        ``"<node>/<asset>"`` → kW per step (assets that move at all, plus the district's
        grid exchange); node → battery level at the end of each step [kWh].
    """
    schedule: dict[str, np.ndarray] = {}
    for j, node in enumerate(flows.nodes):
        for asset, (draws, delivers) in ASSETS.items():
            if asset == "grid" and node != DISTRICT_NODE:
                continue
            kwh = sum((flows.data[n][:, j] for n in draws), start=np.zeros(len(flows.time)))
            kwh = kwh - sum(
                (flows.data[n][:, j] for n in delivers), start=np.zeros(len(flows.time))
            )
            if asset == "grid" or np.any(np.abs(kwh) > 1e-9):
                schedule[f"{node}/{asset}"] = kwh / flows.dt_h
    capacity = flows.capacities.get("battery_kwh", np.zeros(len(flows.nodes)))
    soc = {
        node: np.array(flows.data["battery_soc_kwh"][:, j])
        for j, node in enumerate(flows.nodes)
        if capacity[j] > 0
    }
    return schedule, soc
