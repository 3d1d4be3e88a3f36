"""Web Push notices to a household's browsers: "energy is green now" and "green hours soon".

A browser subscribes with the server's VAPID public key (RFC 8292) and hands over its push
service endpoint and keys (the Push API's ``PushSubscription``: ``endpoint``, ``keys.p256dh``,
``keys.auth``); the household opts in per notice kind (:data:`KINDS`). A notice is a small JSON
text encrypted for that browser alone (RFC 8291, ``aes128gcm`` content coding of RFC 8188, with
``http_ece``) and POSTed to the endpoint with a signed VAPID JWT (``py_vapid``); the push
service forwards it. An endpoint that answers 404 or 410 is gone and is forgotten.

The VAPID key is the server's own P-256 key, made on first use and kept in the store.
Network access happens only here, to the endpoints browsers gave, with a timeout.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

from sparcs.errors import DataError
from sparcs.store.store import Store

__all__ = [
    "KINDS",
    "PushResult",
    "Subscription",
    "application_server_key",
    "check_subscription",
    "delete_subscription",
    "encrypt",
    "save_subscription",
    "send",
    "subscriptions",
    "vapid_headers",
    "vapid_key",
]

#: Notice kinds a household can opt in to.
KINDS = ("green-now", "green-soon")
#: Seconds a push service keeps an undelivered notice (an hour-old "green now" is stale).
TTL_S = 3600
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


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


@dataclass(frozen=True)
class PushResult:
    """What the push service answered.

    Attributes
    ----------
    endpoint
        Where the notice went.
    status
        HTTP status (0 when the service could not be reached).
    gone
        True when the subscription no longer exists (404, 410) and was forgotten.
    """

    endpoint: str
    status: int
    gone: bool


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


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


def vapid_key(store: Store) -> Vapid02:
    """The server's VAPID key, made and stored on first use.

    Parameters
    ----------
    store
        The open store.

    Returns
    -------
    py_vapid.Vapid02
        The key (P-256).
    """
    rows = store.backend.execute("SELECT private_pem FROM vapid_keys WHERE id = 'default'")
    if rows:
        return Vapid02.from_pem(str(rows[0][0]).encode("ascii"))
    key = Vapid02()
    key.generate_keys()
    pem = key.private_pem().decode("ascii")
    store.backend.execute(
        "INSERT INTO vapid_keys (id, private_pem, created_at) VALUES ('default', ?, ?)",
        (pem, datetime.now(UTC)),
    )
    return key


def application_server_key(key: Vapid02) -> str:
    """The public key a browser subscribes with (``applicationServerKey``), base64url.

    Parameters
    ----------
    key
        The VAPID key.

    Returns
    -------
    str
        The uncompressed P-256 point (65 bytes), base64url without padding.
    """
    raw = key.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64encode(raw)


def vapid_headers(key: Vapid02, endpoint: str, subject: str, *, now: float | None = None) -> str:
    """The ``Authorization`` header of a push: a VAPID JWT for the endpoint's origin.

    Parameters
    ----------
    key
        The VAPID key.
    endpoint
        The push service URL (its origin is the JWT's ``aud``).
    subject
        Contact of the server's operator (``mailto:`` or ``https:``), the JWT's ``sub``.
    now
        Unix time [s]; None for the clock. The JWT expires 12 h later.

    Returns
    -------
    str
        ``vapid t=<JWT>,k=<public key>`` (RFC 8292).
    """
    parts = urlsplit(endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int((time.time() if now is None else now) + 12 * 3600),
        "sub": subject,
    }
    header: str = key.sign(claims)["Authorization"]
    return header


def encrypt(payload: bytes, subscription: Subscription) -> bytes:
    """Encrypt a notice for one browser (RFC 8291, ``aes128gcm``).

    Parameters
    ----------
    payload
        The notice (at most 3,993 bytes, so one record fits the 4,096 of RFC 8291).
    subscription
        The browser's keys.

    Returns
    -------
    bytes
        The request body: salt, record size, the sender's ephemeral public key, ciphertext.
    """
    if len(payload) > 3993:
        msg = f"a push notice holds at most 3993 bytes, got {len(payload)}"
        raise DataError(msg)
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    body: bytes = http_ece.encrypt(
        payload,
        private_key=ephemeral,
        dh=_b64decode(subscription.p256dh),
        auth_secret=_b64decode(subscription.auth),
        version="aes128gcm",
    )
    return body


def send(
    store: Store,
    subscription: Subscription,
    notice: dict[str, str],
    *,
    key: Vapid02,
    subject: str,
    timeout_s: float = 10.0,
) -> PushResult:
    """Push one notice to one browser; forget the subscription when the service says gone.

    Parameters
    ----------
    store
        The open store.
    subscription
        Where to.
    notice
        ``{"kind", "title", "body", "url"}``, sent as JSON.
    key
        The VAPID key.
    subject
        Contact of the server's operator (``mailto:…``).
    timeout_s
        Seconds to wait for the push service [s].

    Returns
    -------
    PushResult
        The service's answer.
    """
    body = encrypt(json.dumps(notice, ensure_ascii=False).encode("utf-8"), subscription)
    request = urllib.request.Request(  # noqa: S310  # the scheme was checked on subscription
        subscription.endpoint,
        data=body,
        method="POST",
        headers={
            "Authorization": vapid_headers(key, subscription.endpoint, subject),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(TTL_S),
            "Urgency": "normal",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as answer:  # noqa: S310
            status = int(answer.status)
    except urllib.error.HTTPError as exc:
        status = int(exc.code)
    except OSError:
        status = 0
    gone = status in (404, 410)
    if gone:
        store.backend.execute(
            "DELETE FROM push_subscriptions WHERE endpoint = ?", (subscription.endpoint,)
        )
    return PushResult(subscription.endpoint, status, gone)
