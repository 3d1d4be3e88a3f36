"""PED KPIs: primary energy imported and exported, the PED balance and the PED class.

The balance follows Gabaldón Moreno et al. (2021), steps 6 and 7:
:math:`PEI = \\sum_c E_{del,c} f_c`, :math:`PEE = \\sum_c E_{exp,c} f_{exp,c}`,
:math:`PEB = PEE - PEI`, with non-renewable primary-energy factors and, where an hourly file
is given, factors :math:`f(t)` per step (*Energies* 14(16) 4864, 2021). Only electricity is
exported. A **virtual** boundary also counts the output of remote assets (``virtual_kwh``) as
exported renewable electricity at the electricity export factor.

A step or month has **net import** when its primary-energy import exceeds its export. A
balance of exactly zero counts as positive; sums are compared with a relative tolerance of
1e-9 so that floating-point rounding cannot flip a class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from sparcs.carriers.factors import StepFactors, step_factors
from sparcs.errors import ScenarioError
from sparcs.kpi._base import (
    DELIVERED,
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
)
from sparcs.kpi.ped_class import (
    PRE_PED_MIN_COVER,
    PRE_PED_MIN_REDUCTION,
    TOLERANCE,
    BalanceSummary,
    classify_ped,
)

if TYPE_CHECKING:
    from sparcs.kpi.report import PedVerdict
    from sparcs.operation.flows import Flows

__all__ = [
    "balance_summary",
    "net_import_hours",
    "net_import_months",
    "ped_verdict",
    "primary_energy_balance",
    "primary_energy_export",
    "primary_energy_import",
]

Horizon = Literal["year", "month", "step"]


def pe_steps(flows: Flows, factors: StepFactors, *, include_virtual: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Primary energy imported and exported per step at the district boundary, (time,) [kWh_PE]."""

    def compute() -> tuple[np.ndarray, np.ndarray]:
        factors.check_aligned(flows)
        delivered = delivered_steps(flows)
        pei = sum(delivered[c] * factors.pef[c] for c in DELIVERED)
        exported = step_total(flows, "grid_export_kwh")
        if include_virtual:
            exported = exported + step_total(flows, "virtual_kwh")
        return np.asarray(pei, dtype=float), exported * factors.pef_export["electricity"]

    return memo(flows, ("pe_steps", id(factors), include_virtual), compute, factors)


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
    flows: Flows, *, by: By = "district", factors: StepFactors, include_virtual: bool = False,
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
    :math:`PEE = \\sum_t E_{exp,el}(t)\\,f_{exp,el}(t)`.

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
        value = exported_nodes(flows, factors.pef_export["electricity"])
    value = ratio(value, per_denominator(flows, by, per)) if per else value
    return result(flows, by, value, name="pee", unit=per_unit("kWh_PE", per))


def primary_energy_balance(
    flows: Flows, *, by: By = "district", factors: StepFactors, include_virtual: bool = False,
    per: Per | None = None, horizon: Horizon = "year",
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
    return pei - pee > TOLERANCE * np.maximum(pei, pee)


def net_import_hours(
    flows: Flows, *, by: By = "district", factors: StepFactors, include_virtual: bool = False
) -> float:
    """Hours in steps whose primary-energy import exceeds the export [h].

    References
    ----------
    *Energies* 14(16) 4864 (2021); domain.md §4.3 #6.
    """
    district_only(by, "net_import_hours")
    pei, pee = pe_steps(flows, factors, include_virtual=include_virtual)
    return float(_net_import(pei, pee).sum() * flows.dt_h)


def net_import_months(
    flows: Flows, *, by: By = "district", factors: StepFactors, include_virtual: bool = False,
) -> int:
    """Local calendar months whose primary-energy balance is negative [#].

    References
    ----------
    *Energies* 14(16) 4864 (2021); domain.md §4.3 #6.
    """
    district_only(by, "net_import_months")
    pei, pee = pe_steps(flows, factors, include_virtual=include_virtual)
    labels, group = month_groups(flows)
    pei_m = np.bincount(group, weights=pei, minlength=len(labels))
    pee_m = np.bincount(group, weights=pee, minlength=len(labels))
    return int(_net_import(pei_m, pee_m).sum())


def balance_summary(
    flows: Flows, *, factors: StepFactors, include_virtual: bool = False
) -> BalanceSummary:
    """Annual and time-resolved balance figures that the PED class rests on."""
    pei, pee_geo = pe_steps(flows, factors)
    _, pee_all = pe_steps(flows, factors, include_virtual=True)
    pei_c, pee_c = pe_steps(flows, factors, include_virtual=include_virtual)
    net = _net_import(pei_c, pee_c)
    return BalanceSummary(
        pei=float(pei.sum()),
        pee=float(pee_geo.sum()),
        pee_virtual=float(pee_all.sum() - pee_geo.sum()),
        steps_net_import=int(net.sum()),
        n_steps=len(flows.time),
        hours_net_import=float(net.sum() * flows.dt_h),
        months_net_import=net_import_months(flows, factors=factors, include_virtual=include_virtual),
        n_months=len(month_groups(flows)[0]),
        hourly_factors=factors.hourly,
    )


def ped_verdict(
    flows: Flows, *, by: By = "district", factors: StepFactors,
    boundary: Literal["geographical", "functional", "virtual"] = "geographical",
    baseline: Flows | None = None, baseline_factors: StepFactors | None = None,
    min_cover: float = PRE_PED_MIN_COVER, min_reduction: float = PRE_PED_MIN_REDUCTION,
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

    References
    ----------
    *Energies* 15(12) 4491 (2022) (levels); Gabaldón Moreno et al. (2021) (balance).
    """
    district_only(by, "the PED class")
    virtual = boundary == "virtual"
    summary = balance_summary(flows, factors=factors, include_virtual=virtual)
    reduction = None
    if baseline is not None:
        base_f = (baseline_factors.annual() if baseline_factors is not None
                  else step_factors(factors.factor_set, baseline.time))
        base_pei, base_pee = pe_steps(baseline, base_f, include_virtual=virtual)
        cur_pei, cur_pee = pe_steps(flows, factors.annual(), include_virtual=virtual)
        base_net = float(base_pei.sum() - base_pee.sum())
        if base_net > 0:
            reduction = 1.0 - float(cur_pei.sum() - cur_pee.sum()) / base_net
    return classify_ped(summary, boundary=boundary, reduction=reduction,
                        min_cover=min_cover, min_reduction=min_reduction)
