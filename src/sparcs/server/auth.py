"""Bearer tokens on every ``/api/v1`` route: who calls, may they, and not too often.

``Authorization: Bearer <token>`` (RFC 6750). No or an unknown, revoked or expired token:
401 with ``WWW-Authenticate: Bearer``. A role that may not do the action: 403. Past the
rate limit of the token: 429 with ``Retry-After`` [s].
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sparcs.server.access import PERMISSIONS, Principal
from sparcs.server.problems import ApiProblem
from sparcs.server.state import ServerState
from sparcs.store.tokens import TokenRecord, find_token

__all__ = ["StateDep", "forget_tokens", "get_state", "lookup_token", "require"]

_bearer = HTTPBearer(auto_error=False, description="a token from 'sparcs token create'")
#: Seconds a looked-up token is trusted before the store is asked again.
_TOKEN_TTL_S = 2.0


def get_state(request: Request) -> ServerState:
    """The :class:`ServerState` of the app."""
    state: ServerState = request.app.state.sparcs
    return state


StateDep = Annotated[ServerState, Depends(get_state)]


def lookup_token(state: ServerState, secret: str) -> TokenRecord | None:
    """The valid token of ``secret`` (looked up at most every few seconds), or None.

    Parameters
    ----------
    state
        The server state.
    secret
        The token sent.

    Returns
    -------
    TokenRecord or None
        The token when valid.
    """
    now = time.monotonic()
    with state.cache_lock:
        hit = state.cache.get("token:" + secret)
    if hit is not None and now - hit[0] < _TOKEN_TTL_S:
        record: TokenRecord | None = hit[1]
        return record
    with state.store() as store:
        record = find_token(store, secret)
    with state.cache_lock:
        state.cache["token:" + secret] = (now, record)
    return record


def forget_tokens(state: ServerState) -> None:
    """Drop cached token look-ups (after a revocation)."""
    with state.cache_lock:
        for key in [k for k in state.cache if k.startswith("token:")]:
            del state.cache[key]


def require(action: str) -> Callable[..., Principal]:
    """A dependency: the caller's :class:`Principal`, when it may do ``action``.

    Parameters
    ----------
    action
        A key of :data:`~sparcs.server.access.PERMISSIONS`.

    Returns
    -------
    callable
        The FastAPI dependency.
    """
    if action not in PERMISSIONS:
        msg = f"unknown action {action!r}"
        raise KeyError(msg)

    def dependency(
        state: StateDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Principal:
        challenge = {"WWW-Authenticate": "Bearer"}
        if credentials is None or credentials.scheme.lower() != "bearer":
            detail = "no bearer token; send 'Authorization: Bearer <token>' (sparcs token create)"
            raise ApiProblem(401, detail, headers=challenge)
        record = lookup_token(state, credentials.credentials)
        if record is None:
            detail = "the token is unknown, revoked or expired; ask an admin for a new one"
            raise ApiProblem(401, detail, headers=challenge)
        wait = state.limiter.wait_s(record.id)
        if wait > 0:
            detail = (
                f"rate limit of {state.settings.rate_limit_per_minute} requests per minute "
                f"reached; retry in {math.ceil(wait)} s"
            )
            raise ApiProblem(429, detail, headers={"Retry-After": str(math.ceil(wait))})
        principal = Principal(record)
        if not principal.may(action):
            detail = (
                f"a {record.role} token may not do this ({action}); roles allowed: "
                + ", ".join(sorted(PERMISSIONS[action]))
            )
            raise ApiProblem(403, detail)
        return principal

    return dependency
