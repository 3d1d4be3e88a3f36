"""The ``[finance]`` table of a scenario: who owns, pays for and gains from each measure.

Actors are the building owner, the tenants, the utility, an ESCO, the energy community and
the city. Each measure of a plan has an owner who invests in it and a way it is financed;
the energy bill is paid by one actor (``bill_payer``). Unset figures come from the country
defaults of ``data/finance.toml`` (grants, loan rates, with their sources)::

    [finance]
    bill_payer = "tenants"
    energy_price_escalation = 0.02     # real, per year
    [finance.measures.pv]
    owner = "energy_community"
    financing = "community_shares"
    [finance.measures.retrofit]
    owner = "building_owner"
    financing = "epc"
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from sparcs.scenario._fields import STRICT, between

__all__ = ["ACTORS", "FINANCE_MEASURES", "Actor", "Finance", "Financing", "MeasureFinance"]

Actor = Literal["building_owner", "tenants", "utility", "esco", "energy_community", "city"]
#: Actors of a plan's finance, in report order.
ACTORS: tuple[str, ...] = (
    "building_owner",
    "tenants",
    "utility",
    "esco",
    "energy_community",
    "city",
)
Financing = Literal["own", "loan", "epc", "community_shares"]
#: Measures whose owner and financing a scenario sets (retrofit covers every package).
FINANCE_MEASURES: tuple[str, ...] = (
    "pv",
    "battery",
    "heat_pump",
    "thermal_storage",
    "ev_chargers",
    "retrofit",
)


class MeasureFinance(BaseModel):
    """Who owns a measure and how its investment is paid."""

    model_config = STRICT
    owner: Actor = Field("building_owner", description="actor who invests in and owns it")
    financing: Financing = Field(
        "loan",
        description="own: own capital; loan: own share plus a loan; epc: an ESCO "
        "invests and is paid a share of the savings; community_shares: members buy shares "
        "and are paid back with a return",
    )
    grant_share: Annotated[float, between(0, 1)] | None = Field(
        None,
        description="grant or subsidy, share of the investment [-]; unset = the "
        "country's default (data/finance.toml)",
    )


MeasureName = Literal["pv", "battery", "heat_pump", "thermal_storage", "ev_chargers", "retrofit"]


def _measures() -> dict[MeasureName, MeasureFinance]:
    return {}


class Finance(BaseModel):
    """Actors, financing and energy prices of a plan's economics (``[finance]``)."""

    model_config = STRICT
    bill_payer: Actor = Field("tenants", description="actor who pays the energy bill")
    energy_price_escalation: Annotated[float, between(-0.1, 0.2)] = Field(
        0.0, description="real yearly change of energy prices [1/a], e.g. 0.02"
    )
    own_capital_share: Annotated[float, between(0, 1)] = Field(
        0.2,
        description="share of the investment (after grants) paid from own capital "
        "under loan financing [-]",
    )
    loan_rate: Annotated[float, between(0, 0.5)] | None = Field(
        None, description="interest rate of loans [1/a]; unset = the country's default"
    )
    loan_years: int = Field(15, ge=1, le=40, description="loan tenor [a]")
    epc_savings_share: Annotated[float, between(0, 1)] = Field(
        0.8,
        description="share of the savings the ESCO is paid under an energy "
        "performance contract [-]",
    )
    epc_years: int = Field(10, ge=1, le=30, description="contract period of an EPC [a]")
    member_return: Annotated[float, between(0, 0.3)] = Field(
        0.03, description="return paid to members on community shares [1/a]"
    )
    member_years: int = Field(
        20, ge=1, le=40, description="years over which community shares are paid back [a]"
    )
    discount_rates: dict[Actor, Annotated[float, between(0, 0.3)]] = Field(
        default_factory=dict, description="discount rate per actor [1/a]; unset = the plan's"
    )
    measures: dict[MeasureName, MeasureFinance] = Field(
        default_factory=_measures,
        description="owner and financing per measure; unset = the building owner with a loan",
    )
