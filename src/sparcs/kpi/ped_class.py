"""The PED ambition level from balance figures, with a reason that names the margin.

Operational reading of domain.md §2.2 (*Energies* 15(12) 4491, 2022; JPI UE White Paper 2020),
checked in this order:

1. **PEDautonomous**: annual balance :math:`PEB \\ge 0` inside the boundary *and* no step with
   net import (primary-energy import above export in that step).
2. **PEDdynamic**: annual :math:`PEB \\ge 0` inside the geographical (or functional) boundary,
   with net import in some steps.
3. **PEDvirtual**: boundary ``"virtual"`` and :math:`PEB \\ge 0` only when the virtual assets'
   output counts as exported renewable electricity at the electricity export PEF.
4. **pre-PED**: not positive, but net import substantially reduced: export covers at least
   :data:`PRE_PED_MIN_COVER` (50 %) of import, :math:`PEE \\ge 0.5\\,PEI`, or, when a baseline
   is given, net primary-energy import :math:`PEI - PEE` is at least
   :data:`PRE_PED_MIN_REDUCTION` (50 %) below the baseline's (annual factor sets on both
   sides). Virtual assets count here when the boundary is virtual.
5. **not PED** otherwise.

A balance of exactly zero counts as positive (relative tolerance :data:`TOLERANCE`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sparcs.errors import ScenarioError
from sparcs.kpi.report import PedVerdict

__all__ = [
    "PRE_PED_MIN_COVER",
    "PRE_PED_MIN_REDUCTION",
    "TOLERANCE",
    "BalanceSummary",
    "classify_ped",
]

#: Pre-PED: the least share of primary-energy import that export must cover [-].
PRE_PED_MIN_COVER = 0.5
#: Pre-PED: the least reduction of net primary-energy import against a baseline [-].
PRE_PED_MIN_REDUCTION = 0.5
#: Relative tolerance of the sign tests (rounding of sums, not a physical margin) [-].
TOLERANCE = 1e-9


@dataclass(frozen=True)
class BalanceSummary:
    """Balance figures of one period [kWh_PE], counts of steps and months with net import."""

    pei: float
    pee: float
    pee_virtual: float
    steps_net_import: int
    n_steps: int
    hours_net_import: float
    months_net_import: int
    n_months: int
    hourly_factors: bool = False

    @property
    def peb(self) -> float:
        """Balance inside the geographical boundary, PEE - PEI [kWh_PE]."""
        return self.pee - self.pei

    @property
    def peb_virtual(self) -> float:
        """Balance counting the virtual assets' output as export [kWh_PE]."""
        return self.pee + self.pee_virtual - self.pei


