"""The household page (my consumption beside similar households and the district, where it
came from, my share of the district's balance, tips) and the monthly statements."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from sparcs.citizens.comparison import (
    PERIODS,
    Comparison,
    DistrictPeriod,
    Period,
    compare,
    district_period,
)
from sparcs.citizens.origin import (
    Balance,
    Origin,
    Origins,
    community_settlement,
    district_origins,
)
from sparcs.citizens.tips import Tip, TipFigures, tip_figures
from sparcs.citizens.usage import HouseholdSeries
from sparcs.community import Settlement, statement_table
from sparcs.server.citizen.context import (
    Citizen,
    kept_page,
    render,
    series_of,
    similar_households,
    state_of,
)

__all__ = ["DistrictWindow", "Summary", "district_window", "router", "summary"]

router = APIRouter(include_in_schema=False)


class Summary:
    """What the household page shows, for one period."""

    def __init__(
        self, comparison: Comparison, origin: Origin, balance: Balance, tips: list[Tip]
    ) -> None:
        self.comparison = comparison
        self.origin = origin
        self.balance = balance
        self.tips = tips

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures (kWh, %)."""
        c, o, b = self.comparison, self.origin, self.balance
        return {
            "period": c.period,
            "start": c.start.isoformat(),
            "end": c.end.isoformat(),
            "mine_kwh": c.mine_kwh,
            "similar": {"households": c.similar.households, "median_kwh": c.similar.median},
            "district": {"households": c.district.households, "median_kwh": c.district.median},
            "origin_kwh": {
                "own_pv": o.own_pv_kwh,
                "community": o.community_kwh,
                "grid": o.grid_kwh,
            },  # fmt: skip
            "balance_kwh": {"mine": b.net_kwh, "district": b.district_net_kwh},
            "tips": [{"key": tip.key, "kwh_per_year": tip.kwh_per_year} for tip in self.tips],
        }


@dataclass(frozen=True)
class DistrictWindow:
    """What all of a district's household summaries of a period share, computed in one pass
    over all its households: the comparison's district side, the community settlement of the
    period's hours, and every household's origin, balance and tip figures (a household's
    summary then picks its column)."""

    shared: DistrictPeriod
    settled: Settlement
    origins: Origins
    tips: TipFigures


def district_window(series: HouseholdSeries, period: Period, timezone: str) -> DistrictWindow:
    """The :class:`DistrictWindow` of ``period`` on the city's clock ``timezone``."""
    shared = district_period(series, period, timezone=timezone)
    rows = shared.rows
    settled = community_settlement(series, rows)
    return DistrictWindow(
        shared=shared,
        settled=settled,
        origins=district_origins(series, rows, settled),
        tips=tip_figures(shared.local[rows], series.demand_kwh[rows], series.pv_kwh[rows]),
    )


def summary(
    series: HouseholdSeries,
    citizen: Citizen,
    period: Period,
    similar: set[str],
    window: DistrictWindow | None = None,
) -> Summary | None:
    """The household's figures for ``period`` (None when it has no readings yet); ``window``
    is :func:`district_window` of the same series, computed here when not given."""
    name = citizen.household.id
    if name not in series.households:
        return None
    found = window or district_window(series, period, citizen.timezone)
    comparison = compare(
        series, name, period, timezone=citizen.timezone, similar=similar, shared=found.shared
    )
    col = series.column(name)
    where, balance = found.origins.of(col)
    return Summary(comparison, where, balance, found.tips.tips(col, comparison.similar.median))


def cached_summary(request: Request, citizen: Citizen, period: Period) -> Summary | None:
    """:func:`summary`, kept until the district's data changes (the next ingest batch); the
    district's side is kept once for all its households (a first visit then costs only the
    household's own figures)."""
    similar = similar_households(request, citizen)
    state = state_of(request)
    district, zone = citizen.household.district, citizen.timezone

    def load() -> Summary | None:
        series = series_of(request, district)
        if citizen.household.id not in series.households:
            return None
        window: DistrictWindow = state.kept.compute(
            ("citizen-district-window", district, zone, period),
            state.data_version(),
            lambda: district_window(series, period, zone),
        )
        return summary(series, citizen, period, similar, window)

    key = ("citizen-summary", citizen.household.id, zone, period, frozenset(similar))
    found: Summary | None = state.kept.compute(key, state.data_version(), load)
    return found


def _chart(citizen: Citizen, comparison: Comparison) -> str:
    """Plotly figure JSON: bars per day or month, the district with a hatch (not colour only)."""
    t = citizen.texts
    x = [b.strftime("%Y-%m-%d") for b in comparison.buckets]
    traces = [
        {"type": "bar", "name": t.gettext("My household"), "x": x,
         "y": comparison.mine_by_bucket_kwh, "marker": {"color": "#12355b"}},
        {"type": "bar", "name": t.gettext("District median"), "x": x,
         "y": comparison.district_by_bucket_kwh,
         "marker": {"color": "#c8d6e5", "pattern": {"shape": "/"},
                    "line": {"color": "#12355b", "width": 1}}},
    ]  # fmt: skip
    layout = {"barmode": "group", "yaxis": {"title": {"text": "kWh"}},
              "margin": {"t": 10, "r": 10}, "legend": {"orientation": "h"}}  # fmt: skip
    return json.dumps({"data": traces, "layout": layout}).replace("</", "<\\/")


@router.get("/citizen/{household_id}")
async def household_page(
    request: Request, household_id: str, period: Annotated[Period, Query()] = "month"
) -> Response:
    return await kept_page(request, household_id, lambda c: _household(request, c, period))


def _household(request: Request, citizen: Citizen, period: Period) -> HTMLResponse:
    found = cached_summary(request, citizen, period)
    bucket_pattern = "LLLL y" if period == "year" else "EEE d.M."
    return render(
        "household.html",
        citizen,
        title=citizen.texts.gettext("My household"),
        page="household",
        periods=PERIODS,
        period=period,
        found=found,
        chart=_chart(citizen, found.comparison) if found else None,
        bucket_pattern=bucket_pattern,
    )


@router.get("/citizen/{household_id}/statements")
async def statements_page(request: Request, household_id: str) -> Response:
    return await kept_page(request, household_id, lambda c: _statements(request, c))


def _statements(request: Request, citizen: Citizen) -> HTMLResponse:
    series = series_of(request, citizen.household.district)
    months: list[dict[str, Any]] = []
    if citizen.household.id in series.households and len(series.time) > 1:

        def load() -> dict[str, list[dict[str, Any]]]:  # every member's months, at once
            every = np.ones(len(series.time), dtype=bool)
            table = statement_table(community_settlement(series, every, citizen.timezone))
            return {
                str(member): [{str(k): v for k, v in r.items()} for r in part.to_dict("records")]
                for member, part in table.groupby("member", sort=False)
            }

        state = state_of(request)
        key = ("citizen-statements", citizen.household.district, citizen.timezone)
        by_member = state.kept.compute(key, state.data_version(), load)
        months = [dict(row) for row in by_member.get(citizen.household.id, [])]
        for row in months:
            year, month = str(row["month"]).split("-")
            row["label"] = citizen.texts.numbers.month(int(year), int(month))
    return render(
        "statements.html",
        citizen,
        title=citizen.texts.gettext("My statements"),
        page="statements",
        months=months,
    )
