"""NGSI-LD entities of the FIWARE Smart Data Models from KPIs, flows and meter readings.

A pure mapping: functions from :class:`~sparcs.kpi.report.KpiReport`,
:class:`~sparcs.operation.flows.Flows` and stored readings to lists of JSON-ready dicts in
the NGSI-LD *normalized* form (``Property`` / ``GeoProperty`` / ``Relationship``), plus
:func:`to_key_values` for the simplified form and :func:`check_entity` for the rules of
NGSI-LD that the Smart Data Models' JSON schemas do not check. Nothing here reaches the
network; :func:`write_ngsi` writes the files.

====================================  ===================================================
ours                                   NGSI-LD entity (model, version)
====================================  ===================================================
district                               ``EnergyCommunity`` (dataModel.EnergyCommunity 0.0.1)
building as a member of the district   ``EnergyProsumer`` (dataModel.EnergyCommunity 0.0.1)
building                               ``Building`` (dataModel.Building 0.0.3)
grid connection of a building/district ``ThreePhaseAcMeasurement`` (dataModel.Energy 0.0.4)
stored meter                           ``ThreePhaseAcMeasurement`` (dataModel.Energy 0.0.4)
====================================  ===================================================

Ids are ``urn:ngsi-ld:<Type>:<city>:<district>[:<building or meter>]`` with every part
reduced to ``[A-Za-z0-9._-]`` (:func:`entity_id`), so the same district gives the same ids on
every export. KPIs, which have no Smart Data Model, are extra attributes named
``sparcs:<camelCaseKey>`` (the ``sparcs`` prefix is defined in the ``@context``); each
carries ``observedAt`` (the end of the period, UTC, ``Z``) and a UN/CEFACT ``unitCode``
where one exists (:data:`UNIT_CODES`).

>>> entity_id("Building", "Leipzig", "Baumwoll Spinnerei", "B 1")
'urn:ngsi-ld:Building:leipzig:baumwoll-spinnerei:b-1'
>>> unit_code("kWh_PE/a"), unit_code("%"), unit_code("EUR/a")
('KWH', 'P1', None)
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sparcs.kpi.report import KpiReport
from sparcs.operation.flows import BALANCES, DISTRICT_NODE, Flows
from sparcs.report.ngsi_form import check_entity, to_key_values

__all__ = [
    "CATEGORIES",
    "CONTEXT",
    "EXPORTED",
    "MODEL_VERSIONS",
    "NGSI_FILES",
    "SPARCS_NAMESPACE",
    "UNIT_CODES",
    "Place",
    "check_entity",
    "district_entities",
    "entity_id",
    "iso_utc",
    "readings_entities",
    "to_key_values",
    "unit_code",
    "write_ngsi",
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

#: Smart Data Model -> schema version the entities are written for (and tested against).
MODEL_VERSIONS = {
    "Building": "0.0.3",
    "EnergyCommunity": "0.0.1",
    "EnergyProsumer": "0.0.1",
    "ThreePhaseAcMeasurement": "0.0.4",
}

#: Export key -> file name written by :func:`write_ngsi`.
NGSI_FILES = {
    "ngsi_ld": "entities.jsonld",
    "ngsi_ld_key_values": "entities-keyvalues.json",
}

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
}

#: Building use -> ``category`` of the Building model.
CATEGORIES = {
    "single_family": "house",
    "apartment_block": "apartments",
    "office": "office",
    "retail": "retail",
    "school": "school",
    "mixed_use": "commercial",
    "hotel": "hotel",
    "sports": "public",
}

#: Meter quantities whose energy leaves the metered point (``totalActiveEnergyExport``).
EXPORTED = frozenset({"grid_export_kwh", "shared_out_kwh", "pv_kwh", "wind_kwh", "chp_el_kwh"})

_ELECTRIC = frozenset(BALANCES["electricity"][0]) | frozenset(BALANCES["electricity"][1])
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


def _camel(key: str) -> str:
    head, *rest = re.split(r"[^A-Za-z0-9]+", key.strip()) or [key]
    return head.lower() + "".join(part[:1].upper() + part[1:] for part in rest if part)


def _number(value: Any) -> float | None:
    """``value`` as a finite float, None for NaN and for what is not a number (times, text)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        return None
    number = float(value)
    return number if np.isfinite(number) else None


def _prop(value: Any, *, observed_at: str | None = None, unit: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "Property", "value": value}
    if observed_at is not None:
        out["observedAt"] = observed_at
    if unit is not None:
        out["unitCode"] = unit
    return out


def _rel(target: str | Sequence[str]) -> dict[str, Any]:
    return {"type": "Relationship", "object": target if isinstance(target, str) else list(target)}


def _base(entity_type: str, entity: str, name: str) -> dict[str, Any]:
    return {"id": entity, "type": entity_type, "@context": list(CONTEXT), "name": _prop(name)}


def _location(place: Place) -> dict[str, Any] | None:
    if place.latitude is None or place.longitude is None:
        return None
    return {
        "type": "GeoProperty",  # GeoJSON: longitude first
        "value": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
    }


