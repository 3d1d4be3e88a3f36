"""A scenario for a city from a building stock."""

from __future__ import annotations

from pathlib import Path

from sparcs.data import get_city
from sparcs.scenario import Scenario, scenario_from_dict
from sparcs.stock.read import StockReport, read_stock

__all__ = ["stock_scenario"]


def stock_scenario(
    path: str | Path, city: str, *, name: str | None = None
) -> tuple[Scenario, StockReport]:
    """Read a building stock and make it a validated scenario in ``city``.

    Parameters
    ----------
    path
        GeoJSON or CSV stock (:func:`~sparcs.stock.read.read_stock`).
    city
        Embedded city key, e.g. ``"kladno"``: weather, factors and tariff defaults.
    name
        Scenario name; default: the city's name and the file's stem.

    Returns
    -------
    tuple
        The scenario and the import report.

    Raises
    ------
    DataError
        When the file cannot be read as a stock.
    ScenarioError
        When the city is unknown or no footprint made a building.
    """
    info = get_city(city)
    buildings, report = read_stock(path)
    data = {
        "name": name or f"{info.name}: {Path(path).stem}",
        "description": f"building stock imported from {Path(path).name} by sparcs stock",
        "site": {"city": city},
        "buildings": buildings,
    }
    return scenario_from_dict(data, source=str(path)), report
