"""The NGSI-LD export: entities valid against the vendored Smart Data Models schemas, stable
ids, units, UTC times."""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

from sparcs.kpi.report import KpiReport  # noqa: E402
from sparcs.operation.flows import Flows  # noqa: E402
from sparcs.report.ngsi import (  # noqa: E402
    MODEL_VERSIONS,
    Place,
    check_entity,
    district_entities,
    entity_id,
    iso_utc,
    readings_entities,
    to_key_values,
    unit_code,
    write_ngsi,
)

SCHEMAS = Path(__file__).parents[1] / "data" / "ngsi"
PLACE = Place(
    "Leipzig",
    "Baumwoll Spinnerei",
    latitude=51.33,
    longitude=12.33,
    timezone="Europe/Berlin",
    country="DE",
)
UTC_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@cache
def _registry() -> Any:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], referencing.Resource.from_contents(schema)))
    return referencing.Registry().with_resources(resources)


def _validator(entity_type: str) -> Any:
    schema = json.loads((SCHEMAS / f"{entity_type}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, registry=_registry(), format_checker=cls.FORMAT_CHECKER)


def _schema_errors(entity: dict[str, Any]) -> list[str]:
    validator = _validator(entity["type"])
    return [e.message for e in validator.iter_errors(to_key_values(entity))]


def _air_temperature_c(flows: Flows) -> np.ndarray:
    """A spring week: 2 °C at night, 16 °C in the afternoon."""
    hour = flows.time.hour.to_numpy()
    return 9.0 - 7.0 * np.cos(2 * np.pi * (hour - 3) / 24)


@pytest.fixture(scope="module")
def entities(week_flows: Flows, week_report: KpiReport) -> list[dict[str, Any]]:
    uses = dict.fromkeys(week_flows.building_ids, "apartment_block")
    return district_entities(
        week_report,
        PLACE,
        flows=week_flows,
        uses=uses,
        air_temperature_c=_air_temperature_c(week_flows),
    )


def test_vendored_schemas_are_the_pinned_versions() -> None:
    for model, version in MODEL_VERSIONS.items():
        schema = json.loads((SCHEMAS / f"{model}.schema.json").read_text(encoding="utf-8"))
        assert schema["$schemaVersion"] == version


def test_every_entity_validates_against_its_model(entities: list[dict[str, Any]]) -> None:
    assert {e["type"] for e in entities} == set(MODEL_VERSIONS)
    for entity in entities:
        assert _schema_errors(entity) == [], entity["id"]
        assert check_entity(entity) == [], entity["id"]


@pytest.mark.parametrize(
    ("entity_type", "breakage"),
    [
        ("Building", lambda e: e.pop("address")),
        ("Building", lambda e: e["category"].update(value=["castle"])),
        ("EnergyProsumer", lambda e: e["roleType"].update(value="owner")),
        ("EnergyCommunity", lambda e: e["hasMember"].update(object="urn:ngsi-ld:EnergyProsumer:a")),
        ("ThreePhaseAcMeasurement", lambda e: e["totalActiveEnergyImport"].update(value=-1.0)),
        ("ThreePhaseAcMeasurement", lambda e: e["refTargetDevice"].update(object=[])),
        ("PhotovoltaicMeasurement", lambda e: e["temperature"].update(value=-3.0)),
        ("PhotovoltaicDevice", lambda e: e["application"].update(value=["nuclear"])),
    ],
)
def test_a_broken_entity_fails_the_schema(
    entities: list[dict[str, Any]], entity_type: str, breakage: Any
) -> None:
    entity = copy.deepcopy(next(e for e in entities if e["type"] == entity_type))
    assert _schema_errors(entity) == []
    breakage(entity)
    assert _schema_errors(entity)


@pytest.mark.parametrize(
    ("breakage", "problem"),
    [
        (lambda e: e.update(id="Building:1"), "is not urn:ngsi-ld:Building"),
        (
            lambda e: e.update(
                location={
                    "type": "GeoProperty",
                    "value": {"type": "Point", "coordinates": [51.33, 182.0]},
                }
            ),
            "longitude",
        ),
        (
            lambda e: e["sparcs:finalEnergy"].update(observedAt="2025-01-01T00:00:00+01:00"),
            "with Z",
        ),
        (lambda e: e.update(owner={"type": "Relationship", "Object": "urn:ngsi-ld:X:y"}), "object"),
        (lambda e: e.update(floorsAboveGround=3), "not a Property"),
        (
            lambda e: e.update(
                dateCreated={
                    "type": "Property",
                    "value": {"@type": "DateTime", "@value": "2025-01-01 00:00"},
                }
            ),
            "DateTime",
        ),
    ],
)
def test_check_entity_finds_what_the_schemas_miss(
    entities: list[dict[str, Any]], breakage: Any, problem: str
) -> None:
    entity = copy.deepcopy(next(e for e in entities if e["type"] == "Building"))
    breakage(entity)
    assert any(problem in p for p in check_entity(entity))


def test_ids_are_unique_stable_and_urns(
    week_flows: Flows, week_report: KpiReport, entities: list[dict[str, Any]]
) -> None:
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids))
    again = district_entities(
        week_report, PLACE, flows=week_flows, air_temperature_c=_air_temperature_c(week_flows)
    )
    assert [e["id"] for e in again] == ids
    building = week_flows.building_ids[0]
    assert f"urn:ngsi-ld:Building:leipzig:baumwoll-spinnerei:{building.lower()}" in ids
    assert ids[0] == "urn:ngsi-ld:EnergyCommunity:leipzig:baumwoll-spinnerei"
    assert (
        entity_id("Building", "Málaga", "Süd/Ost", "a b")
        == "urn:ngsi-ld:Building:malaga:sud-ost:a-b"
    )


