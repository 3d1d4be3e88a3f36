"""Real building stocks: GeoJSON footprints or CSV tables with OSM-like tags, as scenario buildings.

:func:`read_stock` reads a file, :func:`stock_scenario` makes a validated scenario for a city;
bad features are repaired or skipped and reported in a :class:`StockReport`, never a crash
(docs/network.md, "Building stocks").
"""

from sparcs.stock.read import MIN_AREA_M2, StockReport, read_stock
from sparcs.stock.scenario import stock_scenario

__all__ = ["MIN_AREA_M2", "StockReport", "read_stock", "stock_scenario"]
