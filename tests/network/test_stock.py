"""Building stocks: areas by hand, CRS handling, broken geometries and tags, 10,000 footprints."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from sparcs.cli import app
from sparcs.errors import DataError
from sparcs.scenario import load_scenario
from sparcs.stock import read_stock, stock_scenario

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "stock" / "kladno-footprints.geojson"
LAT0, LON0 = 50.0, 14.0
M_PER_DEG = 6_371_008.8 * math.pi / 180


def rectangle(x: float, y: float, w: float, d: float) -> list[list[float]]:
    """A closed lon/lat ring of a w x d m rectangle, x and y metres east and north of (14, 50)."""
    scale_x = M_PER_DEG * math.cos(math.radians(LAT0))
    pts = [(x, y), (x + w, y), (x + w, y + d), (x, y + d), (x, y)]
    return [[LON0 + px / scale_x, LAT0 + py / M_PER_DEG] for px, py in pts]


def mercator(ring: list[list[float]]) -> list[list[float]]:
    r = 6_378_137.0
    return [
        [math.radians(lon) * r, r * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))]
        for lon, lat in ring
    ]


def collection(features: list[Any], crs: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    return data


def feature(ring: Any, fid: str = "way/1", **tags: object) -> dict[str, Any]:
    geometry = {"type": "Polygon", "coordinates": [ring]}
    return {"type": "Feature", "id": fid, "properties": tags, "geometry": geometry}


def write(tmp_path: Path, data: Any, name: str = "stock.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_a_rectangle_by_hand(tmp_path: Path) -> None:
    ring = rectangle(0, 0, 20, 10)
    path = write(
        tmp_path,
        collection(
            [
                feature(
                    ring, **{"building": "apartments", "building:levels": "4", "start_date": "1968"}
                )
            ]
        ),
    )
    (building,), report = read_stock(path)
    assert building["roof_area_m2"] == pytest.approx(200.0, rel=1e-3)
    assert building["floor_area_m2"] == pytest.approx(800.0, rel=1e-3)
    assert building["residents"] == 20  # 800 m2 at 40 m2 per resident
    assert building["use"] == "apartment_block"
    assert building["construction_period"] == "1950-1979"
    assert building["id"] == "way-1"
    assert dict(report.defaults) == {"heating = district_heating": 1}


def test_web_mercator_is_converted_and_other_crs_refused(tmp_path: Path) -> None:
    ring = mercator(rectangle(0, 0, 20, 10))
    declared = write(tmp_path, collection([feature(ring)], "urn:ogc:def:crs:EPSG::3857"))
    (building,), report = read_stock(declared)
    assert building["roof_area_m2"] == pytest.approx(200.0, rel=5e-3)
    assert report.repairs == [("way-1", "declared EPSG:3857: converted to WGS 84")]
    undeclared = write(tmp_path, collection([feature(ring)]), "metres.geojson")
    (again,), report = read_stock(undeclared)
    assert again["roof_area_m2"] == building["roof_area_m2"]
    assert "metres without a CRS, read as EPSG:3857" in report.repairs[0][1]
    utm = write(tmp_path, collection([feature(ring)], "urn:ogc:def:crs:EPSG::25833"), "utm.geojson")
    with pytest.raises(DataError, match=r"EPSG::25833.* is neither WGS 84 nor EPSG:3857; export"):
        read_stock(utm)


def test_a_self_intersecting_ring_is_measured_by_its_hull(tmp_path: Path) -> None:
    square = rectangle(0, 0, 20, 20)
    bow = [square[0], square[2], square[1], square[3], square[0]]  # a bow-tie of a 20 m square
    (building,), report = read_stock(write(tmp_path, collection([feature(bow)])))
    assert building["roof_area_m2"] == pytest.approx(400.0, rel=1e-3)
    assert report.repairs == [("way-1", "self-intersecting ring measured by its convex hull")]


def test_missing_and_odd_tags_get_stated_defaults(tmp_path: Path) -> None:
    ring = rectangle(0, 0, 10, 10)
    features = [
        feature(ring, "a", building="yes"),
        feature(ring, "b", building="house", height="12 m", start_date="C19"),
        feature(ring, "c", building="school", height="tall", heating="gas_boiler"),
    ]
    buildings, report = read_stock(write(tmp_path, collection(features)))
    a, b, c = buildings
    assert (a["use"], a["floor_area_m2"]) == ("apartment_block", pytest.approx(300.0, rel=1e-3))
    assert (b["use"], b["floor_area_m2"], b["construction_period"]) == (
        "single_family",
        pytest.approx(400.0, rel=1e-3),
        "before-1950",
    )
    assert c["heating"] == "gas_boiler" and "residents" not in c
    assert report.defaults["storeys = 3"] == 2
    assert report.defaults["use = apartment_block"] == 1
    assert report.defaults["construction_period = 1980-1999"] == 2


@pytest.mark.parametrize(
    "geometry",
    [
        None,
        {"type": "Point", "coordinates": [14.0, 50.0]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[[14.0, 50.0], [14.1, 50.0]]]},
        {"type": "Polygon", "coordinates": [[["x", "y"], [1, 2], [3, 4]]]},
        {"type": "Polygon", "coordinates": [[[14.0, float("nan")], [14.1, 50.0], [14.1, 50.1]]]},
        {"type": "MultiPolygon", "coordinates": "nonsense"},
    ],
)
def test_a_broken_geometry_is_skipped_and_named(tmp_path: Path, geometry: Any) -> None:
    good = feature(rectangle(0, 0, 10, 10), "good")
    bad = {"type": "Feature", "id": "bad", "properties": None, "geometry": geometry}
    buildings, report = read_stock(write(tmp_path, collection([good, bad, "not a feature"])))
    assert [b["id"] for b in buildings] == ["good"]
    assert [fid for fid, _ in report.skipped] == ["bad", "#2"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"type": "FeatureCollection", "features": [', "not valid JSON (line 1, column"),
        ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": 3}', "'features' must be an array"),
    ],
)
def test_a_file_that_is_no_stock_is_one_line(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(DataError, match="stock.geojson") as info:
        read_stock(write(tmp_path, text))
    assert expected in str(info.value)


def test_ten_thousand_footprints(tmp_path: Path) -> None:
    features = [
        feature(
            rectangle((i % 100) * 30.0, (i // 100) * 30.0, 12, 9), f"way/{i}", building="apartments"
        )
        for i in range(10_000)
    ]
    scenario, report = stock_scenario(write(tmp_path, collection(features)), "kladno")
    assert len(scenario.buildings) == report.buildings == 10_000
    areas = np.array([b.roof_area_m2 for b in scenario.buildings])
    assert areas == pytest.approx(108.0, rel=1e-3)


def test_the_shipped_example_and_the_command(tmp_path: Path) -> None:
    out = tmp_path / "kladno.toml"
    result = CliRunner().invoke(app, ["stock", str(EXAMPLE), "--city", "kladno", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "301 buildings from 303 features" in result.output
    assert "skipped node-1: no polygon geometry" in result.output
    scenario = load_scenario(out)
    assert len(scenario.buildings) == 301 and scenario.site.city == "kladno"
    bad = CliRunner().invoke(app, ["stock", str(tmp_path / "none.geojson"), "--city", "kladno"])
    assert bad.exit_code == 1 and "Traceback" not in bad.output


def test_a_csv_table(tmp_path: Path) -> None:
    text = "id,building,building:levels,start_date,footprint_m2\nA,office,5,2010,400\nB,house,,,x\n"
    buildings, report = read_stock(write(tmp_path, text, "stock.csv"))
    assert [(b["id"], b["floor_area_m2"], b["construction_period"]) for b in buildings] == [
        ("A", 2000.0, "2000-2015")
    ]
    assert report.skipped[0][0] == "B" and "line 3" in report.skipped[0][1]
    with pytest.raises(DataError, match="no 'footprint_m2' column"):
        read_stock(write(tmp_path, "id,building\nA,office\n", "bad.csv"))
