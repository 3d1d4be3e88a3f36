"""Request and response bodies of ``/api/v1``: units in field names, times ISO 8601 with offset."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "BatchOut",
    "BuildingIn",
    "BuildingOut",
    "CityIn",
    "CityOut",
    "Created",
    "DistrictIn",
    "DistrictOut",
    "FlexRequestIn",
    "HouseholdIn",
    "HouseholdOut",
    "JobOut",
    "MeterIn",
    "MeterOut",
    "Page",
    "ReadingIn",
    "ReadingOut",
    "ReadingsIn",
    "ReadingsOut",
    "RunAccepted",
    "RunIn",
    "RunOut",
    "ScenarioOut",
    "TokenIn",
    "TokenOut",
]

T = TypeVar("T")
_ID = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, the total, and the link to the next page."""

    items: list[T]
    total: int
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page; null on the last")


class Created(BaseModel):
    """The id of what was made."""

    id: str


class CityIn(_In):
    id: str = _ID
    name: str = Field(min_length=1, max_length=200)
    timezone: str = Field(description="IANA time zone, e.g. Europe/Lisbon")


class CityOut(BaseModel):
    id: str
    name: str
    timezone: str


class DistrictIn(_In):
    id: str = _ID
    city: str = _ID
    name: str = Field(min_length=1, max_length=200)


class DistrictOut(BaseModel):
    id: str
    city: str
    name: str


class BuildingIn(_In):
    id: str = _ID
    district: str = _ID
    floor_area_m2: float | None = Field(None, ge=0, le=1e7)
    residents: float | None = Field(None, ge=0, le=1e6)


class BuildingOut(BaseModel):
    id: str
    district: str
    floor_area_m2: float | None
    residents: float | None


class HouseholdIn(_In):
    id: str = _ID
    district: str = _ID
    name: str = Field(min_length=1, max_length=200)
    building: str | None = None


class HouseholdOut(BaseModel):
    id: str
    district: str
    name: str
    building: str | None
    meters: list[str]
    last_reading_at: datetime | None


class MeterIn(_In):
    """A meter as the meter map describes it, plus where it belongs."""

    id: str = _ID
    node: str = Field(min_length=1, max_length=64, description="a building id or 'district'")
    quantity: str = Field(description="a Flows name, e.g. grid_import_kwh")
    unit: Literal["Wh", "kWh", "MWh", "W", "kW", "MW"]
    resolution: str | None = Field(None, description="ISO 8601 duration, e.g. PT15M")
    timezone: str | None = None
    cumulative: bool = False
    district: str = _ID
    household: str | None = None


class MeterOut(BaseModel):
    id: str
    node: str
    quantity: str
    unit: str
    resolution: str | None
    timezone: str | None
    cumulative: bool
    district: str | None
    household: str | None


class ScenarioOut(BaseModel):
    id: str
    name: str
    district: str | None
    format: str
    created_at: datetime


class RunIn(_In):
    scenario: str = Field(min_length=1, max_length=64)
    strategy: Literal["rule", "optimal", "mpc"] = "rule"


class RunAccepted(BaseModel):
    job: str
    run: int


class RunOut(BaseModel):
    id: int
    scenario: str
    strategy: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    links: dict[str, str]


class JobOut(BaseModel):
    id: str
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    progress: float = Field(ge=0, le=1, description="share done [0..1]")
    stage: str | None
    errors: list[str]
    run: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ReadingIn(_In):
    time: str = Field(description="period start, ISO 8601 with offset, e.g. 2025-03-01T00:00Z")
    meter: str = Field(min_length=1)
    value: float | None = Field(description="in the meter's unit (or 'unit'); null = missing")
    unit: str | None = None


class ReadingsIn(_In):
    readings: list[ReadingIn]


class BatchOut(BaseModel):
    accepted: int
    duplicates: int
    conflicts: int
    rejected: int
    flagged: dict[str, int]


class ReadingOut(BaseModel):
    meter: str
    time: datetime
    value_kwh: float | None
    flags: list[str]


class ReadingsOut(Page[ReadingOut]):
    resolution: str | None


class TokenIn(_In):
    role: Literal["admin", "planner", "operator", "citizen"]
    city: str | None = None
    district: str | None = None
    household: str | None = None
    expires: str | None = Field(None, description="30d, 12h or 45m; null for none")
    label: str | None = Field(None, max_length=200)


class TokenOut(BaseModel):
    id: str
    role: str
    city: str | None
    district: str | None
    household: str | None
    label: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    token: str | None = Field(None, description="the secret; shown once, when made")


class FlexRequestIn(_In):
    start: str = Field(description="first hour, ISO 8601; without offset local time")
    end: str = Field(description="end (exclusive), ISO 8601")
    reduce_kw: float = Field(gt=0, le=1e6, description="cut of grid import [kW]")


JsonObject = dict[str, Any]
