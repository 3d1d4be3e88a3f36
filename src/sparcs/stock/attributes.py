"""OSM-like building attributes to scenario fields.

Each missing or unreadable value is given a stated default. Tags read (OpenStreetMap names):
``building`` (or ``building:use``) for the use, ``height`` [m] and ``building:levels`` for the
storeys, ``start_date`` for the construction period, ``heating`` for the heating system.
:data:`DEFAULTS` lists what a missing value becomes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

__all__ = [
    "DEFAULTS",
    "M2_PER_RESIDENT",
    "STOREY_HEIGHT_M",
    "period_of",
    "storeys_of",
    "use_of",
]

#: Storey height used to turn a height into storeys [m].
STOREY_HEIGHT_M = 3.0
#: Floor area per resident of residential buildings (EU-27 average order, Eurostat ilc_lvho) [m2].
M2_PER_RESIDENT = 40.0
#: The stated default of each attribute when it is missing or unreadable.
DEFAULTS: dict[str, Any] = {
    "use": "apartment_block",
    "storeys": 3,
    "construction_period": "1980-1999",
    "heating": "district_heating",
}
_USES = {
    "apartment_block": ("apartments", "residential", "dormitory", "flats"),
    "single_family": ("house", "detached", "semidetached_house", "terrace", "bungalow", "farm"),
    "office": ("office", "commercial", "government", "civic", "public", "industrial"),
    "retail": ("retail", "supermarket", "kiosk", "shop", "mall"),
    "school": ("school", "kindergarten", "university", "college"),
    "hotel": ("hotel",),
    "sports": ("sports_hall", "sports_centre", "stadium", "gym"),
    "mixed_use": ("mixed_use", "mixed"),
}
_BY_TAG = {tag: use for use, tags in _USES.items() for tag in tags}
_NUMBER = re.compile(r"^\s*~?\s*(\d+(?:[.,]\d+)?)\s*(m|metres|meters)?\s*$", re.IGNORECASE)
_YEAR = re.compile(r"(\d{4})")
_CENTURY = re.compile(r"^\s*C(\d{2})\s*$", re.IGNORECASE)


def use_of(tags: Mapping[str, Any]) -> str | None:
    """The scenario use of a building's tags, or None when they name none we know.

    Parameters
    ----------
    tags
        The feature's properties.

    Returns
    -------
    str or None
        One of the scenario's uses (``"apartment_block"``, ``"school"``, ...).

    >>> use_of({"building": "apartments"}), use_of({"building": "yes"})
    ('apartment_block', None)
    """
    for key in ("building:use", "building"):
        value = str(tags.get(key) or "").strip().lower()
        if value in _BY_TAG:
            return _BY_TAG[value]
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value) if math.isfinite(value) and value > 0 else None
    match = _NUMBER.match(str(value or ""))
    if match is None:
        return None
    number = float(match[1].replace(",", "."))
    return number if number > 0 else None


def storeys_of(tags: Mapping[str, Any]) -> int | None:
    """Storeys from ``building:levels``, else from ``height`` / :data:`STOREY_HEIGHT_M`.

    Parameters
    ----------
    tags
        The feature's properties.

    Returns
    -------
    int or None
        Storeys above ground (at least 1), or None when neither tag is readable.

    >>> storeys_of({"building:levels": "4"}), storeys_of({"height": "12.5 m"}), storeys_of({})
    (4, 4, None)
    """
    levels = _number(tags.get("building:levels"))
    if levels is not None:
        return max(1, round(levels))
    height = _number(tags.get("height"))
    if height is not None:
        return max(1, round(height / STOREY_HEIGHT_M))
    return None


def period_of(tags: Mapping[str, Any]) -> str | None:
    """The construction period of ``start_date`` (``1975``, ``1975-05``, ``~1900``, ``C19``).

    Parameters
    ----------
    tags
        The feature's properties.

    Returns
    -------
    str or None
        One of the scenario's periods, or None when there is no readable year.

    >>> period_of({"start_date": "1975-05"}), period_of({"start_date": "C19"})
    ('1950-1979', 'before-1950')
    """
    text = str(tags.get("start_date") or "")
    century = _CENTURY.match(text)
    if century is not None:
        year = (int(century[1]) - 1) * 100 + 50
    else:
        found = _YEAR.search(text)
        if found is None:
            return None
        year = int(found[1])
    for upper, period in ((1950, "before-1950"), (1980, "1950-1979"), (2000, "1980-1999")):
        if year < upper:
            return period
    return "2000-2015" if year <= 2015 else "after-2015"
