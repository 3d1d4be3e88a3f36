"""Renewable KPIs: on-site renewable energy, RES share, decentralised share, curtailment.

Same conventions as :mod:`sparcs.kpi.energy`: the flows first, keyword-only settings,
``by="district"`` a float, ``by="building"`` a Series over the buildings; fractions as
fractions [-].
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sparcs.kpi._base import (
    DELIVERED,
    GENERATION,
    LOADS,
    RENEWABLE_GENERATION,
    By,
    check_by,
    delivered_nodes,
    delivered_steps,
    memo,
    node_total,
    nodes,
    ratio,
    result,
    step_total,
    steps,
)
from sparcs.kpi.energy import _generation, _sc

if TYPE_CHECKING:
    from sparcs.carriers.factors import StepFactors
    from sparcs.operation.flows import Flows

__all__ = [
    "curtailment",
    "curtailment_share",
    "decentralised_share",
    "onsite_renewable",
    "res_share",
]


def _solar_heat_used(flows: Flows, by: By) -> Any:
    """Solar heat not dumped, dumping attributed to solar heat first (conservative) [kWh]."""
    if by == "district":
        solar = step_total(flows, "solar_thermal_kwh")
        return float((solar - np.minimum(step_total(flows, "heat_dumped_kwh"), solar)).sum())

    def compute() -> np.ndarray:
        used = node_total(flows, "solar_thermal_kwh").copy()
        both = np.flatnonzero((used > 0) & (node_total(flows, "heat_dumped_kwh") > 0))
        if both.size:  # only nodes that both collect and dump heat need the step detail
            solar = np.asarray(flows["solar_thermal_kwh"][:, both], dtype=float)
            used[both] -= np.minimum(flows["heat_dumped_kwh"][:, both], solar).sum(axis=0)
        return used

    return memo(flows, ("solar_heat_used",), compute)


def onsite_renewable(flows: Flows) -> float:
    """On-site renewable energy used inside the district boundary [kWh].

    Notes
    -----
    Self-consumed PV and wind (generation times self-consumption), solar heat not dumped and
    ambient heat of heat pumps (heat output minus electricity input, RED II Annex VII).
    """
    sc = float(np.nan_to_num(_sc(flows, "district"), nan=0.0))
    local_res = sc * _generation(flows, "district", RENEWABLE_GENERATION)
    hp = max(
        float(step_total(flows, "hp_heat_kwh").sum() - step_total(flows, "hp_el_kwh").sum()), 0.0
    )
    result: float = local_res + _solar_heat_used(flows, "district") + hp
    return result


def _res_terms(flows: Flows, by: By, grid_share: float, dh_share: float = 0.0) -> tuple[Any, Any]:
    """Renewable energy used and gross final energy, scalars or (node,) [kWh]."""
    delivered = (
        {c: float(v.sum()) for c, v in delivered_steps(flows).items()}
        if by == "district"
        else delivered_nodes(flows)
    )
    sc = np.nan_to_num(_sc(flows, by), nan=0.0)
    local_res = sc * _generation(flows, by, RENEWABLE_GENERATION)
    solar = _solar_heat_used(flows, by)
    hp = ("hp_heat_kwh", "hp_el_kwh")
    if by == "district":
        ambient = max(float(step_total(flows, hp[0]).sum() - step_total(flows, hp[1]).sum()), 0.0)
    else:
        ambient = np.maximum(node_total(flows, hp[0]) - node_total(flows, hp[1]), 0.0)
    renewable = (
        local_res
        + solar
        + ambient
        + delivered["biomass"]
        + grid_share * delivered["electricity"]
        + dh_share * delivered["district_heat"]
    )
    gross = sum(delivered[c] for c in DELIVERED) + local_res + solar + ambient
    return renewable, gross


def res_share(flows: Flows, *, by: By = "district", factors: StepFactors) -> float | pd.Series:
    """Share of renewable energy in gross final energy consumption [-].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).
    factors
        Resolved factors; ``grid_renewable_share`` is the renewable share of grid electricity.

    Returns
    -------
    float or pandas.Series
        RES share [-], NaN when nothing is consumed; a float for the district, a Series over
        the buildings.

    Notes
    -----
    Renewable: self-consumed local PV and wind (generation times self-consumption, pro rata),
    solar heat not dumped, ambient heat of heat pumps (heat output minus electricity input, as
    in RED II), biomass fuel, ``grid_renewable_share`` times grid import and
    ``dh_renewable_share`` times delivered district heat (geothermal, waste heat, biomass).
    Gross final energy: delivered energy of every carrier plus the local renewable terms, so
    the share lies in [0, 1]; NaN when nothing is consumed.

    References
    ----------
    SCIS KPI Guide v2.0 (2017), degree of energetic self-supply by RES; Directive (EU)
    2018/2001 (RED II) Art. 7 and Annex VII (ambient heat); domain.md §4.3 #11.
    """
    check_by(by)
    renewable, gross = _res_terms(
        flows, by, factors.grid_renewable_share, factors.dh_renewable_share
    )
    return result(flows, by, np.clip(ratio(renewable, gross), 0.0, 1.0), name="res_share", unit="-")


def decentralised_share(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Local (decentralised) generation relative to electricity use [-].

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
        Generation over electrical load [-], NaN without load; a float for the district, a
        Series over the buildings.

    Notes
    -----
    :math:`G / E_{load}`; exceeds 1 when the district generates more than it uses.

    References
    ----------
    ISO 37120 indicator 7.4 as reported by Kópavogur (domain.md §4.3 #22).
    """
    check_by(by)
    load = steps(flows, LOADS).sum() if by == "district" else nodes(flows, LOADS)
    value = ratio(_generation(flows, by, GENERATION), load)
    return result(flows, by, value, name="decentralised_share", unit="-")


def curtailment(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Renewable electricity curtailed [kWh].

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
        Curtailed electricity over the period [kWh]; a float for the district, a Series over
        the buildings.

    References
    ----------
    JPI Urban Europe PED programme, "reduced curtailment of RES" (domain.md §4.3 #17).
    """
    check_by(by)
    value = (
        step_total(flows, "curtailed_kwh").sum()
        if by == "district"
        else node_total(flows, "curtailed_kwh")
    )
    return result(flows, by, value, name="curtailment", unit="kWh")


def curtailment_share(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Curtailed share of the renewable potential (PV plus wind) [-].

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
        Curtailed share [-], NaN without PV or wind; a float for the district, a Series over
        the buildings.

    Notes
    -----
    :math:`E_{curtailed} / (E_{PV} + E_{wind})`; NaN without PV or wind.

    References
    ----------
    JPI Urban Europe PED programme (domain.md §4.3 #17).
    """
    check_by(by)
    if by == "district":
        value = ratio(
            step_total(flows, "curtailed_kwh").sum(), steps(flows, RENEWABLE_GENERATION).sum()
        )
    else:
        value = ratio(node_total(flows, "curtailed_kwh"), nodes(flows, RENEWABLE_GENERATION))
    return result(flows, by, value, name="curtailment_share", unit="-")
