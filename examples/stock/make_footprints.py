"""Generate kladno-footprints.geojson: 300 real-shaped, OSM-tagged footprints (no download).

Rectangles and L-shapes of 80-1,200 m2 on a street grid around Kladno's centre (50.147 N,
14.103 E), tagged like OpenStreetMap buildings. Some tags are missing on purpose (no height or
levels, no start_date, ``building=yes``), one ring crosses itself, one feature is a point and
one is a 3 m2 sliver: what a real extract holds. Run::

    python examples/stock/make_footprints.py
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

LAT0, LON0 = 50.147, 14.103
M_PER_DEG_LAT = 111_195.0
USES = ["apartments"] * 5 + ["house"] * 3 + ["yes"] * 2 + ["school", "retail", "office"]


def _lonlat(x: float, y: float) -> list[float]:
    lon = LON0 + x / (M_PER_DEG_LAT * math.cos(math.radians(LAT0)))
    return [round(lon, 7), round(LAT0 + y / M_PER_DEG_LAT, 7)]


def _shape(rng: random.Random, x: float, y: float) -> list[list[float]]:
    w, d = rng.uniform(10, 40), rng.uniform(8, 30)
    if rng.random() < 0.3:  # an L-shape
        cut_w, cut_d = w * rng.uniform(0.3, 0.6), d * rng.uniform(0.3, 0.6)
        pts = [(0, 0), (w, 0), (w, d - cut_d), (w - cut_w, d - cut_d), (w - cut_w, d), (0, d)]
    else:
        pts = [(0, 0), (w, 0), (w, d), (0, d)]
    ring = [_lonlat(x + px, y + py) for px, py in pts]
    return [*ring, ring[0]]


def main() -> None:
    rng = random.Random(16)
    features = []
    for i in range(300):
        x, y = (i % 20) * 55.0, (i // 20) * 50.0
        tags: dict[str, object] = {"building": rng.choice(USES)}
        if rng.random() < 0.8:
            tags["building:levels"] = str(rng.randint(1, 8))
        elif rng.random() < 0.5:
            tags["height"] = f"{rng.uniform(4, 25):.1f}"
        if rng.random() < 0.7:
            tags["start_date"] = str(rng.randint(1890, 2022))
        geometry: dict[str, object] = {"type": "Polygon", "coordinates": [_shape(rng, x, y)]}
        features.append(
            {"type": "Feature", "id": f"way/{1000 + i}", "properties": tags, "geometry": geometry}
        )
    bow = [_lonlat(*p) for p in [(0, -60), (20, -40), (20, -60), (0, -40), (0, -60)]]
    features.append(
        {
            "type": "Feature",
            "id": "way/bowtie",
            "properties": {"building": "yes"},
            "geometry": {"type": "Polygon", "coordinates": [bow]},
        }
    )
    features.append(
        {
            "type": "Feature",
            "id": "node/1",
            "properties": {"building": "yes"},
            "geometry": {"type": "Point", "coordinates": _lonlat(5, -80)},
        }
    )
    sliver = [_lonlat(*p) for p in [(40, -60), (43, -60), (43, -59), (40, -59), (40, -60)]]
    features.append(
        {
            "type": "Feature",
            "id": "way/sliver",
            "properties": {"building": "shed"},
            "geometry": {"type": "Polygon", "coordinates": [sliver]},
        }
    )
    out = Path(__file__).with_name("kladno-footprints.geojson")
    # one feature per line: small diffs, readable in a text editor
    lines = ",\n".join(json.dumps(f, separators=(",", ":")) for f in features)
    out.write_text(
        '{"type":"FeatureCollection","features":[\n' + lines + "\n]}\n", encoding="utf-8"
    )
    print(f"wrote {out}: {len(features)} features")


if __name__ == "__main__":
    main()
