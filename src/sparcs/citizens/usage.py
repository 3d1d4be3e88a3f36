"""The hourly electricity of a district's households, from their meters in the store.

A household's meters are those placed in it (``meter_scopes.household_id``); a meter of
quantity ``electricity_demand_kwh`` counts as consumption, ``pv_kwh`` as its own production.
Readings are summed to hours, so 15-minute and hourly meters mix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sparcs.store.store import Store

__all__ = ["CONSUMPTION", "PRODUCTION", "HouseholdSeries", "district_series"]

#: Meter quantities that count as a household's consumption and production.
CONSUMPTION = "electricity_demand_kwh"
PRODUCTION = "pv_kwh"


@dataclass(frozen=True)
class HouseholdSeries:
    """Consumption and own production of every metered household of a district, per hour.

    Attributes
    ----------
    district
        District id.
    time
        Hour starts, UTC, every hour from the first to the last reading.
    households
        Household ids with at least one reading, in id order (the columns).
    demand_kwh
        Consumption, shape (hours, households) [kWh]; an hour without a reading is 0.
    pv_kwh
        Own production, same shape [kWh].
    """

    district: str
    time: pd.DatetimeIndex
    households: tuple[str, ...]
    demand_kwh: np.ndarray
    pv_kwh: np.ndarray

    def column(self, household: str) -> int:
        """Column of ``household`` (raises KeyError when it has no readings)."""
        return self.households.index(household)

    @property
    def empty(self) -> bool:
        """True when no household of the district has a reading."""
        return not self.households


def district_series(store: Store, district: str) -> HouseholdSeries:
    """The hourly consumption and production of the metered households of ``district``.

    Parameters
    ----------
    store
        The open store.
    district
        District id.

    Returns
    -------
    HouseholdSeries
        One column per household with readings [kWh per hour].
    """
    rows = store.backend.frame(
        """SELECT s.household_id AS household, m.quantity AS quantity,
                  date_trunc('hour', r.time) AS hour, sum(r.value) AS kwh
           FROM readings r JOIN meters m ON m.code = r.meter
                JOIN meter_scopes s ON s.meter_id = m.id
           WHERE s.district_id = ? AND s.household_id IS NOT NULL AND m.quantity IN (?, ?)
           GROUP BY 1, 2, 3""",
        (district, CONSUMPTION, PRODUCTION),
    )
    if rows.empty:
        empty = np.zeros((0, 0))
        return HouseholdSeries(district, pd.DatetimeIndex([], tz="UTC"), (), empty, empty)
    hours = pd.to_datetime(rows["hour"], utc=True)
    time = pd.date_range(hours.min(), hours.max(), freq="h", name="time")
    households = tuple(sorted(rows["household"].unique()))
    row = ((hours - time[0]) // pd.Timedelta(hours=1)).to_numpy()
    col = pd.Categorical(rows["household"], categories=households).codes
    values = rows["kwh"].fillna(0.0).to_numpy(dtype=float)
    matrices = {}
    for quantity in (CONSUMPTION, PRODUCTION):
        pick = (rows["quantity"] == quantity).to_numpy()
        matrix = np.zeros((len(time), len(households)))
        np.add.at(matrix, (row[pick], col[pick]), values[pick])
        matrices[quantity] = matrix
    return HouseholdSeries(district, time, households, matrices[CONSUMPTION], matrices[PRODUCTION])
