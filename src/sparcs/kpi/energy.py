"""Energy KPIs: final energy, local generation, self-consumption, self-sufficiency, RES share.

Every function takes the :class:`~sparcs.operation.flows.Flows` first and keyword-only
settings (house style HS-12); ``by="district"`` returns a float for the district boundary,
``by="building"`` a :class:`pandas.Series` over the buildings with ``name`` and
``attrs["unit"]`` set. Fractions are returned as fractions [-]; the report shows them in %.
The accounting conventions (boundary meter, own meter, loads, generation) are those of
:mod:`sparcs.kpi._base`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sparcs.errors import ScenarioError
from sparcs.kpi._base import (
    DELIVERED,
    GENERATION,
    LOADS,
    RENEWABLE_GENERATION,
    By,
    Per,
    check_by,
    delivered_nodes,
    delivered_steps,
    exported_nodes,
    memo,
    node_total,
    nodes,
    per_denominator,
    per_unit,
    ratio,
    result,
    step_total,
    steps,
)

if TYPE_CHECKING:
    from sparcs.carriers.factors import StepFactors
    from sparcs.operation.flows import Flows

__all__ = [
    "curtailment",
    "curtailment_share",
    "decentralised_share",
    "electricity_use",
    "final_energy",
    "local_generation",
    "onsite_renewable",
    "res_share",
    "self_consumption",
    "self_sufficiency",
]


def final_energy(
    flows: Flows, *, by: By = "district", carrier: str | None = None, per: Per | None = None
) -> float | pd.Series:
    """Final (delivered) energy per carrier or in total.

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see :mod:`sparcs.kpi._base`).
    carrier
        ``"electricity"`` (grid import), ``"district_heat"``, ``"gas"``, ``"oil"``,
        ``"biomass"`` (boiler and CHP fuel), or None for the sum over carriers.
    per
        Normalise by conditioned floor area (``"m2"``) or residents (``"resident"``).

    Returns
    -------
    float or pandas.Series
        [kWh], [kWh/m2] or [kWh/resident] over the period; NaN when the area or the number of
        residents is zero.

    Notes
    -----
    :math:`E_{final} = \\sum_c E_{del,c}`. Flows carry no district-cold import (chillers
    appear through their electricity), so ``district_cold`` is not a carrier here.

    References
    ----------
    SCIS KPI Guide v2.0 (2017), energy demand and consumption; SECAP FET0 (domain.md §4.3 #1).
    """
    check_by(by)
    if carrier is not None and carrier not in DELIVERED:
        msg = (
            f"carrier={carrier!r} is not delivered in flows; "
            f"use one of {', '.join(DELIVERED)} or None"
        )
        raise ScenarioError(msg)
    carriers = DELIVERED if carrier is None else (carrier,)
    if by == "district":
        delivered = delivered_steps(flows)
        value: Any = sum(float(delivered[c].sum()) for c in carriers)
    else:
        delivered = delivered_nodes(flows)
        value = sum(delivered[c] for c in carriers)
    value = ratio(value, per_denominator(flows, by, per)) if per else value
    name = f"final_energy_{carrier}" if carrier else "final_energy"
    return result(flows, by, value, name=name, unit=per_unit("kWh", per))


def electricity_use(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Electrical load: appliances, heat pumps, electric boilers, chillers and EV charging [kWh].

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
        Electrical load over the period [kWh]; a float for the district, a Series over the
        buildings.

    References
    ----------
    Load definition of self-sufficiency, Luthander et al., *Applied Energy* 142, 80-94 (2015).
    """
    check_by(by)
    value = steps(flows, LOADS).sum() if by == "district" else nodes(flows, LOADS)
    return result(flows, by, value, name="electricity_use", unit="kWh")


def _generation(flows: Flows, by: By, names: tuple[str, ...]) -> Any:
    if by == "district":
        return max(float(steps(flows, names).sum() - step_total(flows, "curtailed_kwh").sum()), 0.0)
    return np.maximum(nodes(flows, names) - node_total(flows, "curtailed_kwh"), 0.0)


def local_generation(
    flows: Flows, *, by: By = "district", renewable: bool = False
) -> float | pd.Series:
    """Local electricity generation used or exported, after curtailment [kWh].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).
    renewable
        Only PV and wind (leave out CHP electricity).

    Returns
    -------
    float or pandas.Series
        Generation after curtailment over the period [kWh]; a float for the district, a
        Series over the buildings.

    Notes
    -----
    :math:`G = E_{PV} + E_{wind} (+ E_{CHP,el}) - E_{curtailed}`.

    References
    ----------
    SCIS RES0 "renewable generation" (domain.md §4.2).
    """
    check_by(by)
    names = RENEWABLE_GENERATION if renewable else GENERATION
    name = "local_renewable_generation" if renewable else "local_generation"
    return result(flows, by, _generation(flows, by, names), name=name, unit="kWh")


def _exported(flows: Flows, by: By) -> Any:
    return (
        float(step_total(flows, "grid_export_kwh").sum())
        if by == "district"
        else exported_nodes(flows)
    )


def _imported(flows: Flows, by: By) -> Any:
    if by == "district":
        return float(step_total(flows, "grid_import_kwh").sum())
    return nodes(flows, ("grid_import_kwh", "shared_in_kwh"))


def self_consumption(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Share of local generation used inside the boundary [-].

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
        Self-consumption [-], NaN without local generation; a float for the district, a
        Series over the buildings.

    Notes
    -----
    :math:`SC = 1 - E_{export} / G`, clipped to [0, 1] (export of grid-charged storage can
    exceed generation); NaN without local generation.

    References
    ----------
    Luthander et al., *Applied Energy* 142, 80-94 (2015); gsy-e and npro KPI definitions
    (domain.md §4.3 #9).
    """
    check_by(by)
    return result(flows, by, _sc(flows, by), name="self_consumption", unit="-")


def _sc(flows: Flows, by: By) -> Any:
    return np.clip(1.0 - ratio(_exported(flows, by), _generation(flows, by, GENERATION)), 0.0, 1.0)


def self_sufficiency(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Share of the electrical load not imported (autarky) [-].

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
        Self-sufficiency [-], NaN without load; a float for the district, a Series over the
        buildings.

    Notes
    -----
    :math:`SS = 1 - E_{import} / E_{load}`, clipped to [0, 1] (storage losses charged from the
    grid can push import above load); NaN without load.

    References
    ----------
    Luthander et al., *Applied Energy* 142, 80-94 (2015); domain.md §4.3 #10.
    """
    check_by(by)
    load = steps(flows, LOADS).sum() if by == "district" else nodes(flows, LOADS)
    value = np.clip(1.0 - ratio(_imported(flows, by), load), 0.0, 1.0)
    return result(flows, by, value, name="self_sufficiency", unit="-")


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
