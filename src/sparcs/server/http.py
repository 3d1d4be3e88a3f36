"""HTTP helpers of the routes: pages, conditional responses (ETag, Last-Modified), time."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any, TypeVar

import pandas as pd
from fastapi import Request, Response

from sparcs.server.problems import ApiProblem, FieldError

__all__ = ["conditional", "etag_of", "page", "parse_time"]

T = TypeVar("T")


def page(items: Sequence[T], request: Request, limit: int, offset: int) -> dict[str, Any]:
    """One page of ``items`` with the total and the URL of the next page.

    Parameters
    ----------
    items
        Every item, in order.
    request
        The request (its URL makes the next link).
    limit, offset
        Page size and first item.

    Returns
    -------
    dict
        ``items``, ``total``, ``limit``, ``offset``, ``next``.
    """
    chosen = list(items[offset : offset + limit])
    more = offset + limit < len(items)
    url = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    return {
        "items": chosen,
        "total": len(items),
        "limit": limit,
        "offset": offset,
        "next": url if more else None,
    }


def etag_of(body: bytes) -> str:
    """A strong ETag of ``body`` (quoted, as sent).

    Parameters
    ----------
    body
        The content.

    Returns
    -------
    str
        ``"<32 hex digits of its SHA-256>"``.

    Examples
    --------
    >>> etag_of(b"abc")
    '"ba7816bf8f01cfea414140de5dae2223"'
    """
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def conditional(
    request: Request,
    body: bytes,
    media_type: str,
    modified: datetime | None,
    *,
    etag: str | None = None,
) -> Response:
    """``body`` with an ETag and Last-Modified; 304 when the client has it already.

    Parameters
    ----------
    request
        The request (``If-None-Match``).
    body
        The content.
    media_type
        Its type.
    modified
        When it was made (UTC).
    etag
        Its ETag when known (:func:`etag_of`); computed from ``body`` when None.

    Returns
    -------
    Response
        200 with the body, or 304 without.
    """
    etag = etag or etag_of(body)
    headers = {"ETag": etag, "Cache-Control": "private, max-age=0, must-revalidate"}
    if modified is not None:
        headers["Last-Modified"] = format_datetime(modified.astimezone(UTC), usegmt=True)
    wanted = request.headers.get("if-none-match", "")
    if etag in [tag.strip() for tag in wanted.split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type=media_type, headers=headers)


def parse_time(text: str | None, name: str) -> pd.Timestamp | None:
    """An ISO 8601 time with offset as UTC; naive times are refused (422).

    Parameters
    ----------
    text
        The value given, or None.
    name
        The query parameter (for the message).

    Returns
    -------
    pandas.Timestamp or None
        The time in UTC.
    """
    if text is None:
        return None
    try:
        value = pd.Timestamp(text)
    except (ValueError, TypeError, OverflowError):
        value = None
    if value is None or pd.isna(value):
        message = f"{text!r} is not an ISO 8601 time; e.g. 2025-03-01T00:00:00+00:00"
        raise ApiProblem(
            422, message, errors=[FieldError(location=f"query.{name}", message=message)]
        )
    if value.tzinfo is None:
        message = f"{text!r} has no UTC offset; add one, e.g. {text}Z or {text}+01:00"
        raise ApiProblem(
            422, message, errors=[FieldError(location=f"query.{name}", message=message)]
        )
    return value.tz_convert("UTC")
