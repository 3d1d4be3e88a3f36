"""Statement figures: energy and money per member and local calendar month.

Months follow the local clock of the readings (their UTC offsets), so a statement for
January holds the intervals a member's meter counts as January.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sparcs.community.prices import Prices
from sparcs.community.settle import Settlement

__all__ = ["ENERGY_COLUMNS", "MONEY_COLUMNS", "month_slices", "statement_table"]

#: Energy columns of a statement [kWh].
ENERGY_COLUMNS = (
    "consumption_kwh",
    "allocated_kwh",
    "grid_import_kwh",
    "production_kwh",
    "shared_kwh",
    "own_export_kwh",
)
#: Money columns of a statement, when prices are given [EUR].
MONEY_COLUMNS = (
    "community_cost_eur",
    "grid_cost_eur",
    "bill_eur",
    "without_community_eur",
    "savings_eur",
    "shared_income_eur",
    "export_income_eur",
    "net_eur",
)


def month_slices(settlement: Settlement) -> list[tuple[str, slice]]:
    """The local calendar months of the readings and their intervals.

    Parameters
    ----------
    settlement
        A settlement.

    Returns
    -------
    list of (str, slice)
        ``("2025-01", slice(start, stop))`` per month, in order.
    """
    local = settlement.readings.local_time
    code = local.year.to_numpy() * 12 + local.month.to_numpy() - 1
    starts = np.flatnonzero(np.r_[True, np.diff(code) != 0])
    stops = np.r_[starts[1:], len(code)]
    return [
        (f"{code[s] // 12:04d}-{code[s] % 12 + 1:02d}", slice(int(s), int(e)))
        for s, e in zip(starts, stops, strict=True)
    ]


def _month(settlement: Settlement, rows: slice, prices: Prices | None) -> dict[str, np.ndarray]:
    readings = settlement.readings
    consumption = readings.consumption_kwh[rows]
    allocated = settlement.allocated_kwh[rows]
    production = readings.production_kwh[rows]
    pool = production.sum(axis=1)
    taken = np.divide(allocated.sum(axis=1), pool, out=np.zeros_like(pool), where=pool > 0)
    taken = np.minimum(taken, 1.0)
    grid = np.maximum(consumption - allocated, 0.0)
    out = {
        "consumption_kwh": consumption.sum(axis=0),
        "allocated_kwh": allocated.sum(axis=0),
        "grid_import_kwh": grid.sum(axis=0),
        "production_kwh": production.sum(axis=0),
        "shared_kwh": taken @ production,
        "own_export_kwh": (1.0 - taken) @ production,
    }
    if prices is not None:
        price = prices.grid_import_eur_per_kwh[rows]
        out["community_cost_eur"] = out["allocated_kwh"] * prices.community_eur_per_kwh
        out["grid_cost_eur"] = price @ grid
        out["bill_eur"] = out["community_cost_eur"] + out["grid_cost_eur"]
        out["without_community_eur"] = price @ consumption
        out["savings_eur"] = out["without_community_eur"] - out["bill_eur"]
        out["shared_income_eur"] = out["shared_kwh"] * prices.community_eur_per_kwh
        out["export_income_eur"] = out["own_export_kwh"] * prices.grid_export_eur_per_kwh
        out["net_eur"] = out["bill_eur"] - out["shared_income_eur"] - out["export_income_eur"]
    return out


def statement_table(settlement: Settlement, prices: Prices | None = None) -> pd.DataFrame:
    """Energy (and money) per member and local calendar month.

    Parameters
    ----------
    settlement
        A settlement.
    prices
        Prices on the settlement's intervals; None for energy only.

    Returns
    -------
    pandas.DataFrame
        One row per member and month, members in reading order within each month: columns
        ``member``, ``month`` (``YYYY-MM``), :data:`ENERGY_COLUMNS` [kWh] and, with prices,
        :data:`MONEY_COLUMNS` [EUR]. ``bill`` is what the member pays for its consumption
        (community energy at the community price, the rest at the grid price),
        ``without_community`` the same consumption all at the grid price, ``net`` the bill
        less the income of its production (shared at the community price, exported at
        the export price).
    """
    members = settlement.readings.members
    months = month_slices(settlement)
    figures = [_month(settlement, rows, prices) for _, rows in months]
    table = pd.DataFrame(
        {
            "member": np.tile(np.array(members, dtype=object), len(months)),
            "month": np.repeat([label for label, _ in months], len(members)),
        }
    )
    for name in figures[0]:
        table[name] = np.concatenate([f[name] for f in figures])
    return table