def _kpi_attributes(values: Iterable[tuple[str, Any, str]], observed_at: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value, unit in values:
        number = _number(value)
        if number is None:
            continue
        out[f"sparcs:{_camel(key)}"] = _prop(number, observed_at=observed_at, unit=unit_code(unit))
    return out


def _period(kpis: KpiReport, flows: Flows | None) -> tuple[str | None, str]:
    start = kpis.meta.get("period_start")
    end = kpis.meta.get("period_end")
    if flows is not None:
        start = start or flows.time[0]
        end = end or flows.time[-1] + pd.Timedelta(hours=flows.dt_h)
    if end is None:
        msg = "the KPI report has no meta['period_end'] and no flows were given: no observedAt"
        raise ValueError(msg)
    return (iso_utc(start) if start is not None else None), iso_utc(end)


def _meter_entity(
    place: Place,
    local: str,
    name: str,
    import_kwh: float,
    export_kwh: float,
    started: str | None,
    observed_at: str,
    target: str | None,
) -> dict[str, Any]:
    entity = _base(
        "ThreePhaseAcMeasurement",
        entity_id("ThreePhaseAcMeasurement", place.city, place.district, local),
        name,
    )
    if started is not None:
        entity["dateEnergyMeteringStarted"] = _prop({"@type": "DateTime", "@value": started})
    entity["totalActiveEnergyImport"] = _prop(
        round(max(import_kwh, 0.0), 6), observed_at=observed_at, unit="KWH"
    )
    entity["totalActiveEnergyExport"] = _prop(
        round(max(export_kwh, 0.0), 6), observed_at=observed_at, unit="KWH"
    )
    if target is not None:
        entity["refTargetDevice"] = _rel([target])
    location = _location(place)
    if location is not None:
        entity["location"] = location
    return entity


def _role(flows: Flows | None, node: int) -> str:
    if flows is None:
        return "consumer"
    produced = sum(
        float(flows[name][:, node].sum()) for name in ("pv_kwh", "wind_kwh", "chp_el_kwh")
    )
    return "prosumer" if produced > 0 else "consumer"


def district_entities(
    kpis: KpiReport,
    place: Place,
    *,
    flows: Flows | None = None,
    uses: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """NGSI-LD entities of a run: the community, its members, buildings and grid meters.

    Parameters
    ----------
    kpis
        The run's KPIs: district KPIs go on the ``EnergyCommunity``, the per-building table
        on each ``Building``; ``meta["period_start"]``/``["period_end"]`` give the times.
    place
        City, district and location.
    flows
        The run's flows; with them every building and the district get a
        ``ThreePhaseAcMeasurement`` of the grid import and export over the period, and
        ``EnergyProsumer.roleType`` says who produces.
    uses
        Building id -> use (``apartment_block``, ``office`` ...) for ``Building.category``;
        missing ones are ``residential``.

    Returns
    -------
    list of dict
        Normalized entities: the ``EnergyCommunity`` first, then per building its
        ``EnergyProsumer`` and ``Building``, then the measurements; ids unique.
    """
    started, observed_at = _period(kpis, flows)
    uses = dict(uses or {})
    table = kpis.per_building
    units = dict(table.attrs.get("units", {}))
    buildings = [str(b) for b in table.index]
    if flows is not None:
        buildings += [b for b in flows.building_ids if b not in set(buildings)]
    community_id = entity_id("EnergyCommunity", place.city, place.district)
    prosumer_ids = {
        b: entity_id("EnergyProsumer", place.city, place.district, b) for b in buildings
    }
    building_ids = {b: entity_id("Building", place.city, place.district, b) for b in buildings}

    community = _base("EnergyCommunity", community_id, place.district)
    community["description"] = _prop(f"{kpis.verdict.ped_class}: {kpis.verdict.reason}")
    community["communityType"] = _prop("PositiveEnergyDistrict")
    if buildings:
        community["hasMember"] = _rel([prosumer_ids[b] for b in buildings])
    location = _location(place)
    if location is not None:
        community["location"] = location
    community["sparcs:pedClass"] = _prop(kpis.verdict.ped_class, observed_at=observed_at)
    community.update(_kpi_attributes(((k.key, k.value, k.unit) for k in kpis.kpis), observed_at))
    entities = [community]

    nodes = {node: i for i, node in enumerate(flows.nodes)} if flows is not None else {}
    for building in buildings:
        node = nodes.get(building)
        prosumer = _base("EnergyProsumer", prosumer_ids[building], building)
        prosumer["roleType"] = _prop(_role(flows, node) if node is not None else "consumer")
        if place.timezone:
            prosumer["timezone"] = _prop(place.timezone)
        prosumer["memberOf"] = _rel(community_id)
        prosumer["controls"] = _rel([building_ids[building]])
        if flows is not None and node is not None:
            prosumer["totalEnergyImported"] = _prop(
                round(float(flows["grid_import_kwh"][:, node].sum()), 6),
                observed_at=observed_at,
                unit="KWH",
            )
            prosumer["totalEnergyExported"] = _prop(
                round(float(flows["grid_export_kwh"][:, node].sum()), 6),
                observed_at=observed_at,
                unit="KWH",
            )
        house = _base("Building", building_ids[building], building)
        house["category"] = _prop([CATEGORIES.get(uses.get(building, ""), "residential")])
        address = {"addressLocality": place.city}
        if place.country:
            address["addressCountry"] = place.country
        house["address"] = _prop(address)
        if location is not None:
            house["location"] = _location(place)
        if building in table.index:
            row = table.loc[building]
            house.update(
                _kpi_attributes(
                    ((str(c), row[c], units.get(c, "")) for c in table.columns), observed_at
                )
            )
        entities += [prosumer, house]

    if flows is not None:
        for building in flows.building_ids:
            node = nodes[building]
            entities.append(
                _meter_entity(
                    place,
                    f"grid-{building}",
                    f"grid connection of {building}",
                    float(flows["grid_import_kwh"][:, node].sum()),
                    float(flows["grid_export_kwh"][:, node].sum()),
                    started,
                    observed_at,
                    building_ids[building],
                )
            )
        entities.append(
            _meter_entity(
                place,
                "grid-district",
                f"grid connection of {place.district}",
                float(flows.total("grid_import_kwh").sum()),
                float(flows.total("grid_export_kwh").sum()),
                started,
                observed_at,
                None,
            )
        )
        entities[-1]["sparcs:node"] = _prop(DISTRICT_NODE)
    return entities


def _step(resolution: str, times: pd.Series) -> pd.Timedelta:
    """The reading interval: the meter's resolution, else the smallest gap, else 0."""
    try:
        step = pd.Timedelta(resolution) if resolution else pd.NaT
    except ValueError:
        step = pd.NaT
    if pd.isna(step):
        step = times.diff().min() if len(times) > 1 else pd.Timedelta(0)
    return pd.Timedelta(step)


def readings_entities(
    readings: pd.DataFrame, meters: pd.DataFrame, place: Place
) -> list[dict[str, Any]]:
    """One ``ThreePhaseAcMeasurement`` per stored electricity meter: energy since its first reading.

    Parameters
    ----------
    readings
        :meth:`Store.readings <sparcs.store.Store.readings>`: columns ``meter``, ``time``
        (UTC, period-beginning), ``value`` [kWh per interval], ``flags``.
    meters
        :meth:`Store.meters <sparcs.store.Store.meters>`: columns ``id``, ``node``,
        ``quantity``, ``resolution`` ...

    place
        City and district of the ids.

    Returns
    -------
    list of dict
        Normalized entities, sorted by meter id; meters of :data:`EXPORTED` quantities
        (grid export and generation) count as export, any other electricity quantity as
        import (consumption); heat, fuel and storage-state meters are left out. ``observedAt`` is the end of
        the last reading's interval.
    """
    out = []
    steps = {
        str(m): str(r) if r is not None and not pd.isna(r) else ""
        for m, r in zip(meters["id"], meters["resolution"], strict=True)
    }
    info = meters.set_index("id")
    for meter, rows in readings.groupby("meter", sort=True):
        meter = str(meter)
        if meter not in info.index:
            continue
        quantity = str(info.loc[meter, "quantity"])
        if quantity not in _ELECTRIC:
            continue
        total = float(rows["value"].sum())
        step = _step(steps.get(meter, ""), rows["time"])
        started = iso_utc(rows["time"].min())
        observed_at = iso_utc(rows["time"].max() + step)
        exported = quantity in EXPORTED
        entity = _meter_entity(
            place,
            f"meter-{meter}",
            meter,
            0.0 if exported else total,
            total if exported else 0.0,
            started,
            observed_at,
            entity_id("Building", place.city, place.district, str(info.loc[meter, "node"])),
        )
        entity["sparcs:quantity"] = _prop(quantity)
        entity["sparcs:readings"] = _prop(len(rows), observed_at=observed_at, unit="C62")
        out.append(entity)
    return out


def write_ngsi(out_dir: str | Path, entities: Sequence[Mapping[str, Any]]) -> dict[str, Path]:
    """Write entities as a JSON-LD array (normalized) and as keyValues.

    Parameters
    ----------
    out_dir
        Output folder; created if missing.
    entities
        Normalized entities; ``entities.jsonld`` is a ready body for
        ``POST /ngsi-ld/v1/entityOperations/upsert``.

    Returns
    -------
    dict of str to pathlib.Path
        Key of :data:`NGSI_FILES` -> written file.

    Raises
    ------
    ValueError
        Two entities with one id, or an entity with problems (:func:`check_entity`).
    """
    counts = Counter(str(e["id"]) for e in entities)
    twice = sorted(i for i, n in counts.items() if n > 1)
    if twice:
        msg = f"entity ids used twice: {', '.join(twice)}"
        raise ValueError(msg)
    problems = [p for e in entities for p in check_entity(e)]
    if problems:
        msg = "invalid NGSI-LD entities: " + "; ".join(problems[:5])
        raise ValueError(msg)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {key: out / name for key, name in NGSI_FILES.items()}
    paths["ngsi_ld"].write_text(
        json.dumps(list(entities), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    paths["ngsi_ld_key_values"].write_text(
        json.dumps([to_key_values(e) for e in entities], indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return paths
