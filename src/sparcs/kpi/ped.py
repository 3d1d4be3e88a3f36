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

**Net import**, for the counts and the autonomy test, is physical and per carrier: a step (or
month) has net import when any carrier crosses the boundary inward more than outward
(electricity import above export, any district heat, any fuel). Virtual energy never enters
these counts; the virtual versions (:func:`virtual_net_import_hours`) net primary energy
across carriers with the virtual assets and carry their own labels. A balance of exactly zero
counts as positive; sums are compared with a relative tolerance of 1e-9 so that
floating-point rounding cannot flip a class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from sparcs.carriers.factors import StepFactors, step_factors
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
    physical_imports,
)
from sparcs.kpi.ped_class import (
    PRE_PED_MIN_COVER,
    PRE_PED_MIN_REDUCTION,
    TOLERANCE,
    BalanceSummary,
    PrePedConvention,
    classify_ped,
)

if TYPE_CHECKING:
    from sparcs.kpi.report import PedVerdict
    from sparcs.operation.flows import Flows

__all__ = [
    "balance_summary",
    "chp_export_pe",
    "net_import_hours",
    "net_import_months",
    "ped_verdict",
    "primary_energy_balance",
    "primary_energy_export",
    "primary_energy_import",
    "virtual_net_import_hours",
    "virtual_net_import_months",
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
    include_virtual
        Count the remote assets' output (``virtual_kwh``) as exported electricity (virtual
        boundary); it sits on the district node, so buildings are unaffected.

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
    horizon
        ``"year"`` (the whole period: a float, or a Series over buildings), ``"month"`` (a
        Series over local calendar months ``YYYY-MM``) or ``"step"`` (a Series over the
        steps); month and step are district-only.

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


def _net_import(pei: np.ndarray, pee: np.ndarray) -> np.ndarray:
    result: np.ndarray = pei - pee > TOLERANCE * np.maximum(pei, pee)
    return result


def physical_net_import(flows: Flows, functional: FunctionalSupply | None = None) -> np.ndarray:
    """Steps with physical net import of any carrier, (time,) bool (virtual energy never counts)."""
    out = np.zeros(len(flows.time), dtype=bool)
    for imported, exported in physical_imports(flows, functional):
        out |= _net_import(imported, exported)
    return out


def net_import_hours(
    flows: Flows, *, by: By = "district", functional: FunctionalSupply | None = None
) -> float:
    """Hours in steps where any carrier has physical net import across the boundary [h].

    Electricity import above export, any district heat or any fuel delivered; virtual assets
    never count (:func:`virtual_net_import_hours` is the virtual version).

    References
    ----------
    *Energies* 14(16) 4864 (2021); domain.md §2.2 (autonomous: no net import); §4.3 #6.
    """
    district_only(by, "net_import_hours")
    return float(physical_net_import(flows, functional).sum() * flows.dt_h)


def net_import_months(
    flows: Flows, *, by: By = "district", functional: FunctionalSupply | None = None
) -> int:
    """Local calendar months in which any carrier has physical net import [#].

    References
    ----------
    *Energies* 14(16) 4864 (2021); domain.md §4.3 #6.
    """
    district_only(by, "net_import_months")
    labels, group = month_groups(flows)
    out = np.zeros(len(labels), dtype=bool)
    for imported, exported in physical_imports(flows, functional):
        out |= _net_import(
            np.bincount(group, weights=imported, minlength=len(labels)),
            np.bincount(group, weights=exported, minlength=len(labels)),
        )
    return int(out.sum())


def virtual_net_import_hours(flows: Flows, *, factors: StepFactors) -> float:
    """Hours whose non-renewable primary-energy import exceeds the export counting the virtual
    assets' output, netted across carriers [h] (a virtual view, not physical import).

    References
    ----------
    *Energies* 14(16) 4864 (2021); *Energies* 15(12) 4491 (2022) (virtual boundary).
    """
    pei, pee = pe_steps(flows, factors, include_virtual=True)
    return float(_net_import(pei, pee).sum() * flows.dt_h)


def virtual_net_import_months(flows: Flows, *, factors: StepFactors) -> int:
    """Local months whose primary-energy balance with the virtual assets is negative [#]."""
    pei, pee = pe_steps(flows, factors, include_virtual=True)
    labels, group = month_groups(flows)
    pei_m = np.bincount(group, weights=pei, minlength=len(labels))
    pee_m = np.bincount(group, weights=pee, minlength=len(labels))
    return int(_net_import(pei_m, pee_m).sum())


