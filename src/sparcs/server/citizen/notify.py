"""Calendar feeds without a token, and Web Push subscriptions and notices.

- ``GET /calendar/{secret}.ics``: the household's green-hours feed for calendar apps (no
  bearer header; the secret address is the credential, see :mod:`sparcs.citizens.feeds`).
  Made, replaced and stopped on the green page or through ``/api/v1/citizen/{id}/calendar-feed``.
- ``/api/v1/citizen/{id}/push``: a browser's push subscription and its notice kinds.
- ``POST /api/v1/districts/{district}/notices/green``: an operator's scheduler asks once an
  hour; the due notices go to the households that opted in (:mod:`sparcs.citizens.notices`).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from sparcs.citizens.account import get_settings
from sparcs.citizens.feeds import create_feed, find_feed, revoke_feed
from sparcs.citizens.notices import due_kinds, push_due
from sparcs.citizens.subscriptions import (
    KINDS,
    check_subscription,
    delete_subscription,
    save_subscription,
)
from sparcs.citizens.webpush import application_server_key, vapid_key
from sparcs.errors import DataError
from sparcs.server.access import Principal
from sparcs.server.auth import require
from sparcs.server.citizen.context import (
    Citizen,
    bearer_citizen,
    page_citizen,
    render,
    state_of,
)
from sparcs.server.citizen.green import district_green_hours, ics_response
from sparcs.server.citizen.language import choose_language, texts
from sparcs.server.problems import PROBLEM_RESPONSES, ApiProblem
from sparcs.store.network import City, District, Household, get_record
from sparcs.store.tokens import TokenRecord

__all__ = ["api", "router"]

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["citizens"], responses=PROBLEM_RESPONSES)
#: Contact put into the VAPID JWT (``sub``): the operator of the server.
SUBJECT_ENV = "SPARCS_PUSH_SUBJECT"


def _feed_citizen(request: Request, household_id: str) -> Citizen:
    """A read-only citizen of the household for its feed: no token, the household's scope."""
    state = state_of(request)
    with state.store() as store:
        household = get_record(store, Household, household_id)
        if household is None:
            raise ApiProblem(404, "no such calendar")
        district = get_record(store, District, household.district)
        city = get_record(store, City, district.city)
        settings = get_settings(store, household_id)
    record = TokenRecord(
        id="calendar-feed", role="citizen", city=city.id, district=district.id,
        household=household.id, label="calendar feed", created_at=datetime.now(UTC),
        expires_at=None, revoked_at=None,
    )  # fmt: skip
    lang = choose_language(request.query_params.get("lang"), settings.language, None)
    return Citizen(Principal(record), "", household, city.timezone, settings, texts(lang))


@router.get("/calendar/{secret}.ics")
def calendar_feed(request: Request, secret: str) -> Response:
    with state_of(request).store() as store:
        household = find_feed(store, secret)
    if household is None:  # unknown, replaced or stopped: all look the same
        raise ApiProblem(404, "no such calendar")
    response = ics_response(request, _feed_citizen(request, household))
    response.headers["Cache-Control"] = "private, max-age=900"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def feed_url(request: Request, secret: str) -> str:
    """The absolute address of a feed (what a calendar app subscribes to)."""
    return str(request.url_for("calendar_feed", secret=secret))


@router.post("/citizen/{household_id}/calendar")
def make_feed_page(request: Request, household_id: str) -> HTMLResponse:
    citizen = page_citizen(request, household_id)
    with state_of(request).store() as store:
        secret = create_feed(store, household_id)
    title = citizen.texts.gettext("Subscribe in a calendar app")
    return render(
        "calendar.html", citizen, title=title, page="green", url=feed_url(request, secret)
    )


@router.post("/citizen/{household_id}/calendar/stop")
def stop_feed_page(request: Request, household_id: str) -> Response:
    citizen = page_citizen(request, household_id)
    with state_of(request).store() as store:
        revoke_feed(store, household_id)
    return RedirectResponse(f"/citizen/{household_id}/green?lang={citizen.lang}&stopped=1", 303)


