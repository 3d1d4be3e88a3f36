"""Footprint geometry without a GIS stack.

CRS checks, Web Mercator to WGS 84, area, self-intersection.

Building footprints are small (tens of metres), so a local equirectangular projection around
the ring's centroid gives their area to well under 0.1 % (the error grows with the square of
the extent over the Earth's radius).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = [
    "EARTH_RADIUS_M",
    "from_web_mercator",
    "looks_projected",
    "ring_area_m2",
    "self_intersects",
]

#: Mean Earth radius [m] (IUGG).
EARTH_RADIUS_M = 6_371_008.8
_MERCATOR_R = 6_378_137.0  # the sphere of EPSG:3857


def looks_projected(ring: np.ndarray) -> bool:
    """True when coordinates cannot be longitude/latitude in degrees (metres of a projection).

    Parameters
    ----------
    ring
        (n, 2) coordinates, x first.

    Returns
    -------
    bool
        Whether any |x| > 180 or |y| > 90.
    """
    return bool((np.abs(ring[:, 0]) > 180).any() or (np.abs(ring[:, 1]) > 90).any())


def from_web_mercator(ring: np.ndarray) -> np.ndarray:
    """Web Mercator (EPSG:3857) metres to WGS 84 degrees (spherical inverse of the projection).

    Parameters
    ----------
    ring
        (n, 2) x, y [m].

    Returns
    -------
    numpy.ndarray
        (n, 2) longitude, latitude [deg].

    >>> from_web_mercator(np.array([[0.0, 0.0], [111319.49, 0.0]])).round(4).tolist()
    [[0.0, 0.0], [1.0, 0.0]]
    """
    lon = np.degrees(ring[:, 0] / _MERCATOR_R)
    lat = np.degrees(2 * np.arctan(np.exp(ring[:, 1] / _MERCATOR_R)) - math.pi / 2)
    return np.column_stack([lon, lat])


def _local_metres(ring: np.ndarray) -> np.ndarray:
    lat0 = math.radians(float(ring[:, 1].mean()))
    x = np.radians(ring[:, 0] - ring[:, 0].mean()) * EARTH_RADIUS_M * math.cos(lat0)
    y = np.radians(ring[:, 1] - ring[:, 1].mean()) * EARTH_RADIUS_M
    return np.column_stack([x, y])


def ring_area_m2(ring: np.ndarray) -> float:
    """Area of a lon/lat ring (shoelace formula on a local projection) [m2].

    Parameters
    ----------
    ring
        (n, 2) longitude, latitude [deg]; closed or not.

    Returns
    -------
    float
        The enclosed area [m2], >= 0.
    """
    xy = _local_metres(ring)
    x, y = xy[:, 0], xy[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


def _cross(o: Sequence[float], a: Sequence[float], b: Sequence[float]) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def self_intersects(ring: np.ndarray) -> bool:
    """True when two non-adjacent edges of the ring cross (a bow-tie, a figure eight).

    Parameters
    ----------
    ring
        (n, 2) coordinates; a closing point equal to the first is ignored.

    Returns
    -------
    bool
        Whether the ring crosses itself.

    >>> self_intersects(np.array([[0, 0], [1, 1], [1, 0], [0, 1]], dtype=float))
    True
    >>> self_intersects(np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float))
    False
    """
    points = ring[:-1] if len(ring) > 1 and (ring[0] == ring[-1]).all() else ring
    n = len(points)
    edges = [(points[i], points[(i + 1) % n]) for i in range(n)]
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # the two edges meet at the first point
            (p1, p2), (q1, q2) = edges[i], edges[j]
            d1, d2 = _cross(q1, q2, p1), _cross(q1, q2, p2)
            d3, d4 = _cross(p1, p2, q1), _cross(p1, p2, q2)
            if d1 * d2 < 0 and d3 * d4 < 0:
                return True
    return False
