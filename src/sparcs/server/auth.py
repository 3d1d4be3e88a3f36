"""Bearer tokens on every ``/api/v1`` route: who calls, may they, and not too often.

``Authorization: Bearer <token>`` (RFC 6750). No or an unknown, revoked or expired token:
401 with ``WWW-Authenticate: Bearer``. A role that may not do the action: 403. Past the
rate limit of the token: 429 with ``Retry-After`` [s].
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from sparcs.server.access import PERMISSIONS, Principal
from sparcs.server.problems import ApiProblem
from sparcs.server.state import ServerState
from sparcs.store.tokens import TokenRecord, find_token

__all__ = [
    "StateDep",
    "forget_tokens",
    "get_state",
    "kept_token",
    "lookup_token",
    "require",
]

_bearer = HTTPBearer(auto_error=False, description="a token from 'sparcs token create'")
#: Seconds a looked-up token is trusted before the store is asked again. A revocation through
#: this process counts at once (:func:`forget_tokens`); one made elsewhere (another worker
#: process, ``sparcs token revoke`` on PostgreSQL) within this time.
_TOKEN_TTL_S = 10.0


async def get_state(request: Request) -> ServerState:
    """The :class:`ServerState` of the app (async: a sync dependency costs a thread hop)."""
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

    def load() -> TokenRecord | None:
        with state.store() as store:
            return find_token(store, secret)

    record: TokenRecord | None = state.kept.compute(
        ("token", secret), None, load, max_age_s=_TOKEN_TTL_S
    )
    return record


def kept_token(state: ServerState, secret: str) -> tuple[TokenRecord | None] | None:
    """The token of ``secret`` as looked up less than a few seconds ago, or None (look it up).

    Parameters
    ----------
    state
        The server state.
    secret
        The token sent.

    Returns
    -------
    tuple of (TokenRecord or None,) or None
        The kept look-up (its record None for an invalid token); None when there is none.
    """
    return state.kept.lookup(("token", secret), None, _TOKEN_TTL_S)


def forget_tokens(state: ServerState) -> None:
    """Drop cached token look-ups (after a revocation)."""
    state.kept.drop(lambda key: isinstance(key, tuple) and key[0] == "token")


def require(action: str) -> Callable[..., Awaitable[Principal]]:
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

    async def dependency(
        state: StateDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Principal:
        # async, with the kept look-up inline: only a token not seen for a few seconds costs
        # a thread and a query
        challenge = {"WWW-Authenticate": "Bearer"}
        if credentials is None or credentials.scheme.lower() != "bearer":
            detail = "no bearer token; send 'Authorization: Bearer <token>' (sparcs token create)"
            raise ApiProblem(401, detail, headers=challenge)
        secret = credentials.credentials
        hit = kept_token(state, secret)
        record = hit[0] if hit is not None else await run_in_threadpool(lookup_token, state, secret)
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
