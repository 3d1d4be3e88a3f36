"""The account page: language and residents, download of all the household's data (JSON,
CSV), and deletion of the account; the same export and deletion through the API."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from sparcs.citizens.account import (
    MAX_RESIDENTS,
    Settings,
    delete_household,
    export_csv,
    export_json,
    put_settings,
)
from sparcs.errors import DataError
from sparcs.i18n import LANGUAGES
from sparcs.server.auth import forget_tokens
from sparcs.server.citizen.context import (
    Citizen,
    bearer_citizen,
    kept_page,
    page_citizen,
    render,
    state_of,
)
from sparcs.server.citizen.green import ics_response
from sparcs.server.citizen.household import cached_summary
from sparcs.server.pages import COOKIE
from sparcs.server.problems import PROBLEM_RESPONSES

__all__ = ["api", "router"]

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1/citizen", tags=["citizens"], responses=PROBLEM_RESPONSES)
#: Names of the languages in their own language (the language menu).
NATIVE_NAMES = {"en": "English", "fi": "suomi", "de": "Deutsch", "is": "íslenska",
                "pt": "português", "uk": "українська", "el": "Ελληνικά",
                "cs": "čeština"}  # fmt: skip


@router.get("/citizen/{household_id}/account")
async def account_page(request: Request, household_id: str, saved: str | None = None) -> Response:
    return await kept_page(request, household_id, lambda c: _account(c, saved))


def _account(citizen: Citizen, saved: str | None) -> HTMLResponse:
    return render("account.html", citizen, title=citizen.texts.gettext("My account"),
                  page="account", languages=LANGUAGES, names=NATIVE_NAMES,
                  max_residents=MAX_RESIDENTS, saved=saved)  # fmt: skip


@router.post("/citizen/{household_id}/account")
async def save_settings(request: Request, household_id: str) -> Response:
    citizen = page_citizen(request, household_id)
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    language = (form.get("language") or [""])[0] or None
    residents_text = (form.get("residents") or [""])[0].strip()
    try:
        residents = int(residents_text) if residents_text else None
        with state_of(request).store() as store:
            put_settings(store, household_id, Settings(language, residents))
    except (ValueError, DataError) as exc:
        return render("account.html", citizen, 422, title=citizen.texts.gettext("My account"),
                      page="account", languages=LANGUAGES, names=NATIVE_NAMES,
                      max_residents=MAX_RESIDENTS, error=str(exc))  # fmt: skip
    lang = language or citizen.lang
    return RedirectResponse(f"/citizen/{household_id}/account?lang={lang}&saved=1", 303)


def _export(request: Request, citizen: Citizen, fmt: str) -> Response:
    with state_of(request).store() as store:
        data = export_json(store, citizen.household.id)
    name = f"sparcs-{citizen.household.id}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    if fmt == "csv":
        return Response(export_csv(data), media_type="text/csv; charset=utf-8",
                        headers=disposition)  # fmt: skip
    return Response(json.dumps(data, indent=1), media_type="application/json",
                    headers=disposition)  # fmt: skip


@router.get("/citizen/{household_id}/export.json")
def export_json_page(request: Request, household_id: str) -> Response:
    return _export(request, page_citizen(request, household_id), "json")


@router.get("/citizen/{household_id}/export.csv")
def export_csv_page(request: Request, household_id: str) -> Response:
    return _export(request, page_citizen(request, household_id), "csv")


def _delete(request: Request, citizen: Citizen) -> None:
    state = state_of(request)
    with state.store() as store:
        delete_household(store, citizen.household.id)
    forget_tokens(state)


@router.post("/citizen/{household_id}/delete")
async def delete_page(request: Request, household_id: str) -> Response:
    citizen = page_citizen(request, household_id)
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    if (form.get("confirm") or [""])[0] != "yes":
        return render("account.html", citizen, 422, title=citizen.texts.gettext("My account"),
                      page="account", languages=LANGUAGES, names=NATIVE_NAMES,
                      max_residents=MAX_RESIDENTS,
                      error=citizen.texts.gettext(
                          "Tick the box to confirm the deletion."))  # fmt: skip
    _delete(request, citizen)
    response = render("deleted.html", citizen, title=citizen.texts.gettext("Account deleted"),
                      page=None)  # fmt: skip
    response.delete_cookie(COOKIE)
    return response


def _bearer(request: Request, household_id: str) -> Citizen:
    return bearer_citizen(request, household_id)


@api.get("/{household_id}/summary")
def summary_api(
    request: Request,
    household_id: str,
    period: Annotated[str, Query(pattern="^(week|month|year)$")] = "month",
) -> dict[str, Any]:
    """The household's figures of a period: consumption beside similar households and the
    district (medians, from 5 households), origin, balance, ranked tips."""
    citizen = _bearer(request, household_id)
    found = cached_summary(request, citizen, period)  # type: ignore[arg-type]  # checked by the Query pattern
    return found.to_dict() if found else {"period": period, "mine_kwh": None}


@api.get("/{household_id}/export")
def export_api(
    request: Request,
    household_id: str,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
) -> Response:
    """Everything stored about the household (readings in CSV with ``?format=csv``)."""
    return _export(request, _bearer(request, household_id), format)


@api.delete("/{household_id}", status_code=204)
def delete_api(request: Request, household_id: str) -> Response:
    """Delete the household's account and data (its secret ballots stay counted)."""
    _delete(request, _bearer(request, household_id))
    return Response(status_code=204)


@api.get("/{household_id}/green.ics", response_class=Response)
def green_ics_api(request: Request, household_id: str) -> Response:
    """The next 48 h's green windows as iCalendar (RFC 5545)."""
    return ics_response(request, _bearer(request, household_id))
