"""Financing instruments as yearly cash flows: loans, grants, EPCs, community shares.

Pure functions on the conventions of :mod:`.finance`: EUR in constant prices, rates as
fractions per year, year 0 the investment year, flows at the end of each year from year 1.
Each function gives the flows of the party named in its docstring; the other party's are
their negatives, so the flows of all parties add up to the project's.

References
----------
VDI 2067-1 (2012), annuity method; Short, Packey and Holt, NREL/TP-462-5173 (1995), §4;
EU Energy Efficiency Directive 2012/27/EU, art. 2(27) and annex XIII (energy performance
contracting, shared savings); Bauwens, Gotchev and Holstenkamp, *What drives the development of
community energy in Europe?*, Energy Research & Social Science 13 (2016) 136-147 (member shares).
"""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any

import numpy as np

from sparcs.data import data_path
from sparcs.planning.finance import annuity_factor

__all__ = ["country_finance", "epc_payments", "escalated", "loan_flows", "share_flows"]


def loan_flows(principal: float, rate: float, years: int, horizon_years: int) -> np.ndarray:
    """The borrower's flows of an annuity loan: the principal in, equal payments out [EUR].

    Parameters
    ----------
    principal
        Amount borrowed in year 0 [EUR].
    rate
        Interest rate [1/a].
    years
        Tenor [a]; payments in years 1..``years`` (cut at the horizon: the rest is due in
        the horizon's last year).
    horizon_years
        Analysis period N [a].

    Returns
    -------
    numpy.ndarray
        Shape (N + 1,): ``+principal`` in year 0, ``-principal * annuity_factor`` after [EUR].

    Examples
    --------
    >>> loan_flows(1000.0, 0.05, 2, 3).round(2).tolist()
    [1000.0, -537.8, -537.8, 0.0]
    """
    flows = np.zeros(horizon_years + 1)
    if principal <= 0:
        return flows
    payment = principal * annuity_factor(rate, years)
    flows[0] = principal
    paid = min(years, horizon_years)
    flows[1 : paid + 1] = -payment
    if years > horizon_years:  # what is still owed is repaid at the horizon's end
        left = principal * (1 + rate) ** horizon_years - payment * (
            ((1 + rate) ** horizon_years - 1) / rate if rate else horizon_years
        )
        flows[-1] -= left
    return flows


def share_flows(capital: float, rate: float, years: int, horizon_years: int) -> np.ndarray:
    """A member's flows of community shares: the capital out, an annuity back [EUR].

    Shares of ``capital`` are paid back with the member return ``rate`` as an annuity over
    ``years`` (the community's flows are the negatives): a loan from members.

    Examples
    --------
    >>> (share_flows(1000.0, 0.03, 2, 3).round(2) + 0.0).tolist()  # + 0.0: no -0.0
    [-1000.0, 522.61, 522.61, 0.0]
    """
    return -loan_flows(capital, rate, years, horizon_years)


def escalated(first_year: float, escalation: float, horizon_years: int) -> np.ndarray:
    """A yearly amount growing by ``escalation`` a year from year 1, year 0 empty [EUR].

    Examples
    --------
    >>> escalated(100.0, 0.1, 3).round(6).tolist()
    [0.0, 100.0, 110.0, 121.0]
    """
    flows = np.zeros(horizon_years + 1)
    flows[1:] = first_year * (1.0 + escalation) ** np.arange(horizon_years)
    return flows


def epc_payments(savings: np.ndarray, share: float, years: int) -> np.ndarray:
    """What the client pays the ESCO under a shared-savings energy performance contract [EUR].

    ``share`` of each year's savings for the contract's ``years``, nothing after (the
    measure then passes to the client's side).

    Examples
    --------
    >>> epc_payments(np.array([0.0, 100.0, 100.0, 100.0]), 0.8, 2).tolist()
    [0.0, 80.0, 80.0, 0.0]
    """
    pay = np.zeros_like(np.asarray(savings, float))
    pay[1 : years + 1] = share * np.asarray(savings, float)[1 : years + 1]
    return pay


@cache
def _data() -> dict[str, Any]:
    return tomllib.loads(data_path("finance.toml").read_text(encoding="utf-8"))


def country_finance(country: str) -> tuple[float, dict[str, float], dict[str, str]]:
    """Loan rate [1/a], grant share per measure [-] and their sources for ``country``.

    A country not in ``data/finance.toml`` gets the DE figures.
    """
    data = _data()
    code = country if country in data["loan_rate"] else "DE"
    grants = {m: float(v[code]) for m, v in data["grant_share"].items()}
    sources = {m: str(v["source"]) for m, v in data["grant_share"].items()}
    sources["loan_rate"] = str(data["meta"]["loan_rate_source"])
    return float(data["loan_rate"][code]), grants, sources
