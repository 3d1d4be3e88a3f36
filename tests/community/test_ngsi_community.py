"""The energy community as NGSI-LD: valid against the vendored Smart Data Models schemas and
the NGSI-LD rules, members linked both ways, the hand-worked settlement in its properties."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from community_cases import readings
from typer.testing import CliRunner

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

from sparcs.cli import app  # noqa: E402
from sparcs.community import CommunityFile, settle  # noqa: E402
from sparcs.report.ngsi import check_entity, to_key_values  # noqa: E402
from sparcs.report.ngsi_community import community_entities  # noqa: E402

SCHEMAS = Path(__file__).parents[1] / "data" / "ngsi"
UTC_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
USE = [[2.0, 5.0, 6.0, 0.0], [2.0, 5.0, 6.0, 0.0]]
PV = [[0, 0, 0, 10.0], [0, 0, 0, 20.0]]
SPEC = CommunityFile(name="Kivikko", shares={"a": 0.5, "b": 0.3, "c": 0.2})


@cache
def _registry() -> Any:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], referencing.Resource.from_contents(schema)))
    return referencing.Registry().with_resources(resources)


def _schema_errors(entity: dict[str, Any]) -> list[str]:
    schema = json.loads((SCHEMAS / f"{entity['type']}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema, registry=_registry(), format_checker=cls.FORMAT_CHECKER)
    return [e.message for e in validator.iter_errors(to_key_values(entity))]


@pytest.fixture(scope="module")
def entities() -> list[dict[str, Any]]:
    result = settle(readings(USE, PV, "a b c p"), "static", SPEC)
    return community_entities(result, city="Espoo")


def test_every_entity_is_valid_ngsi_ld_and_fits_its_schema(entities: list[dict[str, Any]]) -> None:
    assert [e["type"] for e in entities] == ["EnergyCommunity"] + ["EnergyProsumer"] * 4
    for entity in entities:
        assert check_entity(entity) == [], entity["id"]
        assert _schema_errors(entity) == [], entity["id"]
        assert entity["@context"][-1].startswith("https://uri.etsi.org/ngsi-ld/")
        for key, attr in entity.items():
            if isinstance(attr, dict) and "observedAt" in attr:
                assert UTC_Z.match(attr["observedAt"]), key
                assert attr["unitCode"] == "KWH", key


def test_members_and_community_point_at_each_other(entities: list[dict[str, Any]]) -> None:
    community, *members = entities
    assert community["id"] == "urn:ngsi-ld:EnergyCommunity:espoo:kivikko"
    assert community["hasMember"]["object"] == [m["id"] for m in members]
    assert members[0]["id"] == "urn:ngsi-ld:EnergyProsumer:espoo:kivikko:a"
    assert {m["memberOf"]["object"] for m in members} == {community["id"]}
    roles = {m["name"]["value"]: m["roleType"]["value"] for m in members}
    assert roles == {"a": "consumer", "b": "consumer", "c": "consumer", "p": "producer"}


def test_the_settlement_is_in_the_properties(entities: list[dict[str, Any]]) -> None:
    # static, hand-worked in test_keys: a 2 + 2, b 3 + 5, c 2 + 4 of 30 kWh; 12 kWh exported
    community, a, b, c, p = entities
    value = {k: v["value"] for k, v in community.items() if isinstance(v, dict) and "value" in v}
    assert value["sparcs:allocationKey"] == "static"
    assert value["sparcs:allocatedEnergy"] == 18.0
    assert value["sparcs:communityExport"] == 12.0
    assert value["sparcs:production"] == 30.0
    assert value["sparcs:gridImport"] == 26.0 - 18.0
    assert value["sparcs:periodStart"]["@value"] == "2024-12-31T23:00:00Z"
    assert value["sparcs:periodEnd"]["@value"] == "2024-12-31T23:30:00Z"
    (month,) = value["sparcs:monthlySettlement"]  # 00:00 and 00:15 local time: January
    assert month["month"] == "2025-01" and month["allocatedKwh"] == 18.0
    assert month["communityExportKwh"] == 12.0
    assert b["sparcs:allocatedEnergy"]["value"] == 8.0
    assert b["totalEnergyImported"]["value"] == 2.0
    assert p["totalEnergyExported"]["value"] == 12.0 and p["sparcs:sharedEnergy"]["value"] == 18.0
    members = [a, b, c, p]
    total = sum(m["sparcs:allocatedEnergy"]["value"] for m in members)
    assert np.isclose(total, value["sparcs:allocatedEnergy"])


def test_the_cli_writes_the_entities(tmp_path: Path) -> None:
    from community_cases import SHARES, three_homes_rows, write_csv

    (tmp_path / "shares.toml").write_text(SHARES, "utf-8")
    path = write_csv(tmp_path / "readings.csv", three_homes_rows())
    done = CliRunner().invoke(app, [
        "community", "settle", "--readings", str(path), "--shares", str(tmp_path / "shares.toml"),
        "--key", "iterative", "--ngsi-ld", str(tmp_path / "ngsi"), "--city", "Kladno",
    ])  # fmt: skip
    assert done.exit_code == 0, done.output
    written = json.loads((tmp_path / "ngsi" / "entities.jsonld").read_text(encoding="utf-8"))
    assert written[0]["id"] == "urn:ngsi-ld:EnergyCommunity:kladno:hand-worked-community"
    assert written[0]["sparcs:communityExport"]["value"] == 7.0
    simple = json.loads((tmp_path / "ngsi" / "entities-keyvalues.json").read_text("utf-8"))
    assert simple[1]["memberOf"] == written[0]["id"]
