"""Grid KPIs: peak import and its time, load and supply cover factors, grid interaction.

Signature as every KPI (house style HS-12): the flows first, keyword-only ``by``. Power is
energy per step divided by the step length, :math:`P = E / \\Delta t` [kW].
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sparcs._memory import blocks
from sparcs.kpi._base import (
    LOADS,
    By,
    check_by,
    generation_array,
    generation_steps,
    memo,
    node_array,
    node_total,
    ratio,
    result,
    step_total,
    steps,
)
from sparcs.timeseries import to_zoneinfo

if TYPE_CHECKING:
    from sparcs.operation.flows import Flows

__all__ = [
    "grid_interaction_index",
    "load_cover_factor",
    "peak_import",
    "peak_import_time",
    "supply_cover_factor",
]

_IMPORT = ("grid_import_kwh", "shared_in_kwh")
_EXPORT = ("grid_export_kwh", "shared_out_kwh")


def _peaks(flows: Flows, by: By) -> tuple[np.ndarray, np.ndarray]:
    """Peak import energy per step and the first step it occurs, district (1,) or per node.

    The own-meter import of a node is ``grid_import + shared_in``, read in cache-sized blocks
    (:func:`sparcs._memory.blocks`) keeping a running maximum and its step: one pass over
    memory, no (time, node) temporary. A node that never imports has no peak step (0).
    """
    if by == "district":
        imports = step_total(flows, "grid_import_kwh")
        return np.array([imports.max()]), np.array([int(imports.argmax())])

    def compute() -> tuple[np.ndarray, np.ndarray]:
        used = [
            np.asarray(flows[name], dtype=float)
            for name in _IMPORT
            if node_total(flows, name).any()
        ]
        n_n = len(flows.nodes)
        peak, where = np.zeros(n_n), np.zeros(n_n, dtype=np.int64)
        if not used:
            return peak, where
        for rows, cols, parts in blocks(used):
            block = parts[0] if len(parts) == 1 else sum(parts[1:], parts[0])
            block_max = block.max(axis=0)
            higher = block_max > peak[cols]  # strict: the first step wins on ties
            peak[cols[higher]] = block_max[higher]
            where[cols[higher]] = rows.start + block.argmax(axis=0)[higher]
        return peak, where

    return memo(flows, ("peaks",), compute)


def peak_import(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Highest electricity import power over the period [kW].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).

    Returns
    -------
    float or pandas.Series
        Peak import power [kW]; a float for the district, a Series over the buildings.

    Notes
    -----
    :math:`P_{peak} = \\max_t E_{import}(t) / \\Delta t`, at the boundary meter (district)
    or the building's own meter (grid plus community).

    References
    ----------
    SCIS ICT/grid KPIs, peak load (domain.md §4.3 #14).
    """
    check_by(by)
    peak, _ = _peaks(flows, by)
    return result(
        flows,
        by,
        peak / flows.dt_h if by == "building" else peak[0] / flows.dt_h,
        name="peak_import",
        unit="kW",
    )


def local_time_text(times: pd.DatetimeIndex, timezone: str) -> list[str]:
    """ISO 8601 local time with offset, e.g. ``2025-01-15T17:00:00+02:00``."""
    text = pd.Index(times.tz_convert(to_zoneinfo(timezone)).strftime("%Y-%m-%dT%H:%M:%S%z"))
    return list(text.str[:-2] + ":" + text.str[-2:])


def peak_import_time(flows: Flows, *, by: By = "district") -> str | pd.Series:
    """Start of the step with the highest import, in the flows' local time (first one on ties).

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).

    Returns
    -------
    str or pandas.Series
        ISO 8601 with UTC offset; ``""`` when nothing is imported.
    """
    check_by(by)
    peak, where = _peaks(flows, by)
    text = np.array(local_time_text(flows.time[where], flows.timezone), dtype=object)
    text[peak <= 0] = ""
    if by == "district":
        return str(text[0])
    series = pd.Series(
        text[: len(flows.building_ids)],
        index=pd.Index(list(flows.building_ids), name="building"),
        name="peak_import_time",
        dtype=object,
    )
    series.attrs["unit"] = "local time"
    return series


def _matched(flows: Flows, by: By) -> tuple[Any, Any, Any]:
    """Sum over steps of min(G, L), of G and of L; scalars or (node,) [kWh]."""
    if by == "district":
        gen, load = generation_steps(flows), steps(flows, LOADS)
        return float(np.minimum(gen, load).sum()), float(gen.sum()), float(load.sum())

    def compute() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        gen, load = generation_array(flows), node_array(flows, LOADS)
        return np.minimum(gen, load).sum(axis=0), gen.sum(axis=0), load.sum(axis=0)

    return memo(flows, ("matched",), compute)


def load_cover_factor(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Share of the electrical load covered by local generation in the same step [-].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).

    Returns
    -------
    float or pandas.Series
        Load cover factor [-], NaN without load; a float for the district, a Series over the
        buildings.

    Notes
    -----
    :math:`\\gamma_{load} = \\sum_t \\min(G_t, L_t) / \\sum_t L_t`; NaN without load.

    References
    ----------
    Salom et al., *Applied Energy* 136, 119-131 (2014), IEA SHC Task 40 / EBC Annex 52
    (domain.md §4.3 #15).
    """
    check_by(by)
    matched, _, load = _matched(flows, by)
    return result(flows, by, ratio(matched, load), name="load_cover_factor", unit="-")


def supply_cover_factor(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Share of local generation used by the load in the same step [-].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).

    Returns
    -------
    float or pandas.Series
        Supply cover factor [-], NaN without generation; a float for the district, a Series
        over the buildings.

    Notes
    -----
    :math:`\\gamma_{supply} = \\sum_t \\min(G_t, L_t) / \\sum_t G_t`; NaN without generation.

    References
    ----------
    Salom et al., *Applied Energy* 136, 119-131 (2014) (domain.md §4.3 #15).
    """
    check_by(by)
    matched, gen, _ = _matched(flows, by)
    return result(flows, by, ratio(matched, gen), name="supply_cover_factor", unit="-")


def grid_interaction_index(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Variability of the net exchange with the grid [-].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).

    Returns
    -------
    float or pandas.Series
        Grid interaction index [-], NaN without any exchange; a float for the district, a
        Series over the buildings.

    Notes
    -----
    :math:`f_{grid} = \\mathrm{std}(P_{net}) / \\max |P_{net}|`, with the net export power
    :math:`P_{net} = (E_{export} - E_{import}) / \\Delta t` (population standard deviation);
    lies in [0, 1], NaN without any exchange. Invariant to the step length when finer steps
    split the same energy evenly.

    References
    ----------
    Salom et al., *Applied Energy* 136, 119-131 (2014) (domain.md §4.3 #15).
    """
    check_by(by)
    if by == "district":
        net = (
            step_total(flows, "grid_export_kwh") - step_total(flows, "grid_import_kwh")
        ) / flows.dt_h
    else:
        net = (node_array(flows, _EXPORT) - node_array(flows, _IMPORT)) / flows.dt_h
    value = ratio(net.std(axis=0), np.abs(net).max(axis=0))
    return result(flows, by, value, name="grid_interaction_index", unit="-")
