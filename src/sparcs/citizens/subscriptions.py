"""Browsers' Web Push subscriptions of a household, and the notice kinds each opted in to.

A subscription is what the browser's Push API hands over (``PushSubscription.toJSON()``:
``endpoint``, ``keys.p256dh``, ``keys.auth``) plus the kinds of :data:`KINDS` the household
wants. They are kept in the store (``push_subscriptions``), one row per endpoint; the
household's export lists them and deleting the household deletes them.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sparcs.errors import DataError
from sparcs.store.store import Store

__all__ = [
    "KINDS",
    "Subscription",
    "check_subscription",
    "delete_subscription",
    "save_subscription",
    "subscriptions",
]

#: Notice kinds a household can opt in to.
KINDS = ("green-now", "green-soon")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Subscription:
    """A browser's push subscription and the notices it wants.

    Attributes
    ----------
    endpoint
        The push service URL of the browser.
    p256dh
        The browser's P-256 public key, base64url (65 bytes, uncompressed point).
    auth
        The browser's authentication secret, base64url (16 bytes).
    kinds
        Notice kinds of :data:`KINDS` the household opted in to.
    """

    endpoint: str
    p256dh: str
    auth: str
    kinds: tuple[str, ...]


def check_subscription(data: object) -> Subscription:
    """Check a subscription as a browser's ``PushSubscription.toJSON()`` plus ``kinds``.

    Parameters
    ----------
    data
        ``{"endpoint": url, "keys": {"p256dh": b64url, "auth": b64url}, "kinds": [...]}``.

    Returns
    -------
    Subscription
        The checked subscription.

    Raises
    ------
    DataError
        A field missing or malformed; the message names the field and the fix.
    """
    if not isinstance(data, dict):
        msg = 'send {"endpoint": ..., "keys": {"p256dh": ..., "auth": ...}, "kinds": [...]}'
        raise DataError(msg)
    endpoint = data.get("endpoint")
    parts = urlsplit(endpoint) if isinstance(endpoint, str) else None
    secure = parts is not None and parts.scheme == "https" and bool(parts.hostname)
    loopback = parts is not None and parts.scheme == "http" and parts.hostname in _LOOPBACK
    if not (secure or loopback) or len(str(endpoint)) > 2000:
        msg = "endpoint: give the push service's https URL of the subscription"
        raise DataError(msg)
    keys = data.get("keys")
    keys = keys if isinstance(keys, dict) else {}
    for name, size in (("p256dh", 65), ("auth", 16)):
        value = keys.get(name)
        try:
            raw = _b64decode(value) if isinstance(value, str) else b""
        except (ValueError, binascii.Error):
            raw = b""
        if len(raw) != size or (name == "p256dh" and raw[0] != 4):
            msg = f"keys.{name}: give the subscription's base64url key of {size} bytes"
            raise DataError(msg)
    kinds = data.get("kinds", list(KINDS))
    if not isinstance(kinds, list) or not set(kinds) <= set(KINDS):
        msg = f"kinds: give a list of notice kinds out of {', '.join(KINDS)}"
        raise DataError(msg)
    return Subscription(str(endpoint), keys["p256dh"], keys["auth"], tuple(sorted(set(kinds))))


def save_subscription(
    store: Store, household: str, subscription: Subscription, *, now: datetime | None = None
) -> None:
    """Store (or replace) a subscription of the household.

    Parameters
    ----------
    store
        The open store.
    household
        Household id.
    subscription
        The checked subscription; an endpoint already stored is replaced.
    now
        Creation time (UTC); None for the clock.
    """
    with store.backend.transaction():
        store.backend.execute(
            "DELETE FROM push_subscriptions WHERE endpoint = ?", (subscription.endpoint,)
        )
        store.backend.execute(
            """INSERT INTO push_subscriptions
               (endpoint, household_id, p256dh, auth, kinds, created_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (subscription.endpoint, household, subscription.p256dh, subscription.auth,
             json.dumps(list(subscription.kinds)), now or datetime.now(UTC)),
        )  # fmt: skip


def delete_subscription(store: Store, household: str, endpoint: str) -> bool:
    """Forget one of the household's subscriptions.

    Parameters
    ----------
    store
        The open store.
    household
        Household id (another household's endpoint is left alone).
    endpoint
        The subscription's endpoint.

    Returns
    -------
    bool
        True when it existed.
    """
    where = "FROM push_subscriptions WHERE endpoint = ? AND household_id = ?"
    found = store.backend.execute(f"SELECT count(*) {where}", (endpoint, household))
    store.backend.execute(f"DELETE {where}", (endpoint, household))
    return bool(found[0][0])


def subscriptions(
    store: Store, kind: str, households: Sequence[str]
) -> list[tuple[str, Subscription]]:
    """The subscriptions that opted in to ``kind`` among ``households``.

    Parameters
    ----------
    store
        The open store.
    kind
        A notice kind of :data:`KINDS`.
    households
        Household ids (a district's).

    Returns
    -------
    list of (str, Subscription)
        Household and subscription, by household and endpoint.
    """
    if not households:
        return []
    marks = ", ".join("?" for _ in households)
    rows = store.backend.execute(
        f"""SELECT household_id, endpoint, p256dh, auth, kinds FROM push_subscriptions
            WHERE household_id IN ({marks}) ORDER BY household_id, endpoint""",
        list(households),
    )
    found = []
    for household, endpoint, p256dh, auth, kinds in rows:
        wanted = tuple(json.loads(kinds))
        if kind in wanted:
            found.append((str(household), Subscription(endpoint, p256dh, auth, wanted)))
    return found
