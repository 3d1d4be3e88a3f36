"""Emission KPIs: greenhouse-gas emissions of delivered energy, with or without export credit.

The **headline** is the gross figure, without export credit: the emissions caused by the
energy the district draws, never negative, and the basis of the SPARCS -64 % target. The net
figure subtracts a credit for exported electricity and is the one to read against "net zero
CO2". The credit is **symmetric** by default (export factor = delivered factor of the set,
times ``k_exp``); only a set labelled ``asymmetric-regulatory`` (the GEG building-code view,
860 g displacement mix) differs. As for primary energy, exported CHP electricity is credited
at the CO2 of the fuel used to make it (:mod:`sparcs.kpi._export`), not at the grid's.
``co2_net`` is the **physical** net figure: it never subtracts virtual assets; the virtual
boundary's figure is ``co2_net_virtual``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sparcs.kpi._base import (
    DELIVERED,
    FUELS,
    By,
    Per,
    check_by,
    delivered_nodes,
    delivered_steps,
    exported_nodes,
    memo,
    per_denominator,
    per_unit,
    ratio,
    result,
    step_total,
    weighted_nodes,
)
from sparcs.kpi._export import (
    FunctionalSupply,
    chp_export_credit,
    export_split,
    heat_export_split,
)

if TYPE_CHECKING:
    from sparcs.carriers.factors import StepFactors
    from sparcs.operation.flows import Flows

__all__ = ["co2_emissions", "co2_steps"]


def co2_steps(
    flows: Flows,
    factors: StepFactors,
    *,
    export_credit: bool = False,
    include_virtual: bool = False,
    functional: FunctionalSupply | None = None,
) -> np.ndarray:
    """District emissions per step, shape (time,) [kg CO2-eq].

    With ``export_credit``: minus renewable export at the export factor (electricity and heat
    fed into the network), minus exported CHP output at its fuel's CO2, minus the virtual
    assets' output (``include_virtual``; heat at the district-heat factor) and
    the functional plants' output (``functional``) at the factor of the carrier they replace.
    """

    def compute() -> np.ndarray:
        factors.check_aligned(flows)
        delivered = delivered_steps(flows)
        gross = np.asarray(
            sum(delivered[c] * factors.co2_kg_per_kwh[c] for c in DELIVERED), dtype=float
        )
        if not export_credit:
            return gross
        _, renewable = export_split(flows)
        _, heat, _ = heat_export_split(flows)
        credit = heat * factors.co2_export_kg_per_kwh["district_heat"]
        if include_virtual:
            renewable = renewable + step_total(flows, "virtual_kwh")
            credit = credit + (
                step_total(flows, "virtual_heat_kwh") * factors.co2_kg_per_kwh["district_heat"]
            )
        credit = (
            credit
            + renewable * factors.co2_export_kg_per_kwh["electricity"]
            + chp_export_credit(flows, {f: factors.co2_kg_per_kwh[f] for f in FUELS})
        )
        if functional is not None:
            credit = credit + functional.credit(
                factors.co2_export_kg_per_kwh["electricity"],
                factors.co2_kg_per_kwh["district_heat"],
            )
        result: np.ndarray = gross - credit
        return result

    key = ("co2_steps", id(factors), export_credit, include_virtual, id(functional))
    return memo(flows, key, compute, factors, functional)


def co2_emissions(
    flows: Flows,
    *,
    by: By = "district",
    factors: StepFactors,
    export_credit: bool = False,
    include_virtual: bool = False,
    per: Per | None = None,
) -> float | pd.Series:
    """Greenhouse-gas emissions of the energy delivered over the period [kg CO2-eq].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter).
    factors
        Resolved per-step factors; hourly electricity factors where a file is given.
    export_credit
        Subtract a credit for exported electricity: renewable export at
        ``co2_export_kg_per_kwh`` (k_exp included), CHP export at its fuel's CO2.
    include_virtual
        With ``export_credit``, also credit the virtual assets' output (virtual boundary).
    per
        Normalise by floor area (``"m2"``) or residents (``"resident"``).

    Returns
    -------
    float or pandas.Series
        [kg CO2-eq], [kg CO2-eq/m2] or [kg CO2-eq/resident].

    Notes
    -----
    :math:`GHG = \\sum_t \\sum_c E_{del,c}(t)\\,EF_c(t)
    \\;[- \\sum_t E_{exp,el}(t)\\,EF_{exp,el}(t)]`.

    References
    ----------
    SCIS KPI Guide v2.0 (2017), GHG emissions; EN ISO 52000-1 §9.6.6 (export, k_exp);
    GEG 2020 Anlage 9 (the asymmetric displacement mix, only in the building-code set);
    Fingrid hourly factors (domain.md §4.3 #12, §5.11).
    """
    check_by(by)
    if by == "district":
        value: Any = float(
            co2_steps(
                flows, factors, export_credit=export_credit, include_virtual=include_virtual
            ).sum()
        )
    else:
        factors.check_aligned(flows)
        weighted = delivered_nodes(flows, factors.co2_kg_per_kwh, key=f"co2{id(factors)}")
        value = sum(weighted[c] for c in DELIVERED)
        if export_credit:
            value = (
                value
                - exported_nodes(flows, factors.co2_export_kg_per_kwh["electricity"])
                - weighted_nodes(
                    flows, ("dh_export_kwh",), factors.co2_export_kg_per_kwh["district_heat"]
                )
            )
    value = ratio(value, per_denominator(flows, by, per)) if per else value
    name = "co2_net" if export_credit else "co2"
    return result(flows, by, value, name=name, unit=per_unit("kg CO2-eq", per))