def test_relationships_point_at_exported_entities(entities: list[dict[str, Any]]) -> None:
    ids = {e["id"] for e in entities}
    for entity in entities:
        for attr in entity.values():
            if isinstance(attr, dict) and attr.get("type") == "Relationship":
                targets = attr["object"] if isinstance(attr["object"], list) else [attr["object"]]
                assert set(targets) <= ids


def test_units_and_times(
    week_flows: Flows, week_report: KpiReport, entities: list[dict[str, Any]]
) -> None:
    end = week_flows.time[-1] + pd.Timedelta(hours=week_flows.dt_h)
    community = entities[0]
    for kpi in week_report.kpis:
        attr = community.get(f"sparcs:{re.sub(r'_(.)', lambda m: m.group(1).upper(), kpi.key)}")
        if not np.isfinite(kpi.value):
            assert attr is None
            continue
        assert attr is not None, kpi.key
        assert attr["value"] == pytest.approx(kpi.value)
        assert attr["observedAt"] == iso_utc(end)
        assert attr.get("unitCode") == unit_code(kpi.unit)
    assert community["sparcs:finalEnergy"]["unitCode"] == "KWH"
    assert community["sparcs:selfSufficiency"]["unitCode"] == "P1"
    assert community["sparcs:co2"]["unitCode"] == "KGM"
    assert community["sparcs:peakImport"]["unitCode"] == "KWT"
    assert "unitCode" not in community["sparcs:netEnergyCost"]  # no UN/CEFACT code for EUR
    for entity in entities:
        for attr in entity.values():
            if isinstance(attr, dict) and "observedAt" in attr:
                assert UTC_Z.match(attr["observedAt"])
    district = next(e for e in entities if e["id"].endswith(":grid-district"))
    assert district["totalActiveEnergyImport"]["value"] == pytest.approx(
        week_flows.total("grid_import_kwh").sum()
    )
    assert district["totalActiveEnergyImport"]["unitCode"] == "KWH"
    assert to_key_values(district)["dateEnergyMeteringStarted"] == iso_utc(week_flows.time[0])


def test_iso_utc_converts_zones() -> None:
    assert iso_utc(pd.Timestamp("2025-06-01T02:00", tz="Europe/Berlin")) == "2025-06-01T00:00:00Z"
    assert iso_utc("2025-06-01T00:00") == "2025-06-01T00:00:00Z"


def test_readings_entities_validate(tmp_path: Path) -> None:
    time = pd.date_range("2025-01-01", periods=96, freq="15min", tz="UTC")
    readings = pd.DataFrame(
        {
            "meter": ["imp-1"] * 96 + ["exp-1"] * 96 + ["heat-1"] * 96,
            "time": list(time) * 3,
            "value": [0.25] * 96 + [0.1] * 96 + [1.0] * 96,
            "flags": 0,
        }
    )
    meters = pd.DataFrame(
        {
            "id": ["exp-1", "heat-1", "imp-1"],
            "node": ["B1", "B1", "B1"],
            "quantity": ["grid_export_kwh", "heat_demand_kwh", "grid_import_kwh"],
            "resolution": ["15min", None, "15min"],
        }
    )
    found = readings_entities(readings, meters, PLACE)
    assert [e["id"].rsplit(":", 1)[1] for e in found] == ["meter-exp-1", "meter-imp-1"]
    for entity in found:
        assert _schema_errors(entity) == []
        assert check_entity(entity) == []
        assert entity["totalActiveEnergyImport"]["observedAt"] == "2025-01-02T00:00:00Z"
    assert found[1]["totalActiveEnergyImport"]["value"] == pytest.approx(24.0)
    assert found[0]["totalActiveEnergyExport"]["value"] == pytest.approx(9.6)
    paths = write_ngsi(tmp_path, found)
    assert json.loads(paths["ngsi_ld"].read_text(encoding="utf-8")) == found


