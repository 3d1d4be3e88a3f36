"""Kept citizen pages, and the ASGI middleware that answers them before FastAPI's routing.

A citizen page is kept per household, language and URL (path and query) once made (see
:func:`sparcs.server.citizen.context.kept_page`), with its answer's headers already encoded.
:class:`KeptPages` answers a ``GET`` whose login cookie, household and page are all kept
with two ASGI messages: no route matching (FastAPI tries each of the app's some sixty routes
in turn, about as costly as sending the page), no dependency solving, no thread, no store.
Anything else goes on to the app, where the page route checks the cookie as always. The
checks are the route's: a kept citizen token of that very household, the page kept for the
current version of the data and younger than :data:`PAGE_MAX_AGE_S`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Response
from starlette.requests import cookie_parser

from sparcs.server.auth import kept_token
from sparcs.server.citizen.language import choose_language
from sparcs.server.pages import COOKIE

__all__ = [
    "PAGE_MAX_AGE_S",
    "KeptPage",
    "KeptPages",
    "KeptResponse",
    "kept_answer",
    "page_key",
    "scope_language",
]

#: Longest a rendered page is kept [s]: besides the data (the key of what is kept), a page
#: depends on the clock (a vote's deadline, the hour of the green light).
PAGE_MAX_AGE_S = 60.0
_CACHE_CONTROL = (b"cache-control", b"private, max-age=0, must-revalidate")


@dataclass(frozen=True)
class KeptPage:
    """A made citizen page with the headers of its answers.

    Attributes
    ----------
    body
        The HTML (UTF-8).
    etag
        Its strong ETag, quoted.
    status
        HTTP status of the page.
    lang
        Its language (``Content-Language``).
    """

    body: bytes
    etag: str
    status: int
    lang: str

    def answer(self, if_none_match: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """Status, raw headers and body of the answer to a request with ``If-None-Match``.

        Parameters
        ----------
        if_none_match
            The request's ``If-None-Match`` header ('' without).

        Returns
        -------
        tuple
            ``(status, headers, body)``: 304 without a body when the browser has this page.

        Examples
        --------
        >>> page = KeptPage(b"<p>hi</p>", '"ab"', 200, "de")
        >>> page.answer('"ab"')[0], page.answer("")[0], page.answer("")[2]
        (304, 200, b'<p>hi</p>')
        """
        language = (b"content-language", self.lang.encode("latin-1"))
        if self.status != 200:
            return self.status, [*self._content(), language], self.body
        etag = (b"etag", self.etag.encode("latin-1"))
        if self.etag in [tag.strip() for tag in if_none_match.split(",")]:
            return 304, [etag, _CACHE_CONTROL, language], b""
        return 200, [etag, _CACHE_CONTROL, *self._content(), language], self.body

    def _content(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"content-length", str(len(self.body)).encode("latin-1")),
            (b"content-type", b"text/html; charset=utf-8"),
        ]


class KeptResponse(Response):
    """The answer of a :class:`KeptPage` as a Starlette response (what a page route returns).

    Parameters
    ----------
    page
        The page.
    if_none_match
        The request's ``If-None-Match`` header.
    """

    def __init__(self, page: KeptPage, if_none_match: str) -> None:
        self.status_code, self.raw_headers, self.body = page.answer(if_none_match)
        self.background = None


def page_key(scope: Any, household_id: str, lang: str) -> tuple[str, ...]:
    """The key of a kept page: household, language, and the request's path and query.

    Parameters
    ----------
    scope
        The ASGI scope of the request.
    household_id
        The household in the path.
    lang
        The language of the page.

    Returns
    -------
    tuple of str
        The key.
    """
    query = scope.get("query_string", b"").decode("latin-1")
    return ("page", household_id, lang, scope["path"], query)


def _header(scope: Any, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def scope_language(scope: Any, setting: str | None) -> str:
    """The page language of a request: ``?lang=``, the household's setting, Accept-Language.

    Parameters
    ----------
    scope
        The ASGI scope of the request.
    setting
        The household's stored language, or None.

    Returns
    -------
    str
        A language code (see :func:`~sparcs.server.citizen.language.choose_language`).
    """
    query = scope.get("query_string", b"").decode("latin-1")
    asked = dict(parse_qsl(query)).get("lang") if query else None
    return choose_language(asked, setting, _header(scope, b"accept-language"))


def _household_in_path(path: str) -> str | None:
    """``h1`` of ``/citizen/h1`` or ``/citizen/h1/green`` (None for any other path)."""
    parts = path.split("/")
    if len(parts) not in (3, 4) or parts[1] != "citizen" or not parts[2]:
        return None
    return parts[2]


class KeptPages:
    """ASGI middleware: a ``GET`` of a kept citizen page is answered here (see the module).

    Parameters
    ----------
    app
        The ASGI app (its ``state.sparcs`` is the :class:`~sparcs.server.state.ServerState`).
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            found = self._kept(scope)
            if found is not None:
                status, headers, body = found
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    def _kept(self, scope: Any) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        household_id = _household_in_path(scope["path"])
        state = getattr(scope["app"].state, "sparcs", None)
        if household_id is None or state is None:
            return None
        cookie = _header(scope, b"cookie")
        secret = cookie_parser(cookie).get(COOKIE) if cookie else None
        version = state.stamp.current()
        token = kept_token(state, secret) if secret else None
        record = token[0] if token is not None else None
        if (
            version is None
            or record is None
            or record.role != "citizen"
            or record.household != household_id
        ):
            return None
        reader = state.kept.lookup(("citizen", household_id), version)
        if reader is None or reader[0] is None:
            return None
        lang = scope_language(scope, reader[0][2].language)
        page = state.kept.lookup(page_key(scope, household_id, lang), version, PAGE_MAX_AGE_S)
        if page is None:
            return None
        made: KeptPage = page[0]
        return made.answer(_header(scope, b"if-none-match") or "")


def kept_answer(page: KeptPage, scope: Any) -> Response:
    """The response of ``page`` to the request of ``scope`` (304 when the browser has it).

    Parameters
    ----------
    page
        The kept page.
    scope
        The ASGI scope of the request.

    Returns
    -------
    Response
        The answer.
    """
    return KeptResponse(page, _header(scope, b"if-none-match") or "")
