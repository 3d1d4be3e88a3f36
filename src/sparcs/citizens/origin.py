"""Where my electricity came from, and my share of the district's balance.

Per hour, a household first uses its own PV; what is left of its PV is shared in the
district's energy community and what it still needs is covered by the community's surplus
(settled by :func:`sparcs.community.settle` with the proportional key, Austria's dynamic
key) and then by the grid. The district's balance is the production minus the consumption of
its metered households.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sparcs.citizens.privacy import K_MIN
from sparcs.citizens.usage import HouseholdSeries
from sparcs.community import Readings, Settlement, settle

__all__ = [
    "Balance",
    "Origin",
    "Origins",
    "community_settlement",
    "district_origins",
    "origin",
]


@dataclass(frozen=True)
class Origin:
    """Where one household's electricity came from in a window [kWh].

    Attributes
    ----------
    own_pv_kwh, community_kwh, grid_kwh
        Own PV used at home, community energy allocated, grid import.
    """

    own_pv_kwh: float
    community_kwh: float
    grid_kwh: float

    @property
    def total_kwh(self) -> float:
        """Consumption [kWh]."""
        return self.own_pv_kwh + self.community_kwh + self.grid_kwh

    def shares_pct(self) -> tuple[float, float, float]:
        """Own PV, community and grid as percentages of the consumption [%]."""
        total = self.total_kwh
        if total <= 0:
            return (0.0, 0.0, 0.0)
        scale = 100.0 / total
        return (self.own_pv_kwh * scale, self.community_kwh * scale, self.grid_kwh * scale)


@dataclass(frozen=True)
class Balance:
    """A household's part of the district's balance in a window [kWh].

    Attributes
    ----------
    consumption_kwh, production_kwh
        The household's.
    district_consumption_kwh, district_production_kwh
        The district's households' (None under 5 households).
    """

    consumption_kwh: float
    production_kwh: float
    district_consumption_kwh: float | None
    district_production_kwh: float | None

    @property
    def net_kwh(self) -> float:
        """Production minus consumption of the household [kWh]."""
        return self.production_kwh - self.consumption_kwh

    @property
    def district_net_kwh(self) -> float | None:
        """Production minus consumption of the district's households [kWh]."""
        if self.district_consumption_kwh is None or self.district_production_kwh is None:
            return None
        return self.district_production_kwh - self.district_consumption_kwh

    @property
    def consumption_share_pct(self) -> float | None:
        """The household's share of the district's consumption [%]."""
        total = self.district_consumption_kwh
        return None if not total else 100.0 * self.consumption_kwh / total


def _offsets_min(time: pd.DatetimeIndex, timezone: str) -> np.ndarray:
    """Local clock minus UTC at each instant [min]."""
    local = time.tz_convert(timezone).tz_localize(None)
    offsets: np.ndarray = ((local - time.tz_localize(None)) // pd.Timedelta(minutes=1)).to_numpy()
    return offsets.astype(np.int64)


def community_settlement(
    series: HouseholdSeries, rows: np.ndarray, timezone: str = "UTC"
) -> Settlement:
    """Settle the PV surplus of the district's households over their residual needs.

    Parameters
    ----------
    series
        The district's hourly household data.
    rows
        Boolean mask of the hours to settle.
    timezone
        IANA zone of the local calendar (the months of the statements).

    Returns
    -------
    Settlement
        Members = households; consumption = need after own PV, production = PV surplus.
    """
    demand, pv = series.demand_kwh[rows], series.pv_kwh[rows]
    own = np.minimum(demand, pv)
    time = pd.DatetimeIndex(series.time[rows], name="time")
    readings = Readings(
        time=time,
        members=series.households,
        consumption_kwh=demand - own,
        production_kwh=pv - own,
        utc_offset_min=_offsets_min(time, timezone),
        source=f"district {series.district}",
    )
    return settle(readings, "proportional")


@dataclass(frozen=True)
class Origins:
    """Origin and balance of every household of a district in a window, one value per
    household in the series' column order [kWh].

    Attributes
    ----------
    own_pv_kwh, community_kwh, grid_kwh
        Own PV used at home, community energy allocated, grid import.
    consumption_kwh, production_kwh
        The households'.
    district_consumption_kwh, district_production_kwh
        All the district's households' (None under 5 households).
    """

    own_pv_kwh: np.ndarray
    community_kwh: np.ndarray
    grid_kwh: np.ndarray
    consumption_kwh: np.ndarray
    production_kwh: np.ndarray
    district_consumption_kwh: float | None
    district_production_kwh: float | None

    def of(self, col: int) -> tuple[Origin, Balance]:
        """Household ``col``'s :class:`Origin` and :class:`Balance`."""
        balance = Balance(
            consumption_kwh=float(self.consumption_kwh[col]),
            production_kwh=float(self.production_kwh[col]),
            district_consumption_kwh=self.district_consumption_kwh,
            district_production_kwh=self.district_production_kwh,
        )
        where = Origin(
            float(self.own_pv_kwh[col]), float(self.community_kwh[col]), float(self.grid_kwh[col])
        )
        return where, balance


def district_origins(
    series: HouseholdSeries, rows: np.ndarray, settled: Settlement | None = None
) -> Origins:
    """Own PV, community and grid of every household, and the district's balance, at once.

    Parameters
    ----------
    series
        The district's hourly household data.
    rows
        Boolean mask of the hours of the window (at least two hours).
    settled
        :func:`community_settlement` of the same rows; settled here when None.

    Returns
    -------
    Origins
        One value per household; the district's sums suppressed under 5 households.
    """
    demand, pv = series.demand_kwh[rows], series.pv_kwh[rows]
    own = np.minimum(demand, pv)
    if settled is None:
        settled = community_settlement(series, rows)
    community = settled.allocated_kwh.sum(axis=0)
    grid = (demand - own).sum(axis=0) - community
    consumption, production = demand.sum(axis=0), pv.sum(axis=0)
    enough = len(series.households) >= K_MIN
    return Origins(
        own_pv_kwh=own.sum(axis=0),
        community_kwh=community,
        grid_kwh=np.maximum(grid, 0.0),
        consumption_kwh=consumption,
        production_kwh=production,
        district_consumption_kwh=float(consumption.sum()) if enough else None,
        district_production_kwh=float(production.sum()) if enough else None,
    )


def origin(
    series: HouseholdSeries,
    household: str,
    rows: np.ndarray,
    settled: Settlement | None = None,
) -> tuple[Origin, Balance]:
    """Own PV, community and grid for ``household``, and its part of the district balance.

    Parameters
    ----------
    series
        The district's hourly household data.
    household
        The household (must have readings).
    rows
        Boolean mask of the hours of the window (at least two hours).
    settled
        :func:`community_settlement` of the same rows, when the caller keeps it for all
        households; settled here otherwise.

    Returns
    -------
    tuple of (Origin, Balance)
        The split of its consumption and its balance beside the district's.
    """
    return district_origins(series, rows, settled).of(series.column(household))
