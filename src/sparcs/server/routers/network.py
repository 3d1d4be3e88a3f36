"""Cities, districts, buildings, households and meters (``/api/v1/...``)."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError

from sparcs.errors import ScenarioError
from sparcs.monitoring.ingest import MeterSpec
from sparcs.server.access import Principal
from sparcs.server.auth import StateDep, require
from sparcs.server.http import page
from sparcs.server.problems import PROBLEM_RESPONSES, ApiProblem, FieldError
from sparcs.server.routers.common import Limit, Offset, district_cities
from sparcs.server.schemas import (
    BuildingIn,
    BuildingOut,
    CityIn,
    CityOut,
    Created,
    DistrictIn,
    DistrictOut,
    HouseholdIn,
    HouseholdOut,
    MeterIn,
    MeterOut,
    Page,
)
from sparcs.store import Store
from sparcs.store.network import (
    Building,
    City,
    District,
    Household,
    MeterScope,
    get_record,
    list_records,
    put_record,
)
from sparcs.timeseries import to_zoneinfo

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["network"], responses=PROBLEM_RESPONSES)
Reader = Annotated[Principal, Depends(require("network.read"))]
Manager = Annotated[Principal, Depends(require("network.manage"))]
AssetReader = Annotated[Principal, Depends(require("assets.read"))]


def _forbidden(kind: str, key: str) -> ApiProblem:
    return ApiProblem(403, f"{kind} {key!r} is outside the scope of this token")


def _missing(kind: str, key: str) -> ApiProblem:
    return ApiProblem(404, f"no {kind} {key!r}; list them with GET /api/v1/{kind}s")


@router.get("/cities", response_model=Page[CityOut])
def list_cities(
    state: StateDep, who: Reader, request: Request, limit: Limit = 100, offset: Offset = 0
) -> Any:
    """Cities in the token's scope."""
    with state.store() as store:
        cities = [c for c in list_records(store, City) if who.sees(city=c.id)]
    return page([vars(c) for c in cities], request, limit, offset)


@router.post("/cities", status_code=201, response_model=Created)
def add_city(state: StateDep, who: Manager, body: CityIn) -> Any:
    """Add a city (admin)."""
    try:
        to_zoneinfo(body.timezone)
    except ScenarioError as exc:
        message = str(exc)
        raise ApiProblem(
            422, message, errors=[FieldError(location="body.timezone", message=message)]
        ) from None
    with state.store() as store:
        put_record(store, City(body.id, body.name, body.timezone))
    return {"id": body.id}


@router.get("/cities/{city_id}", response_model=CityOut)
def get_city(state: StateDep, who: Reader, city_id: str) -> Any:
    """One city."""
    with state.store() as store:
        city = get_record(store, City, city_id)
    if city is None:
        raise _missing(kind="city", key=city_id)
    if not who.sees(city=city.id):
        raise _forbidden(kind="city", key=city_id)
    return vars(city)


