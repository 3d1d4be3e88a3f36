"""Web Push notices to a household's browsers: "energy is green now" and "green hours soon".

A browser subscribes with the server's VAPID public key (RFC 8292) and hands over its push
service endpoint and keys (the Push API's ``PushSubscription``: ``endpoint``, ``keys.p256dh``,
``keys.auth``); the household opts in per notice kind (``subscriptions.KINDS``). A notice is
a small JSON text encrypted for that browser alone (RFC 8291, ``aes128gcm`` content coding
of RFC 8188, with ``http_ece``) and POSTed to the endpoint with a signed VAPID JWT
(``py_vapid``); the push service forwards it. An endpoint that answers 404 or 410 is gone
and is forgotten.

The VAPID key is the server's own P-256 key, made on first use and kept in the store.
Network access happens only here, to the endpoints browsers gave, with a timeout.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02, VapidException

from sparcs.citizens.subscriptions import Subscription
from sparcs.errors import DataError
from sparcs.store.store import Store

__all__ = [
    "PushResult",
    "application_server_key",
    "encrypt",
    "send",
    "vapid_headers",
    "vapid_key",
]

#: Seconds a push service keeps an undelivered notice (an hour-old "green now" is stale).
TTL_S = 3600


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

    Raises
    ------
    DataError
        A subject that is neither a ``mailto:`` address nor an https URL.
    """
    parts = urlsplit(endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int((time.time() if now is None else now) + 12 * 3600),
        "sub": subject,
    }
    try:
        header: str = key.sign(claims)["Authorization"]
    except VapidException:
        msg = f"push subject {subject!r}: give 'mailto:you@example.org' or an https URL"
        raise DataError(msg) from None
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
