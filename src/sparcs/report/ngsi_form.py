"""The NGSI-LD form of entities: the keyValues view the Smart Data Models' schemas describe, and
the rules of NGSI-LD (URN ids, UTC ``Z`` times, attribute shapes, GeoJSON points) they do not
check. Used by :mod:`sparcs.report.ngsi`, which maps KPIs and readings to entities.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["check_entity", "to_key_values"]


def to_key_values(entity: Mapping[str, Any]) -> dict[str, Any]:
    """The simplified (keyValues) form of a normalized entity, as the Smart Data Models'
    schemas describe it.

    Parameters
    ----------
    entity
        A normalized entity.

    Returns
    -------
    dict
        ``id``, ``type``, ``@context`` as they are; every Property and GeoProperty replaced by
        its ``value`` (a ``DateTime`` object by its ``@value``), every Relationship by its
        ``object``.

    Examples
    --------
    >>> to_key_values({"id": "urn:ngsi-ld:X:a", "type": "X",
    ...                "n": {"type": "Property", "value": 3, "unitCode": "KWH"},
    ...                "r": {"type": "Relationship", "object": "urn:ngsi-ld:Y:b"}})
    {'id': 'urn:ngsi-ld:X:a', 'type': 'X', 'n': 3, 'r': 'urn:ngsi-ld:Y:b'}
    """
    out: dict[str, Any] = {}
    for key, attr in entity.items():
        if key in ("id", "type", "@context") or not isinstance(attr, Mapping):
            out[key] = attr
        elif attr.get("type") == "Relationship":
            out[key] = attr.get("object")
        else:
            value = attr.get("value")
            if isinstance(value, Mapping) and value.get("@type") == "DateTime":
                value = value.get("@value")
            out[key] = value
    return out


_URN = re.compile(r"^urn:ngsi-ld:[A-Za-z][A-Za-z0-9]*:[^\s]+$")
_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def check_entity(entity: Mapping[str, Any]) -> list[str]:
    """Problems of a normalized entity that the JSON schemas of the models do not catch.

    Parameters
    ----------
    entity
        A normalized NGSI-LD entity.

    Returns
    -------
    list of str
        Empty when the entity is right: a ``urn:ngsi-ld:<Type>:`` id of its own type, an
        ``@context``, every attribute a Property (with ``value``), GeoProperty (GeoJSON with
        longitude first, within range) or Relationship (lower-case ``object`` of URNs), every
        ``observedAt`` and ``DateTime`` value UTC with a ``Z`` and every ``unitCode`` a
        non-empty string.

    Examples
    --------
    >>> check_entity({"id": "Building:1", "type": "Building", "@context": []})
    ["id 'Building:1' is not urn:ngsi-ld:Building:..."]
    """
    problems: list[str] = []
    kind = str(entity.get("type", ""))
    ident = str(entity.get("id", ""))
    if not _URN.match(ident) or not ident.startswith(f"urn:ngsi-ld:{kind}:"):
        problems.append(f"id {ident!r} is not urn:ngsi-ld:{kind}:...")
    if "@context" not in entity:
        problems.append(f"{ident}: no @context")
    for key, attr in entity.items():
        if key not in ("id", "type", "@context"):
            problems += _attribute_problems(f"{ident}.{key}", attr)
    return problems


def _attribute_problems(where: str, attr: Any) -> list[str]:
    if not isinstance(attr, Mapping) or attr.get("type") not in (
        "Property",
        "GeoProperty",
        "Relationship",
    ):
        return [f"{where}: not a Property, GeoProperty or Relationship"]
    problems = []
    value = attr.get("value")
    if attr["type"] == "Relationship":
        target = attr.get("object")
        targets = [target] if isinstance(target, str) else target
        if (
            "Object" in attr
            or not isinstance(targets, list)
            or not targets
            or not all(isinstance(t, str) and _URN.match(t) for t in targets)
        ):
            problems.append(f"{where}: a Relationship needs 'object' with URN ids")
    elif "value" not in attr:
        problems.append(f"{where}: no value")
    elif attr["type"] == "GeoProperty":
        problems += _point_problems(where, value)
    if (
        isinstance(value, Mapping)
        and value.get("@type") == "DateTime"
        and not (isinstance(value.get("@value"), str) and _UTC.match(value["@value"]))
    ):
        problems.append(f"{where}: DateTime {value.get('@value')!r} is not UTC ISO 8601 with Z")
    observed = attr.get("observedAt")
    if observed is not None and not (isinstance(observed, str) and _UTC.match(observed)):
        problems.append(f"{where}: observedAt {observed!r} is not UTC ISO 8601 with Z")
    code = attr.get("unitCode")
    if code is not None and not (isinstance(code, str) and code):
        problems.append(f"{where}: unitCode must be a UN/CEFACT code")
    return problems


def _point_problems(where: str, value: Any) -> list[str]:
    if not isinstance(value, Mapping) or value.get("type") != "Point":
        return [f"{where}: not a GeoJSON Point"]
    coords = value.get("coordinates")
    if not (
        isinstance(coords, list)
        and len(coords) >= 2  # noqa: PLR2004
        and -180 <= coords[0] <= 180
        and -90 <= coords[1] <= 90
    ):
        return [f"{where}: coordinates must be [longitude, latitude]"]
    return []
