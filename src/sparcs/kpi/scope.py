"""System scope: remove mobility from flows when the boundary leaves it out.

With ``boundary.include_mobility = false`` EV charging does not count in the balance
(domain.md §2.3, system scope). :func:`exclude_mobility` returns flows without EV charging and
V2G in which each meter's exchange is corrected by the EV energy, so the per-step balances
still close: the EV energy a node drew is taken off its import first (EV charging is the
marginal load), and any rest is added to its export; V2G energy the other way round. Under
``sharing="community"`` a building's correction passes through its community exchange to the
district node's grid connection.
"""

from __future__ import annotations

import numpy as np

from sparcs._memory import row_blocks
from sparcs.kpi._base import node_total
from sparcs.operation.flows import Flows

__all__ = ["exclude_mobility"]


def _net(
    inflow: np.ndarray, outflow: np.ndarray, delta: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Lower the net inflow by ``delta`` (may be negative), keeping both flows non-negative."""
    down = np.clip(delta, 0.0, None)
    up = np.clip(-delta, 0.0, None)
    cut_in = np.minimum(inflow, down)
    cut_out = np.minimum(outflow, up)
    return inflow - cut_in + (up - cut_out), outflow - cut_out + (down - cut_in)


def _correct(
    data: dict[str, np.ndarray],
    pair: tuple[str, str],
    rows: slice,
    cols: np.ndarray,
    delta: np.ndarray,
) -> None:
    """Apply :func:`_net` in place to a block of ``rows`` and ``cols`` of the flows ``pair``."""
    inflow, outflow = data[pair[0]], data[pair[1]]
    new_in, new_out = _net(inflow[rows, cols], outflow[rows, cols], delta)
    inflow[rows, cols], outflow[rows, cols] = new_in, new_out


def exclude_mobility(flows: Flows) -> Flows:
    """Flows without EV charging and V2G, with meters corrected so every balance still closes.

    Parameters
    ----------
    flows
        Energy flows [kWh per step].

    Returns
    -------
    Flows
        A new object (``flows`` itself when there is no EV energy); ``flows`` is not changed.

    Notes
    -----
    Per node and step :math:`\\delta = E_{EV,charge} - E_{V2G}`. Under ``sharing="building"``
    each node's grid meter absorbs its own :math:`\\delta`. Under ``"community"`` a building's
    :math:`\\delta` lowers its net community inflow, the district node's net community outflow
    falls by the buildings' sum, and its grid meter absorbs that sum plus its own
    :math:`\\delta`. Only nodes with EV energy are recomputed, in blocks of steps that fit the
    CPU cache.
    """
    ev, v2g = np.asarray(flows["ev_charge_kwh"]), np.asarray(flows["ev_v2g_kwh"])
    # flows are non-negative: a node's EV flows are non-zero exactly where their sum is
    active = np.flatnonzero(
        (node_total(flows, "ev_charge_kwh") > 0) | (node_total(flows, "ev_v2g_kwh") > 0)
    )
    if not active.size:
        return flows
    district = len(flows.nodes) - 1
    shared = flows.sharing == "community" and district > 0
    changed = ("grid_import_kwh", "grid_export_kwh") + (
        ("shared_in_kwh", "shared_out_kwh") if shared else ()
    )
    data = {name: np.array(flows[name], dtype=float) for name in changed}  # copies
    data["ev_charge_kwh"] = data["ev_v2g_kwh"] = np.zeros(ev.shape)
    is_building = active < district
    b_cols, d_col = active[is_building], np.array([district])
    for rows in row_blocks(len(flows.time), len(flows.nodes)):  # blocks of steps, not single steps
        delta = ev[rows][:, active] - v2g[rows][:, active]
        if not shared:
            _correct(data, ("grid_import_kwh", "grid_export_kwh"), rows, active, delta)
            continue
        to_buildings = delta[:, is_building].sum(axis=1)[:, None]
        _correct(data, ("shared_in_kwh", "shared_out_kwh"), rows, b_cols, delta[:, is_building])
        # the district node sends the buildings' delta less: its net community outflow falls
        _correct(data, ("shared_out_kwh", "shared_in_kwh"), rows, d_col, to_buildings)
        d_delta = to_buildings + delta[:, ~is_building].sum(axis=1)[:, None]
        _correct(data, ("grid_import_kwh", "grid_export_kwh"), rows, d_col, d_delta)
    return flows.replace_data(data)
