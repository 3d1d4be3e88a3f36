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

import dataclasses

import numpy as np

from sparcs.operation.flows import Flows

__all__ = ["exclude_mobility"]


def _net(inflow: np.ndarray, outflow: np.ndarray, delta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower the net inflow by ``delta`` (may be negative), keeping both flows non-negative."""
    down = np.clip(delta, 0.0, None)
    up = np.clip(-delta, 0.0, None)
    cut_in = np.minimum(inflow, down)
    cut_out = np.minimum(outflow, up)
    return inflow - cut_in + (up - cut_out), outflow - cut_out + (down - cut_in)


def exclude_mobility(flows: Flows) -> Flows:
    """Flows without EV charging and V2G, with meters corrected so every balance still closes.

    Parameters
    ----------
    flows
        Energy flows [kWh per step].

    Returns
    -------
    Flows
        A new object; ``flows`` is not changed.

    Notes
    -----
    Per node and step :math:`\\delta = E_{EV,charge} - E_{V2G}`. Under ``sharing="building"``
    each node's grid meter absorbs its own :math:`\\delta`. Under ``"community"`` a building's
    :math:`\\delta` lowers its net community inflow, the district node's net community outflow
    falls by the buildings' sum, and its grid meter absorbs that sum plus its own
    :math:`\\delta`.
    """
    delta = np.asarray(flows["ev_charge_kwh"], dtype=float) - flows["ev_v2g_kwh"]
    data = dict(flows.data)
    zeros = np.zeros_like(delta)
    data["ev_charge_kwh"], data["ev_v2g_kwh"] = zeros, zeros
    grid_in, grid_out = flows["grid_import_kwh"], flows["grid_export_kwh"]
    if flows.sharing == "community" and len(flows.nodes) > 1:
        b_delta = delta[:, :-1]
        d_delta = delta[:, -1] + b_delta.sum(axis=1)
        shared_in = np.array(flows["shared_in_kwh"], dtype=float)
        shared_out = np.array(flows["shared_out_kwh"], dtype=float)
        shared_in[:, :-1], shared_out[:, :-1] = _net(shared_in[:, :-1], shared_out[:, :-1], b_delta)
        # the district node sends b_delta less to the buildings: its net outflow falls
        out_d, in_d = _net(shared_out[:, -1], shared_in[:, -1], b_delta.sum(axis=1))
        shared_out[:, -1], shared_in[:, -1] = out_d, in_d
        new_in = np.array(grid_in, dtype=float)
        new_out = np.array(grid_out, dtype=float)
        new_in[:, -1], new_out[:, -1] = _net(new_in[:, -1], new_out[:, -1], d_delta)
        data["shared_in_kwh"], data["shared_out_kwh"] = shared_in, shared_out
    else:
        new_in, new_out = _net(np.asarray(grid_in, dtype=float), np.asarray(grid_out, dtype=float), delta)
    data["grid_import_kwh"], data["grid_export_kwh"] = new_in, new_out
    return dataclasses.replace(flows, data=data)