def _kwh(value: float) -> str:
    """Energy for a sentence: thousands separators, three significant digits when small."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _signed(value: float) -> str:
    text = _kwh(value)
    return text if text.startswith("-") else f"+{text}"


def _non_negative(balance: float, pei: float, pee: float) -> bool:
    return balance >= -TOLERANCE * max(pei, pee)


def _positive_reason(s: BalanceSummary, where: str, factors: str) -> tuple[str, str]:
    head = (f"annual primary-energy balance PEB = PEE - PEI = {_signed(s.peb)} kWh_PE >= 0 "
            f"inside the {where} boundary{factors} (PEE {_kwh(s.pee)}, PEI {_kwh(s.pei)}; "
            f"margin {_kwh(max(s.peb, 0.0))} kWh_PE)")
    if s.steps_net_import == 0:
        return "PEDautonomous", (f"PEDautonomous: {head}, and primary-energy import exceeds "
                                 f"export in none of the {s.n_steps} steps.")
    return "PEDdynamic", (
        f"PEDdynamic: {head}, but import exceeds export in {s.steps_net_import} of "
        f"{s.n_steps} steps ({s.hours_net_import:,.4g} h; {s.months_net_import} of "
        f"{s.n_months} months), so it is not autonomous.")


def _pre_ped_reason(s: BalanceSummary, virtual: bool, reduction: float | None,
                    min_cover: float, min_reduction: float) -> tuple[str, str]:
    pee = s.pee + (s.pee_virtual if virtual else 0.0)
    balance = pee - s.pei
    cover = pee / s.pei if s.pei > 0 else 0.0
    scope = " including the virtual assets" if virtual else ""
    head = (f"annual balance PEB = {_signed(balance)} kWh_PE < 0{scope} (PEE {_kwh(pee)}, "
            f"PEI {_kwh(s.pei)}; short of positive by {_kwh(-balance)} kWh_PE)")
    cover_ok = cover >= min_cover
    reduction_ok = reduction is not None and reduction >= min_reduction
    red_text = ("" if reduction is None else
                f"net primary-energy import is {reduction:.1%} below the baseline's "
                f"(pre-PED needs {min_reduction:.0%})")
    if cover_ok:
        return "pre-PED", (f"pre-PED: {head}, but export covers {cover:.1%} of import, at least "
                           f"the {min_cover:.0%} a pre-PED needs (margin "
                           f"{_kwh(pee - min_cover * s.pei)} kWh_PE).")
    if reduction_ok:
        return "pre-PED", f"pre-PED: {head}, but {red_text}."
    gap = min_cover * s.pei - pee
    tail = f"; {red_text}" if red_text else ""
    return "not PED", (f"not PED: {head}; export covers only {cover:.1%} of import, "
                       f"{_kwh(gap)} kWh_PE short of the {min_cover:.0%} a pre-PED needs{tail}.")


def classify_ped(
    summary: BalanceSummary, *, boundary: str = "geographical", reduction: float | None = None,
    min_cover: float = PRE_PED_MIN_COVER, min_reduction: float = PRE_PED_MIN_REDUCTION,
) -> PedVerdict:
    """Classify a district from its balance figures.

    Parameters
    ----------
    summary
        Balance figures (:func:`sparcs.kpi.ped.balance_summary`) [kWh_PE].
    boundary
        ``"geographical"``, ``"functional"`` or ``"virtual"``.
    reduction
        Reduction of net primary-energy import against a baseline [-], or None.
    min_cover, min_reduction
        Pre-PED thresholds [-].

    Returns
    -------
    PedVerdict
        The class, a one-sentence reason with the margin, and both balances.

    References
    ----------
    *Energies* 15(12) 4491 (2022); JPI Urban Europe White Paper (2020); domain.md §2.2.
    """
    if boundary not in ("geographical", "functional", "virtual"):
        msg = f"boundary={boundary!r} is not one of geographical, functional, virtual"
        raise ScenarioError(msg)
    virtual = boundary == "virtual"
    factors = " with hourly factors" if summary.hourly_factors else ""
    where = "geographical" if virtual else boundary
    if _non_negative(summary.peb, summary.pei, summary.pee):
        ped_class, reason = _positive_reason(summary, where, factors)
    elif virtual and _non_negative(summary.peb_virtual, summary.pei,
                                   summary.pee + summary.pee_virtual):
        ped_class = "PEDvirtual"
        reason = (f"PEDvirtual: the annual balance inside the geographical boundary is "
                  f"{_signed(summary.peb)} kWh_PE < 0{factors}, but counting the virtual assets' "
                  f"output ({_kwh(summary.pee_virtual)} kWh_PE at the electricity export PEF) as "
                  f"exported renewable electricity gives PEB = {_signed(summary.peb_virtual)} "
                  f"kWh_PE >= 0 (margin {_kwh(max(summary.peb_virtual, 0.0))} kWh_PE).")
    else:
        ped_class, reason = _pre_ped_reason(summary, virtual, reduction, min_cover, min_reduction)
    return PedVerdict(
        ped_class=ped_class,  # type: ignore[arg-type]
        reason=reason,
        balance_kwh_pe=summary.peb,
        virtual_balance_kwh_pe=summary.peb_virtual,
    )
