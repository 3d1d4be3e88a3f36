"""Meter readings: post a batch (as ``sparcs ingest`` would store it), read them back.

A batch goes through the same readers, checks, quality flags and duplicate rules as
``sparcs ingest`` (:func:`sparcs.store.ingest_text`): one transaction, a reading stored twice is
a duplicate, a different value for a stored (meter, time) a kept conflict. Only meters in the
token's scope can be named; any other meter is unknown to it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
import pandas as pd
from fastapi import APIRouter, Depends, Query, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from sparcs.monitoring.ingest import MeterSpec
from sparcs.monitoring.quality import FLAGS
from sparcs.operation.flows import STATE_NAMES
from sparcs.server.access import Principal
from sparcs.server.auth import StateDep, require
from sparcs.server.http import conditional, etag_of, page, parse_time
from sparcs.server.problems import (
    PROBLEM_JSON,
    PROBLEM_RESPONSES,
    ApiProblem,
    FieldError,
    ProblemDetail,
)
from sparcs.server.routers.common import Limit, district_cities
from sparcs.server.routers.network import meter_rows, visible_meter
from sparcs.server.schemas import BatchOut, ReadingsIn, ReadingsOut
from sparcs.server.state import ServerState
from sparcs.store import Store, ingest_text
from sparcs.store.series import reading_page

__all__ = ["meter_map", "router"]

router = APIRouter(prefix="/api/v1", tags=["readings"], responses=PROBLEM_RESPONSES)
#: Largest batch [bytes]: 10,000 readings are about 0.8 MB of JSON.
MAX_BATCH_BYTES = 32 << 20
_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": ReadingsIn.model_json_schema()},
            "text/csv": {"schema": {"type": "string", "description": "time,meter,value[,unit]"}},
        },
    }
}


def _all_meters(
    state: ServerState, store: Store
) -> tuple[list[dict[str, Any]], dict[str, MeterSpec], dict[str, str]]:
    """Every meter row, its spec and the district -> city map (kept a few seconds)."""

    def load() -> tuple[list[dict[str, Any]], dict[str, MeterSpec], dict[str, str]]:
        rows = meter_rows(store)
        keys = ("id", "node", "quantity", "unit", "resolution", "timezone", "cumulative")
        specs = {r["id"]: MeterSpec(**{f: r[f] for f in keys}) for r in rows}
        return rows, specs, district_cities(store)

    found: tuple[list[dict[str, Any]], dict[str, MeterSpec], dict[str, str]] = state.memo(
        "meters", load
    )
    return found


def meter_map(
    state: ServerState, store: Store, who: Principal, *, writing: bool
) -> dict[str, MeterSpec]:
    """The meters ``who`` may name, as the meter map of an ingest.

    Parameters
    ----------
    state, store
        The server state and its open store.
    who
        The caller.
    writing
        True for posting readings (meters not placed in a district: admins only).

    Returns
    -------
    dict
        Meter id -> :class:`~sparcs.monitoring.ingest.MeterSpec`.
    """
    rows, specs, cities = _all_meters(state, store)
    shown = [r for r in rows if visible_meter(who, r, cities)]
    if writing and who.role != "admin":
        shown = [r for r in shown if r["district"] is not None]
    return {r["id"]: specs[r["id"]] for r in shown}


def _json_to_csv(raw: bytes, meters: dict[str, MeterSpec]) -> str:
    try:
        batch = ReadingsIn.model_validate_json(raw)
    except ValidationError as exc:
        errors = [
            FieldError(location="body." + ".".join(map(str, e["loc"])), message=e["msg"])
            for e in exc.errors()[:100]
        ]
        raise ApiProblem(
            422, f"{exc.error_count()} problem(s) in the readings", errors=errors
        ) from None
    unknown = sorted({r.meter for r in batch.readings} - set(meters))
    if unknown:
        shown = ", ".join(map(repr, unknown[:10]))
        raise ApiProblem(404, f"no meter {shown} for this token; register it (POST /api/v1/meters)")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("time", "meter", "value", "unit"))
    for r in batch.readings:
        unit = r.unit or (meters[r.meter].unit if r.meter in meters else "")
        writer.writerow((r.time, r.meter, "" if r.value is None else repr(r.value), unit))
    return out.getvalue()


@router.post(
    "/readings",
    response_model=BatchOut,
    openapi_extra=_BODY,
    responses={
        415: {
            "model": ProblemDetail,
            "content": {PROBLEM_JSON: {}},
            "description": "not JSON or CSV",
        }
    },
)
async def post_readings(
    request: Request, state: StateDep, who: Annotated[Principal, Depends(require("readings.write"))]
) -> Any:
    """Store a batch of readings (JSON ``{"readings": [...]}`` or long CSV) in one transaction."""
    kind = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if kind not in ("application/json", "text/csv"):
        raise ApiProblem(
            415, "send readings as application/json or text/csv (time,meter,value[,unit])"
        )
    raw = await request.body()
    if len(raw) > MAX_BATCH_BYTES:
        raise ApiProblem(413, f"a batch is at most {MAX_BATCH_BYTES >> 20} MiB; split it")
    return await _ingest(state, who, raw, kind)


async def _ingest(state: Any, who: Principal, raw: bytes, kind: str) -> dict[str, Any]:
    def work() -> dict[str, Any]:
        with state.store() as store:
            meters = meter_map(state, store, who, writing=True)
            if kind == "application/json":
                text = _json_to_csv(raw, meters)
            else:
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise ApiProblem(422, "the body is not UTF-8 text") from None
            source = f"POST /api/v1/readings (token {who.token.id})"
            result = ingest_text(store, text, meters, source=source, fmt="csv")
        return result.as_dict()

    result: dict[str, Any] = await run_in_threadpool(work)
    return result


def _resample(frame: pd.DataFrame, step: pd.Timedelta, states: set[str]) -> pd.DataFrame:
    """Sum energies (average levels) per meter over steps of ``step``; OR the flags."""
    frame = frame.assign(time=frame["time"].dt.floor(step))
    grouped = frame.groupby(["meter", "time"], sort=True)
    total = grouped["value"].sum(min_count=1)
    mean = grouped["value"].mean()
    flags = grouped["flags"].agg(lambda f: int(np.bitwise_or.reduce(f.to_numpy())))
    out = pd.DataFrame({"value": total, "flags": flags}).reset_index()
    is_state = out["meter"].isin(states)
    out.loc[is_state.to_numpy(), "value"] = mean.to_numpy()[is_state.to_numpy()]
    return out


@router.get("/readings", response_model=ReadingsOut)
async def get_readings(
    state: StateDep,
    who: Annotated[Principal, Depends(require("readings.read"))],
    request: Request,
    meter: Annotated[
        list[str] | None, Query(description="meter id; repeat for several; default all")
    ] = None,
    start: Annotated[str | None, Query(description="from (ISO 8601 with offset), included")] = None,
    end: Annotated[str | None, Query(description="to (ISO 8601 with offset), excluded")] = None,
    resolution: Annotated[
        str | None, Query(description="ISO 8601 step to sum to: PT1H, P1D")
    ] = None,
    limit: Limit = 1000,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Any:
    """Stored readings [kWh per step; levels in kWh] with their quality flags, paginated.

    The answer carries an ETag; it is kept until the next ingest batch, so asking again costs
    no database query."""
    query = _Query(meter, parse_time(start, "start"), parse_time(end, "end"),
                   _step(resolution), resolution, limit, offset)  # fmt: skip
    version = state.stamp.current()
    if version is None:
        version = await run_in_threadpool(state.data_version)
    t = who.token
    key = ("readings", who.role, t.city, t.district, t.household, str(request.url))
    body, etag = await state.recall(
        key, version, lambda: _readings_body(state, who, request, query)
    )
    return conditional(request, body, "application/json", None, etag=etag)


@dataclass(frozen=True)
class _Query:
    meter: list[str] | None
    low: pd.Timestamp | None
    high: pd.Timestamp | None
    step: pd.Timedelta | None
    resolution: str | None
    limit: int
    offset: int


def _step(resolution: str | None) -> pd.Timedelta | None:
    if resolution is None:
        return None
    try:
        step = pd.Timedelta(resolution) if resolution.upper().startswith("P") else None
    except ValueError:
        step = None
    if step is None or not pd.Timedelta(minutes=1) <= step <= pd.Timedelta(days=31):
        message = (
            f"resolution {resolution!r} is not an ISO 8601 step from a minute to 31 days, "
            "e.g. PT15M, PT1H or P1D"
        )
        raise ApiProblem(
            422, message, errors=[FieldError(location="query.resolution", message=message)]
        ) from None
    return step


def _readings_body(
    state: ServerState, who: Principal, request: Request, q: _Query
) -> tuple[bytes, str]:
    """The JSON of a readings page and its ETag (on the thread pool: reads the store)."""
    with state.store() as store:
        meters = meter_map(state, store, who, writing=False)
        wanted = list(meters) if not q.meter else [m for m in q.meter if m in meters]
        if q.meter and len(wanted) < len(set(q.meter)):
            unknown = sorted(set(q.meter) - set(wanted))
            raise ApiProblem(404, f"no meter {', '.join(map(repr, unknown))} for this token")
        if q.step is None:  # rows as stored: one page straight from the database
            total, rows = reading_page(
                store, wanted, start=q.low, end=q.high, limit=q.limit, offset=q.offset
            )
            frame = None
        else:
            frame = store.readings(wanted, start=q.low, end=q.high)
    if frame is not None and q.step is not None:
        if not frame.empty:
            states = {m for m, spec in meters.items() if spec.quantity in STATE_NAMES}
            frame = _resample(frame, q.step, states)
        chosen = frame.iloc[q.offset : q.offset + q.limit]
        total = len(frame)
        rows = list(
            zip(chosen["meter"], chosen["time"], chosen["value"], chosen["flags"], strict=True)
        )
    out = _page_out(request, total, rows, q.limit, q.offset, q.resolution)
    body = ReadingsOut.model_validate(out).model_dump_json().encode("utf-8")
    return body, etag_of(body)


_FLAG_BITS = tuple(FLAGS.items())


def _page_out(
    request: Request, total: int, rows: list[Any], limit: int, offset: int, resolution: str | None
) -> dict[str, Any]:
    items = [
        {
            "meter": meter,
            "time": pd.Timestamp(time).tz_convert("UTC").isoformat(),
            "value_kwh": None if value is None or value != value else float(value),
            "flags": [name for name, bit in _FLAG_BITS if int(flags) & bit],
        }
        for meter, time, value, flags in rows
    ]
    body = page(range(total), request, limit, offset)
    return {**body, "items": items, "resolution": resolution}
