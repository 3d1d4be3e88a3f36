"""Who is reading a citizen page, in which language, about which household.

Only a citizen token of the household itself reads ``/citizen/{household}/…``; any other id
answers 404, as if it did not exist (a household's existence must not leak).
"""

from __future__ import annotations

import asyncio
import math
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from sparcs.citizens.account import Settings
from sparcs.citizens.directory import Resident, household_directory, similar_in
from sparcs.citizens.usage import HouseholdSeries, district_series
from sparcs.server.access import Principal
from sparcs.server.auth import kept_token, lookup_token
from sparcs.server.citizen.kept import (
    PAGE_MAX_AGE_S,
    KeptPage,
    kept_answer,
    page_key,
    scope_language,
)
from sparcs.server.citizen.language import Texts, texts
from sparcs.server.http import etag_of
from sparcs.server.pages import COOKIE, NeedsLogin
from sparcs.server.problems import ApiProblem
from sparcs.server.state import ServerState
from sparcs.store.network import Household

__all__ = [
    "Citizen",
    "bearer_citizen",
    "citizen_from_secret",
    "directory_of",
    "kept_page",
    "page_citizen",
    "render",
    "similar_households",
]

_env = Environment(
    loader=PackageLoader("sparcs.server.citizen", "templates"),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,  # the package's templates do not change while it runs: no stat per page
)


@dataclass(frozen=True)
class Citizen:
    """The reader of a citizen page or endpoint.

    Attributes
    ----------
    who
        The token's principal.
    secret
        The token itself (derives ballot keys; never stored).
    household
        The household record.
    timezone
        The city's IANA zone.
    settings
        The household's settings.
    texts
        Language of the answer.
    """

    who: Principal
    secret: str
    household: Household
    timezone: str
    settings: Settings
    texts: Texts

    @property
    def lang(self) -> str:
        """Language code."""
        return self.texts.language


def state_of(request: Request) -> ServerState:
    """The server state of the app."""
    state: ServerState = request.app.state.sparcs
    return state


def citizen_from_secret(request: Request, secret: str | None, household_id: str) -> Citizen:
    """The citizen of token ``secret`` when it is household ``household_id``'s, else 404.

    Parameters
    ----------
    request
        The request (language from ``?lang=`` and ``Accept-Language``).
    secret
        The token sent (cookie or bearer); None raises :class:`NeedsLogin`.
    household_id
        The household in the path.

    Returns
    -------
    Citizen
        The reader.
    """
    state = state_of(request)
    record = lookup_token(state, secret) if secret else None
    if record is None or secret is None:
        raise NeedsLogin
    who = Principal(record)
    if who.role != "citizen" or record.household != household_id:
        raise ApiProblem(404, f"no household {household_id!r} for this token")
    found = state.kept.compute(
        ("citizen", household_id), state.data_version(), lambda: _household(state, household_id)
    )
    if found is None:
        raise ApiProblem(404, f"no household {household_id!r} for this token")
    household, timezone, settings = found
    return Citizen(who, secret, household, timezone, settings, texts(_language(request, settings)))


def _language(request: Request, settings: Settings) -> str:
    return scope_language(request.scope, settings.language)


def directory_of(state: ServerState) -> dict[str, Resident]:
    """Every household with its time zone and settings (kept until the data changes)."""

    def load() -> dict[str, Resident]:
        with state.store() as store:
            return household_directory(store)

    found: dict[str, Resident] = state.kept.compute(
        ("citizen-directory",), state.data_version(), load
    )
    return found


def _household(state: ServerState, household_id: str) -> tuple[Household, str, Settings] | None:
    """The household, its city's time zone and its settings (None when it is not stored)."""
    found = directory_of(state).get(household_id)
    return None if found is None else (found.household, found.timezone, found.settings)


def bearer_citizen(request: Request, household_id: str | None = None) -> Citizen:
    """The citizen of the request's bearer token (401 without a valid one, 429 past the rate
    limit); ``household_id`` None means the token's own household.

    Parameters
    ----------
    request
        The API request.
    household_id
        The household in the path, or None.

    Returns
    -------
    Citizen
        The reader (404 when ``household_id`` is not the token's citizen household).
    """
    header = request.headers.get("authorization", "")
    challenge = {"WWW-Authenticate": "Bearer"}
    secret = header[7:].strip() if header.lower().startswith("bearer ") else ""
    record = lookup_token(state_of(request), secret) if secret else None
    if record is None:
        detail = "no valid bearer token; send 'Authorization: Bearer <token>' (sparcs token create)"
        raise ApiProblem(401, detail, headers=challenge)
    wait = state_of(request).limiter.wait_s(record.id)
    if wait > 0:
        raise ApiProblem(429, "rate limit reached", headers={"Retry-After": str(math.ceil(wait))})
    if household_id is None:
        if record.role != "citizen" or record.household is None:
            raise ApiProblem(403, f"a {record.role} token may not do this; a citizen token may")
        household_id = record.household
    return citizen_from_secret(request, secret, household_id)


