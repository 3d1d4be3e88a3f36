"""Bearer tokens of ``sparcs serve``: a role, a scope, an expiry; stored as a hash only.

A token's secret (``sparcs_<43 url-safe characters>``, 256 bits from :mod:`secrets`) is shown
once, when it is made; the store keeps its SHA-256. A token is looked up by that hash, so a
stolen database gives no usable token. Revoking sets ``revoked_at``; the row stays for audit.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, get_args

from sparcs.errors import StoreError
from sparcs.store.store import Store

__all__ = [
    "ROLES",
    "Role",
    "TokenRecord",
    "create_token",
    "find_token",
    "hash_secret",
    "list_tokens",
    "parse_expiry",
    "revoke_token",
]

Role = Literal["admin", "planner", "operator", "citizen"]
#: The roles a token can have.
ROLES: tuple[str, ...] = get_args(Role)
_COLUMNS = "id, role, city_id, district_id, household_id, label, created_at, expires_at, revoked_at"
_EXPIRY = re.compile(r"^(\d+)\s*([dhm])$")


@dataclass(frozen=True)
class TokenRecord:
    """A stored token (without its secret).

    Attributes
    ----------
    id
        Public id (to revoke it); not the secret.
    role
        ``admin``, ``planner``, ``operator`` or ``citizen``.
    city, district, household
        The scope; None for no limit at that level.
    label
        Free text (who holds it).
    created_at, expires_at, revoked_at
        UTC times; ``expires_at`` None for no expiry.
    """

    id: str
    role: str
    city: str | None
    district: str | None
    household: str | None
    label: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready fields (times in ISO 8601 with offset)."""
        return {
            "id": self.id,
            "role": self.role,
            "city": self.city,
            "district": self.district,
            "household": self.household,
            "label": self.label,
            "created_at": _iso(self.created_at),
            "expires_at": _iso(self.expires_at),
            "revoked_at": _iso(self.revoked_at),
        }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _record(row: tuple[Any, ...]) -> TokenRecord:
    return TokenRecord(*row)


def hash_secret(secret: str) -> str:
    """The stored form of a token secret.

    Parameters
    ----------
    secret
        The bearer token as the client sends it.

    Returns
    -------
    str
        Its SHA-256, hex.

    Examples
    --------
    >>> hash_secret("abc")[:12]
    'ba7816bf8f01'
    """
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_expiry(text: str | None) -> timedelta | None:
    """``30d``, ``12h`` or ``45m`` as a duration; None or ``never`` for none.

    Parameters
    ----------
    text
        The ``--expires`` value.

    Returns
    -------
    timedelta or None
        The lifetime of the token.

    Raises
    ------
    StoreError
        A value of another form (the message shows the forms).

    Examples
    --------
    >>> parse_expiry("30d")
    datetime.timedelta(days=30)
    """
    if text is None or text.strip().lower() in ("", "never"):
        return None
    found = _EXPIRY.match(text.strip().lower())
    if not found or int(found.group(1)) == 0:
        msg = f"--expires {text!r}: give a positive number of days, hours or minutes: 30d, 12h, 45m"
        raise StoreError(msg)
    n, unit = int(found.group(1)), found.group(2)
    return {"d": timedelta(days=n), "h": timedelta(hours=n), "m": timedelta(minutes=n)}[unit]


