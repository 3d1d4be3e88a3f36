"""Scenarios: upload (TOML or JSON, validated as the CLI does), list, read."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from sparcs.server.access import Principal
from sparcs.server.auth import StateDep, require
from sparcs.server.http import page
from sparcs.server.problems import PROBLEM_JSON, PROBLEM_RESPONSES, ApiProblem, ProblemDetail
from sparcs.server.routers.common import Limit, Offset, district_cities, visible_districts
from sparcs.server.schemas import Created, Page, ScenarioOut
from sparcs.server.uploads import parse_scenario, scenario_format
from sparcs.store import Store
from sparcs.store.network import District, get_record
from sparcs.store.plans import ScenarioRecord, add_scenario, get_scenario, list_scenarios

__all__ = ["router", "scenario_in_scope"]

router = APIRouter(prefix="/api/v1", tags=["scenarios"], responses=PROBLEM_RESPONSES)
Reader = Annotated[Principal, Depends(require("plans.read"))]
Writer = Annotated[Principal, Depends(require("plans.write"))]
#: Largest scenario body [bytes].
MAX_SCENARIO_BYTES = 4 << 20

_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/toml": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}},
        },
    }
}


def _out(record: ScenarioRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "name": record.name,
        "district": record.district,
        "format": record.format,
        "created_at": record.created_at,
    }


def scenario_in_scope(store: Store, who: Principal, scenario_id: str) -> ScenarioRecord:
    """The scenario when ``who`` sees its district; 404 otherwise (existence does not leak)."""
    record = get_scenario(store, scenario_id)
    if record is None or not (
        who.role == "admin"
        or (
            record.district is not None
            and who.sees(city=district_cities(store).get(record.district), district=record.district)
        )
    ):
        raise ApiProblem(404, f"no scenario {scenario_id!r} for this token")
    return record


def _target_district(store: Store, who: Principal, district: str | None) -> str | None:
    wanted = district or who.token.district
    if wanted is None:
        if who.role == "admin":
            return None
        raise ApiProblem(422, "give ?district=<id>: the district this scenario plans")
    found = get_record(store, District, wanted)
    if found is None:
        raise ApiProblem(404, f"no district {wanted!r}; list them with GET /api/v1/districts")
    if not who.sees(city=found.city, district=found.id):
        raise ApiProblem(403, f"district {wanted!r} is outside the scope of this token")
    return str(found.id)


@router.post(
    "/scenarios",
    status_code=201,
    response_model=Created,
    openapi_extra=_BODY,
    responses={
        415: {
            "model": ProblemDetail,
            "content": {PROBLEM_JSON: {}},
            "description": "not TOML or JSON",
        }
    },
)
async def upload_scenario(
    request: Request,
    state: StateDep,
    who: Writer,
    district: Annotated[str | None, Query(description="the district it plans")] = None,
) -> Any:
    """Upload a scenario as TOML or JSON; every problem comes back at once (problem+json)."""
    fmt = scenario_format(request.headers.get("content-type"))
    if fmt is None:
        raise ApiProblem(415, "send the scenario as application/toml or application/json")
    raw = await request.body()
    if len(raw) > MAX_SCENARIO_BYTES:
        raise ApiProblem(413, f"a scenario is at most {MAX_SCENARIO_BYTES >> 20} MiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiProblem(422, "the body is not UTF-8 text") from None
    _, scenario = parse_scenario(text, fmt)
    with state.store() as store:
        target = _target_district(store, who, district)
        scenario_id = add_scenario(store, name=scenario.name, body=text, fmt=fmt, district=target)
    return Response(
        content=Created(id=scenario_id).model_dump_json(),
        status_code=201,
        media_type="application/json",
        headers={"Location": f"/api/v1/scenarios/{scenario_id}"},
    )


@router.get("/scenarios", response_model=Page[ScenarioOut])
def scenarios(
    state: StateDep, who: Reader, request: Request, limit: Limit = 100, offset: Offset = 0
) -> Any:
    """Scenarios of the districts in scope, newest first."""
    with state.store() as store:
        found = list_scenarios(store, visible_districts(store, who))
    return page([_out(r) for r in found], request, limit, offset)


@router.get("/scenarios/{scenario_id}", response_model=ScenarioOut)
def scenario(state: StateDep, who: Reader, scenario_id: str) -> Any:
    """One scenario (its body: GET .../body)."""
    with state.store() as store:
        return _out(scenario_in_scope(store, who, scenario_id))


@router.get(
    "/scenarios/{scenario_id}/body",
    response_class=Response,
    responses={200: {"content": {"application/toml": {}, "application/json": {}}}},
)
def scenario_body(state: StateDep, who: Reader, scenario_id: str) -> Response:
    """The scenario as it was uploaded."""
    with state.store() as store:
        record = scenario_in_scope(store, who, scenario_id)
    media = "application/json" if record.format == "json" else "application/toml"
    return Response(content=record.body, media_type=media)
