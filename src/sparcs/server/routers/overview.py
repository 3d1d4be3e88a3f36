"""The network overview: every district in scope with its newest run's verdict and KPIs.

``GET /api/v1/network/overview`` (JSON) and the page ``/network/overview``: one row per
district, ranked by primary-energy balance per m2 among the districts that have a finished
run. The figures are each run's own (its national factor set, named per row); the harmonised
comparison of many cities is ``sparcs network`` (docs/network.md).
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from sparcs.server.access import Principal
from sparcs.server.auth import StateDep, require
from sparcs.server.pages import page_user, render
from sparcs.server.problems import PROBLEM_RESPONSES
from sparcs.server.routers.common import visible_districts
from sparcs.server.state import ServerState
from sparcs.store.network import City, District, list_records
from sparcs.store.plans import RunRecord, list_runs

__all__ = ["FIGURES", "OverviewRow", "overview_rows", "page_router", "router"]

router = APIRouter(prefix="/api/v1", tags=["network"], responses=PROBLEM_RESPONSES)
page_router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(require("plans.read"))]
#: KPI key -> row field: the figures of the overview, per m2 where the KPIs give it.
FIGURES = {
    "peb_per_m2": "peb_per_m2",
    "final_energy_per_m2": "final_energy_per_m2",
    "co2_net_per_m2": "co2_net_per_m2",
    "self_sufficiency": "self_sufficiency_pct",
}


class OverviewRow(BaseModel):
    """A district of the overview (figures None without a finished run)."""

    district: str
    district_name: str
    city: str
    city_name: str
    run: int | None = None
    finished_at: datetime | None = None
    factor_set: str | None = None
    ped_class: str | None = None
    ghg_net_zero: bool | None = None
    peb_per_m2: float | None = None
    final_energy_per_m2: float | None = None
    co2_net_per_m2: float | None = None
    self_sufficiency_pct: float | None = None
    rank_peb: int | None = None


class Overview(BaseModel):
    """The overview: its rows and how to read them."""

    items: list[OverviewRow]
    note: str


NOTE = (
    "each district's newest finished run, on its own factor set; rank 1 = highest primary-energy "
    "balance per m2. For one harmonised basis across cities run 'sparcs network'."
)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


def _newest_done(runs: list[RunRecord]) -> dict[str, RunRecord]:
    newest: dict[str, RunRecord] = {}
    for run in runs:  # newest first
        if run.status == "done" and run.district is not None and run.district not in newest:
            newest[run.district] = run
    return newest


def overview_rows(state: ServerState, who: Principal) -> list[OverviewRow]:
    """The districts ``who`` sees, each with its newest finished run's figures, ranked.

    Parameters
    ----------
    state
        The server's state (its store).
    who
        The caller; only districts in its scope are listed.

    Returns
    -------
    list of OverviewRow
        In city, then district order; ``rank_peb`` 1 for the best balance per m2.
    """
    with state.store() as store:
        cities = {c.id: c.name for c in list_records(store, City)}
        districts = [
            d for d in list_records(store, District) if who.sees(city=d.city, district=d.id)
        ]
        newest = _newest_done(list_runs(store, visible_districts(store, who)))
    rows = []
    for d in sorted(districts, key=lambda d: (d.city, d.id)):
        row = OverviewRow(
            district=d.id, district_name=d.name, city=d.city, city_name=cities.get(d.city, d.city)
        )
        run = newest.get(d.id)
        if run is not None:
            report = json.loads(run.kpis or "{}")
            kpis, ped = report.get("kpis", {}), report.get("ped", {})
            figures = {
                field: _number(kpis.get(key, {}).get("value")) for key, field in FIGURES.items()
            }
            row = row.model_copy(
                update={
                    "run": run.id,
                    "finished_at": run.finished_at,
                    "factor_set": report.get("factor_set"),
                    "ped_class": ped.get("ped_class"),
                    "ghg_net_zero": ped.get("ghg_net_zero"),
                    **figures,
                }
            )
        rows.append(row)
    ranked = sorted(
        (r for r in rows if r.peb_per_m2 is not None), key=lambda r: -(r.peb_per_m2 or 0.0)
    )
    ranks = {r.district: i for i, r in enumerate(ranked, start=1)}
    return [r.model_copy(update={"rank_peb": ranks.get(r.district)}) for r in rows]


@router.get("/network/overview", response_model=Overview)
def network_overview(state: StateDep, who: Reader) -> Any:
    """Every district in scope with its newest finished run's PED class and KPIs per m2."""
    return Overview(items=overview_rows(state, who), note=NOTE)


@page_router.get("/network/overview")
def network_overview_page(request: Request) -> HTMLResponse:
    """The overview as a table for people (planners, operators, admins)."""
    who = page_user(request, "plans.read")
    state: ServerState = request.app.state.sparcs
    rows = overview_rows(state, who)
    return render("network_overview.html", title="Network overview", who=who, rows=rows, note=NOTE)
