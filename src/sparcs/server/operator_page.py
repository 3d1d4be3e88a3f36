"""The operator page: the next 48 h of a district's rule-based schedule, its green hours and
its flexibility, from the district's newest scenario (as ``sparcs green-hours`` and
``sparcs flexibility`` compute them)."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from sparcs.server.access import Principal
from sparcs.server.pages import page_user, render
from sparcs.server.problems import ApiProblem
from sparcs.server.routers.operations import green_signal, simulated_run
from sparcs.server.routers.schedules import kept_schedule
from sparcs.server.state import ServerState
from sparcs.store import Store
from sparcs.store.network import District, get_record
from sparcs.store.plans import list_scenarios

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
#: Flows drawn on the schedule, with their legend.
SCHEDULE = {
    "grid_import_kwh": "grid import",
    "grid_export_kwh": "grid export",
    "pv_kwh": "PV",
    "battery_charge_kwh": "battery charge",
    "battery_discharge_kwh": "battery discharge",
    "hp_el_kwh": "heat pumps",
}


def _window(run: Any, start: str | None) -> pd.Timestamp:
    """The first hour (local, naive) of the window: ``start`` or this hour of the scenario year."""
    zone = run.scenario.timezone
    if start:
        try:
            first = pd.Timestamp(start)
        except ValueError:
            raise ApiProblem(422, f"start {start!r} is not an ISO 8601 time") from None
    else:
        now = pd.Timestamp.now(tz=zone).tz_localize(None)
        first = now.replace(year=run.scenario.year, day=min(now.day, 28)).floor("h")
    year_end = pd.Timestamp(f"{run.scenario.year + 1}-01-01") - pd.Timedelta(hours=48)
    return min(max(first.tz_localize(None), pd.Timestamp(f"{run.scenario.year}-01-01")), year_end)


def _schedule(run: Any, first: pd.Timestamp) -> list[dict[str, Any]]:
    zone = run.scenario.timezone
    low = first.tz_localize(zone, nonexistent="shift_forward", ambiguous=False).tz_convert("UTC")
    rows = (run.flows.time >= low) & (run.flows.time < low + pd.Timedelta(hours=48))
    times = [t.isoformat() for t in run.flows.time[rows].tz_convert(zone)]
    traces = []
    for name, label in SCHEDULE.items():
        values = run.flows.data[name][rows].sum(axis=1)
        if values.any():
            traces.append({"type": "scatter", "mode": "lines", "name": label, "x": times,
                           "y": [round(float(v), 3) for v in values]})  # fmt: skip
    return traces


def _flexibility(run: Any, first: pd.Timestamp) -> list[dict[str, Any]]:
    from sparcs.services.flexibility import available_flexibility

    flex = available_flexibility(
        run.flows, run.scenario, run.inputs, start=first, hours=48
    ).to_dict()
    hours = flex["hours"]
    times = [h["local_time"] for h in hours]
    keys = [k for k in (hours[0] if hours else {}) if k.endswith("_kw")]
    return [
        {"type": "bar", "name": key.removesuffix("_kw").replace("_", " "), "x": times,
         "y": [h[key] for h in hours]}
        for key in keys
        if any(h[key] for h in hours)
    ]  # fmt: skip


def live_schedule(store: Store, district: str) -> dict[str, Any] | None:
    """The district's latest kept schedule (``sparcs operate``) and its alerts, for the page.

    Parameters
    ----------
    store
        The open store.
    district
        The district's id.

    Returns
    -------
    dict or None
        ``belief_time``, ``strategy``, ``fallbacks``, ``alerts`` and ``rows`` (asset, then
        the power of the first six steps [kW]); None when no schedule is kept.
    """
    kept = kept_schedule(store, district)
    if kept is None:
        return None
    steps = sorted(pd.DatetimeIndex(kept.table["time"]).unique())[:6]
    rows = [
        {"asset": asset, "kw": [float(v) for v in group.sort_values("time")["kw"][:6]]}
        for asset, group in kept.table.groupby("asset")
    ]
    return {
        "belief_time": kept.belief.isoformat(),
        "strategy": kept.strategy,
        "fallbacks": kept.fallbacks,
        "alerts": kept.alerts,
        "steps": [t.isoformat()[:16] for t in steps],
        "rows": rows,
    }


@router.get("/districts/{district_id}/operations")
def operator_page(
    request: Request, district_id: str, start: Annotated[str | None, Query()] = None
) -> HTMLResponse:
    who: Principal = page_user(request, "operations.read")
    state: ServerState = request.app.state.sparcs
    with state.store() as store:
        district = get_record(store, District, district_id)
        if district is None or not who.sees(city=district.city, district=district.id):
            raise ApiProblem(404, f"no district {district_id!r} for this token")
        scenarios = list_scenarios(store, [district.id])
        live = live_schedule(store, district.id)
    if not scenarios:
        return render(
            "operator.html", title="Operations", who=who, district=district.name, scenario=None,
            live=live,
        )  # fmt: skip
    run = simulated_run(state, who, scenarios[0].id)
    first = _window(run, start)
    signal = green_signal(run, start=first.isoformat(), hours=48).to_dict()
    return render(
        "operator.html", title="Operations", who=who, district=district.name,
        scenario=run.scenario, start=first.strftime("%Y-%m-%d %H:%M"),
        timezone=run.scenario.timezone, counts=signal["counts"], green=signal["hours"],
        schedule=_schedule(run, first), flexibility=_flexibility(run, first),
        previous=(first - pd.Timedelta(hours=48)).strftime("%Y-%m-%dT%H:%M"),
        following=(first + pd.Timedelta(hours=48)).strftime("%Y-%m-%dT%H:%M"), live=live,
    )  # fmt: skip
