"""Gross electricity consumption for PED baselines: import plus self-consumed generation.

A PED adds PV (and batteries) during the project. The net (grid) meter then falls for two
reasons at once, efficiency and own generation, and a baseline fitted on the net meter before
the PV came would count every self-consumed kWh of PV as "avoided energy". CalTRACK excludes
such projects (§2.2.6, §3.5.6) unless the generation is sub-metered (§2.2.6.1). With the
generation metered, or simulated, the consumption to baseline is the *gross* consumption:

``gross = grid_import + shared_in + (pv + wind + chp_el - curtailed) - grid_export - shared_out``

i.e. import plus the own generation used on site. By the electricity balance of
:mod:`sparcs.operation.flows` this equals the end uses (electricity demand, heat pumps,
electric boilers, chillers, EV charging) plus the net charge of batteries and EVs (their
losses over a year). Summed over every node of a district the community exchanges
(``shared_in``/``shared_out``) cancel.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sparcs.errors import DataError
from sparcs.monitoring.aggregate import check_series
from sparcs.operation.flows import Flows

__all__ = ["gross_consumption", "gross_from_meters"]

_IN = ("grid_import_kwh", "shared_in_kwh", "pv_kwh", "wind_kwh", "chp_el_kwh")
_OUT = ("grid_export_kwh", "shared_out_kwh", "curtailed_kwh")


def gross_consumption(flows: Flows, *, nodes: Sequence[str] | None = None) -> pd.Series:
    """Gross electricity consumption per step of measured or simulated flows [kWh].

    Parameters
    ----------
    flows
        Flows of a district (:class:`~sparcs.operation.flows.Flows`).
    nodes
        Buildings (or ``"district"``) to add up; default every node: the whole district
        behind its connection points.

    Returns
    -------
    pandas.Series
        ``gross_consumption_kwh`` per step [kWh], indexed by ``flows.time``; a usage series
        for :func:`~sparcs.monitoring.fit_baseline`. It can be negative in a step where a
        battery or an EV discharges into the grid.

    Raises
    ------
    DataError
        For a node the flows do not have.
    """
    if nodes is None:
        columns = np.arange(len(flows.nodes))
    else:
        unknown = [n for n in nodes if n not in flows.nodes]
        if unknown:
            msg = (
                f"flows have no node(s) {', '.join(map(repr, unknown))}; "
                f"nodes: {', '.join(flows.nodes)}"
            )
            raise DataError(msg)
        columns = np.array([flows.nodes.index(n) for n in nodes])
    total = np.zeros(len(flows.time))
    for name in _IN:
        total += flows[name][:, columns].sum(axis=1)
    for name in _OUT:
        total -= flows[name][:, columns].sum(axis=1)
    return pd.Series(total, index=flows.time, name="gross_consumption_kwh")


def gross_from_meters(
    import_kwh: pd.Series, export_kwh: pd.Series, generation_kwh: pd.Series
) -> pd.Series:
    """Gross consumption ``import + generation - export`` from three meters [kWh per reading].

    The three series must share one index (a reading missing in any gives NaN).

    Parameters
    ----------
    import_kwh
        Energy drawn from the grid per reading [kWh], tz-aware index.
    export_kwh
        Energy fed into the grid per reading [kWh], same index.
    generation_kwh
        Energy generated on site per reading (e.g. the PV meter) [kWh], same index.

    Returns
    -------
    pandas.Series
        Gross consumption per reading [kWh], named ``gross_consumption_kwh``.

    Raises
    ------
    TimeIndexError, DataError
        Bad series or indexes that differ.
    """
    series = [
        check_series(s, what=w)
        for s, w in (
            (import_kwh, "import meter"),
            (export_kwh, "export meter"),
            (generation_kwh, "generation meter"),
        )
    ]
    if not (series[0].index.equals(series[1].index) and series[0].index.equals(series[2].index)):
        msg = (
            "import, export and generation meters have different timestamps; align them "
            "(same step and period) first"
        )
        raise DataError(msg)
    gross = series[0] + series[2] - series[1]
    return gross.rename("gross_consumption_kwh")
