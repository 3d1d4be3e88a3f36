"""Heat export of the rule simulation: surplus heat fed into the district-heating network.

With ``[district.heat_export]`` enabled, the heat a node would dump (solar heat beyond the
need and the thermal store's room) is fed into the external district-heating network instead
(``dh_export``), from the nodes connected to it: the district node and the buildings on
district heating. In the rule strategy the CHP and heat pumps are heat-led, so solar heat is
the only surplus there is; ``max_kw`` caps the district's total, shared pro rata over the
nodes, and what is above it is still dumped.
"""

from __future__ import annotations

import numpy as np

__all__ = ["export_surplus_heat"]


def export_surplus_heat(
    dumped: np.ndarray, exported: np.ndarray, columns: np.ndarray, limit_kwh: float
) -> float:
    """Move dumped heat of ``columns`` into ``exported``, at most ``limit_kwh`` per step in all.

    Parameters
    ----------
    dumped
        Heat dumped per step and node (time, node) [kWh]; reduced in place.
    exported
        Heat fed into the network per step and node (time, node) [kWh], zero in
        ``columns``; written in place.
    columns
        Positions of the nodes connected to the network that may have a surplus.
    limit_kwh
        Largest export of the district per step [kWh] (``inf`` = unlimited).

    Returns
    -------
    float
        Heat still dumped because of the limit [kWh].
    """
    if not columns.size:
        return 0.0
    surplus = dumped[:, columns]
    total = surplus.sum(axis=1)
    scale = np.ones_like(total)
    np.divide(limit_kwh, total, out=scale, where=total > limit_kwh)
    fed = surplus * scale[:, None]
    exported[:, columns] = fed
    dumped[:, columns] = surplus - fed
    return float((total - fed.sum(axis=1)).sum())
