"""Typed results of the actors' economics: cash flows per measure and per actor, split incentives,
the sensitivity (tornado) of the district NPV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    pass


__all__ = ["MeasureFlows", "ActorEconomics", "SplitIncentive", "Sensitivity", "FinanceResult"]


@dataclass(frozen=True)
class MeasureFlows:
    """A measure's money before financing.

    Attributes
    ----------
    measure
        Key of ``[finance.measures]``: ``pv``, ``battery``, ``heat_pump``,
        ``thermal_storage``, ``ev_chargers`` or ``retrofit``.
    capex_eur, opex_eur, saving_eur
        Investment [EUR], fixed O&M [EUR/a] and energy cost saved in year 1 [EUR/a].
    lifetime_years
        Technical lifetime [a].
    """

    measure: str
    capex_eur: float
    opex_eur: float
    saving_eur: float
    lifetime_years: float


@dataclass(frozen=True)
class ActorEconomics:
    """One actor's cash flows and their appraisal.

    Attributes
    ----------
    name
        One of :data:`~sparcs.scenario.finance.ACTORS`.
    cash_flows_eur
        Yearly cash flows, year 0 first, (N + 1,) [EUR].
    discount_rate
        The actor's rate [1/a].
    npv_eur, irr, payback_years
        NPV at that rate [EUR], internal rate of return [1/a] (NaN without a sign change)
        and the year the cumulative flows turn non-negative [a] (NaN: never; 0: never
        negative).
    bill_change_eur
        Change of the actor's energy bill in year 1 (negative: lower), EPC payments
        included [EUR/a].
    invests_eur
        Investments paid in year 0, after grants and before loans [EUR].
    """

    name: str
    cash_flows_eur: np.ndarray
    discount_rate: float
    npv_eur: float
    irr: float
    payback_years: float
    bill_change_eur: float
    invests_eur: float

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""

        def num(v: float) -> float | None:
            return float(v) if math.isfinite(v) else None

        return {
            "npv_eur": num(self.npv_eur),
            "irr": num(self.irr),
            "payback_years": num(self.payback_years),
            "cash_flows_eur": [round(float(v), 2) for v in self.cash_flows_eur],
            "discount_rate": self.discount_rate,
            "bill_change_eur_per_year": num(self.bill_change_eur),
            "invests_eur": num(self.invests_eur),
        }


@dataclass(frozen=True)
class SplitIncentive:
    """An actor paying for a measure whose saving another actor gets."""

    measure: str
    payer: str
    beneficiary: str
    paid_eur: float
    saving_eur: float

    def describe(self) -> str:
        """In words, e.g. ``"retrofit: building_owner pays 1,200,000 EUR, tenants save ..."``."""
        return (
            f"{self.measure}: {self.payer} pays {self.paid_eur:,.0f} EUR, {self.beneficiary} "
            f"save(s) {self.saving_eur:,.0f} EUR/a of it"
        )


@dataclass(frozen=True)
class Sensitivity:
    """The district's NPV with one input lowered and raised (a bar of the tornado)."""

    name: str
    low_label: str
    high_label: str
    npv_low_eur: float
    npv_high_eur: float


@dataclass(frozen=True)
class FinanceResult:
    """Cash flows per actor and of the district, split incentives and sensitivities."""

    actors: dict[str, ActorEconomics]
    district_cash_flows_eur: np.ndarray
    district_npv_eur: float
    split_incentives: tuple[SplitIncentive, ...] = ()
    sensitivity: tuple[Sensitivity, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return {
            "actors": {k: a.as_dict() for k, a in self.actors.items()},
            "district_cash_flows_eur": [round(float(v), 2) for v in self.district_cash_flows_eur],
            "district_npv_eur": float(self.district_npv_eur),
            "split_incentives": [
                {**s.__dict__, "text": s.describe()} for s in self.split_incentives
            ],
            "sensitivity": [s.__dict__ for s in self.sensitivity],
            "notes": list(self.notes),
        }