@router.get("/districts", response_model=Page[DistrictOut])
def list_districts(
    state: StateDep,
    who: Reader,
    request: Request,
    city: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Any:
    """Districts in the token's scope (of one city when ``city`` is given)."""
    with state.store() as store:
        found = list_records(store, District, where={"city_id": city})
    return page(
        [vars(d) for d in found if who.sees(city=d.city, district=d.id)], request, limit, offset
    )


@router.post("/districts", status_code=201, response_model=Created)
def add_district(state: StateDep, who: Manager, body: DistrictIn) -> Any:
    """Add a district to a city (admin)."""
    with state.store() as store:
        put_record(store, District(body.id, body.city, body.name))
    state.forget("meters")
    return {"id": body.id}


def _district(store: Store, who: Principal, district_id: str) -> District:
    district: District | None = get_record(store, District, district_id)
    if district is None:
        raise _missing(kind="district", key=district_id)
    if not who.sees(city=district.city, district=district.id):
        raise _forbidden(kind="district", key=district_id)
    return district


@router.get("/districts/{district_id}", response_model=DistrictOut)
def get_district(state: StateDep, who: Reader, district_id: str) -> Any:
    """One district."""
    with state.store() as store:
        return vars(_district(store, who, district_id))


@router.get("/buildings", response_model=Page[BuildingOut])
def list_buildings(
    state: StateDep,
    who: AssetReader,
    request: Request,
    district: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Any:
    """Buildings in the token's scope (of one district when ``district`` is given)."""
    with state.store() as store:
        cities = district_cities(store)
        found = list_records(store, Building, where={"district_id": district})
    shown = [vars(b) for b in found if who.sees(city=cities.get(b.district), district=b.district)]
    return page(shown, request, limit, offset)


@router.post("/buildings", status_code=201, response_model=Created)
def add_building(state: StateDep, who: Manager, body: BuildingIn) -> Any:
    """Add a building to a district (admin)."""
    with state.store() as store:
        put_record(store, Building(body.id, body.district, body.floor_area_m2, body.residents))
    return {"id": body.id}


@router.post("/households", status_code=201, response_model=Created)
def add_household(state: StateDep, who: Manager, body: HouseholdIn) -> Any:
    """Add a household to a district (admin)."""
    with state.store() as store:
        put_record(store, Household(body.id, body.district, body.name, body.building))
    return {"id": body.id}


@router.get("/households/{household_id}", response_model=HouseholdOut)
def get_household(
    state: StateDep,
    who: Annotated[Principal, Depends(require("households.read"))],
    household_id: str,
) -> Any:
    """A household: its meters and last reading (a citizen sees their own only)."""
    with state.store() as store:
        home: Household | None = get_record(store, Household, household_id)
        cities = district_cities(store)
        if home is None or not who.sees(
            city=cities.get(home.district), district=home.district, household=home.id
        ):
            raise ApiProblem(404, f"no household {household_id!r} for this token")
        meters = [m.meter for m in list_records(store, MeterScope, where={"household_id": home.id})]
        info = store.info()
    last = [info[m]["last"] for m in meters if m in info and info[m]["last"]]
    return {**vars(home), "meters": meters, "last_reading_at": max(last) if last else None}


def meter_rows(store: Store) -> list[dict[str, Any]]:
    """Every meter with its scope (district, household; None when not placed)."""
    scopes = {s.meter: s for s in list_records(store, MeterScope)}
    rows = []
    for row in store.meters().to_dict("records"):
        scope = scopes.get(row["id"])
        rows.append(
            {
                **{
                    k: None if pd.isna(row[k]) else str(row[k])
                    for k in ("id", "node", "quantity", "unit", "resolution", "timezone")
                },
                "cumulative": bool(row["cumulative"]),
                "district": scope.district if scope else None,
                "household": scope.household if scope else None,
            }
        )
    return rows


def visible_meter(who: Principal, row: dict[str, Any], cities: dict[str, str]) -> bool:
    """True when ``who`` may see meter ``row`` (an unplaced meter: admins only)."""
    if row["district"] is None:
        return who.role == "admin"
    if who.role == "citizen" and row["household"] is None:
        return False
    return who.sees(
        city=cities.get(row["district"]), district=row["district"], household=row["household"]
    )


@router.get("/meters", response_model=Page[MeterOut])
def list_meters(
    state: StateDep,
    who: Annotated[Principal, Depends(require("readings.read"))],
    request: Request,
    district: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Any:
    """Meters in the token's scope (a citizen: their household's)."""
    with state.store() as store:
        cities = district_cities(store)
        rows = meter_rows(store)
    shown = [r for r in rows if visible_meter(who, r, cities) and district in (None, r["district"])]
    return page(shown, request, limit, offset)


@router.post("/meters", status_code=201, response_model=Created)
def add_meter(
    state: StateDep, who: Annotated[Principal, Depends(require("meters.manage"))], body: MeterIn
) -> Any:
    """Register a meter of a district (admin, operator), validated as the meter map is."""
    fields = body.model_dump(exclude={"district", "household"})
    try:
        spec = MeterSpec.model_validate(fields)
    except ValidationError as exc:
        errors = [
            FieldError(location="body." + ".".join(map(str, e["loc"])), message=e["msg"])
            for e in exc.errors()
        ]
        raise ApiProblem(422, f"{len(errors)} problem(s) in the meter", errors=errors) from None
    with state.store() as store:
        district = _district(store, who, body.district)
        if body.household is not None:
            home = get_record(store, Household, body.household)
            if home is None or home.district != district.id:
                message = f"no household {body.household!r} in district {district.id!r}"
                raise ApiProblem(
                    422, message, errors=[FieldError(location="body.household", message=message)]
                )
        if get_record(store, MeterScope, body.id) is not None:
            raise ApiProblem(
                409, f"meter {body.id!r} is registered already; a meter keeps its meaning"
            )
        store.put_meters([spec])  # a meter stored before (CLI ingest) must match, or 409
        put_record(store, MeterScope(body.id, district.id, body.household))
    state.forget("meters")
    return {"id": body.id}
