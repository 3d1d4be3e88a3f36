"""Runs as background jobs, their job status, and their results (KPIs, verdict, tables, files)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from sparcs.server.access import Principal
from sparcs.server.auth import StateDep, require
from sparcs.server.http import conditional, etag_of, page
from sparcs.server.problems import PROBLEM_JSON, PROBLEM_RESPONSES, ApiProblem, ProblemDetail
from sparcs.server.routers.common import Limit, Offset, district_cities, visible_districts
from sparcs.server.routers.scenarios import scenario_in_scope
from sparcs.server.schemas import JobOut, Page, RunAccepted, RunIn, RunOut
from sparcs.server.state import ServerState
from sparcs.server.worker import run_folder
from sparcs.store import Store
from sparcs.store.jobs import JobRecord, create_job, get_job
from sparcs.store.plans import RunRecord, add_run, get_run, list_runs

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["runs"], responses=PROBLEM_RESPONSES)
Reader = Annotated[Principal, Depends(require("plans.read"))]
Writer = Annotated[Principal, Depends(require("plans.write"))]
RunId = Annotated[int, Path(ge=1, le=2**31 - 1)]
_NOT_DONE: dict[int | str, dict[str, Any]] = {
    409: {"model": ProblemDetail, "content": {PROBLEM_JSON: {}}, "description": "not done yet"}
}


def _links(run_id: int) -> dict[str, str]:
    base = f"/api/v1/runs/{run_id}"
    return {
        name: f"{base}/{name}" for name in ("kpis", "verdict", "monthly", "report", "flows")
    } | {"self": base}


def _out(run: RunRecord) -> dict[str, Any]:
    return {
        "id": run.id,
        "scenario": run.scenario,
        "strategy": run.strategy,
        "status": run.status,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "links": _links(run.id),
    }


def _job_out(job: JobRecord) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "progress": min(1.0, max(0.0, job.progress)),
        "stage": job.stage,
        "errors": job.errors,
        "run": job.run_id,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def _in_scope(store: Store, who: Principal, district: str | None) -> bool:
    if who.role == "admin":
        return True
    return district is not None and who.sees(
        city=district_cities(store).get(district), district=district
    )


@router.post("/runs", status_code=202, response_model=RunAccepted)
def start_run(state: StateDep, who: Writer, body: RunIn) -> Any:
    """Queue a run of a scenario with a strategy; poll ``GET /api/v1/jobs/{job}``."""
    with state.store() as store:
        scenario = scenario_in_scope(store, who, body.scenario)
        run_id = add_run(store, scenario=scenario.id, strategy=body.strategy)
        job = create_job(store, "run", run_id=run_id, district=scenario.district)
    state.wake.set()
    return Response(
        content=RunAccepted(job=job.id, run=run_id).model_dump_json(),
        status_code=202,
        media_type="application/json",
        headers={"Location": f"/api/v1/jobs/{job.id}"},
    )


@router.get("/jobs/{job_id}", response_model=JobOut)
def job_status(state: StateDep, who: Reader, job_id: str) -> Any:
    """A job: status (queued, running, done, failed), progress [0..1], stage and errors."""
    with state.store() as store:
        job = get_job(store, job_id)
        if job is None or not _in_scope(store, who, job.district):
            raise ApiProblem(404, f"no job {job_id!r} for this token")
    return _job_out(job)


@router.get("/runs", response_model=Page[RunOut])
def runs(
    state: StateDep, who: Reader, request: Request, limit: Limit = 100, offset: Offset = 0
) -> Any:
    """Runs of the districts in scope, newest first."""
    with state.store() as store:
        found = list_runs(store, visible_districts(store, who))
    return page([_out(r) for r in found], request, limit, offset)


def _cities(state: ServerState) -> dict[str, str]:
    """District id -> city id (kept a few seconds; a write through this process drops it)."""

    def load() -> dict[str, str]:
        with state.store() as store:
            return district_cities(store)

    found: dict[str, str] = state.memo("district-cities", load)
    return found


def _load_run(state: ServerState, run_id: int) -> RunRecord | None:
    """The run from the store; a finished run is kept (its results never change)."""
    hit = state.kept.lookup(("run", run_id), "done")
    if hit is not None:
        found: RunRecord = hit[0]
        return found
    with state.store() as store:
        run = get_run(store, run_id)
    if run is not None and run.status == "done":
        state.kept.compute(("run", run_id), "done", lambda: run)
    return run


def _checked(
    who: Principal, cities: dict[str, str], run: RunRecord | None, run_id: int, done: bool
) -> RunRecord:
    seen = run is not None and (
        who.role == "admin"
        or (
            run.district is not None
            and who.sees(city=cities.get(run.district), district=run.district)
        )
    )
    if run is None or not seen:
        raise ApiProblem(404, f"no run {run_id} for this token")
    if done and run.status != "done":
        raise ApiProblem(
            409, f"run {run_id} is {run.status}; its results exist once its job is done"
        )
    return run


def _run(state: ServerState, who: Principal, run_id: int, *, done: bool = False) -> RunRecord:
    return _checked(who, _cities(state), _load_run(state, run_id), run_id, done)


async def _run_async(state: ServerState, who: Principal, run_id: int) -> RunRecord:
    """:func:`_run` of a finished run for async routes: kept values cost no thread."""
    hit = state.kept.lookup(("run", run_id), "done")
    run = hit[0] if hit is not None else await run_in_threadpool(_load_run, state, run_id)
    cities = state.kept.lookup(("memo", "district-cities"), None, 5.0)
    found = cities[0] if cities is not None else await run_in_threadpool(_cities, state)
    return _checked(who, found, run, run_id, True)


def _body(state: ServerState, run: RunRecord, part: str) -> tuple[bytes, str]:
    """The kpis.json (``part`` "kpis") or the verdict of a finished run and its ETag, kept."""

    def load() -> tuple[bytes, str]:
        text = run.kpis or ("" if part == "kpis" else "{}")
        if part == "kpis":
            body = text.encode("utf-8")
        else:
            body = json.dumps(json.loads(text).get("ped", {}), indent=2).encode("utf-8")
        return body, etag_of(body)

    found: tuple[bytes, str] = state.kept.compute((part, run.id), "done", load)
    return found


@router.get("/runs/{run_id}", response_model=RunOut)
def run_info(state: StateDep, who: Reader, run_id: RunId) -> Any:
    """One run."""
    return _out(_run(state, who, run_id))


def _file(state: Any, run: RunRecord, name: str) -> bytes:
    path = run_folder(state.settings.data_dir, run.id) / name
    if not path.is_file():
        raise ApiProblem(409, f"run {run.id} has no {name} on this server (its folder was removed)")
    return path.read_bytes()


@router.get(
    "/runs/{run_id}/kpis",
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}, **_NOT_DONE},
    response_class=Response,
)
async def run_kpis(state: StateDep, who: Reader, request: Request, run_id: RunId) -> Response:
    """The run's ``kpis.json``: the same document ``sparcs run`` writes."""
    run = await _run_async(state, who, run_id)
    body, etag = _body(state, run, "kpis")
    return conditional(request, body, "application/json", run.finished_at, etag=etag)


