"""Stored readings as rows, one page at a time (what an API page needs, without a DataFrame)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sparcs.store.store import Store

__all__ = ["reading_page"]


def reading_page(
    store: Store,
    meters: Sequence[str],
    *,
    start: datetime | None,
    end: datetime | None,
    limit: int,
    offset: int,
) -> tuple[int, list[tuple[Any, ...]]]:
    """One page of stored readings of ``meters``, ordered by meter and time.

    Parameters
    ----------
    store
        The open store.
    meters
        Meter ids.
    start, end
        From (included) and to (excluded), tz-aware; None for no bound.
    limit, offset
        Page size and first row.

    Returns
    -------
    tuple of (int, list)
        The number of readings in all, and the page's rows: (meter, time UTC, value [kWh]
        or None, flags).
    """
    if not meters:
        return 0, []
    where = [f"m.id IN ({', '.join('?' for _ in meters)})"]
    params: list[Any] = list(meters)
    if start is not None:
        where.append("r.time >= ?")
        params.append(start)
    if end is not None:
        where.append("r.time < ?")
        params.append(end)
    body = f"FROM readings r JOIN meters m ON m.code = r.meter WHERE {' AND '.join(where)}"
    ((total,),) = store.backend.execute(f"SELECT count(*) {body}", params)
    rows = store.backend.execute(
        f"SELECT m.id, r.time, r.value, r.flags {body} ORDER BY m.id, r.time LIMIT ? OFFSET ?",
        [*params, int(limit), int(offset)],
    )
    return int(total), rows
