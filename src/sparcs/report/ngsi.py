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
PV system of a building/district       ``PhotovoltaicDevice`` (dataModel.GreenEnergy 0.0.2)
its generation over the period         ``PhotovoltaicMeasurement`` (dataModel.GreenEnergy
                                       0.0.3)
====================================  ===================================================

Ids are ``urn:ngsi-ld:<Type>:<city>:<district>[:<building or meter>]`` with every part
reduced to ``[A-Za-z0-9._-]`` (:func:`entity_id`), so the same district gives the same ids on
every export. KPIs, which have no Smart Data Model, are extra attributes named
``sparcs:<camelCaseKey>`` (the ``sparcs`` prefix is defined in the ``@context``); each
carries ``observedAt`` (the end of the period, UTC, ``Z``) and a UN/CEFACT ``unitCode``
where one exists (:data:`UNIT_CODES`). The parts of the entities are in
:mod:`sparcs.report.ngsi_entity`, the meters in :mod:`sparcs.report.ngsi_meters`, the PV
systems in :mod:`sparcs.report.ngsi_pv`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sparcs.kpi.report import KpiReport
from sparcs.operation.flows import DISTRICT_NODE, Flows
from sparcs.report.ngsi_entity import (
    CONTEXT,
    SPARCS_NAMESPACE,
    UNIT_CODES,
    Place,
    entity_id,
    iso_utc,
    location,
    new_entity,
    prop,
    relationship,
    unit_code,
)
from sparcs.report.ngsi_form import check_entity, to_key_values
from sparcs.report.ngsi_meters import EXPORTED, meter_entity, readings_entities
from sparcs.report.ngsi_pv import pv_entities

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

#: Smart Data Model -> schema version the entities are written for (and tested against).
MODEL_VERSIONS = {
    "Building": "0.0.3",
    "EnergyCommunity": "0.0.1",
    "EnergyProsumer": "0.0.1",
    "PhotovoltaicDevice": "0.0.2",
    "PhotovoltaicMeasurement": "0.0.3",
    "ThreePhaseAcMeasurement": "0.0.4",
}

