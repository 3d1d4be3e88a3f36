"""E-mobility KPIs: EV charging energy, its local renewable share, V2G energy, charge points.

Signature as every KPI (house style HS-12): the flows first, keyword-only ``by``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sparcs.kpi._base import (
    LOADS,
    RENEWABLE_GENERATION,
    By,
    check_by,
    covered,
    generation_array,
    generation_steps,
    node_array,
    node_total,
    ratio,
    result,
    step_total,
    steps,
)

if TYPE_CHECKING:
    from sparcs.operation.flows import Flows

__all__ = ["ev_charge_points", "ev_energy", "ev_renewable_share", "v2g_energy"]


def ev_energy(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Energy charged into electric vehicles [kWh].

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
        EV charging over the period [kWh]; a float for the district, a Series over the
        buildings.

    References
    ----------
    SCIS mobility KPIs; CITYkeys (domain.md §4.3 #19).
    """
    check_by(by)
    value = (
        step_total(flows, "ev_charge_kwh").sum()
        if by == "district"
        else node_total(flows, "ev_charge_kwh")
    )
    return result(flows, by, value, name="ev_energy", unit="kWh")


def v2g_energy(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Energy discharged from vehicles back to the buildings or grid (V2G) [kWh].

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
        V2G discharge over the period [kWh]; a float for the district, a Series over the
        buildings.

    References
    ----------
    SCIS mobility KPIs (domain.md §4.3 #19).
    """
    check_by(by)
    value = (
        step_total(flows, "ev_v2g_kwh").sum()
        if by == "district"
        else node_total(flows, "ev_v2g_kwh")
    )
    return result(flows, by, value, name="v2g_energy", unit="kWh")


def ev_renewable_share(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Share of EV charging covered by local renewable generation in the same step [-].

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
        Covered share of EV charging [-], NaN without EV charging; a float for the district,
        a Series over the buildings.

    Notes
    -----
    Local PV and wind (after curtailment) cover the electrical load pro rata in each step, so
    EV charging gets the same covered share as every other load:

    :math:`s_{EV} = \\sum_t E_{EV}(t)\\,\\min(1, G_{RES}(t)/L(t)) / \\sum_t E_{EV}(t)`;
    NaN without EV charging.

    References
    ----------
    SCIS mobility KPIs, renewable share of charging (domain.md §4.3 #19); pro-rata
    allocation as in energy-community sharing keys.
    """
    check_by(by)
    if by == "district":
        ev = step_total(flows, "ev_charge_kwh")
        cover = covered(generation_steps(flows, RENEWABLE_GENERATION), steps(flows, LOADS))
        value = ratio(float(ev @ cover), ev.sum())
    else:
        ev_arr = np.asarray(flows["ev_charge_kwh"], dtype=float)
        cover_arr = covered(generation_array(flows, RENEWABLE_GENERATION), node_array(flows, LOADS))
        value = ratio((ev_arr * cover_arr).sum(axis=0), node_total(flows, "ev_charge_kwh"))
    return result(flows, by, value, name="ev_renewable_share", unit="-")


def ev_charge_points(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Number of EV charge points, from ``flows.capacities["ev_points"]`` [#].

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
        Number of charge points [#]; a float for the district, a Series over the buildings.

    References
    ----------
    SCIS mobility KPIs, number of charge points (domain.md §4.3 #19).
    """
    check_by(by)
    points = np.asarray(flows.capacities.get("ev_points", np.zeros(len(flows.nodes))), dtype=float)
    return result(
        flows, by, points.sum() if by == "district" else points, name="ev_charge_points", unit="#"
    )
