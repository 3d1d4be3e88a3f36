"""Who pays and who gains: a plan's cash flows split between its actors.

Each measure (:class:`MeasureFlows`) has an investment with its replacements and residual
value, fixed O&M and an energy saving that grows with the energy prices. The scenario's
``[finance]`` table (:class:`~sparcs.scenario.finance.Finance`) says who owns it, how it is
financed and who pays the energy bill; :func:`actor_economics` turns that into yearly cash
flows per actor, with NPV, IRR, payback and the change of the energy bill, flags split
incentives and computes the sensitivity of the district's NPV (a tornado).

Rules (each a simplification, stated in the notes of the result):

* the grant goes to whoever pays the investment, in year 0 (replacements get none);
* ``own``: the owner pays everything; ``loan``: the owner pays ``own_capital_share`` of the
  investment after the grant and borrows the rest (annuity loan, the bank outside the
  district);
* ``epc``: an ESCO pays the investment (and gets the grant), O&M and replacements during
  the contract and is paid ``epc_savings_share`` of the savings by whoever saves; after it,
  the measure is the owner's;
* ``community_shares``: the owner (the energy community) raises the investment after the
  grant from members (the tenants) and pays it back as an annuity at ``member_return``;
* the saving goes to the bill payer, except for measures owned by the utility or the
  energy community, which sell what their measure makes: they keep the saving.

The district's cash flows are the measures' flows plus what comes from outside (grants and
loans): the actors' flows add up to them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sparcs.planning.actor_results import (
    ActorEconomics,
    FinanceResult,
    MeasureFlows,
    Sensitivity,
    SplitIncentive,
)
from sparcs.planning.finance import discounted_payback, irr, measure_cashflows, npv
from sparcs.planning.financing import (
    country_finance,
    epc_payments,
    escalated,
    loan_flows,
    share_flows,
)
from sparcs.scenario.finance import ACTORS, MeasureFinance

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sparcs.planning.result import MeasureEconomics
    from sparcs.scenario.finance import Finance

__all__ = [
    "ActorEconomics",
    "FinanceResult",
    "MeasureFlows",
    "Sensitivity",
    "SplitIncentive",
    "actor_economics",
    "measure_flows",
]

_SELLERS = ("utility", "energy_community")


def measure_flows(economics: Sequence[MeasureEconomics]) -> tuple[MeasureFlows, ...]:
    """The plan's measures with savings that add up to the plan's saving.

    Leave-one-out savings of the measures (:mod:`.economics`) need not add up to the
    plan's; they are scaled to it (by investment when none is known).
    """
    items = [e for e in economics if e.measure != "plan" and e.capex_eur > 0]
    plan = next((e for e in economics if e.measure == "plan"), None)
    total = plan.saving_eur if plan is not None else sum(e.saving_eur for e in items)
    weights = np.array([max(e.saving_eur, 0.0) for e in items])
    if not weights.sum() > 0:
        weights = np.array([e.capex_eur for e in items])
    shares = weights / weights.sum() if weights.sum() > 0 else weights
    out = []
    for e, share in zip(items, shares, strict=True):
        key = "retrofit" if e.measure.startswith("retrofit") else e.measure
        out.append(
            MeasureFlows(
                key,
                e.capex_eur,
                e.opex_eur,
                float(total * share),
                e.lifetime_years if math.isfinite(e.lifetime_years) else 20.0,
            )
        )
    return tuple(out)


@dataclass
class _Book:
    """Flows per actor and from outside (grants, loans), built up measure by measure."""

    horizon: int
    actors: dict[str, np.ndarray] = field(default_factory=dict)
    outside: np.ndarray = field(default_factory=lambda: np.zeros(0))
    bill: dict[str, float] = field(default_factory=dict)
    invests: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.actors = {a: np.zeros(self.horizon + 1) for a in ACTORS}
        self.outside = np.zeros(self.horizon + 1)
        self.bill = dict.fromkeys(ACTORS, 0.0)
        self.invests = dict.fromkeys(ACTORS, 0.0)

    def add(self, actor: str, flows: np.ndarray) -> None:
        self.actors[actor] += flows


@dataclass(frozen=True)
class _Terms:
    escalation: float
    loan_rate: float
    grants: dict[str, float]
    capex_scale: float = 1.0
    saving_scale: float = 1.0


def _book_measure(
    book: _Book, m: MeasureFlows, how: MeasureFinance, fin: Finance, terms: _Terms
) -> SplitIncentive | None:
    n = book.horizon
    capex = m.capex_eur * terms.capex_scale
    capital = measure_cashflows(capex, 0.0, lifetime_years=m.lifetime_years, horizon_years=n)
    capital[1:] -= m.opex_eur * terms.capex_scale
    saving = escalated(m.saving_eur * terms.saving_scale, fin.energy_price_escalation, n)
    share = how.grant_share if how.grant_share is not None else terms.grants.get(m.measure, 0.0)
    grant = share * capex
    gains = how.owner if how.owner in _SELLERS and how.financing != "epc" else fin.bill_payer
    book.add(gains, saving)
    book.bill[gains] -= saving[1] if gains == fin.bill_payer else 0.0
    book.outside[0] += grant
    payer = how.owner
    if how.financing == "epc":
        payer, years = "esco", min(fin.epc_years, n)
        during, after = capital.copy(), capital.copy()
        during[years + 1 :], after[: years + 1] = 0.0, 0.0
        book.add("esco", during)
        book.add(how.owner, after)
        pay = epc_payments(saving, fin.epc_savings_share, years)
        book.add("esco", pay)
        book.add(gains, -pay)
        if gains == fin.bill_payer:
            book.bill[gains] += pay[1]
    else:
        book.add(payer, capital)
    book.actors[payer][0] += grant
    book.invests[payer] += capex - grant
    net = capex - grant
    if how.financing == "loan":
        loan = loan_flows((1.0 - fin.own_capital_share) * net, terms.loan_rate, fin.loan_years, n)
        book.add(payer, loan)
        book.outside += loan
    elif how.financing == "community_shares":
        member = share_flows(net, fin.member_return, fin.member_years, n)
        book.add("tenants", member)
        book.add(payer, -member)
    if payer != gains and how.financing != "epc" and capex > 0:
        return SplitIncentive(m.measure, payer, gains, capex - grant, float(saving[1]))
    return None


def _book(
    measures: Sequence[MeasureFlows], fin: Finance, terms: _Terms, horizon: int
) -> tuple[_Book, list[SplitIncentive]]:
    book = _Book(horizon)
    splits = []
    for m in measures:
        how = next((f for k, f in fin.measures.items() if k == m.measure), MeasureFinance())
        split = _book_measure(book, m, how, fin, terms)
        if split is not None:
            splits.append(split)
    return book, splits


def _payback(flows: np.ndarray) -> float:
    return discounted_payback(flows, 0.0) if flows.any() else float("nan")


def _district_npv(
    measures: Sequence[MeasureFlows], fin: Finance, terms: _Terms, horizon: int, rate: float
) -> float:
    book, _ = _book(measures, fin, terms, horizon)
    return npv(np.sum(list(book.actors.values()), axis=0), rate)


def _tornado(
    measures: Sequence[MeasureFlows], fin: Finance, terms: _Terms, horizon: int, rate: float
) -> tuple[Sensitivity, ...]:
    """District NPV with energy prices and capex at -/+20 %, rates at -/+2 points."""

    def at(t: _Terms, r: float) -> float:
        return _district_npv(measures, fin, t, horizon, r)

    from dataclasses import replace

    lo_rate, hi_rate = max(rate - 0.02, 0.0), rate + 0.02
    lo_loan, hi_loan = max(terms.loan_rate - 0.02, 0.0), terms.loan_rate + 0.02
    return (
        Sensitivity(
            "energy price",
            "-20 %",
            "+20 %",
            at(replace(terms, saving_scale=0.8), rate),
            at(replace(terms, saving_scale=1.2), rate),
        ),
        Sensitivity(
            "investment",
            "-20 %",
            "+20 %",
            at(replace(terms, capex_scale=0.8), rate),
            at(replace(terms, capex_scale=1.2), rate),
        ),
        Sensitivity(
            "discount rate",
            f"{100 * lo_rate:g} %",
            f"{100 * hi_rate:g} %",
            at(terms, lo_rate),
            at(terms, hi_rate),
        ),
        Sensitivity(
            "interest rate",
            f"{100 * lo_loan:g} %",
            f"{100 * hi_loan:g} %",
            at(replace(terms, loan_rate=lo_loan), rate),
            at(replace(terms, loan_rate=hi_loan), rate),
        ),
    )


def actor_economics(
    measures: Sequence[MeasureFlows],
    fin: Finance,
    *,
    country: str,
    discount_rate: float,
    horizon_years: int,
) -> FinanceResult:
    """Cash flows, NPV, IRR, payback and bill change per actor; split incentives; tornado.

    Parameters
    ----------
    measures
        The plan's measures (:func:`measure_flows`).
    fin
        The scenario's ``[finance]`` table.
    country
        Country code for the default loan rate and grants (``data/finance.toml``).
    discount_rate
        The plan's discount rate [1/a]: the district's, and each actor's unless
        ``fin.discount_rates`` sets its own.
    horizon_years
        Analysis period [a].

    Returns
    -------
    FinanceResult
        Actors with any flow (in :data:`~sparcs.scenario.finance.ACTORS` order), the
        district's flows and NPV (the sum of the actors'), split incentives, sensitivities.
    """
    loan_rate, grants, _ = country_finance(country)
    terms = _Terms(
        fin.energy_price_escalation,
        fin.loan_rate if fin.loan_rate is not None else loan_rate,
        grants,
    )
    book, splits = _book(measures, fin, terms, horizon_years)
    actors = {}
    for name, flows in book.actors.items():
        if not np.any(np.abs(flows) > 1e-9):
            continue
        rate = next((r for a, r in fin.discount_rates.items() if a == name), discount_rate)
        actors[name] = ActorEconomics(
            name=name,
            cash_flows_eur=flows,
            discount_rate=rate,
            npv_eur=npv(flows, rate),
            irr=irr(flows),
            payback_years=_payback(flows),
            bill_change_eur=book.bill[name],
            invests_eur=book.invests[name],
        )
    district = sum(book.actors.values(), np.zeros(horizon_years + 1))
    notes = (
        f"finance: {country} defaults, loan rate {100 * terms.loan_rate:g} %/a over "
        f"{fin.loan_years} a, energy prices {100 * fin.energy_price_escalation:+g} %/a real; "
        "grants and loan rates: data/finance.toml [est]",
        "actors: the grant goes to the investor in year 0; savings go to the bill payer "
        "unless the utility or the energy community owns the measure (they sell its energy); "
        "rents and energy sales prices between actors are not modelled",
    )
    return FinanceResult(
        actors=actors,
        district_cash_flows_eur=district,
        district_npv_eur=npv(district, discount_rate),
        split_incentives=tuple(splits),
        sensitivity=_tornado(measures, fin, terms, horizon_years, discount_rate),
        notes=notes,
    )