#: Export key -> file name written by :func:`write_ngsi`.
NGSI_FILES = {
    "ngsi_ld": "entities.jsonld",
    "ngsi_ld_key_values": "entities-keyvalues.json",
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


def _camel(key: str) -> str:
    head, *rest = re.split(r"[^A-Za-z0-9]+", key.strip()) or [key]
    return head.lower() + "".join(part[:1].upper() + part[1:] for part in rest if part)


def _number(value: Any) -> float | None:
    """``value`` as a finite float, None for NaN and for what is not a number (times, text)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        return None
    number = float(value)
    return number if np.isfinite(number) else None


def _kpi_attributes(values: Iterable[tuple[str, Any, str]], observed_at: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value, unit in values:
        number = _number(value)
        if number is None:
            continue
        out[f"sparcs:{_camel(key)}"] = prop(number, observed_at=observed_at, unit=unit_code(unit))
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


def _role(flows: Flows | None, node: int) -> str:
    if flows is None:
        return "consumer"
    produced = sum(
        float(flows[name][:, node].sum()) for name in ("pv_kwh", "wind_kwh", "chp_el_kwh")
    )
    return "prosumer" if produced > 0 else "consumer"


def _community(
    kpis: KpiReport, place: Place, members: Sequence[str], observed_at: str
) -> dict[str, Any]:
    """The district as an ``EnergyCommunity`` with its verdict and district KPIs."""
    community = new_entity(
        "EnergyCommunity", entity_id("EnergyCommunity", place.city, place.district), place.district
    )
    community["description"] = prop(f"{kpis.verdict.ped_class}: {kpis.verdict.reason}")
    community["communityType"] = prop("PositiveEnergyDistrict")
    if members:
        community["hasMember"] = relationship(list(members))
    point = location(place)
    if point is not None:
        community["location"] = point
    community["sparcs:pedClass"] = prop(kpis.verdict.ped_class, observed_at=observed_at)
    community.update(_kpi_attributes(((k.key, k.value, k.unit) for k in kpis.kpis), observed_at))
    return community


def _prosumer(
    place: Place, building: str, community: str, flows: Flows | None, observed_at: str
) -> dict[str, Any]:
    """A building as a member of the community, with its grid exchange when flows are given."""
    prosumer = new_entity(
        "EnergyProsumer",
        entity_id("EnergyProsumer", place.city, place.district, building),
        building,
    )
    node = flows.nodes.index(building) if flows is not None and building in flows.nodes else None
    prosumer["roleType"] = prop(_role(flows, node) if node is not None else "consumer")
    if place.timezone:
        prosumer["timezone"] = prop(place.timezone)
    prosumer["memberOf"] = relationship(community)
    prosumer["controls"] = relationship(
        [entity_id("Building", place.city, place.district, building)]
    )
    if flows is not None and node is not None:
        for attribute, flow in (
            ("totalEnergyImported", "grid_import_kwh"),
            ("totalEnergyExported", "grid_export_kwh"),
        ):
            prosumer[attribute] = prop(
                round(float(flows[flow][:, node].sum()), 6), observed_at=observed_at, unit="KWH"
            )
    return prosumer


def _building(
    place: Place, building: str, use: str, kpis: KpiReport, observed_at: str
) -> dict[str, Any]:
    """A ``Building`` with its category, address and per-building KPIs."""
    house = new_entity(
        "Building", entity_id("Building", place.city, place.district, building), building
    )
    house["category"] = prop([CATEGORIES.get(use, "residential")])
    address = {"addressLocality": place.city}
    if place.country:
        address["addressCountry"] = place.country
    house["address"] = prop(address)
    point = location(place)
    if point is not None:
        house["location"] = point
    table = kpis.per_building
    if building in table.index:
        units = dict(table.attrs.get("units", {}))
        row = table.loc[building]
        house.update(
            _kpi_attributes(
                ((str(c), row[c], units.get(c, "")) for c in table.columns), observed_at
            )
        )
    return house


def _grid_meters(
    flows: Flows, place: Place, started: str | None, observed_at: str
) -> list[dict[str, Any]]:
    """The grid connection of every building and of the district."""
    meters = [
        meter_entity(
            place,
            f"grid-{building}",
            f"grid connection of {building}",
            import_kwh=float(flows["grid_import_kwh"][:, node].sum()),
            export_kwh=float(flows["grid_export_kwh"][:, node].sum()),
            started=started,
            observed_at=observed_at,
            target=entity_id("Building", place.city, place.district, building),
        )
        for node, building in enumerate(flows.nodes)
        if building in flows.building_ids
    ]
    district = meter_entity(
        place,
        "grid-district",
        f"grid connection of {place.district}",
        import_kwh=float(flows.total("grid_import_kwh").sum()),
        export_kwh=float(flows.total("grid_export_kwh").sum()),
        started=started,
        observed_at=observed_at,
        target=None,
    )
    district["sparcs:node"] = prop(DISTRICT_NODE)
    return [*meters, district]


def district_entities(
    kpis: KpiReport,
    place: Place,
    *,
    flows: Flows | None = None,
    uses: Mapping[str, str] | None = None,
    air_temperature_c: np.ndarray | None = None,
) -> list[dict[str, Any]]:
    """NGSI-LD entities of a run: the community, its members, buildings, grid meters and PV.

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
    air_temperature_c
        Air temperature per step of ``flows`` [°C] (the run's weather); with it and flows,
        each PV system gets a ``PhotovoltaicDevice`` and a ``PhotovoltaicMeasurement``
        (:func:`~sparcs.report.ngsi_pv.pv_entities`; the measurement model requires a
        temperature).

    Returns
    -------
    list of dict
        Normalized entities: the ``EnergyCommunity`` first, then per building its
        ``EnergyProsumer`` and ``Building``, then the grid meters and the PV systems; ids
        unique.
    """
    started, observed_at = _period(kpis, flows)
    uses = dict(uses or {})
    buildings = [str(b) for b in kpis.per_building.index]
    if flows is not None:
        buildings += [b for b in flows.building_ids if b not in set(buildings)]
    community = _community(
        kpis,
        place,
        [entity_id("EnergyProsumer", place.city, place.district, b) for b in buildings],
        observed_at,
    )
    entities = [community]
    for building in buildings:
        entities += [
            _prosumer(place, building, community["id"], flows, observed_at),
            _building(place, building, uses.get(building, ""), kpis, observed_at),
        ]
    if flows is not None:
        entities += _grid_meters(flows, place, started, observed_at)
        if air_temperature_c is not None:
            entities += pv_entities(
                flows,
                place,
                started=started or iso_utc(flows.time[0]),
                observed_at=observed_at,
                air_temperature_c=air_temperature_c,
            )
    return entities


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