def test_write_ngsi_refuses_duplicates_and_bad_entities(
    tmp_path: Path, entities: list[dict[str, Any]]
) -> None:
    paths = write_ngsi(tmp_path, entities)
    assert json.loads(paths["ngsi_ld"].read_text(encoding="utf-8")) == entities
    simple = json.loads(paths["ngsi_ld_key_values"].read_text(encoding="utf-8"))
    assert simple[0]["hasMember"] == entities[0]["hasMember"]["object"]
    with pytest.raises(ValueError, match="used twice"):
        write_ngsi(tmp_path, [entities[0], entities[0]])
    with pytest.raises(ValueError, match="invalid NGSI-LD"):
        write_ngsi(tmp_path, [{**entities[0], "id": "community"}])


def _required(entity_type: str) -> list[str]:
    schema = json.loads((SCHEMAS / f"{entity_type}.schema.json").read_text(encoding="utf-8"))
    required: list[str] = schema["required"]
    return required


def test_pv_measurement_has_every_required_attribute_of_its_model(
    week_flows: Flows, entities: list[dict[str, Any]]
) -> None:
    required = _required("PhotovoltaicMeasurement")
    assert set(required) == {
        "id",
        "type",
        "location",
        "dateObserved",
        "refPhotovoltaicDevice",
        "dateEnergyMeteringStarted",
        "temperature",
    }
    measurements = [e for e in entities if e["type"] == "PhotovoltaicMeasurement"]
    # one PV system per building with PV (25 kWp each in the fixture), none for the district
    assert len(measurements) == len(week_flows.building_ids)
    for entity in measurements:
        assert set(required) <= set(to_key_values(entity)), entity["id"]
        validator = _validator("PhotovoltaicMeasurement")
        for name in required:  # each one is needed: without it the schema refuses the entity
            broken = {k: v for k, v in to_key_values(entity).items() if k != name}
            assert list(validator.iter_errors(broken)), (entity["id"], name)
    device_required = set(_required("PhotovoltaicDevice"))
    for device in (e for e in entities if e["type"] == "PhotovoltaicDevice"):
        assert device_required <= set(to_key_values(device)), device["id"]


def test_pv_measurement_values_by_hand(week_flows: Flows, entities: list[dict[str, Any]]) -> None:
    node = 1
    building = week_flows.nodes[node]
    entity = next(
        e
        for e in entities
        if e["id"].endswith(
            f"PhotovoltaicMeasurement:leipzig:baumwoll-spinnerei:pv-{building.lower()}"
        )
    )
    generated = week_flows["pv_kwh"][:, node]
    hours = len(week_flows.time) * week_flows.dt_h
    temperature = _air_temperature_c(week_flows)
    assert entity["sparcs:energyGenerated"]["value"] == pytest.approx(generated.sum())
    assert entity["sparcs:energyGenerated"]["unitCode"] == "KWH"
    assert entity["activePower"]["value"] == pytest.approx(generated.sum() / hours)
    assert entity["activePower"]["unitCode"] == "KWT"
    assert entity["nominalPeakPowerGeneration"]["value"] == 25.0
    # generation happens by day, so the weighted temperature is above the week's mean
    weighted = (generated * temperature).sum() / generated.sum()
    assert entity["temperature"]["value"] == pytest.approx(weighted, abs=0.01)
    assert weighted > temperature.mean()
    assert entity["temperature"]["unitCode"] == "CEL"
    end = iso_utc(week_flows.time[-1] + pd.Timedelta(hours=1))
    simple = to_key_values(entity)
    assert simple["dateObserved"] == simple["dateObservedTo"] == end
    assert simple["dateObservedFrom"] == simple["dateEnergyMeteringStarted"]
    assert simple["dateEnergyMeteringStarted"] == iso_utc(week_flows.time[0])
    assert simple["location"]["coordinates"] == [12.33, 51.33]
    assert simple["refPhotovoltaicDevice"] == entity_id(
        "PhotovoltaicDevice", "Leipzig", "Baumwoll Spinnerei", f"pv-{building}"
    )


def test_pv_needs_one_temperature_per_step(week_flows: Flows, week_report: KpiReport) -> None:
    without = district_entities(week_report, PLACE, flows=week_flows)
    assert not any(e["type"].startswith("Photovoltaic") for e in without)
    with pytest.raises(ValueError, match="air temperature has shape"):
        district_entities(week_report, PLACE, flows=week_flows, air_temperature_c=np.zeros(5))
