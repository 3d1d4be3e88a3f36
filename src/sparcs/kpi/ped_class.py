"""The PED ambition level from balance figures, with a reason that names the margin.

Operational reading of domain.md §2.2 (*Energies* 15(12) 4491, 2022; JPI UE White Paper 2020),
checked in this order:

1. **PEDautonomous**: annual balance :math:`PEB \\ge 0` inside the boundary *and* no step with
   physical net import of any carrier (electricity import above export, district heat, fuel).
2. **PEDdynamic**: annual :math:`PEB \\ge 0` inside the geographical (or functional) boundary,
   with net import in some steps.
3. **PEDvirtual**: boundary ``"virtual"`` and :math:`PEB \\ge 0` only when the virtual assets'
   output counts as renewable export (electricity at the electricity export PEF, virtual heat
   delivered at the district-heat PEF).
4. **pre-PED**, a named **convention** (:class:`PrePedConvention`, default
   :data:`SPARCS_PRE_PED`), not a standard: not positive, but renewable export covers at least
   ``min_cover`` (50 %) of the import left after netting CHP export,
   :math:`PEE - C_{CHP} \\ge 0.5\\,(PEI - C_{CHP})`, or, when a baseline is given, net
   primary-energy import :math:`PEI - PEE` is at least ``min_reduction`` (50 %) below the
   baseline's (annual factor sets on both sides). Virtual assets count here when the boundary
   is virtual. Exported CHP electricity never counts toward the cover: a gas-CHP district
   that exports is neither PED nor pre-PED.
5. **not PED** otherwise.

The class is the **energy** level. The verdict also states the second half of the JPI UE
definition, **net-zero GHG** (:attr:`PedVerdict.ghg_net_zero`: net emissions of the same
boundary <= 0), and the reason says both, e.g. "PEDdynamic on energy; GHG not net-zero
(+14.7 t CO2-eq/a)". A balance of exactly zero counts as positive (relative tolerance
:data:`TOLERANCE`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sparcs.errors import ScenarioError
from sparcs.kpi.report import PedClass, PedVerdict

__all__ = [
    "PRE_PED_MIN_COVER",
    "PRE_PED_MIN_REDUCTION",
    "SPARCS_PRE_PED",
    "TOLERANCE",
    "BalanceSummary",
    "PrePedConvention",
    "classify_ped",
]

#: Pre-PED: the least share of primary-energy import that export must cover [-].
PRE_PED_MIN_COVER = 0.5
#: Pre-PED: the least reduction of net primary-energy import against a baseline [-].
PRE_PED_MIN_REDUCTION = 0.5
#: Relative tolerance of the sign tests (rounding of sums, not a physical margin) [-].
TOLERANCE = 1e-9


@dataclass(frozen=True)
class PrePedConvention:
    """The thresholds of the pre-PED class: a project convention, not a standard.

    Attributes
    ----------
    name
        Name shown in the reason, e.g. ``"sparcs-50/50"``.
    min_cover
        Least share of the (CHP-netted) primary-energy import that renewable export must
        cover [-].
    min_reduction
        Least reduction of net primary-energy import against a baseline [-].
    """

    name: str = "sparcs-50/50"
    min_cover: float = PRE_PED_MIN_COVER
    min_reduction: float = PRE_PED_MIN_REDUCTION

    def __post_init__(self) -> None:
        for value in (self.min_cover, self.min_reduction):
            if not 0.0 <= value <= 1.0:
                msg = (
                    f"pre-PED convention {self.name!r}: thresholds must lie in [0, 1], "
                    f"got {value!r}"
                )
                raise ScenarioError(msg)

    @property
    def text(self) -> str:
        """The convention in words, for the reason sentence."""
        return (
            f"convention {self.name}: renewable export >= {self.min_cover:.0%} of import, or "
            f"net import >= {self.min_reduction:.0%} below the baseline; a project "
            "convention, not a standard"
        )


#: The default pre-PED convention of SPARCS (domain review M3: project thresholds).
SPARCS_PRE_PED = PrePedConvention()


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
    pee_chp: float = 0.0
    ghg_balance_kg: float = float("nan")
    functional_plants: tuple[str, ...] = field(default_factory=tuple)
    pee_functional: float = 0.0

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


def _ghg(s: BalanceSummary, scope: str) -> tuple[bool, str]:
    """Whether net emissions are at most zero, and the words for it."""
    if math.isnan(s.ghg_balance_kg):
        return False, "GHG not checked"
    ok = s.ghg_balance_kg <= TOLERANCE * max(abs(s.ghg_balance_kg), 1.0)
    tonnes = s.ghg_balance_kg / 1000.0
    amount = f"{tonnes:+,.1f} t CO2-eq/a net{scope}"
    return ok, f"GHG net-zero ({amount})" if ok else f"GHG not net-zero ({amount})"


def _where(s: BalanceSummary, where: str) -> str:
    if where == "functional" and s.functional_plants:
        names = ", ".join(repr(n) for n in s.functional_plants)
        return (
            "functional boundary (with the named "
            f"plant{'s' if len(s.functional_plants) > 1 else ''} "
            f"{names}: {_kwh(s.pee_functional)} kWh_PE)"
        )
    return f"{where} boundary"


def _positive_reason(s: BalanceSummary, where: str, factors: str) -> tuple[PedClass, str]:
    head = (
        f"annual non-renewable primary-energy balance PEB = PEE - PEI = {_signed(s.peb)} "
        f"kWh_PE >= 0 inside the {_where(s, where)}{factors} (PEE {_kwh(s.pee)}, PEI "
        f"{_kwh(s.pei)}; margin {_kwh(max(s.peb, 0.0))} kWh_PE)"
    )
    if s.steps_net_import == 0:
        return "PEDautonomous", (
            f"{head}, and no carrier is imported net in any of the {s.n_steps} steps."
        )
    return "PEDdynamic", (
        f"{head}, but some carrier is imported net (physically) in {s.steps_net_import} of "
        f"{s.n_steps} steps ({s.hours_net_import:,.4g} h; {s.months_net_import} of "
        f"{s.n_months} months), so it is not autonomous."
    )


def _pre_ped_reason(
    s: BalanceSummary, virtual: bool, reduction: float | None, convention: PrePedConvention
) -> tuple[PedClass, str]:
    pee = s.pee + (s.pee_virtual if virtual else 0.0)
    balance = pee - s.pei
    # CHP export is netted out of the import and never counts toward the cover
    renewable, own = pee - s.pee_chp, s.pei - s.pee_chp
    cover = renewable / own if own > 0 else 0.0
    scope = " including the virtual assets" if virtual else ""
    chp = (
        f"; exported CHP output nets {_kwh(s.pee_chp)} kWh_PE of its fuel out of the "
        "import and is no surplus"
        if s.pee_chp > 0
        else ""
    )
    head = (
        f"annual non-renewable balance PEB = {_signed(balance)} kWh_PE < 0{scope} (PEE "
        f"{_kwh(pee)}, PEI {_kwh(s.pei)}; short of positive by {_kwh(-balance)} kWh_PE{chp})"
    )
    min_cover, min_reduction = convention.min_cover, convention.min_reduction
    reduction_ok = reduction is not None and reduction >= min_reduction
    red_text = (
        ""
        if reduction is None
        else f"net primary-energy import is {reduction:.1%} below the baseline's "
        f"(the convention needs {min_reduction:.0%})"
    )
    if cover >= min_cover:
        return "pre-PED", (
            f"{head}, but renewable export covers {cover:.1%} of import, at "
            f"least the {min_cover:.0%} of the convention (margin "
            f"{_kwh(renewable - min_cover * own)} kWh_PE)."
        )
    if reduction_ok:
        return "pre-PED", f"{head}, but {red_text}."
    gap = min_cover * own - renewable
    tail = f"; {red_text}" if red_text else ""
    return "not PED", (
        f"{head}; renewable export covers only {cover:.1%} of import, "
        f"{_kwh(gap)} kWh_PE short of the {min_cover:.0%} pre-PED "
        f"({convention.text}){tail}."
    )


def classify_ped(
    summary: BalanceSummary,
    *,
    boundary: str = "geographical",
    reduction: float | None = None,
    min_cover: float = PRE_PED_MIN_COVER,
    min_reduction: float = PRE_PED_MIN_REDUCTION,
    convention: PrePedConvention | None = None,
) -> PedVerdict:
    """Classify a district from its balance figures.

    Parameters
    ----------
    summary
        Balance figures (:func:`sparcs.kpi.verdict.balance_summary`) [kWh_PE].
    boundary
        ``"geographical"``, ``"functional"`` or ``"virtual"``.
    reduction
        Reduction of net primary-energy import against a baseline [-], or None.
    min_cover, min_reduction
        Pre-PED thresholds [-], used when no ``convention`` is given.
    convention
        The named pre-PED convention (default :data:`SPARCS_PRE_PED` with the thresholds).

    Returns
    -------
    PedVerdict
        The energy class, the GHG condition, a one-sentence reason with the margins, and both
        balances.

    References
    ----------
    *Energies* 15(12) 4491 (2022); JPI Urban Europe White Paper (2020); domain.md §2.2.
    """
    if boundary not in ("geographical", "functional", "virtual"):
        msg = f"boundary={boundary!r} is not one of geographical, functional, virtual"
        raise ScenarioError(msg)
    convention = convention or PrePedConvention(min_cover=min_cover, min_reduction=min_reduction)
    virtual = boundary == "virtual"
    factors = " with hourly factors" if summary.hourly_factors else ""
    where = "geographical" if virtual else boundary
    ped_class: PedClass
    if _non_negative(summary.peb, summary.pei, summary.pee):
        ped_class, detail = _positive_reason(summary, where, factors)
    elif virtual and _non_negative(
        summary.peb_virtual, summary.pei, summary.pee + summary.pee_virtual
    ):
        ped_class = "PEDvirtual"
        detail = (
            f"the annual balance inside the geographical boundary is "
            f"{_signed(summary.peb)} kWh_PE < 0{factors}, but counting the virtual assets' "
            f"output ({_kwh(summary.pee_virtual)} kWh_PE: electricity at the export factor, "
            f"heat delivered at the district-heat factor) as renewable export gives PEB = "
            f"{_signed(summary.peb_virtual)} "
            f"kWh_PE >= 0 (margin {_kwh(max(summary.peb_virtual, 0.0))} kWh_PE)."
        )
    else:
        ped_class, detail = _pre_ped_reason(summary, virtual, reduction, convention)
    scope = {
        "virtual": " incl. the virtual assets",
        "functional": " incl. the functional plants" if summary.functional_plants else "",
    }
    ghg_ok, ghg_text = _ghg(summary, scope.get(boundary, ""))
    label = f"pre-PED ({convention.text})" if ped_class == "pre-PED" else ped_class
    return PedVerdict(
        ped_class=ped_class,
        reason=f"{label} on energy; {ghg_text}: {detail}",
        balance_kwh_pe=summary.peb,
        virtual_balance_kwh_pe=summary.peb_virtual,
        ghg_net_zero=ghg_ok,
        ghg_balance_kg=summary.ghg_balance_kg,
        pre_ped_convention=convention.name,
    )
