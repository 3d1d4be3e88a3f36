"""PED KPIs: primary energy imported and exported, the PED balance and the PED class.

The balance follows Gabaldón Moreno et al. (2021), steps 6 and 7, on **non-renewable**
primary energy (EN ISO 52000-1 f_P,nren): :math:`PEI = \\sum_c E_{del,c} f_{P,nren,c}`,
:math:`PEE = k_{exp} E_{exp,ren} f_{P,nren,exp} + C_{CHP}`, :math:`PEB = PEE - PEI`, with
factors :math:`f(t)` per step where an hourly file is given (*Energies* 14(16) 4864, 2021).
Only renewable surplus counts (:mod:`sparcs.kpi._export`): exported CHP electricity is
credited at the non-renewable primary energy of its fuel (:math:`C_{CHP}`), which nets it
out and never makes a surplus. Heat fed into the district-heating network (``dh_export``)
counts the same way: its renewable part at the district-heat export factor (after the
network's losses), its CHP part at the fuel's f_P,nren, the rest not at all. A **virtual**
boundary also counts the output of remote assets: ``virtual_kwh`` as exported renewable
electricity, ``virtual_heat_kwh`` (heat delivered, after losses) at the district-heat factor;
a **functional** one the named plants.

Net-import counts are in :mod:`sparcs.kpi.net_import`, the PED class in
:mod:`sparcs.kpi.verdict`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from sparcs.carriers.factors import StepFactors
from sparcs.errors import ScenarioError
from sparcs.kpi._base import (
    DELIVERED,
    FUELS,
    By,
    Per,
    check_by,
    delivered_nodes,
    delivered_steps,
    district_only,
    exported_nodes,
    memo,
    month_groups,
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
    from sparcs.operation.flows import Flows

__all__ = [
    "chp_export_pe",
    "pe_steps",
    "primary_energy_balance",
    "primary_energy_export",
    "primary_energy_import",
]

Horizon = Literal["year", "month", "step"]


def pe_steps(
    flows: Flows,
    factors: StepFactors,
    *,
    include_virtual: bool = False,
    functional: FunctionalSupply | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Non-renewable primary energy imported and exported per step, (time,) [kWh_PE].

    Export: renewable export at the electricity export factor (k_exp included), renewable
    heat export at the district-heat export factor (k_exp and network losses included),
    exported CHP output at the f_P,nren of its fuel, virtual assets' output when
    ``include_virtual`` and the functional plants' output when ``functional`` is given.
    """

    def compute() -> tuple[np.ndarray, np.ndarray]:
        factors.check_aligned(flows)
        delivered = delivered_steps(flows)
        pei = sum(delivered[c] * factors.pef[c] for c in DELIVERED)
        _, renewable = export_split(flows)
        _, heat, _ = heat_export_split(flows)
        pee = heat * factors.pef_export["district_heat"]
        if include_virtual:
            renewable = renewable + step_total(flows, "virtual_kwh")
            pee = pee + step_total(flows, "virtual_heat_kwh") * factors.pef["district_heat"]
        pee = pee + renewable * factors.pef_export["electricity"] + chp_export_pe(flows, factors)
        if functional is not None:
            pee = pee + functional.credit(
                factors.pef_export["electricity"], factors.pef["district_heat"]
            )
        return np.asarray(pei, dtype=float), pee

    key = ("pe_steps", id(factors), include_virtual, id(functional))
    return memo(flows, key, compute, factors, functional)


def chp_export_pe(flows: Flows, factors: StepFactors) -> np.ndarray:
    """Exported CHP output (electricity and heat fed into the network) credited at the
    f_P,nren of its fuel, per step [kWh_PE].

    References
    ----------
    EN ISO 52000-1:2017 §9.6.6 (step A: resources used for exported energy); the energy
    method splits the fuel between electricity and heat (:mod:`sparcs.kpi._export`).
    """
    return memo(
        flows,
        ("chp_export_pe", id(factors)),
        lambda: chp_export_credit(flows, {f: factors.pef[f] for f in FUELS}),
        factors,
    )


def primary_energy_import(
    flows: Flows, *, by: By = "district", factors: StepFactors, per: Per | None = None
) -> float | pd.Series:
    """Primary energy imported, PEI [kWh_PE] (or per m2 / resident).

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter).
    factors
        Resolved per-step factors (:func:`sparcs.carriers.factors.step_factors`).
    per
        Normalise by floor area (``"m2"``) or residents (``"resident"``).

    Returns
    -------
    float or pandas.Series
        PEI over the period [kWh_PE, or kWh_PE/m2, kWh_PE/resident]: a float for the
        district, a Series over buildings for ``by="building"``.

    Notes
    -----
    :math:`PEI = \\sum_t \\sum_c E_{del,c}(t)\\,f_c(t)` with non-renewable PEFs.

    References
    ----------
    Gabaldón Moreno et al., *Sustainability* 13(2) 710 (2021), step 6.
    """
    check_by(by)
    if by == "district":
        value: Any = float(pe_steps(flows, factors)[0].sum())
    else:
        factors.check_aligned(flows)
        weighted = delivered_nodes(flows, factors.pef, key=f"pef{id(factors)}")
        value = sum(weighted[c] for c in DELIVERED)
    value = ratio(value, per_denominator(flows, by, per)) if per else value
    return result(flows, by, value, name="pei", unit=per_unit("kWh_PE", per))


