"""Storage KPIs: equivalent full cycles and round-trip losses of batteries and heat stores.

Signature as every KPI (house style HS-12): the flows first, keyword-only ``by`` and ``store``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from sparcs.errors import ScenarioError
from sparcs.kpi._base import By, check_by, node_total, ratio, result

if TYPE_CHECKING:
    from sparcs.operation.flows import Flows

__all__ = ["STORES", "storage_cycles", "storage_losses"]

Store = Literal["battery", "tes"]

#: Store -> (charge flow, discharge flow, state of charge, capacity key in ``flows.capacities``).
STORES: dict[str, tuple[str, str, str, str]] = {
    "battery": ("battery_charge_kwh", "battery_discharge_kwh", "battery_soc_kwh", "battery_kwh"),
    "tes": ("tes_charge_kwh", "tes_discharge_kwh", "tes_soc_kwh", "tes_kwh"),
}


def _names(store: str) -> tuple[str, str, str, str]:
    if store not in STORES:
        msg = f"store={store!r} is not supported; use one of {', '.join(STORES)}"
        raise ScenarioError(msg)
    return STORES[store]


def storage_cycles(
    flows: Flows, *, by: By = "district", store: Store = "battery"
) -> float | pd.Series:
    """Equivalent full cycles of a store over the period [cycles].

    Parameters
    ----------
    flows
        Energy flows; the capacity comes from ``flows.capacities["battery_kwh"]`` or
        ``["tes_kwh"]`` [kWh].
    by
        ``"district"`` (all stores together) or ``"building"``.
    store
        ``"battery"`` or ``"tes"`` (thermal energy storage).

    Returns
    -------
    float or pandas.Series
        :math:`N = \\sum_t E_{discharge}(t) / C`; NaN without capacity.

    References
    ----------
    Equivalent-full-cycle count of energy throughput, as used for storage utilisation
    (domain.md §4.3 #18).
    """
    check_by(by)
    _, discharge, _, cap_key = _names(store)
    capacity = np.asarray(flows.capacities.get(cap_key, np.zeros(len(flows.nodes))), dtype=float)
    energy = node_total(flows, discharge)
    value: Any = (
        ratio(energy.sum(), capacity.sum()) if by == "district" else ratio(energy, capacity)
    )
    return result(flows, by, value, name=f"{store}_cycles", unit="cycles")


def storage_losses(
    flows: Flows, *, by: By = "district", store: Store = "battery"
) -> float | pd.Series:
    """Round-trip and standing losses of a store [kWh].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).
    store
        ``"battery"`` or ``"tes"`` (thermal energy store).

    Returns
    -------
    float or pandas.Series
        Losses over the period [kWh]; a float for the district, a Series over the buildings.

    Notes
    -----
    Energy in minus energy out minus the change of stored energy, over the steps after the
    first (the state before the first step is not in the flows):

    :math:`L = \\sum_{t \\ge 1} (E_{ch}(t) - E_{dis}(t)) - (SoC_{T} - SoC_{1})`.

    References
    ----------
    Storage energy balance; domain.md §4.3 #18 ("round-trip losses").
    """
    check_by(by)
    charge, discharge, soc, _ = _names(store)
    net = node_total(flows, charge) - node_total(flows, discharge)
    first = np.asarray(flows[charge][0], dtype=float) - flows[discharge][0]
    value = net - first - (np.asarray(flows[soc][-1], dtype=float) - flows[soc][0])
    return result(
        flows, by, value.sum() if by == "district" else value, name=f"{store}_losses", unit="kWh"
    )
