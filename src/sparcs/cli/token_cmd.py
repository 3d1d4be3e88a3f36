"""``sparcs token create | revoke | list``: bearer tokens of ``sparcs serve``.

Registered in :mod:`.app`. ``create`` prints the token alone on stdout (for scripts:
``TOKEN=$(sparcs token create ...)``); the store keeps only its SHA-256. With the embedded
DuckDB store, make tokens before the server starts (a DuckDB file has one process at a time)
or with ``POST /api/v1/tokens`` while it runs.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sparcs.cli._console import console, user_errors
from sparcs.cli._inputs import DB_HELP

__all__ = ["token_app"]

token_app = typer.Typer(
    name="token", help="Bearer tokens of 'sparcs serve' (roles and scopes).", no_args_is_help=True
)
DbOption = Annotated[str | None, typer.Option("--db", help=DB_HELP)]


@token_app.command("create")
def create_command(
    role: Annotated[str, typer.Option("--role", help="admin, planner, operator or citizen")],
    city: Annotated[str | None, typer.Option("--city", help="limit to a city")] = None,
    district: Annotated[str | None, typer.Option("--district", help="limit to a district")] = None,
    household: Annotated[
        str | None, typer.Option("--household", help="a citizen's household")
    ] = None,
    expires: Annotated[
        str | None, typer.Option("--expires", help="lifetime: 30d, 12h, 45m (default none)")
    ] = None,
    label: Annotated[str | None, typer.Option("--label", help="who holds it")] = None,
    db: DbOption = None,
) -> None:
    """Make a token and print it alone on stdout (it is shown only this once)."""
    from sparcs.store import open_store
    from sparcs.store.tokens import create_token, parse_expiry

    with user_errors():
        lifetime = parse_expiry(expires)
        with open_store(db) as store:
            secret, _ = create_token(
                store,
                role=role,
                city=city,
                district=district,
                household=household,
                expires=lifetime,
                label=label,
            )
    typer.echo(secret)


@token_app.command("revoke")
def revoke_command(
    token_id: Annotated[str, typer.Argument(help="the token's id (sparcs token list)")],
    db: DbOption = None,
) -> None:
    """Revoke a token by its id: it stops working at once."""
    from sparcs.cli._console import UsageError
    from sparcs.store import open_store
    from sparcs.store.tokens import revoke_token

    with user_errors(), open_store(db) as store:
        if not revoke_token(store, token_id):
            msg = f"no live token with id {token_id!r}; see 'sparcs token list'"
            raise UsageError(msg)
    console.print(f"revoked {escape(token_id)}")


@token_app.command("list")
def list_command(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print as JSON")] = False,
) -> None:
    """List tokens (ids, roles, scopes, expiry; never the secrets)."""
    from sparcs.store import open_store
    from sparcs.store.tokens import list_tokens

    with user_errors(), open_store(db) as store:
        records = list_tokens(store)
    if as_json:
        typer.echo(json.dumps([r.as_dict() for r in records]))
        return
    table = Table(title="tokens", title_justify="left")
    for column in ("id", "role", "scope", "expires (UTC)", "revoked", "label"):
        table.add_column(column)
    for r in records:
        scope = "/".join(x for x in (r.city, r.district, r.household) if x) or "-"
        d = r.as_dict()
        table.add_row(
            r.id, r.role, escape(scope), d["expires_at"] or "never", d["revoked_at"] or "-",
            escape(r.label or ""),
        )  # fmt: skip
    console.print(table)