def page_citizen(request: Request, household_id: str) -> Citizen:
    """The citizen of the login cookie (see :func:`citizen_from_secret`)."""
    return citizen_from_secret(request, request.cookies.get(COOKIE), household_id)


def series_of(request: Request, district: str) -> HouseholdSeries:
    """The district's hourly household data (kept until the next ingest batch)."""
    state = state_of(request)

    def load() -> HouseholdSeries:
        with state.store() as store:
            return district_series(store, district)

    found: HouseholdSeries = state.kept.compute(
        ("citizen-series", district), state.data_version(), load
    )
    return found


def similar_households(request: Request, citizen: Citizen) -> set[str]:
    """Households of the district with as many residents (empty when unknown)."""
    if citizen.settings.residents is None:
        return set()
    state = state_of(request)
    district, residents = citizen.household.district, citizen.settings.residents
    found: set[str] = state.kept.compute(
        ("similar", district, residents),
        state.data_version(),
        lambda: similar_in(directory_of(state), district, residents),
    )
    return found


def render(name: str, citizen: Citizen, status: int = 200, **context: Any) -> HTMLResponse:
    """A citizen template in the reader's language."""
    t = citizen.texts
    gettext: Callable[[str], str] = t.gettext
    html = _env.get_template(name).render(
        t=t, _=gettext, lang=citizen.lang, household=citizen.household, citizen=citizen, **context
    )
    response = HTMLResponse(html, status_code=status)
    response.headers["Content-Language"] = citizen.lang
    return response


async def kept_page(
    request: Request, household_id: str, build: Callable[[Citizen], HTMLResponse]
) -> Response:
    """The citizen page ``build`` makes, kept per household, language and URL until the data
    changes (at most :data:`~sparcs.server.citizen.kept.PAGE_MAX_AGE_S`), with an ETag.

    A kept page is mostly answered by :class:`~sparcs.server.citizen.kept.KeptPages` before
    the route; here (a cookie or a reader not kept, an app without the middleware) it is made
    or looked up on the thread pool, where :func:`page_citizen` checks the cookie as always.

    Parameters
    ----------
    request
        The request (cookie, URL, language).
    household_id
        The household in the path.
    build
        Renders the page for the reader.

    Returns
    -------
    Response
        200 with the HTML, or 304 when the browser has it already.
    """
    state = state_of(request)
    secret = request.cookies.get(COOKIE)
    version = state.stamp.current()
    token = kept_token(state, secret) if secret else None
    record = token[0] if token is not None else None
    if (
        version is not None
        and record is not None
        and record.role == "citizen"
        and (record.household == household_id)
    ):
        found = state.kept.lookup(("citizen", household_id), version)
        if found is not None and found[0] is not None:
            lang = _language(request, found[0][2])
            key = page_key(request.scope, household_id, lang)
            page = state.kept.lookup(key, version, PAGE_MAX_AGE_S)
            if page is not None:
                return kept_answer(page[0], request.scope)
    async with _makers():
        return await run_in_threadpool(_made_page, request, household_id, build)


#: Pages made at once per event loop. Making a page is Python work that holds the GIL: more
#: threads make no page sooner, but every one of them takes turns at the GIL with the event
#: loop, which then answers even the kept pages late (50 first visits at once had 40 threads
#: and the loop sharing one GIL). The rest wait on the loop, at no cost.
MAKERS = 4
_semaphores: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _makers() -> asyncio.Semaphore:
    """The running loop's semaphore of :data:`MAKERS` (a semaphore belongs to one loop)."""
    loop = asyncio.get_running_loop()
    found = _semaphores.get(loop)
    if found is None:
        found = _semaphores[loop] = asyncio.Semaphore(MAKERS)
    return found


def _made_page(
    request: Request, household_id: str, build: Callable[[Citizen], HTMLResponse]
) -> Response:
    citizen = page_citizen(request, household_id)
    state = state_of(request)

    def load() -> KeptPage:
        response = build(citizen)
        body = bytes(response.body)
        return KeptPage(body, etag_of(body), response.status_code, citizen.lang)

    key = page_key(request.scope, household_id, citizen.lang)
    made: KeptPage = state.kept.compute(key, state.data_version(), load, PAGE_MAX_AGE_S)
    return kept_answer(made, request.scope)