@api.post("/citizen/{household_id}/calendar-feed", status_code=201)
def make_feed_api(request: Request, household_id: str) -> dict[str, str]:
    """Make (or replace) the household's private calendar address; shown only in this answer.
    The old address stops working."""
    bearer_citizen(request, household_id)
    with state_of(request).store() as store:
        secret = create_feed(store, household_id)
    return {"url": feed_url(request, secret)}


@api.delete("/citizen/{household_id}/calendar-feed", status_code=204)
def stop_feed_api(request: Request, household_id: str) -> Response:
    """Stop the household's private calendar address (404 when it has none)."""
    bearer_citizen(request, household_id)
    with state_of(request).store() as store:
        if not revoke_feed(store, household_id):
            raise ApiProblem(404, "this household has no calendar address")
    return Response(status_code=204)


@api.get("/citizen/{household_id}/push")
def push_key_api(request: Request, household_id: str) -> dict[str, Any]:
    """The server's VAPID public key (``applicationServerKey``) and the notice kinds."""
    bearer_citizen(request, household_id)
    with state_of(request).store() as store:
        key = application_server_key(vapid_key(store))
    return {"application_server_key": key, "kinds": list(KINDS)}


@api.post("/citizen/{household_id}/push", status_code=201)
async def subscribe_api(request: Request, household_id: str) -> dict[str, Any]:
    """Store a browser's push subscription (``PushSubscription.toJSON()`` plus ``kinds``, the
    notices wanted; all kinds when left out). The same endpoint again replaces it."""
    bearer_citizen(request, household_id)
    try:
        subscription = check_subscription(await request.json())
    except ValueError:
        raise ApiProblem(422, "send the subscription as JSON") from None
    except DataError as exc:
        raise ApiProblem(422, str(exc)) from None
    with state_of(request).store() as store:
        save_subscription(store, household_id, subscription)
    return {"endpoint": subscription.endpoint, "kinds": list(subscription.kinds)}


@api.delete("/citizen/{household_id}/push", status_code=204)
def unsubscribe_api(request: Request, household_id: str, endpoint: str) -> Response:
    """Forget one of the household's push subscriptions (``?endpoint=``)."""
    bearer_citizen(request, household_id)
    with state_of(request).store() as store:
        if not delete_subscription(store, household_id, endpoint):
            raise ApiProblem(404, "this household has no subscription with that endpoint")
    return Response(status_code=204)


@api.post("/districts/{district}/notices/green")
def push_green_api(
    request: Request,
    district: str,
    who: Annotated[Principal, Depends(require("flex.write"))],
) -> dict[str, Any]:
    """Push the green-hours notices due this hour to the district's households that opted in
    (call once an hour, e.g. from cron)."""
    state = state_of(request)
    with state.store() as store:
        found = get_record(store, District, district)
        if found is None or not who.sees(city=found.city, district=district):
            raise ApiProblem(404, f"no district {district!r} for this token")
        rows = store.backend.execute("SELECT id FROM households WHERE district_id = ?", (district,))
        languages = {str(r[0]): get_settings(store, str(r[0])).language for r in rows}
    hour = pd.Timestamp.now(tz="UTC").floor("h")
    lights = district_green_hours(
        request, who, district, (hour - pd.Timedelta(hours=1)).to_pydatetime()
    )
    if lights is None:
        raise ApiProblem(409, f"district {district!r} has no scenario, so no green-hours signal")
    kinds = due_kinds(lights.starts[1:], lights.lights[1:], previous=lights.lights[0])

    def notice(kind: str, household: str) -> dict[str, str]:
        t = texts(languages.get(household) or "en")
        return {
            "kind": kind,
            "title": t.gettext("Green electricity now")
            if kind == "green-now"
            else t.gettext("Green hours start soon"),
            "body": t.gettext("A good time to run the washing machine or charge the car."),
            "url": f"/citizen/{household}/green",
        }

    subject = os.environ.get(SUBJECT_ENV, "mailto:admin@localhost")
    try:
        with state.store() as store:
            sent = push_due(store, list(languages), kinds, notice, subject=subject)
    except DataError as exc:
        raise ApiProblem(500, f"{SUBJECT_ENV}: {exc}") from None
    return {
        "district": district,
        "due": kinds,
        "sent": {d.kind: [{"status": r.status, "gone": r.gone} for r in d.results] for d in sent},
    }
