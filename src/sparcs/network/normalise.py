"""Normalised KPIs: per m2 of floor area, per resident, and climate-corrected by degree days."""

from __future__ import annotations

import math

__all__ = ["climate_corrected", "per_unit"]


def per_unit(value: float, amount: float) -> float:
    """``value / amount``, NaN when the amount is not positive (e.g. no residents given).

    Parameters
    ----------
    value
        The quantity, e.g. final energy [kWh/a].
    amount
        The denominator: floor area [m2] or residents [-].

    Returns
    -------
    float
        The quantity per unit of ``amount``; NaN for an amount of 0 or less.

    >>> per_unit(1000.0, 50.0), math.isnan(per_unit(1000.0, 0.0))
    (20.0, True)
    """
    return value / amount if amount > 0 else math.nan


def climate_corrected(energy: float, heating_share: float, hdd: float, hdd_ref: float) -> float:
    """Energy with its weather-dependent share scaled from the site's climate to a reference.

    ``E_corr = E (1 - s) + E s HDD_ref / HDD``: only the heating share ``s`` follows the
    climate (the weather correction of VDI 3807-1, with degree days G20/15).

    Parameters
    ----------
    energy
        Annual energy of the district [kWh/a] (or per m2 [kWh/(m2 a)]).
    heating_share
        Share of the energy that is space heating, 0..1 [-].
    hdd
        Degree days of the district's weather year [K d].
    hdd_ref
        Degree days of the reference climate [K d].

    Returns
    -------
    float
        The energy as it would be in the reference climate, same unit as ``energy``;
        ``energy`` unchanged where the site has no heating degree days.

    >>> climate_corrected(100.0, 0.5, 4000.0, 2000.0)
    75.0
    """
    if hdd <= 0:
        return energy
    return energy * (1.0 - heating_share) + energy * heating_share * hdd_ref / hdd
