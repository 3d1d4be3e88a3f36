"""Building stocks from GeoJSON footprints or a CSV table, as scenario buildings with a report.

Every footprint becomes a building: floor area = footprint area x storeys, roof area (for PV)
= footprint area (flat roofs assumed), use, construction period and heating from its tags
(:mod:`sparcs.stock.attributes`), residents of residential buildings from their floor area.
Nothing crashes on a bad feature: geometries are repaired or skipped and every default is
counted in a :class:`StockReport`.

Geometry rules: coordinates in EPSG:3857 (declared, or metres without a CRS) are converted to
WGS 84; another declared CRS is refused with the fix (export in EPSG:4326); a self-intersecting
ring is measured by its convex hull (an upper bound); holes are subtracted; a feature without a
polygon, or under :data:`MIN_AREA_M2`, is skipped.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sparcs.errors import DataError
from sparcs.scenario.models import HEATING_SYSTEMS
from sparcs.stock.attributes import DEFAULTS, M2_PER_RESIDENT, period_of, storeys_of, use_of
from sparcs.stock.geometry import from_web_mercator, looks_projected, ring_area_m2, self_intersects
from sparcs.textfiles import read_text

__all__ = [
    "MIN_AREA_M2",
    "StockReport",
    "building_from_tags",
    "buildings_from_features",
    "read_stock",
]

#: Footprints smaller than this are skipped (sheds, kiosks, digitising slivers) [m2].
MIN_AREA_M2 = 5.0
_MERCATOR_NAMES = ("3857", "900913", "3785")
_WGS84_NAMES = ("4326", "CRS84", "crs84")


@dataclass
class StockReport:
    """What the import did: counts, skipped features, repairs and defaults applied.

    Attributes
    ----------
    features
        Features (or rows) read.
    buildings
        Buildings made.
    skipped
        ``(feature id, reason)`` of each feature that made no building.
    repairs
        ``(feature id, what was done)`` for each geometry repaired.
    defaults
        ``"field = value"`` -> number of buildings that got this default.
    """

    features: int = 0
    buildings: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    repairs: list[tuple[str, str]] = field(default_factory=list)
    defaults: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        """The report in lines a planner reads."""
        out = [f"{self.buildings} buildings from {self.features} features"]
        out += [f"default {name} for {n} buildings" for name, n in sorted(self.defaults.items())]
        out += [f"repaired {fid}: {what}" for fid, what in self.repairs]
        out += [f"skipped {fid}: {why}" for fid, why in self.skipped]
        return out


def _hull_area(ring: np.ndarray) -> float:
    points = sorted(map(tuple, ring.tolist()))

    def half(seq: list[tuple[float, float]]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for p in seq:
            while (
                len(out) >= 2
                and (
                    (out[-1][0] - out[-2][0]) * (p[1] - out[-2][1])
                    - (out[-1][1] - out[-2][1]) * (p[0] - out[-2][0])
                )
                <= 0
            ):
                out.pop()
            out.append(p)
        return out

    hull = half(points)[:-1] + half(points[::-1])[:-1]
    return ring_area_m2(np.array(hull)) if len(hull) >= 3 else 0.0


def _ring(coords: Any, mercator: bool, fid: str, report: StockReport) -> np.ndarray | None:
    try:
        ring = np.asarray(coords, dtype=float)
    except (TypeError, ValueError):
        return None
    if ring.ndim != 2 or ring.shape[0] < 3 or ring.shape[1] < 2 or not np.isfinite(ring).all():
        return None
    ring = ring[:, :2]
    if mercator or looks_projected(ring):
        # undeclared metres are read as EPSG:3857, the web's projection, and said so
        why = "declared EPSG:3857" if mercator else "metres without a CRS, read as EPSG:3857"
        report.repairs.append((fid, f"{why}: converted to WGS 84"))
        return from_web_mercator(ring)
    return ring


def _polygon_area(rings: Any, mercator: bool, fid: str, report: StockReport) -> float | None:
    if not isinstance(rings, list) or not rings:
        return None
    outer = _ring(rings[0], mercator, fid, report)
    if outer is None:
        return None
    if self_intersects(outer):
        report.repairs.append((fid, "self-intersecting ring measured by its convex hull"))
        area = _hull_area(outer)
    else:
        area = ring_area_m2(outer)
    for hole in rings[1:]:
        inner = _ring(hole, mercator, fid, report)
        if inner is not None:
            area -= ring_area_m2(inner)
    return max(area, 0.0)


def _footprint(geometry: Any, mercator: bool, fid: str, report: StockReport) -> float | None:
    if not isinstance(geometry, dict):
        return None
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        return _polygon_area(coords, mercator, fid, report)
    if kind == "MultiPolygon" and isinstance(coords, list):
        areas = [_polygon_area(p, mercator, fid, report) for p in coords]
        found = [a for a in areas if a is not None]
        return sum(found) if found else None
    return None


def building_from_tags(
    fid: str, tags: dict[str, Any], footprint: float, report: StockReport
) -> dict[str, Any]:
    """A scenario building from its tags and footprint area [m2]; defaults counted in ``report``.

    Parameters
    ----------
    fid
        The building id.
    tags
        OSM-like attributes.
    footprint
        Footprint area [m2].
    report
        Receives the defaults applied.

    Returns
    -------
    dict
        The building as a scenario mapping.
    """
    use, storeys, period = use_of(tags), storeys_of(tags), period_of(tags)
    for name, value in (("use", use), ("storeys", storeys), ("construction_period", period)):
        if value is None:
            report.defaults[f"{name} = {DEFAULTS[name]}"] += 1
    use = use or DEFAULTS["use"]
    floors = storeys or DEFAULTS["storeys"]
    heating = str(tags.get("heating") or "")
    if heating not in HEATING_SYSTEMS or heating in ("none", "chp"):
        report.defaults[f"heating = {DEFAULTS['heating']}"] += 1
        heating = DEFAULTS["heating"]
    floor_area = round(footprint * floors, 1)
    building: dict[str, Any] = {
        "id": fid,
        "use": use,
        "floor_area_m2": floor_area,
        "construction_period": period or DEFAULTS["construction_period"],
        "heating": heating,
        "roof_area_m2": round(footprint, 1),
    }
    if use in ("apartment_block", "single_family"):
        building["residents"] = max(1, round(floor_area / M2_PER_RESIDENT))
    return building


def buildings_from_features(
    features: list[Any], *, mercator: bool = False
) -> tuple[list[dict[str, Any]], StockReport]:
    """Scenario buildings from GeoJSON features.

    Parameters
    ----------
    features
        GeoJSON ``Feature`` objects (anything else is skipped and reported).
    mercator
        The collection declares EPSG:3857.

    Returns
    -------
    tuple
        The buildings as scenario mappings, and the report.
    """
    report = StockReport(features=len(features))
    buildings: list[dict[str, Any]] = []
    seen: Counter[str] = Counter()
    for i, feature in enumerate(features):
        if not isinstance(feature, dict):
            report.skipped.append((f"#{i}", "not a GeoJSON feature"))
            continue
        properties = feature.get("properties")
        tags: dict[str, Any] = properties if isinstance(properties, dict) else {}
        raw = feature.get("id") or tags.get("@id") or tags.get("id") or f"b{i}"
        fid = str(raw).replace("/", "-")
        seen[fid] += 1
        fid = fid if seen[fid] == 1 else f"{fid}-{seen[fid]}"
        area = _footprint(feature.get("geometry"), mercator, fid, report)
        if area is None:
            report.skipped.append((fid, "no polygon geometry (Polygon or MultiPolygon needed)"))
        elif area < MIN_AREA_M2:
            report.skipped.append((fid, f"footprint {area:.1f} m2 is under {MIN_AREA_M2:g} m2"))
        else:
            buildings.append(building_from_tags(fid, tags, area, report))
    report.buildings = len(buildings)
    return buildings, report


def read_stock(path: str | Path) -> tuple[list[dict[str, Any]], StockReport]:
    """Read a GeoJSON footprint file or a CSV table of buildings.

    Parameters
    ----------
    path
        ``.geojson``/``.json`` (a FeatureCollection) or ``.csv`` (columns ``id``, ``building``,
        ``height``, ``building:levels``, ``start_date``, ``heating``, ``footprint_m2``).

    Returns
    -------
    tuple
        The buildings as scenario mappings, and the report.

    Raises
    ------
    DataError
        When the file is missing, not UTF-8, not JSON, or not a FeatureCollection; one line
        naming the file and the fix.
    """
    path = Path(path)
    text = read_text(path, what="building stock")
    if path.suffix.lower() == ".csv":
        from sparcs.stock.table import buildings_from_csv

        return buildings_from_csv(text, str(path))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        raise DataError(msg) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        msg = f"{path}: not a GeoJSON FeatureCollection; export the footprints as one"
        raise DataError(msg)
    features = data.get("features")
    if not isinstance(features, list):
        msg = f"{path}: 'features' must be an array of GeoJSON features"
        raise DataError(msg)
    crs = json.dumps(data.get("crs") or "")
    mercator = any(name in crs for name in _MERCATOR_NAMES)
    if data.get("crs") and not mercator and not any(n in crs for n in _WGS84_NAMES):
        msg = (
            f"{path}: CRS {crs} is neither WGS 84 nor EPSG:3857; export the footprints in "
            "EPSG:4326 (GeoJSON's own, RFC 7946)"
        )
        raise DataError(msg)
    return buildings_from_features(features, mercator=mercator)
