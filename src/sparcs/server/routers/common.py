"""What several routers share: the district → city map and scope look-ups."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from sparcs.server.access import Principal
from sparcs.store import Store
from sparcs.store.network import District, list_records

__all__ = ["Limit", "Offset", "district_cities", "visible_districts"]

Limit = Annotated[int, Query(ge=1, le=1000, description="items per page")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="first item")]


def district_cities(store: Store) -> dict[str, str]:
    """District id -> its city id."""
    return {d.id: d.city for d in list_records(store, District)}


def visible_districts(store: Store, who: Principal) -> list[str] | None:
    """The districts ``who`` sees; None for all (an admin)."""
    if who.role == "admin":
        return None
    return [d for d, c in district_cities(store).items() if who.sees(city=c, district=d)]