def balance_summary(
    flows: Flows,
    *,
    factors: StepFactors,
    include_virtual: bool = False,
    functional: FunctionalSupply | None = None,
    ghg_balance_kg: float = float("nan"),
) -> BalanceSummary:
    """Annual and time-resolved balance figures that the PED class rests on.

    ``pee`` holds the export inside the geographical (or, with ``functional``, the functional)
    boundary; the step and month counts are physical (:func:`physical_net_import`).
    """
    pei, pee_geo = pe_steps(flows, factors, functional=functional)
    _, pee_all = pe_steps(flows, factors, include_virtual=True, functional=functional)
    net = physical_net_import(flows, functional)
    return BalanceSummary(
        pei=float(pei.sum()),
        pee=float(pee_geo.sum()),
        pee_virtual=float(pee_all.sum() - pee_geo.sum()) if include_virtual else 0.0,
        steps_net_import=int(net.sum()),
        n_steps=len(flows.time),
        hours_net_import=float(net.sum() * flows.dt_h),
        months_net_import=net_import_months(flows, functional=functional),
        n_months=len(month_groups(flows)[0]),
        hourly_factors=factors.hourly,
        pee_chp=float(chp_export_pe(flows, factors).sum()),
        ghg_balance_kg=ghg_balance_kg,
        functional_plants=functional.names if functional is not None else (),
        pee_functional=(
            float(
                functional.credit(
                    factors.pef_export["electricity"], factors.pef["district_heat"]
                ).sum()
            )
            if functional is not None
            else 0.0
        ),
    )


def ped_verdict(
    flows: Flows,
    *,
    by: By = "district",
    factors: StepFactors,
    boundary: Literal["geographical", "functional", "virtual"] = "geographical",
    baseline: Flows | None = None,
    baseline_factors: StepFactors | None = None,
    min_cover: float = PRE_PED_MIN_COVER,
    min_reduction: float = PRE_PED_MIN_REDUCTION,
    convention: PrePedConvention | None = None,
    functional: FunctionalSupply | None = None,
) -> PedVerdict:
    """The PED ambition level (domain.md §2.2) with its reason.

    Parameters
    ----------
    factors
        Per-step factors of ``flows`` (hourly ones make the step test time-resolved).
    boundary
        Boundary mode of the scenario; virtual assets count only for ``"virtual"``.
    baseline, baseline_factors
        Baseline flows and their factors (default: the annual set of ``factors`` on the
        baseline's steps), for the pre-PED reduction criterion.
    min_cover, min_reduction
        Pre-PED thresholds, see :func:`sparcs.kpi.ped_class.classify_ped`.
    convention
        The named pre-PED convention; overrides ``min_cover`` and ``min_reduction``.
    functional
        Named plants counted inside a functional boundary.

    Notes
    -----
    The GHG condition reads the net emissions of the same boundary: gross minus the export
    credit (renewable export at the export factor, CHP export at its fuel's CO2), minus the
    virtual assets' or functional plants' credit where the boundary counts them.

    References
    ----------
    *Energies* 15(12) 4491 (2022) (levels); Gabaldón Moreno et al. (2021) (balance).
    """
    from sparcs.kpi.emissions import co2_steps

    district_only(by, "the PED class")
    virtual = boundary == "virtual"
    if functional is not None and boundary != "functional":
        functional = None
    ghg = float(
        co2_steps(
            flows, factors, export_credit=True, include_virtual=virtual, functional=functional
        ).sum()
    )
    summary = balance_summary(
        flows, factors=factors, include_virtual=virtual, functional=functional, ghg_balance_kg=ghg
    )
    reduction = None
    if baseline is not None:
        base_f = (
            baseline_factors.annual()
            if baseline_factors is not None
            else step_factors(factors.factor_set, baseline.time)
        )
        base_pei, base_pee = pe_steps(baseline, base_f, include_virtual=virtual)
        cur_pei, cur_pee = pe_steps(flows, factors.annual(), include_virtual=virtual)
        base_net = float(base_pei.sum() - base_pee.sum())
        if base_net > 0:
            reduction = 1.0 - float(cur_pei.sum() - cur_pee.sum()) / base_net
    convention = convention or PrePedConvention(min_cover=min_cover, min_reduction=min_reduction)
    return classify_ped(summary, boundary=boundary, reduction=reduction, convention=convention)
