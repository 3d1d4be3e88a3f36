"""The parts every NGSI-LD entity of the export is made of: ids, UTC times, UN/CEFACT units,
the ``@context``, the place of the district and the attribute shapes (Property,
Relationship, GeoProperty, DateTime).

Used by :mod:`sparcs.report.ngsi` (the district), :mod:`sparcs.report.ngsi_meters` (grid
connections and stored meters) and :mod:`sparcs.report.ngsi_pv` (photovoltaics).

>>> entity_id("Building", "Leipzig", "Baumwoll Spinnerei", "B 1")
'urn:ngsi-ld:Building:leipzig:baumwoll-spinnerei:b-1'
>>> unit_code("kWh_PE/a"), unit_code("%"), unit_code("EUR/a")
('KWH', 'P1', None)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = [
    "CONTEXT",
    "SPARCS_NAMESPACE",
    "UNIT_CODES",
    "Place",
    "date_time",
    "entity_id",
    "iso_utc",
    "location",
    "new_entity",
    "prop",
    "relationship",
    "unit_code",
]

#: Namespace of the KPI attributes, bound to the prefix ``sparcs`` in :data:`CONTEXT`.
SPARCS_NAMESPACE = "urn:sparcs:ngsi-ld:"

#: ``@context`` of every entity: the Smart Data Models' context, the ``sparcs`` prefix and
#: the NGSI-LD core context (last, as the specification asks).
CONTEXT: tuple[Any, ...] = (
    "https://raw.githubusercontent.com/smart-data-models/data-models/master/context.jsonld",
    {"sparcs": SPARCS_NAMESPACE},
    "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld",
)

#: Our unit (without a trailing ``/a``) -> UN/CEFACT Recommendation 20 code.
UNIT_CODES = {
    "kWh": "KWH",
    "kWh_PE": "KWH",
    "MWh": "MWH",
    "Wh": "WHR",
    "kW": "KWT",
    "W": "WTT",
    "MW": "MAW",
    "%": "P1",
    "kg CO2-eq": "KGM",
    "kg": "KGM",
    "t CO2-eq": "TNE",
    "t": "TNE",
    "kg CO2-eq/m2": "28",
    "h": "HUR",
    "m2": "MTK",
    "-": "C62",
    "#": "C62",
    "cycles": "C62",
    "°C": "CEL",
}

_UNSAFE = re.compile(r"[^a-z0-9._-]+")


@dataclass(frozen=True)
class Place:
    """Where the district is: the parts of the ids and the location of the entities.

    Attributes
    ----------
    city
        City name or key, first part of every id.
    district
        District (scenario) name, second part of every id.
    latitude, longitude
        WGS 84 position of the district [deg]; None for no ``location``.
    timezone
        IANA zone of the district, written on every ``EnergyProsumer``.
    country
        Country name or ISO code for the ``address`` of buildings.
    """

    city: str
    district: str
    latitude: float | None = None
    longitude: float | None = None
    timezone: str | None = None
    country: str | None = None


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _UNSAFE.sub("-", ascii_text.lower()).strip("-")
    return slug or "x"


def entity_id(entity_type: str, city: str, district: str, *local: str) -> str:
    """The URN of an entity: ``urn:ngsi-ld:<Type>:<city>:<district>[:<local>...]``.

    Parameters
    ----------
    entity_type
        NGSI-LD type, e.g. ``"Building"``.
    city
        City name or key.
    district
        District name.
    *local
        Further parts, e.g. the building id.

    Returns
    -------
    str
        The id; every part lower-cased and reduced to ``[a-z0-9._-]``, so it is stable.
    """
    return ":".join(["urn:ngsi-ld", entity_type, *(_slug(p) for p in (city, district, *local))])


def iso_utc(time: pd.Timestamp | str) -> str:
    """A time as UTC ISO 8601 with a ``Z``: ``2025-12-31T23:00:00Z``.

    Parameters
    ----------
    time
        A time; naive times are taken as UTC.

    Returns
    -------
    str
        Seconds precision, UTC, ``Z``.
    """
    stamp = pd.Timestamp(time)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def unit_code(unit: str) -> str | None:
    """The UN/CEFACT code of one of our units, or None when there is none (currencies).

    Parameters
    ----------
    unit
        Our unit, e.g. ``"kWh/a"``; an annual ``/a`` is dropped (the period is in
        ``observedAt``).

    Returns
    -------
    str or None
        E.g. ``"KWH"``.
    """
    base = unit.strip()
    base = base.removesuffix("/a").strip()
    return UNIT_CODES.get(base)


def prop(value: Any, *, observed_at: str | None = None, unit: str | None = None) -> dict[str, Any]:
    """A Property attribute.

    Parameters
    ----------
    value
        Its value (JSON-ready).
    observed_at
        When it was observed (UTC, ``Z``, :func:`iso_utc`).
    unit
        UN/CEFACT code of its unit (:func:`unit_code`).

    Returns
    -------
    dict
        ``{"type": "Property", "value": ..., "observedAt": ..., "unitCode": ...}``.
    """
    out: dict[str, Any] = {"type": "Property", "value": value}
    if observed_at is not None:
        out["observedAt"] = observed_at
    if unit is not None:
        out["unitCode"] = unit
    return out


def date_time(when: str) -> dict[str, Any]:
    """A Property whose value is an NGSI-LD DateTime.

    Parameters
    ----------
    when
        UTC time with ``Z`` (:func:`iso_utc`).

    Returns
    -------
    dict
        ``{"type": "Property", "value": {"@type": "DateTime", "@value": when}}``.
    """
    return prop({"@type": "DateTime", "@value": when})


def relationship(target: str | Sequence[str]) -> dict[str, Any]:
    """A Relationship to one entity (a string) or to several (a list).

    Parameters
    ----------
    target
        Id or ids of the entities pointed at.

    Returns
    -------
    dict
        ``{"type": "Relationship", "object": ...}``.
    """
    return {"type": "Relationship", "object": target if isinstance(target, str) else list(target)}


def new_entity(entity_type: str, entity: str, name: str) -> dict[str, Any]:
    """An entity with its id, type, ``@context`` and ``name``, to add attributes to.

    Parameters
    ----------
    entity_type
        NGSI-LD type, e.g. ``"Building"``.
    entity
        Its id (:func:`entity_id`).
    name
        Its human-readable name.

    Returns
    -------
    dict
        The normalized entity.
    """
    return {"id": entity, "type": entity_type, "@context": list(CONTEXT), "name": prop(name)}


def location(place: Place) -> dict[str, Any] | None:
    """The GeoJSON point of the district as a GeoProperty, None without coordinates.

    Parameters
    ----------
    place
        The district and its position [deg].

    Returns
    -------
    dict or None
        ``{"type": "GeoProperty", "value": {"type": "Point", "coordinates": [lon, lat]}}``.
    """
    if place.latitude is None or place.longitude is None:
        return None
    return {
        "type": "GeoProperty",  # GeoJSON: longitude first
        "value": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
    }
