"""Investment appraisal: annuity, NPV, IRR, paybacks, LCOE and LCOH as pure functions.

Conventions: money in EUR (constant prices), rates as fractions per year (0.05 = 5 %/a),
cash flows indexed by year with year 0 the investment year (flows at the end of each year
from year 1 on, as in VDI 2067-1 and numpy-financial).

References
----------
VDI 2067 Blatt 1 (2012), *Economic efficiency of building installations*: annuity method,
replacement investments and residual value.
Short, Packey and Holt, *A Manual for the Economic Evaluation of Energy Efficiency and
Renewable Energy Technologies*, NREL/TP-462-5173 (1995): NPV, IRR, simple and discounted
payback, levelised cost of energy.
numpy-financial (``npv``, ``irr``): the reference values the tests use.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.optimize import brentq

__all__ = [
    "annuity_factor",
    "discounted_payback",
    "irr",
    "lcoe",
    "lcoh",
    "measure_cashflows",
    "npv",
    "present_value_factor",
    "simple_payback",
]

#: Bracket searched for an internal rate of return [-/a].
IRR_BRACKET = (-0.99, 10.0)


def annuity_factor(rate: float, years: float) -> float:
    """Capital recovery factor: the annual payment that repays 1 EUR over ``years``.

    Parameters
    ----------
    rate
        Discount rate [1/a]; 0 gives straight-line ``1 / years``.
    years
        Lifetime or loan period [a], positive.

    Returns
    -------
    float
        :math:`a = \\frac{r (1+r)^n}{(1+r)^n - 1}` [1/a].

    Raises
    ------
    ValueError
        When ``years`` is not positive or ``rate`` is not above -1.

    References
    ----------
    VDI 2067-1 (2012), eq. (5); Short et al. (1995), "capital recovery factor".

    Examples
    --------
    >>> round(annuity_factor(0.05, 20), 6)
    0.080243
    """
    if not years > 0:
        msg = f"years must be positive, got {years}"
        raise ValueError(msg)
    if not rate > -1:
        msg = f"rate must be above -1, got {rate}"
        raise ValueError(msg)
    if rate == 0:
        return 1.0 / years
    # expm1/log1p keep full precision for rates near zero, where (1 + r)^n - 1 cancels
    return rate / -math.expm1(-years * math.log1p(rate))


def present_value_factor(rate: float, years: float) -> float:
    """Present value of 1 EUR a year for ``years`` years: ``1 / annuity_factor`` [a]."""
    return 1.0 / annuity_factor(rate, years)


def npv(cashflows: Sequence[float] | np.ndarray, rate: float) -> float:
    """Net present value of yearly cash flows, the first at year 0 [EUR].

    Parameters
    ----------
    cashflows
        Cash flow of each year, year 0 first (investment negative) [EUR].
    rate
        Discount rate [1/a], above -1.

    Returns
    -------
    float
        :math:`NPV = \\sum_{t=0}^{N} CF_t / (1+r)^t` [EUR].

    References
    ----------
    Short et al. (1995), §4.1; numpy-financial ``npv`` (same convention).

    Examples
    --------
    >>> round(npv([-100, 39, 59, 55, 20], 0.281), 6)
    -0.008479
    """
    flows = np.asarray(cashflows, dtype=float)
    years = np.arange(flows.size)
    return float(np.sum(flows / (1.0 + rate) ** years))


def irr(cashflows: Sequence[float] | np.ndarray) -> float:
    """Internal rate of return: the rate at which the NPV of ``cashflows`` is zero [1/a].

    Parameters
    ----------
    cashflows
        Cash flow of each year, year 0 first [EUR].

    Returns
    -------
    float
        The root of :func:`npv` in ``IRR_BRACKET`` closest to zero when several exist;
        NaN when the cash flows never change sign or no root lies in the bracket.

    Notes
    -----
    The NPV is scanned on a grid of rates and every sign change is refined with Brent's
    method, so non-conventional cash flows (several sign changes) give a defined answer
    instead of a failed Newton iteration.

    References
    ----------
    Short et al. (1995), §4.5; numpy-financial ``irr`` (reference values in the tests).

    Examples
    --------
    >>> round(irr([-100, 39, 59, 55, 20]), 6)
    0.280948
    >>> irr([100, 50, 20])
    nan
    """
    flows = np.asarray(cashflows, dtype=float)
    signs = np.sign(flows[flows != 0])
    if signs.size < 2 or np.all(signs == signs[0]):
        return float("nan")
    low, high = IRR_BRACKET
    grid = np.concatenate([np.linspace(low, 1.0, 400), np.geomspace(1.0, high, 60)[1:]])
    values = np.array([npv(flows, r) for r in grid])
    roots = []
    for k in np.flatnonzero(np.sign(values[:-1]) * np.sign(values[1:]) <= 0):
        a, b = grid[k], grid[k + 1]
        if values[k] == 0:
            roots.append(a)
            continue
        roots.append(brentq(lambda r: npv(flows, r), a, b, xtol=1e-12, rtol=1e-12))
    if not roots:
        return float("nan")
    return float(min(roots, key=abs))


def simple_payback(capex: float, annual_net_saving: float) -> float:
    """Years until undiscounted net savings repay the investment [a].

    Returns ``inf`` when the saving is not positive (the investment never pays back).

    References
    ----------
    Short et al. (1995), §4.7 (simple payback period).

    Examples
    --------
    >>> simple_payback(1000.0, 125.0)
    8.0
    """
    if annual_net_saving <= 0:
        return math.inf
    return max(capex, 0.0) / annual_net_saving


def discounted_payback(cashflows: Sequence[float] | np.ndarray, rate: float) -> float:
    """Years until the cumulated discounted cash flows turn non-negative [a].

    The crossing inside a year is interpolated linearly; ``inf`` when it never happens
    within the cash flows given, 0 when the first cash flow is already non-negative.

    References
    ----------
    Short et al. (1995), §4.7 (discounted payback period).

    Examples
    --------
    >>> round(discounted_payback([-100, 60, 60], 0.0), 6)
    1.666667
    """
    flows = np.asarray(cashflows, dtype=float)
    cumulated = np.cumsum(flows / (1.0 + rate) ** np.arange(flows.size))
    if cumulated[0] >= 0:
        return 0.0
    after = np.flatnonzero(cumulated >= 0)
    if not after.size:
        return math.inf
    k = int(after[0])
    before, now = cumulated[k - 1], cumulated[k]
    return float(k - 1 + (-before) / (now - before))


def lcoe(
    capex: float, annual_opex: float, annual_energy_kwh: float, rate: float, years: float
) -> float:
    """Levelised cost of electricity [EUR/kWh].

    Parameters
    ----------
    capex
        Investment [EUR].
    annual_opex
        Operating cost per year (fixed and variable) [EUR/a].
    annual_energy_kwh
        Electricity generated per year [kWh/a].
    rate
        Discount rate [1/a].
    years
        Lifetime [a].

    Returns
    -------
    float
        :math:`LCOE = (a \\cdot CAPEX + OPEX) / E`; NaN without energy.

    References
    ----------
    Short et al. (1995), §4.8; Fraunhofer ISE, *Levelized Cost of Electricity – Renewable
    Energy Technologies* (2024), annuity form for constant yearly energy.

    Examples
    --------
    >>> round(lcoe(1000.0, 15.0, 1000.0, 0.05, 25), 4)
    0.086
    """
    if annual_energy_kwh <= 0:
        return float("nan")
    return (capex * annuity_factor(rate, years) + annual_opex) / annual_energy_kwh


def lcoh(
    capex: float,
    annual_opex: float,
    annual_heat_kwh: float,
    rate: float,
    years: float,
    *,
    annual_energy_cost: float = 0.0,
) -> float:
    """Levelised cost of heat [EUR/kWh_th].

    Parameters
    ----------
    capex
        Investment [EUR].
    annual_opex
        Fixed and variable operating cost per year [EUR/a].
    annual_heat_kwh
        Useful heat delivered per year [kWh/a].
    rate
        Discount rate [1/a].
    years
        Lifetime [a].
    annual_energy_cost
        Cost of the energy driving the plant (electricity of a heat pump, fuel) [EUR/a].

    Returns
    -------
    float
        :math:`LCOH = (a \\cdot CAPEX + OPEX + C_{energy}) / Q`; NaN without heat.

    References
    ----------
    Danish Energy Agency, *Technology Data for Individual Heating Plants* (2024), method
    notes; Short et al. (1995), §4.8 (same annuity form as the LCOE).

    Examples
    --------
    >>> round(lcoh(10000.0, 100.0, 20000.0, 0.0, 20, annual_energy_cost=1000.0), 4)
    0.08
    """
    if annual_heat_kwh <= 0:
        return float("nan")
    annual = capex * annuity_factor(rate, years) + annual_opex + annual_energy_cost
    return annual / annual_heat_kwh


def measure_cashflows(
    capex: float, annual_net_saving: float, *, lifetime_years: float, horizon_years: int
) -> np.ndarray:
    """Yearly cash flows of a measure over an analysis horizon [EUR].

    Year 0 holds the investment (``-capex``); years 1..N the net saving (energy cost saved
    minus fixed OPEX). A measure whose life ends inside the horizon is bought again at the
    same price in the year it ends (constant prices); the life left at the horizon's end is
    credited as a linear residual value in year N.

    Parameters
    ----------
    capex
        Investment [EUR].
    annual_net_saving
        Energy cost saved minus operating cost, per year [EUR/a].
    lifetime_years
        Technical lifetime [a], positive.
    horizon_years
        Analysis period N [a], positive.

    Returns
    -------
    numpy.ndarray
        Shape (N + 1,) [EUR].

    References
    ----------
    VDI 2067-1 (2012), §8: replacement investments and residual value.

    Examples
    --------
    >>> measure_cashflows(100.0, 30.0, lifetime_years=2, horizon_years=3).tolist()
    [-100.0, 30.0, -70.0, 80.0]
    """
    if not lifetime_years > 0 or horizon_years < 1:
        msg = (
            f"lifetime_years ({lifetime_years}) and horizon_years ({horizon_years}) must be "
            "positive"
        )
        raise ValueError(msg)
    flows = np.full(horizon_years + 1, float(annual_net_saving))
    flows[0] = -capex
    renewals = np.arange(lifetime_years, horizon_years, lifetime_years)
    renew_years = np.floor(renewals + 1e-9).astype(int)
    np.subtract.at(flows, renew_years[renew_years < horizon_years], capex)
    age_at_end = horizon_years - (renew_years[-1] if renew_years.size else 0)
    residual = capex * max(0.0, 1.0 - age_at_end / lifetime_years)
    flows[-1] += residual
    return flows