@router.get(
    "/runs/{run_id}/verdict",
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}, **_NOT_DONE},
    response_class=Response,
)
async def run_verdict(state: StateDep, who: Reader, request: Request, run_id: RunId) -> Response:
    """The PED verdict of the run (the ``ped`` part of kpis.json)."""
    run = await _run_async(state, who, run_id)
    body, etag = _body(state, run, "verdict")
    return conditional(request, body, "application/json", run.finished_at, etag=etag)


@router.get(
    "/runs/{run_id}/monthly",
    responses={
        200: {"content": {"application/json": {"schema": {"type": "object"}}, "text/csv": {}}},
        **_NOT_DONE,
    },
    response_class=Response,
)
def run_monthly(
    state: StateDep,
    who: Reader,
    request: Request,
    run_id: RunId,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
) -> Response:
    """The monthly table of the run (monthly.csv), as JSON rows or CSV."""
    run = _run(state, who, run_id, done=True)
    raw = _file(state, run, "monthly.csv")
    if format == "csv":
        return conditional(request, raw, "text/csv", run.finished_at)
    import io

    frame = pd.read_csv(io.BytesIO(raw))
    body = json.dumps({"rows": json.loads(frame.to_json(orient="records"))}).encode("utf-8")
    return conditional(request, body, "application/json", run.finished_at)


@router.get(
    "/runs/{run_id}/report",
    responses={200: {"content": {"text/html": {}}}, **_NOT_DONE},
    response_class=Response,
)
def run_report(state: StateDep, who: Reader, request: Request, run_id: RunId) -> Response:
    """The run's HTML report."""
    run = _run(state, who, run_id, done=True)
    return conditional(
        request, _file(state, run, "report.html"), "text/html; charset=utf-8", run.finished_at
    )


@router.get(
    "/runs/{run_id}/flows",
    responses={200: {"content": {"application/vnd.apache.parquet": {}}}, **_NOT_DONE},
    response_class=Response,
)
def run_flows(state: StateDep, who: Reader, request: Request, run_id: RunId) -> Response:
    """The run's flows per step, node and carrier as Parquet [kWh]."""
    run = _run(state, who, run_id, done=True)
    return conditional(
        request,
        _file(state, run, "flows.parquet"),
        "application/vnd.apache.parquet",
        run.finished_at,
    )