def _scope(
    store: Store, city: str | None, district: str | None, household: str | None
) -> tuple[str | None, str | None, str | None]:
    """Complete a scope upwards (a household's district and city) and check each level exists."""
    db = store.backend
    if household is not None:
        rows = db.execute("SELECT district_id FROM households WHERE id = ?", (household,))
        if not rows:
            msg = f"household {household!r} is not in the store; add it first (POST /api/v1/households)"
            raise StoreError(msg)
        if district is not None and district != rows[0][0]:
            msg = f"household {household!r} is in district {rows[0][0]!r}, not {district!r}"
            raise StoreError(msg)
        district = rows[0][0]
    if district is not None:
        rows = db.execute("SELECT city_id FROM districts WHERE id = ?", (district,))
        if not rows:
            msg = (
                f"district {district!r} is not in the store; add it first (POST /api/v1/districts)"
            )
            raise StoreError(msg)
        if city is not None and city != rows[0][0]:
            msg = f"district {district!r} is in city {rows[0][0]!r}, not {city!r}"
            raise StoreError(msg)
        city = rows[0][0]
    if city is not None and not db.execute("SELECT 1 FROM cities WHERE id = ?", (city,)):
        msg = f"city {city!r} is not in the store; add it first (POST /api/v1/cities)"
        raise StoreError(msg)
    return city, district, household


def create_token(
    store: Store,
    *,
    role: str,
    city: str | None = None,
    district: str | None = None,
    household: str | None = None,
    expires: timedelta | None = None,
    label: str | None = None,
) -> tuple[str, TokenRecord]:
    """Make a token; return its secret (shown once) and its record.

    Parameters
    ----------
    store
        The open store.
    role
        One of :data:`ROLES`.
    city, district, household
        The scope; a household implies its district and city. A citizen needs a household.
    expires
        Lifetime; None for a token that does not expire.
    label
        Free text: who holds the token.

    Returns
    -------
    tuple of (str, TokenRecord)
        The secret to hand over, and the stored record.

    Raises
    ------
    StoreError
        An unknown role, a citizen without a household, or a scope not in the store.
    """
    if role not in ROLES:
        msg = f"role {role!r} is not known; choose one of {', '.join(ROLES)}"
        raise StoreError(msg)
    if role == "citizen" and household is None:
        msg = "a citizen token needs --household: a citizen sees their own household only"
        raise StoreError(msg)
    city, district, household = _scope(store, city, district, household)
    secret = "sparcs_" + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    record = TokenRecord(
        id=secrets.token_hex(6),
        role=role,
        city=city,
        district=district,
        household=household,
        label=label,
        created_at=now,
        expires_at=None if expires is None else now + expires,
        revoked_at=None,
    )
    store.backend.execute(
        f"INSERT INTO tokens (hash, {_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (hash_secret(secret), record.id, role, city, district, household, label, now,
         record.expires_at, None),
    )  # fmt: skip
    return secret, record


def find_token(store: Store, secret: str, *, now: datetime | None = None) -> TokenRecord | None:
    """The valid token of ``secret``: known, not revoked, not expired; else None.

    Parameters
    ----------
    store
        The open store.
    secret
        The bearer token sent.
    now
        The time to judge expiry by (UTC); default now.

    Returns
    -------
    TokenRecord or None
        The token, or None when it is unknown, revoked or expired.
    """
    rows = store.backend.execute(
        f"SELECT {_COLUMNS} FROM tokens WHERE hash = ?", (hash_secret(secret),)
    )
    if not rows:
        return None
    record = _record(rows[0])
    moment = now or datetime.now(UTC)
    if record.revoked_at is not None:
        return None
    if record.expires_at is not None and record.expires_at <= moment:
        return None
    return record


def revoke_token(store: Store, token_id: str) -> bool:
    """Revoke the token with public id ``token_id``.

    Parameters
    ----------
    store
        The open store.
    token_id
        The id printed by ``sparcs token list`` / returned by the API.

    Returns
    -------
    bool
        True when a live token was revoked; False when none with that id was live.
    """
    rows = store.backend.execute(
        "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING id",
        (datetime.now(UTC), token_id),
    )
    return bool(rows)


def list_tokens(store: Store) -> list[TokenRecord]:
    """Every token, newest first.

    Parameters
    ----------
    store
        The open store.

    Returns
    -------
    list of TokenRecord
        All tokens, revoked and expired ones included.
    """
    rows = store.backend.execute(f"SELECT {_COLUMNS} FROM tokens ORDER BY created_at DESC, id")
    return [_record(row) for row in rows]
