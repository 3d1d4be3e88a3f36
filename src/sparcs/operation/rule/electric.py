"""Electricity routing of the rule simulation: meters, sharing and the grid connection."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["curtail_exports", "import_limit_note", "route_residual"]

#: Relative slack before a limit counts as exceeded (rounding of sums over many nodes).
_LIMIT_RTOL = 1e-9


def route_residual(residual: np.ndarray, into: np.ndarray, out_of: np.ndarray) -> None:
    """Split a signed residual into two directional flows.

    Parameters
    ----------
    residual
        Electricity needed (positive) or offered (negative) per step and column [kWh]; it may
        be ``into`` itself.
    into
        Receives the need (grid import or shared in) [kWh].
    out_of
        Receives the offer (grid export or shared out) [kWh].
    """
    np.negative(residual, out=out_of)
    np.maximum(out_of, 0.0, out=out_of)
    np.maximum(residual, 0.0, out=into)


def _curtail_rows(
    export: np.ndarray, curtailed: np.ndarray, renewable: np.ndarray, excess: np.ndarray
) -> np.ndarray:
    """Curtail ``excess`` of the rows' exports pro rata to each node's curtailable export.

    A node can curtail at most its export and its PV and wind output of the step. Returns
    what could not be curtailed per row [kWh].
    """
    curtailable = np.minimum(export, renewable)
    total = curtailable.sum(axis=1)
    share = np.divide(excess, total, out=np.ones_like(excess), where=total > excess)
    cut = curtailable * share[:, None]
    export -= cut
    curtailed += cut
    result: np.ndarray = excess - cut.sum(axis=1)
    return result


def curtail_exports(
    data: dict[str, np.ndarray],
    *,
    limit_kw: float | None,
    dt_h: float,
    columns: slice,
    time: pd.DatetimeIndex,
) -> list[str]:
    """Curtail PV and wind where the district's export exceeds the connection limit.

    Parameters
    ----------
    data
        Flow arrays (time, node) [kWh]; ``grid_export_kwh`` and ``curtailed_kwh`` are changed.
    limit_kw
        Export limit of the district connection [kW]; None = unlimited.
    dt_h
        Step length [h].
    columns
        The nodes that export through their own meter (all nodes under building sharing,
        the district node under community sharing).
    time
        Step labels, for the note.

    Returns
    -------
    list of str
        A note when non-renewable export (CHP) still exceeds the limit.

    Notes
    -----
    Curtailment happens only in steps where the limit binds, after batteries and
    power-to-heat took what they could (merit order of :mod:`sparcs.operation.rule`).
    Under community sharing the district node curtails on behalf of the community, up to
    the PV and wind output of all nodes in the step.
    """
    if limit_kw is None:
        return []
    export = data["grid_export_kwh"]
    excess = export.sum(axis=1) - limit_kw * dt_h
    rows = np.flatnonzero(excess > limit_kw * dt_h * _LIMIT_RTOL + 1e-9)
    if not rows.size:
        return []
    sub_export = export[rows][:, columns]
    sub_curtailed = data["curtailed_kwh"][rows][:, columns]
    if sub_export.shape[1] == 1:
        # one meter curtails for all nodes: reduce whole arrays, no (step x node) gather
        renewable = (data["pv_kwh"].sum(axis=1) + data["wind_kwh"].sum(axis=1))[rows, None]
    else:
        renewable = data["pv_kwh"][rows][:, columns] + data["wind_kwh"][rows][:, columns]
    left = _curtail_rows(sub_export, sub_curtailed, renewable, excess[rows])
    export[rows, columns] = sub_export
    data["curtailed_kwh"][rows, columns] = sub_curtailed
    bad = left > 1e-9
    if not bad.any():
        return []
    first = time[rows[bad][0]].isoformat()
    return [
        f"grid export exceeded the export limit of {limit_kw:g} kW in {int(bad.sum())} steps "
        f"(first {first}, up to {left.max() / dt_h:.3g} kW above it) because the surplus came "
        "from CHP output, which the rule simulation does not curtail"
    ]


def import_limit_note(
    grid_import: np.ndarray, *, limit_kw: float | None, dt_h: float, time: pd.DatetimeIndex
) -> list[str]:
    """A note when the district's grid import exceeds the connection's import limit.

    The rule simulation never sheds demand: the balance is closed by importing anyway, and
    the violation (steps, hours and largest exceedance) is recorded here.

    Parameters
    ----------
    grid_import
        Grid import per step and node [kWh].
    limit_kw
        Import limit of the district connection [kW]; None = unlimited.
    dt_h
        Step length [h].
    time
        Step labels.
    """
    if limit_kw is None:
        return []
    power = grid_import.sum(axis=1) / dt_h
    over = power - limit_kw
    bad = over > limit_kw * _LIMIT_RTOL + 1e-9
    if not bad.any():
        return []
    worst = int(np.argmax(over))
    steps = int(bad.sum())
    return [
        f"grid import exceeded the import limit of {limit_kw:g} kW in {steps} steps "
        f"({steps * dt_h:g} h); largest exceedance {over[worst]:.3g} kW at "
        f"{time[worst].isoformat()}; demand was met by importing anyway (the rule simulation "
        "does not shed load)"
    ]