def primary_energy_export(
    flows: Flows,
    *,
    by: By = "district",
    factors: StepFactors,
    include_virtual: bool = False,
    per: Per | None = None,
) -> float | pd.Series:
    """Primary energy exported, PEE [kWh_PE] (or per m2 / resident).

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter).
    factors
        Resolved per-step factors (:func:`sparcs.carriers.factors.step_factors`).
    include_virtual
        Count the remote assets' output (``virtual_kwh``) as exported electricity (virtual
        boundary); it sits on the district node, so buildings are unaffected.
    per
        Normalise by floor area (``"m2"``) or residents (``"resident"``).

    Returns
    -------
    float or pandas.Series
        PEE over the period [kWh_PE, or kWh_PE/m2, kWh_PE/resident]: a float for the
        district, a Series over buildings for ``by="building"``.

    Notes
    -----
    :math:`PEE = \\sum_t [k_{exp} E_{exp,ren}(t) f_{P,nren,exp}(t) + C_{CHP}(t)]` plus the
    renewable heat fed into the network at the district-heat export factor; by building, all
    export through the own meter (electricity and heat fed in) at the export factors (the CHP
    rule applies at the district boundary).

    References
    ----------
    Gabaldón Moreno et al., *Sustainability* 13(2) 710 (2021), step 6; virtual boundary:
    *Energies* 15(12) 4491 (2022).
    """
    check_by(by)
    if by == "district":
        value: Any = float(pe_steps(flows, factors, include_virtual=include_virtual)[1].sum())
    else:
        factors.check_aligned(flows)
        value = exported_nodes(flows, factors.pef_export["electricity"]) + weighted_nodes(
            flows, ("dh_export_kwh",), factors.pef_export["district_heat"]
        )
    value = ratio(value, per_denominator(flows, by, per)) if per else value
    return result(flows, by, value, name="pee", unit=per_unit("kWh_PE", per))


def primary_energy_balance(
    flows: Flows,
    *,
    by: By = "district",
    factors: StepFactors,
    include_virtual: bool = False,
    per: Per | None = None,
    horizon: Horizon = "year",
) -> float | pd.Series:
    """PED balance PEB = PEE - PEI [kWh_PE] over the period, per local month or per step.

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter).
    factors
        Resolved per-step factors (:func:`sparcs.carriers.factors.step_factors`).
    include_virtual
        Count the remote assets' output as export (virtual boundary).
    per
        Normalise by floor area (``"m2"``) or residents (``"resident"``).
    horizon
        ``"year"`` (the whole period: a float, or a Series over buildings), ``"month"`` (a
        Series over local calendar months ``YYYY-MM``) or ``"step"`` (a Series over the
        steps); month and step are district-only.

    Returns
    -------
    float or pandas.Series
        PEB [kWh_PE, or kWh_PE/m2, kWh_PE/resident], shaped by ``horizon``.

    Notes
    -----
    The district is positive when :math:`PEB \\ge 0`.

    References
    ----------
    Gabaldón Moreno et al., *Sustainability* 13(2) 710 (2021), step 7; time-resolved
    variants: *Energies* 14(16) 4864 (2021).
    """
    check_by(by)
    den = per_denominator(flows, by, per)
    unit = per_unit("kWh_PE", per)
    if horizon == "year":
        pee = primary_energy_export(flows, by=by, factors=factors, include_virtual=include_virtual)
        pei = primary_energy_import(flows, by=by, factors=factors)
        value = (pee - pei).to_numpy() if isinstance(pee, pd.Series) else pee - pei
        return result(flows, by, ratio(value, den) if per else value, name="peb", unit=unit)
    if horizon not in ("month", "step"):
        msg = f"horizon={horizon!r} is not supported; use 'year', 'month' or 'step'"
        raise ScenarioError(msg)
    district_only(by, f"the {horizon} balance")
    pei_t, pee_t = pe_steps(flows, factors, include_virtual=include_virtual)
    balance = (pee_t - pei_t) / (den if per else 1.0)
    if horizon == "step":
        series = pd.Series(balance, index=flows.time, name="peb")
    else:
        labels, group = month_groups(flows)
        sums = np.bincount(group, weights=balance, minlength=len(labels))
        series = pd.Series(sums, index=pd.Index(labels, name="month"), name="peb")
    series.attrs["unit"] = unit
    return series
