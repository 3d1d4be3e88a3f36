"""Energy tips ranked by what they would bring this household, from its own readings.

Each tip estimates kWh a year from the household's hourly data (scaled from the window to a
year), so a household with a high night-time base load sees the stand-by tip first and one
with a PV surplus at noon sees the tip to run appliances then.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["BASE_LOAD_GOAL_KW", "Tip", "TipFigures", "rank_tips", "tip_figures"]

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


@dataclass(frozen=True)
class TipFigures:
    """What the tips of every household of a window are made from, one value per household.

    Attributes
    ----------
    hours
        Hours of the window.
    base_kw
        Night-time base load (10th percentile of 01:00-05:00) [kW].
    evening_kwh
        Consumption 17:00-21:00 [kWh].
    surplus_kwh
        Own production beyond own consumption [kWh].
    total_kwh
        Consumption [kWh].
    """

    hours: int
    base_kw: np.ndarray
    evening_kwh: np.ndarray
    surplus_kwh: np.ndarray
    total_kwh: np.ndarray

    def tips(self, col: int, similar_median_kwh: float | None = None) -> list[Tip]:
        """The ranked tips of household ``col`` (see :func:`rank_tips`)."""
        if self.hours == 0:
            return []
        per_year = 8760.0 / self.hours
        evening = float(self.evening_kwh[col])
        tips = [
            Tip("standby", max(float(self.base_kw[col]) - BASE_LOAD_GOAL_KW, 0.0) * 8760.0),
            Tip("evening", SHIFTABLE * evening * per_year),
            Tip("solar_noon", min(float(self.surplus_kwh[col]), evening) * per_year),
        ]
        if similar_median_kwh is not None:
            above = float(self.total_kwh[col]) - similar_median_kwh
            tips.append(Tip("above_similar", max(above, 0.0) * per_year))
        useful = [t for t in tips if t.kwh_per_year >= 1.0]
        return sorted(useful, key=lambda t: -t.kwh_per_year)


def tip_figures(
    local_time: pd.DatetimeIndex, demand_kwh: np.ndarray, pv_kwh: np.ndarray
) -> TipFigures:
    """:class:`TipFigures` of every household at once.

    Parameters
    ----------
    local_time
        Hour starts on the local clock, shape (hours,).
    demand_kwh, pv_kwh
        Hourly consumption and own production [kWh], shape (hours, households).

    Returns
    -------
    TipFigures
        One value per household.
    """
    households = demand_kwh.shape[1]
    hour = np.asarray(local_time.hour)
    night = (hour >= 1) & (hour < 5)
    base = np.percentile(demand_kwh[night], 10, axis=0) if night.any() else np.zeros(households)
    evening = (hour >= 17) & (hour < 21)
    return TipFigures(
        hours=len(demand_kwh),
        base_kw=np.asarray(base, dtype=float),
        evening_kwh=demand_kwh[evening].sum(axis=0),
        surplus_kwh=np.maximum(pv_kwh - demand_kwh, 0.0).sum(axis=0),
        total_kwh=demand_kwh.sum(axis=0),
    )


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
    figures = tip_figures(local_time, demand_kwh[:, None], pv_kwh[:, None])
    return figures.tips(0, similar_median_kwh)
