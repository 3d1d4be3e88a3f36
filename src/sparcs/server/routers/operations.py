"""Operator services and monitoring on a scenario: green hours, flexibility, flexibility
requests, measured KPIs and plan versus actual.

Green hours, flexibility and plan-vs-actual work on the scenario's rule-based simulation, as
``sparcs green-hours``, ``flexibility`` and ``monitor`` do; it is computed once per scenario
and kept in memory (a scenario never changes once uploaded).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from datetime import date, timedelta
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Query, Response

from sparcs.server.access import Principal
from sparcs.server.auth import StateDep, require
from sparcs.server.http import parse_time
from sparcs.server.problems import PROBLEM_RESPONSES, ApiProblem, FieldError
from sparcs.server.routers.readings import meter_map
from sparcs.server.routers.scenarios import scenario_in_scope
from sparcs.server.schemas import FlexRequestIn
from sparcs.server.state import ServerState
from sparcs.server.uploads import parse_scenario
from sparcs.store.network import MeterScope, list_records

__all__ = ["green_signal", "router", "simulated_run"]

router = APIRouter(prefix="/api/v1", tags=["operations"], responses=PROBLEM_RESPONSES)
Reader = Annotated[Principal, Depends(require("operations.read"))]
_JSON: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {"schema": {"type": "object"}}}}
}


def _clean(value: Any) -> Any:
    """JSON-safe: NaN and infinities become null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def _json(data: Any) -> Response:
    return Response(json.dumps(_clean(data), default=str), media_type="application/json")


def simulated_run(state: ServerState, who: Principal, scenario_id: str) -> Any:
    """The scenario's rule-based run (cached per scenario)."""
    import sparcs

    with state.store() as store:
        record = scenario_in_scope(store, who, scenario_id)
    # keyed by the text: the same scenario uploaded twice is simulated once
    key = "run:" + hashlib.sha256(f"{record.format}\n{record.body}".encode()).hexdigest()
    with state.cache_lock:
        cached = state.cache.get(key)
    if cached is None:
        _, scenario = parse_scenario(record.body, record.format)
        cached = sparcs.run(scenario)
        with state.cache_lock:
            for old in [k for k in state.cache if k.startswith("run:")][:-3]:
                del state.cache[old]  # keep the last few: a run holds a year of flows
            state.cache[key] = cached
    return cached


def green_signal(run: Any, *, start: str, hours: int, forecast: str = "profile") -> Any:
    """The green-hours signal of a simulated run (as ``sparcs green-hours`` computes it).

    Parameters
    ----------
    run
        A :class:`~sparcs.runner.RunResult`.
    start
        First hour, ISO 8601 (without offset: the scenario's local time).
    hours
        Length of the window [h].
    forecast
        ``profile`` or ``persistence``.

    Returns
    -------
    GreenHours
        The signal.
    """
    from sparcs.carriers.factors import hourly_co2_factors, scenario_country
    from sparcs.services.signals import green_hours

    factors = hourly_co2_factors(run.scenario, run.flows.time)
    label = factors.source if factors.hourly else (
        f"annual factor of {factors.name}; no hourly grid CO2 for "
        f"{scenario_country(run.scenario)}, so only a local surplus turns an hour green"
    )  # fmt: skip
    return green_hours(
        run.flows,
        factors.co2_kg_per_kwh["electricity"],
        start=start,
        timezone=run.scenario.timezone,
        hours=hours,
        forecast=forecast,  # type: ignore[arg-type]  # checked by the Query pattern
        co2_source=label,
    )


@router.get("/scenarios/{scenario_id}/green-hours", responses=_JSON, response_class=Response)
def scenario_green_hours(
    state: StateDep,
    who: Reader,
    scenario_id: str,
    start: Annotated[str, Query(description="first hour, ISO 8601; without offset local time")],
    hours: Annotated[int, Query(ge=1, le=24 * 14)] = 48,
    forecast: Annotated[str, Query(pattern="^(profile|persistence)$")] = "profile",
) -> Response:
    """Traffic light per hour: when local surplus or a clean grid make electricity green."""
    run = simulated_run(state, who, scenario_id)
    signal = green_signal(run, start=start, hours=hours, forecast=forecast)
    return _json(signal.to_dict())


@router.get("/scenarios/{scenario_id}/flexibility", responses=_JSON, response_class=Response)
def scenario_flexibility(
    state: StateDep,
    who: Reader,
    scenario_id: str,
    start: Annotated[str | None, Query(description="first hour, ISO 8601")] = None,
    hours: Annotated[int, Query(ge=1, le=24 * 31)] = 48,
) -> Response:
    """Upward and downward flexibility per hour and asset type [kW]."""
    from sparcs.services.flexibility import available_flexibility

    run = simulated_run(state, who, scenario_id)
    flex = available_flexibility(run.flows, run.scenario, run.inputs, start=start, hours=hours)
    return _json(flex.to_dict())


