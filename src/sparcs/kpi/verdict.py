"""The PED class of a district: the balance figures it rests on and the verdict with its reason.

The energy condition reads the PED balance (:mod:`sparcs.kpi.ped`) and the physical net-import
counts (:mod:`sparcs.kpi.net_import`); the GHG condition the net emissions of the same boundary
(:mod:`sparcs.kpi.emissions`). The rules and the reason sentence are in
:mod:`sparcs.kpi.ped_class`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from sparcs.carriers.factors import StepFactors, step_factors
from sparcs.kpi._base import By, district_only, month_groups
from sparcs.kpi._export import FunctionalSupply
from sparcs.kpi.net_import import net_import_months, physical_net_import
from sparcs.kpi.ped import chp_export_pe, pe_steps
from sparcs.kpi.ped_class import (
    PRE_PED_MIN_COVER,
    PRE_PED_MIN_REDUCTION,
    BalanceSummary,
    PrePedConvention,
    classify_ped,
)

if TYPE_CHECKING:
    from sparcs.kpi.report import PedVerdict
    from sparcs.operation.flows import Flows

__all__ = ["balance_summary", "ped_verdict"]


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
    boundary; the step and month counts are physical
    (:func:`~sparcs.kpi.net_import.physical_net_import`).

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    factors
        Resolved per-step factors (:func:`sparcs.carriers.factors.step_factors`).
    include_virtual
        Also sum the virtual assets' output as ``pee_virtual`` [kWh_PE].
    functional
        Named plants of a functional boundary, whose supply counts as inside.
    ghg_balance_kg
        Net GHG emissions of the same boundary [kg CO2-eq/a]; NaN when not computed.

    Returns
    -------
    BalanceSummary
        PEI, PEE, their virtual and CHP parts [kWh_PE], the net-import step, hour and month
        counts, and the GHG balance [kg CO2-eq].
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
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` only: the class is a district's.
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

    Returns
    -------
    PedVerdict
        The class (``PEDautonomous``, ``PEDdynamic``, ``PEDvirtual``, ``pre-PED`` or
        ``not PED``), ``ghg_net_zero``, the balances [kWh_PE, kg CO2-eq] and the reason.

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
