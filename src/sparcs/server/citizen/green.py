"""The green-hours light of the household's district for the next 48 h, suggestions for
appliances, and the green windows as an iCalendar feed.

The signal is the district's newest scenario's (``sparcs green-hours``, profile forecast):
the hours of the scenario's year on today's date and clock.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from sparcs.citizens.calendar import APPLIANCES, GreenWindow, best_window, green_windows, icalendar
from sparcs.citizens.feeds import feeds_created_at
from sparcs.server.access import Principal
from sparcs.server.citizen.context import Citizen, kept_page, page_citizen, render, state_of
from sparcs.server.routers.operations import green_signal, simulated_run
from sparcs.store.plans import list_scenarios

__all__ = ["GreenHours", "district_green_hours", "green_hours", "ics_response", "router"]

router = APIRouter(include_in_schema=False)
HOURS = 48


class GreenHours:
    """The next hours' lights on the real clock, and their green windows."""

    def __init__(self, starts: pd.DatetimeIndex, lights: list[str]) -> None:
        self.starts = starts
        self.lights = lights
        self.windows: list[GreenWindow] = green_windows(starts, lights)


def green_hours(request: Request, citizen: Citizen) -> GreenHours | None:
    """The district's next 48 h from this hour (kept for the hour; None without a scenario)."""
    hour = pd.Timestamp.now(tz="UTC").floor("h")
    key = f"citizen-green:{citizen.household.district}:{hour.isoformat()}"
    found: GreenHours | None = state_of(request).memo(
        key, lambda: _green_hours(request, citizen, hour.to_pydatetime()), ttl_s=3600.0
    )
    return found


def _green_hours(request: Request, citizen: Citizen, now: datetime) -> GreenHours | None:
    return district_green_hours(request, citizen.who, citizen.household.district, now)


def district_green_hours(
    request: Request, who: Principal, district: str, now: datetime
) -> GreenHours | None:
    """The district's lights for 48 h from ``now`` (None without a scenario), as ``who`` may
    see them."""
    state = state_of(request)
    with state.store() as store:
        scenarios = list_scenarios(store, [district])
    if not scenarios:
        return None
    run = simulated_run(state, who, scenarios[0].id)
    zone = run.scenario.timezone
    here = pd.Timestamp(now).tz_convert(zone).floor("h")
    year = run.scenario.year
    first = here.tz_localize(None).replace(year=year, day=min(here.day, 28))
    last_start = pd.Timestamp(f"{year + 1}-01-01") - pd.Timedelta(hours=HOURS)
    first = min(max(first, pd.Timestamp(f"{year}-01-01")), last_start)
    signal = green_signal(run, start=first.isoformat(), hours=HOURS)
    lights = [str(v) for v in signal.frame["light"]]
    starts = pd.date_range(here, periods=len(lights), freq="h")
    return GreenHours(starts, lights)


def _suggestions(citizen: Citizen, found: GreenHours) -> list[dict[str, Any]]:
    out = []
    for appliance, hours in APPLIANCES.items():
        start = best_window(found.windows, hours)
        out.append({"appliance": appliance, "hours": hours, "start": start})
    return out


@router.get("/citizen/{household_id}/green")
async def green_page(request: Request, household_id: str, stopped: str | None = None) -> Response:
    # kept per URL, so ?stopped= has its own copy; making or stopping a feed is a write,
    # which drops the kept pages
    return await kept_page(request, household_id, lambda c: _green(request, c, stopped))


def _green(request: Request, citizen: Citizen, stopped: str | None) -> HTMLResponse:
    state = state_of(request)

    def feeds() -> dict[str, datetime]:
        with state.store() as store:
            return feeds_created_at(store)

    since = state.kept.compute(("citizen-feeds",), state.data_version(), feeds)
    feed_since = since.get(citizen.household.id)
    found = green_hours(request, citizen)
    zone = citizen.timezone
    rows = []
    if found is not None:
        starts = found.starts.tz_convert(zone)  # one conversion, not one per hour
        rows = [{"start": s, "light": light}
                for s, light in zip(starts, found.lights, strict=True)]  # fmt: skip
    return render(
        "green.html",
        citizen,
        title=citizen.texts.gettext("Green hours"),
        page="green",
        found=found,
        rows=rows,
        now=rows[0]["light"] if rows else None,
        suggestions=_suggestions(citizen, found) if found else [],
        zone=zone,
        feed_since=feed_since,
        stopped=stopped,
    )


def ics_response(request: Request, citizen: Citizen) -> Response:
    """The green windows of the next 48 h as ``text/calendar``."""
    found = green_hours(request, citizen)
    text = icalendar(
        found.windows if found else [],
        name=citizen.texts.gettext("Green hours") + " · SPARCS",
        summary=citizen.texts.gettext("Green electricity: a good time to use power"),
        uid_seed=citizen.household.district,
        now=datetime.now(UTC),
    )
    return Response(
        text,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="green-hours.ics"'},
    )


@router.get("/citizen/{household_id}/green.ics")
def green_calendar(request: Request, household_id: str) -> Response:
    return ics_response(request, page_citizen(request, household_id))
