"""A household's own data: its settings, everything stored about it (export), and deletion.

The export holds the household record, its settings, its meters and every reading of them,
and the proposals it voted on (not what it voted: ballots carry no household). Deleting the
account removes all of that and revokes its tokens; its secret ballots stay counted, since
nothing links them to the household.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sparcs.errors import DataError
from sparcs.i18n import LANGUAGES
from sparcs.store.meter_changes import count_change
from sparcs.store.readings_log import writing
from sparcs.store.store import Store

__all__ = [
    "Settings",
    "delete_household",
    "export_csv",
    "export_json",
    "get_settings",
    "put_settings",
]

#: Most residents a household can state (larger households count as this many).
MAX_RESIDENTS = 12


@dataclass(frozen=True)
class Settings:
    """What a household chose.

    Attributes
    ----------
    language
        Language code of :data:`sparcs.i18n.LANGUAGES`, or None (the browser's).
    residents
        People living there (compares it with similar households), or None.
    """

    language: str | None = None
    residents: int | None = None


def get_settings(store: Store, household: str) -> Settings:
    """The household's settings (defaults when it never chose)."""
    rows = store.backend.execute(
        "SELECT language, residents FROM household_settings WHERE household_id = ?", (household,)
    )
    if not rows:
        return Settings()
    language, residents = rows[0]
    return Settings(language, None if residents is None else int(residents))


def put_settings(store: Store, household: str, settings: Settings) -> None:
    """Store the household's settings.

    Parameters
    ----------
    store
        The open store.
    household
        Household id.
    settings
        The choice.

    Raises
    ------
    DataError
        A language SPARCS does not speak, or residents outside 1..12.
    """
    if settings.language is not None and settings.language not in LANGUAGES:
        msg = f"language: {settings.language!r} is not one of {', '.join(LANGUAGES)}"
        raise DataError(msg)
    if settings.residents is not None and not 1 <= settings.residents <= MAX_RESIDENTS:
        msg = f"residents: {settings.residents} is not between 1 and {MAX_RESIDENTS}"
        raise DataError(msg)
    with store.backend.transaction():
        store.backend.execute("DELETE FROM household_settings WHERE household_id = ?", (household,))
        store.backend.execute(
            "INSERT INTO household_settings (household_id, language, residents) VALUES (?, ?, ?)",
            (household, settings.language, settings.residents),
        )


def _meters(store: Store, household: str) -> list[str]:
    rows = store.backend.execute(
        "SELECT meter_id FROM meter_scopes WHERE household_id = ? ORDER BY meter_id", (household,)
    )
    return [str(r[0]) for r in rows]


def export_json(store: Store, household: str) -> dict[str, Any]:
    """Everything the store holds about a household.

    Parameters
    ----------
    store
        The open store.
    household
        Household id.

    Returns
    -------
    dict
        ``household``, ``settings``, ``meters`` (with ``readings``: time, value [kWh], flags)
        ``voted_on`` (proposal ids), ``calendar_feed`` (when its secret address was made,
        not the secret: only its hash is kept) and ``push_subscriptions`` (browser endpoints
        and the notices each opted in to).
    """
    rows = store.backend.execute(
        "SELECT id, district_id, building_id, name FROM households WHERE id = ?", (household,)
    )
    record = dict(zip(("id", "district", "building", "name"), rows[0], strict=True)) if rows else {}
    settings = get_settings(store, household)
    meters = []
    for meter in _meters(store, household):
        found = store.backend.execute(
            """SELECT m.quantity, m.unit, r.time, r.value, r.flags FROM meters m
               LEFT JOIN readings r ON r.meter = m.code WHERE m.id = ? ORDER BY r.time""",
            (meter,),
        )
        readings = [
            {"time": t.isoformat(), "value_kwh": v, "flags": f} for _, _, t, v, f in found if t
        ]
        quantity, unit = (found[0][0], found[0][1]) if found else (None, None)
        meters.append({"id": meter, "quantity": quantity, "unit": unit, "readings": readings})
    voted = store.backend.execute(
        "SELECT proposal_id FROM vote_register WHERE household_id = ? ORDER BY proposal_id",
        (household,),
    )
    feed = store.backend.execute(
        "SELECT created_at FROM calendar_feeds WHERE household_id = ?", (household,)
    )
    pushes = store.backend.execute(
        """SELECT endpoint, kinds, created_at FROM push_subscriptions WHERE household_id = ?
           ORDER BY created_at, endpoint""",
        (household,),
    )
    return {
        "household": record,
        "settings": {"language": settings.language, "residents": settings.residents},
        "meters": meters,
        "voted_on": [str(v[0]) for v in voted],
        "calendar_feed": {"created_at": _iso(feed[0][0])} if feed else None,
        "push_subscriptions": [
            {"endpoint": e, "kinds": json.loads(k), "created_at": _iso(t)} for e, k, t in pushes
        ],
    }


def _iso(moment: datetime) -> str:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def export_csv(data: dict[str, Any]) -> str:
    """The readings of an export as CSV (``meter,quantity,time,value_kwh,flags``).

    Parameters
    ----------
    data
        What :func:`export_json` returned.

    Returns
    -------
    str
        CSV text with a header line.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["meter", "quantity", "time", "value_kwh", "flags"])
    for meter in data["meters"]:
        for r in meter["readings"]:
            writer.writerow([meter["id"], meter["quantity"], r["time"], r["value_kwh"], r["flags"]])
    return out.getvalue()


def delete_household(store: Store, household: str) -> None:
    """Delete a household: readings, meters, settings, vote register, calendar feed, push
    subscriptions, tokens and the record.

    Parameters
    ----------
    store
        The open store.
    household
        Household id.
    """
    meters = _meters(store, household)
    marks = ", ".join("?" for _ in meters)
    # the readings' log held until the meters' change is counted: a live batch appended
    # meanwhile looks its meters' codes up after, never with a deleted meter's code
    with writing(store.file_key):
        try:
            _delete(store, household, meters, marks)
        finally:  # committed or not: readers of the meters read them again
            count_change(store.file_key)


def _delete(store: Store, household: str, meters: list[str], marks: str) -> None:
    with store.backend.transaction():
        if meters:
            store.backend.execute(
                "DELETE FROM readings WHERE meter IN "
                f"(SELECT code FROM meters WHERE id IN ({marks}))",
                meters,
            )
            store.backend.execute(f"DELETE FROM meter_scopes WHERE meter_id IN ({marks})", meters)
            store.backend.execute(f"DELETE FROM meters WHERE id IN ({marks})", meters)
        tables = ("household_settings", "vote_register", "calendar_feeds", "push_subscriptions")
        for table in tables:
            store.backend.execute(f"DELETE FROM {table} WHERE household_id = ?", (household,))
        store.backend.execute("DELETE FROM tokens WHERE household_id = ?", (household,))
        store.backend.execute("DELETE FROM households WHERE id = ?", (household,))
