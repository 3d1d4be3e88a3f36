"""Building stocks from a CSV table: the GeoJSON tags as columns, the footprint area given."""

from __future__ import annotations

import csv
import io
from typing import Any

from sparcs.errors import DataError
from sparcs.stock.read import MIN_AREA_M2, StockReport, building_from_tags

__all__ = ["buildings_from_csv"]


def buildings_from_csv(text: str, source: str) -> tuple[list[dict[str, Any]], StockReport]:
    """Scenario buildings from CSV text with a ``footprint_m2`` column and OSM-like tag columns.

    Parameters
    ----------
    text
        The file's text (header row first).
    source
        The file, for messages.

    Returns
    -------
    tuple
        The buildings as scenario mappings, and the report (a row without a readable
        footprint is skipped and named by its line).

    Raises
    ------
    DataError
        When the table has no ``footprint_m2`` column.
    """
    rows = list(csv.DictReader(io.StringIO(text)))
    header = rows[0].keys() if rows else []
    if "footprint_m2" not in header:
        msg = f"{source}: no 'footprint_m2' column; give each building's footprint area [m2]"
        raise DataError(msg)
    report = StockReport(features=len(rows))
    buildings = []
    for line, row in enumerate(rows, start=2):
        fid = (row.get("id") or "").strip() or f"row{line}"
        try:
            area = float(row.get("footprint_m2") or "nan")
        except ValueError:
            area = float("nan")
        if not area >= MIN_AREA_M2:
            report.skipped.append(
                (
                    fid,
                    f"line {line}: footprint_m2 {row.get('footprint_m2')!r} "
                    f"is not a number >= {MIN_AREA_M2:g}",
                )
            )
            continue
        buildings.append(building_from_tags(fid, dict(row), area, report))
    report.buildings = len(buildings)
    return buildings, report
