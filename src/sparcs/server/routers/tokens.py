"""Tokens (admin): make one (the secret is shown once), list them, revoke one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from sparcs.server.access import Principal
from sparcs.server.auth import StateDep, forget_tokens, require
from sparcs.server.http import page
from sparcs.server.problems import PROBLEM_RESPONSES, ApiProblem
from sparcs.server.routers.common import Limit, Offset
from sparcs.server.schemas import Page, TokenIn, TokenOut
from sparcs.store.tokens import create_token, list_tokens, parse_expiry, revoke_token

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["tokens"], responses=PROBLEM_RESPONSES)
Admin = Annotated[Principal, Depends(require("tokens.manage"))]


@router.post("/tokens", status_code=201, response_model=TokenOut)
def make_token(state: StateDep, who: Admin, body: TokenIn) -> Any:
    """Make a token; the response holds its secret, shown this once."""
    expires = parse_expiry(body.expires)
    with state.store() as store:
        secret, record = create_token(
            store,
            role=body.role,
            city=body.city,
            district=body.district,
            household=body.household,
            expires=expires,
            label=body.label,
        )
    return {**vars(record), "token": secret}


@router.get("/tokens", response_model=Page[TokenOut])
def tokens(
    state: StateDep, who: Admin, request: Request, limit: Limit = 100, offset: Offset = 0
) -> Any:
    """Every token (without secrets), newest first."""
    with state.store() as store:
        found = list_tokens(store)
    return page([vars(t) for t in found], request, limit, offset)


@router.delete("/tokens/{token_id}", status_code=204, response_class=Response)
def revoke(state: StateDep, who: Admin, token_id: str) -> Response:
    """Revoke a token: it stops working at once."""
    with state.store() as store:
        done = revoke_token(store, token_id)
    if not done:
        raise ApiProblem(404, f"no live token {token_id!r}")
    forget_tokens(state)
    return Response(status_code=204)