@router.post("/scenarios/{scenario_id}/flex-requests", responses=_JSON, response_class=Response)
def scenario_flex_request(
    state: StateDep,
    who: Annotated[Principal, Depends(require("flex.write"))],
    scenario_id: str,
    body: FlexRequestIn,
) -> Response:
    """Cut the district's import by ``reduce_kw`` in a window: re-dispatch, kW delivered, cost."""
    from sparcs.services.flex_request import flexibility_request

    run = simulated_run(state, who, scenario_id)
    answer = flexibility_request(
        run.scenario, run.inputs, start=body.start, end=body.end, reduce_kw=body.reduce_kw
    )
    return _json(json.loads(answer.to_json()))


def _period(start: str, end: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    low, high = parse_time(start, "start"), parse_time(end, "end")
    assert low is not None and high is not None
    if high <= low:
        message = "end must be after start"
        raise ApiProblem(422, message, errors=[FieldError(location="query.end", message=message)])
    if high - low > pd.Timedelta(days=366):
        message = "a period is at most a year"
        raise ApiProblem(422, message, errors=[FieldError(location="query.end", message=message)])
    return low, high


def _measured(
    state: ServerState,
    who: Principal,
    scenario_id: str,
    low: pd.Timestamp,
    high: pd.Timestamp,
    fill: str,
) -> Any:
    from sparcs.monitoring.measured import measured_flows

    with state.store() as store:
        record = scenario_in_scope(store, who, scenario_id)
        meters = meter_map(state, store, who, writing=False)
        placed = {
            m.meter for m in list_records(store, MeterScope, where={"district_id": record.district})
        }
        frame = store.meters()
        frame = frame[frame["id"].isin([m for m in meters if m in placed])]
        readings = store.readings(list(frame["id"]), start=low, end=high)
    if readings.empty:
        raise ApiProblem(409, f"no readings from {low.isoformat()} to {high.isoformat()} in scope")
    _, scenario = parse_scenario(record.body, record.format)
    if scenario.year != low.year:
        scenario = scenario.model_copy(update={"year": low.year})
    time = pd.date_range(
        low, high, freq=pd.Timedelta(scenario.timestep), inclusive="left", name="time"
    )
    return (
        scenario,
        frame,
        readings,
        measured_flows(readings, frame, scenario, time=time, fill=fill),  # type: ignore[arg-type]  # checked by the Query pattern
    )


Fill = Annotated[str, Query(pattern="^(none|zero|linear)$", description="missing steps")]


@router.get("/scenarios/{scenario_id}/measured-kpis", responses=_JSON, response_class=Response)
def scenario_measured_kpis(
    state: StateDep,
    who: Reader,
    scenario_id: str,
    start: Annotated[str, Query(description="ISO 8601 with offset")],
    end: Annotated[str, Query(description="ISO 8601 with offset, excluded")],
    fill: Fill = "linear",
) -> Response:
    """The scenario's KPIs and PED verdict on the stored readings of a period."""
    from sparcs.kpi import compute_kpis

    low, high = _period(start, end)
    scenario, _, _, measured = _measured(state, who, scenario_id, low, high, fill)
    report = compute_kpis(measured.flows, scenario)
    head = {
        "scenario": scenario_id,
        "start": low.isoformat(),
        "end": high.isoformat(),
        "fill": fill,
    }
    return _json(head | {"filled_steps": measured.filled} | report.to_dict())


@router.get("/scenarios/{scenario_id}/plan-vs-actual", responses=_JSON, response_class=Response)
def scenario_plan_vs_actual(
    state: StateDep,
    who: Reader,
    scenario_id: str,
    date_from: Annotated[date, Query(alias="from", description="first day (local)")],
    date_to: Annotated[date, Query(alias="to", description="last day (local), included")],
    tolerance_pct: Annotated[float, Query(gt=0, lt=1000)] = 10.0,
    fill: Fill = "linear",
) -> Response:
    """Planned and measured KPIs side by side, per month, with deviations and their cause."""
    from sparcs.monitoring.plan_vs_actual import compare_plan, meter_completeness, metered_view

    if date_to < date_from or date_from.year != date_to.year:
        message = "give 'from' <= 'to' within one year"
        raise ApiProblem(422, message, errors=[FieldError(location="query.to", message=message)])
    run = simulated_run(state, who, scenario_id)
    zone = run.scenario.timezone
    low = pd.Timestamp(date_from.isoformat(), tz=zone).tz_convert("UTC")
    high = pd.Timestamp((date_to + timedelta(days=1)).isoformat(), tz=zone).tz_convert("UTC")
    if date_from.year != run.scenario.year:
        message = f"the plan is of {run.scenario.year}; ask for days of that year"
        raise ApiProblem(422, message, errors=[FieldError(location="query.from", message=message)])
    scenario, meters, readings, measured = _measured(state, who, scenario_id, low, high, fill)
    rows = (run.flows.time >= low) & (run.flows.time < high)
    planned = dataclasses.replace(
        run.flows, time=run.flows.time[rows], data={k: v[rows] for k, v in run.flows.data.items()}
    )
    pairs = list(zip(meters["quantity"], meters["node"], strict=True))
    completeness = meter_completeness(readings, meters, start=low, end=high, filled=measured.filled)
    result = compare_plan(
        metered_view(planned, pairs),
        measured.flows,
        run.scenario,
        tolerance=tolerance_pct / 100,
        completeness=completeness,
        notes=list(measured.flows.notes),
    )
    head = {
        "scenario": scenario_id,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "timezone": zone,
    }
    return _json(head | result.to_dict())
