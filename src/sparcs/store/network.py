"""The network in the store: cities, districts, buildings, households and where meters belong.

Each kind is a small frozen record and a table; ``put_*`` adds one (an id already stored is
refused: ids keep their meaning), ``list_*`` reads them in id order with optional filters.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sparcs.errors import StoreError
from sparcs.store.store import Store

__all__ = [
    "Building",
    "City",
    "District",
    "Household",
    "MeterScope",
    "get_record",
    "list_records",
    "put_record",
]


@dataclass(frozen=True)
class City:
    """A city: id, name and IANA time zone."""

    id: str
    name: str
    timezone: str


@dataclass(frozen=True)
class District:
    """A district of a city."""

    id: str
    city: str
    name: str


@dataclass(frozen=True)
class Building:
    """A building of a district: floor area [m²] and residents."""

    id: str
    district: str
    floor_area_m2: float | None = None
    residents: float | None = None


@dataclass(frozen=True)
class Household:
    """A household (what a citizen sees): its district and, optionally, its building."""

    id: str
    district: str
    name: str
    building: str | None = None


@dataclass(frozen=True)
class MeterScope:
    """Where a meter belongs: a district and, optionally, a household."""

    meter: str
    district: str
    household: str | None = None


Record = City | District | Building | Household | MeterScope

#: Per record type: table, columns (in record field order), and the parent it needs.
_TABLES: dict[type, tuple[str, tuple[str, ...], tuple[str, str, str] | None]] = {
    City: ("cities", ("id", "name", "timezone"), None),
    District: ("districts", ("id", "city_id", "name"), ("city", "cities", "city")),
    Building: (
        "buildings",
        ("id", "district_id", "floor_area_m2", "residents"),
        ("district", "districts", "district"),
    ),
    Household: (
        "households",
        ("id", "district_id", "name", "building_id"),
        ("district", "districts", "district"),
    ),
    MeterScope: (
        "meter_scopes",
        ("meter_id", "district_id", "household_id"),
        ("district", "districts", "district"),
    ),
}


def put_record(store: Store, record: Record) -> None:
    """Store a new city, district, building, household or meter scope.

    Parameters
    ----------
    store
        The open store.
    record
        The record; its parent (city of a district, district of a building ...) must exist.

    Raises
    ------
    StoreError
        The id is stored already, or the parent is missing.
    """
    table, columns, parent = _TABLES[type(record)]
    values = tuple(asdict(record).values())
    key = columns[0]
    if store.backend.execute(f"SELECT 1 FROM {table} WHERE {key} = ?", (values[0],)):
        msg = f"{table[:-1] if table != 'cities' else 'city'} {values[0]!r} exists already; ids keep their meaning"
        raise StoreError(msg)
    if parent is not None:
        field, parent_table, label = parent
        wanted = getattr(record, field)
        if not store.backend.execute(f"SELECT 1 FROM {parent_table} WHERE id = ?", (wanted,)):
            msg = f"{label} {wanted!r} is not in the store; add it first"
            raise StoreError(msg)
    marks = ", ".join("?" for _ in columns)
    store.backend.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)


def _build(kind: type, row: tuple[Any, ...]) -> Any:
    values = [
        float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for v in row
    ]
    return kind(*values)


def list_records(
    store: Store, kind: type, *, where: dict[str, str | None] | None = None
) -> list[Any]:
    """Records of ``kind`` in id order, those whose columns equal ``where``'s values.

    Parameters
    ----------
    store
        The open store.
    kind
        :class:`City`, :class:`District`, :class:`Building`, :class:`Household` or
        :class:`MeterScope`.
    where
        Column -> value filters (``{"district_id": "d1"}``); a None value filters nothing.

    Returns
    -------
    list
        The records.
    """
    table, columns, _ = _TABLES[kind]
    clauses, params = ["TRUE"], []
    for column, value in (where or {}).items():
        if column not in columns:
            msg = f"no column {column!r} in {table}"
            raise StoreError(msg)
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    rows = store.backend.execute(
        f"SELECT {', '.join(columns)} FROM {table} WHERE {' AND '.join(clauses)} "
        f"ORDER BY {columns[0]}",
        params,
    )
    return [_build(kind, row) for row in rows]


def get_record(store: Store, kind: type, record_id: str) -> Any:
    """The record of ``kind`` with id ``record_id``, or None.

    Parameters
    ----------
    store
        The open store.
    kind
        The record type.
    record_id
        Its id.

    Returns
    -------
    record or None
        The record when stored.
    """
    table, columns, _ = _TABLES[kind]
    found = list_records(store, kind, where={columns[0]: record_id})
    return found[0] if found else None
