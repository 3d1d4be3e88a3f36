"""The planned flows as the meters see them, and flows cut into local calendar months."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import numpy as np

from sparcs.operation.flows import FLOW_NAMES, STATE_NAMES, Flows

__all__ = ["metered_view", "month_slices"]


def metered_view(flows: Flows, metered: Iterable[tuple[str, str]]) -> Flows:
    """``flows`` with every (quantity, node) that no meter measures set to zero.

    Parameters
    ----------
    flows
        Planned flows.
    metered
        (quantity, node) pairs of the meters, e.g. ``("pv_kwh", "b1")``.

    Returns
    -------
    Flows
        The same flows as meters would see them.
    """
    pairs = set(metered)
    column = {node: j for j, node in enumerate(flows.nodes)}
    data = {}
    for name in (*FLOW_NAMES, *STATE_NAMES):
        keep = [column[node] for quantity, node in pairs if quantity == name and node in column]
        values = np.zeros_like(flows[name])
        values[:, keep] = flows[name][:, keep]
        data[name] = values
    return dataclasses.replace(flows, data=data)


def _slice(flows: Flows, rows: np.ndarray) -> Flows:
    return dataclasses.replace(
        flows, time=flows.time[rows], data={k: v[rows] for k, v in flows.data.items()}
    )


def month_slices(flows: Flows) -> dict[str, Flows]:
    """The flows cut into local calendar months.

    Parameters
    ----------
    flows
        Flows of a period.

    Returns
    -------
    dict
        ``"YYYY-MM"`` -> the flows of that month (a partial month at either end).
    """
    months = flows.time.tz_convert(flows.timezone).strftime("%Y-%m")
    return {m: _slice(flows, np.flatnonzero(months == m)) for m in dict.fromkeys(months)}
