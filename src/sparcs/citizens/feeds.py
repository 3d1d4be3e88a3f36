"""A household's secret calendar-feed address: subscribe a calendar app without a token.

Calendar apps fetch a subscribed URL on their own and send no ``Authorization`` header, so the
green-hours feed needs an address that is its own credential: ``/calendar/<secret>.ics``. The
secret (``cal_`` + 43 url-safe characters, 256 bits from :mod:`secrets`) is shown once, when it
is made; the store keeps only its SHA-256, so a copy of the database opens no feed. A household
has at most one feed: making a new one replaces (rotates) the old address, and revoking it makes
the address answer 404. The address names no household, and a secret opens only the feed of the
household that made it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sparcs.store.store import Store

__all__ = [
    "PREFIX",
    "create_feed",
    "feed_created_at",
    "feeds_created_at",
    "find_feed",
    "revoke_feed",
]

#: Start of every feed secret (tells it apart from an API token in logs and support mail).
PREFIX = "cal_"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_feed(store: Store, household: str, *, now: datetime | None = None) -> str:
    """Make (or replace) the household's feed secret; the old address stops working.

    Parameters
    ----------
    store
        The open store.
    household
        Household id.
    now
        Creation time (UTC); None for the clock.

    Returns
    -------
    str
        The secret, to put into the address; it is not stored and cannot be shown again.
    """
    secret = PREFIX + secrets.token_urlsafe(32)
    with store.backend.transaction():
        store.backend.execute("DELETE FROM calendar_feeds WHERE household_id = ?", (household,))
        store.backend.execute(
            "INSERT INTO calendar_feeds (household_id, secret_hash, created_at) VALUES (?, ?, ?)",
            (household, _hash(secret), now or datetime.now(UTC)),
        )
    return secret


def revoke_feed(store: Store, household: str) -> bool:
    """Stop the household's feed address.

    Parameters
    ----------
    store
        The open store.
    household
        Household id.

    Returns
    -------
    bool
        True when there was a feed.
    """
    had = feed_created_at(store, household) is not None
    store.backend.execute("DELETE FROM calendar_feeds WHERE household_id = ?", (household,))
    return had


def find_feed(store: Store, secret: str) -> str | None:
    """The household whose feed ``secret`` opens, or None (unknown, revoked or replaced).

    Parameters
    ----------
    store
        The open store.
    secret
        The secret from the address.

    Returns
    -------
    str or None
        Household id.
    """
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    rows = store.backend.execute(
        "SELECT household_id FROM calendar_feeds WHERE secret_hash = ?", (_hash(secret),)
    )
    return str(rows[0][0]) if rows else None


def feed_created_at(store: Store, household: str) -> datetime | None:
    """When the household's current feed was made, or None without one.

    Parameters
    ----------
    store
        The open store.
    household
        Household id.

    Returns
    -------
    datetime or None
        Creation time (tz-aware).
    """
    rows = store.backend.execute(
        "SELECT created_at FROM calendar_feeds WHERE household_id = ?", (household,)
    )
    if not rows:
        return None
    created: datetime = rows[0][0]
    return created if created.tzinfo else created.replace(tzinfo=UTC)


def feeds_created_at(store: Store) -> dict[str, datetime]:
    """When each household's current feed was made (households without one left out): one
    statement for every green-hours page of a data version.

    Parameters
    ----------
    store
        The open store.

    Returns
    -------
    dict of str to datetime
        Creation time (tz-aware) by household id.
    """
    rows = store.backend.execute("SELECT household_id, created_at FROM calendar_feeds")
    return {
        str(household): created if created.tzinfo else created.replace(tzinfo=UTC)
        for household, created in rows
    }
