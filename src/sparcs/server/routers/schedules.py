"""The live schedule of a district (``GET /api/v1/districts/{id}/schedule``).

Devices or a gateway poll it: the latest schedule kept by ``sparcs operate`` (or the loop),
or the one believed at ``belief_time`` ("what did we plan at 06:00?"). Powers in kW per
asset and step, positive when the asset draws electricity; times ISO 8601 with offsets.
Alerts name a failed latest cycle and a schedule older than two of its steps (stale).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel

from sparcs.server.access import Principal
from sparcs.server.auth import StateDep, require
from sparcs.server.http import parse_time
from sparcs.server.problems import PROBLEM_RESPONSES, ApiProblem
from sparcs.server.routers.network import _district
from sparcs.store import Store
from sparcs.store.beliefs import latest_belief, read_cycle, read_schedule

__all__ = ["KeptSchedule", "ScheduleOut", "kept_schedule", "router", "schedule_alerts"]

router = APIRouter(prefix="/api/v1", tags=["operations"], responses=PROBLEM_RESPONSES)
Reader = Annotated[Principal, Depends(require("operations.read"))]
#: A schedule older than this many of its steps is stale.
STALE_STEPS = 2


class StepOut(BaseModel):
    """One step of an asset's schedule."""

    time: str
    kw: float


class ScheduleOut(BaseModel):
    """A kept schedule and how it was made."""

    district: str
    belief_time: str
    strategy: str
    fallbacks: list[str]
    alerts: list[str]
    assets: dict[str, list[StepOut]]


def schedule_alerts(
    belief: pd.Timestamp, strategy: str, times: pd.Series, now: pd.Timestamp
) -> list[str]:
    """Alerts for an operator: a failed cycle, a stale schedule.

    Parameters
    ----------
    belief
        The belief time of the latest cycle (UTC).
    strategy
        Its strategy (``"failed"`` when the cycle failed).
    times
        The schedule's step times (UTC).
    now
        The current time (UTC).

    Returns
    -------
    list of str
        The alerts, in words; empty when all is well.
    """
    alerts = []
    if strategy == "failed":
        alerts.append(f"the cycle at {belief.isoformat()} failed; devices keep the last schedule")
    steps = pd.DatetimeIndex(times.drop_duplicates().sort_values())
    step = steps[1] - steps[0] if len(steps) > 1 else pd.Timedelta(hours=1)
    if now - belief > STALE_STEPS * step:
        alerts.append(
            f"the latest schedule is from {belief.isoformat()}, {(now - belief) / step:.0f} steps "
            "ago: the operation loop may have stopped"
        )
    return alerts


@dataclass(frozen=True)
class KeptSchedule:
    """A kept schedule as the API and the operator page show it.

    Attributes
    ----------
    belief
        When it was planned (UTC).
    strategy, fallbacks
        How it was planned, and its stand-ins.
    alerts
        :func:`schedule_alerts` of it now.
    table
        Columns ``asset``, ``time`` (UTC), ``kw`` [kW].
    """

    belief: pd.Timestamp
    strategy: str
    fallbacks: list[str]
    alerts: list[str]
    table: pd.DataFrame


def kept_schedule(
    store: Store, district: str, at: pd.Timestamp | None = None
) -> KeptSchedule | None:
    """The district's latest schedule believed at or before ``at`` (None: the latest).

    Parameters
    ----------
    store
        The open store.
    district
        The district's id.
    at
        Latest belief time to consider; None for the latest of all.

    Returns
    -------
    KeptSchedule or None
        None when no schedule is kept.
    """
    belief = latest_belief(store, district, at)
    if belief is None:
        return None
    cycle = read_cycle(store, district, belief)
    table = read_schedule(store, district, belief)
    strategy = cycle.strategy if cycle is not None else ""
    times = table["time"] if len(table) else pd.Series([belief])
    alerts = schedule_alerts(belief, strategy, times, pd.Timestamp.now(tz="UTC"))
    fallbacks = list(cycle.fallbacks) if cycle is not None else []
    return KeptSchedule(belief, strategy, fallbacks, alerts, table)


@router.get("/districts/{district_id}/schedule", response_model=ScheduleOut)
def get_schedule(
    state: StateDep,
    who: Reader,
    request: Request,
    response: Response,
    district_id: str,
    belief_time: Annotated[
        str | None, Query(description="latest schedule believed at or before this time")
    ] = None,
) -> Any:
    """The district's latest schedule, or the one believed at ``belief_time``."""
    at = None if belief_time is None else parse_time(belief_time, "belief_time")
    with state.store() as store:
        district = _district(store, who, district_id)
        kept = kept_schedule(store, district.id, at)
    if kept is None:
        raise ApiProblem(404, f"district {district_id!r} has no schedule kept yet")
    etag = f'"{district.id}@{kept.belief.value}"'
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = kept.belief.strftime("%a, %d %b %Y %H:%M:%S GMT")
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    assets: dict[str, list[dict[str, Any]]] = {}
    for row in kept.table.to_dict("records"):
        stamp = pd.Timestamp(row["time"]).isoformat()
        assets.setdefault(str(row["asset"]), []).append({"time": stamp, "kw": float(row["kw"])})
    return {
        "district": district.id,
        "belief_time": kept.belief.isoformat(),
        "strategy": kept.strategy,
        "fallbacks": kept.fallbacks,
        "alerts": kept.alerts,
        "assets": assets,
    }
