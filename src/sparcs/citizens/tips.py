"""Energy tips ranked by what they would bring this household, from its own readings.

Each tip estimates kWh a year from the household's hourly data (scaled from the window to a
year), so a household with a high night-time base load sees the stand-by tip first and one
with a PV surplus at noon sees the tip to run appliances then.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["BASE_LOAD_GOAL_KW", "Tip", "rank_tips"]

#: Night-time base load a household can reach by switching off stand-by [kW].
BASE_LOAD_GOAL_KW = 0.05
#: Part of the evening peak a household can move to other hours [-].
SHIFTABLE = 0.3


@dataclass(frozen=True)
class Tip:
    """A tip and what it would bring.

    Attributes
    ----------
    key
        ``standby``, ``evening``, ``solar_noon`` or ``above_similar``.
    kwh_per_year
        Energy saved or moved per year [kWh/a].
    """

    key: str
    kwh_per_year: float


def rank_tips(
    local_time: pd.DatetimeIndex,
    demand_kwh: np.ndarray,
    pv_kwh: np.ndarray,
    similar_median_kwh: float | None = None,
) -> list[Tip]:
    """Tips for one household, the most useful first (those worth nothing left out).

    Parameters
    ----------
    local_time
        Hour starts on the local clock, shape (hours,).
    demand_kwh, pv_kwh
        The household's hourly consumption and own production [kWh].
    similar_median_kwh
        Median consumption of similar households over the same hours [kWh], or None.

    Returns
    -------
    list of Tip
        Ranked by ``kwh_per_year``, largest first.

    Examples
    --------
    >>> hours = pd.date_range("2025-01-01", periods=48, freq="h")
    >>> demand = np.where(hours.hour >= 17, 1.0, 0.3)
    >>> [t.key for t in rank_tips(hours, demand, np.zeros(48))]
    ['standby', 'evening']
    """
    hours = len(demand_kwh)
    if hours == 0:
        return []
    per_year = 8760.0 / hours
    night = (local_time.hour >= 1) & (local_time.hour < 5)
    base_kw = float(np.percentile(demand_kwh[night], 10)) if night.any() else 0.0
    evening = (local_time.hour >= 17) & (local_time.hour < 21)
    surplus = np.maximum(pv_kwh - demand_kwh, 0.0).sum()
    tips = [
        Tip("standby", max(base_kw - BASE_LOAD_GOAL_KW, 0.0) * 8760.0),
        Tip("evening", SHIFTABLE * float(demand_kwh[evening].sum()) * per_year),
        Tip("solar_noon", min(surplus, float(demand_kwh[evening].sum())) * per_year),
    ]
    if similar_median_kwh is not None:
        above = float(demand_kwh.sum()) - similar_median_kwh
        tips.append(Tip("above_similar", max(above, 0.0) * per_year))
    useful = [t for t in tips if t.kwh_per_year >= 1.0]
    return sorted(useful, key=lambda t: -t.kwh_per_year)
