"""Server-rendered pages (Jinja2): login by token, the network, a district, scenario upload and
run progress. plotly.js is served from the installed plotly package: no CDN, works offline.

A page shows only what the role may see (the same :data:`~sparcs.server.access.PERMISSIONS`
and scopes as the API). The token lives in an HttpOnly, SameSite=Strict cookie, so another
site cannot post a form with it.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

import pandas as pd
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from sparcs.errors import ScenarioError
from sparcs.server.access import Principal
from sparcs.server.auth import lookup_token
from sparcs.server.problems import ApiProblem
from sparcs.server.routers.common import district_cities, visible_districts
from sparcs.server.state import ServerState
from sparcs.server.uploads import parse_scenario
from sparcs.server.worker import run_folder
from sparcs.store.jobs import create_job, get_job
from sparcs.store.network import City, District, MeterScope, get_record, list_records
from sparcs.store.plans import add_run, add_scenario, get_run, list_runs

__all__ = ["NeedsLogin", "login_redirect", "page_user", "render", "router"]

router = APIRouter(include_in_schema=False)
COOKIE = "sparcs_token"
_env = Environment(
    loader=PackageLoader("sparcs.server", "templates"), autoescape=select_autoescape(["html"])
)


def _state(request: Request) -> ServerState:
    state: ServerState = request.app.state.sparcs
    return state


def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The template ``name`` rendered with ``context``."""
    return HTMLResponse(_env.get_template(name).render(**context), status_code=status)


class NeedsLogin(Exception):
    """No valid cookie: go to the login page."""


def page_user(request: Request, action: str) -> Principal:
    """The logged-in caller, when it may do ``action`` (else login page or 403)."""
    secret = request.cookies.get(COOKIE)
    record = lookup_token(_state(request), secret) if secret else None
    if record is None:
        raise NeedsLogin
    who = Principal(record)
    if not who.may(action):
        raise ApiProblem(403, f"a {who.role} token may not see this page")
    return who


async def login_redirect(request: Request, exc: Exception) -> Response:
    """Send a visitor without a valid token to the login page."""
    return RedirectResponse("/login", status_code=303)


@router.get("/login")
def login_page() -> HTMLResponse:
    return render("login.html", title="Log in", who=None)


@router.post("/login")
async def login(request: Request) -> Response:
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    secret = (form.get("token") or [""])[0].strip()
    if not secret or lookup_token(_state(request), secret) is None:
        return render("login.html", 401, title="Log in", who=None,
                       error="This token is unknown, revoked or expired.")  # fmt: skip
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, secret, httponly=True, samesite="strict", max_age=8 * 3600)
    return response


@router.get("/logout")
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/static/plotly.min.js")
def plotly_js() -> FileResponse:
    path = resources.files("plotly").joinpath("package_data", "plotly.min.js")
    return FileResponse(str(path), media_type="text/javascript")


def _last_runs(state: ServerState, who: Principal) -> dict[str, Any]:
    """The newest finished run of each district in scope (only for roles that read runs)."""
    if not who.may("plans.read"):
        return {}
    with state.store() as store:
        runs = list_runs(store, visible_districts(store, who))
    latest: dict[str, Any] = {}
    for run in runs:  # newest first
        if run.status == "done" and run.district not in latest:
            latest[str(run.district)] = run
    return latest


@router.get("/")
def network(request: Request) -> HTMLResponse:
    who = page_user(request, "network.read")
    state = _state(request)
    with state.store() as store:
        cities = {c.id: c.name for c in list_records(store, City)}
        districts = [
            d for d in list_records(store, District) if who.sees(city=d.city, district=d.id)
        ]
    runs = _last_runs(state, who)
    rows = []
    for d in districts:
        run = runs.get(d.id)
        ped = json.loads(run.kpis or "{}").get("ped", {}) if run else {}
        finished = run.finished_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if run else None
        rows.append({"id": d.id, "name": d.name, "city": cities.get(d.city, d.city),
                     "status": ped.get("ped_class"), "finished": finished})  # fmt: skip
    return render("network.html", title="Network", who=who, rows=rows)


def _monthly(state: ServerState, district: str, run: Any) -> list[dict[str, Any]]:
    """Plotly traces: planned (the run's monthly.csv) and measured grid import per month."""
    traces = []
    if run is not None:
        path = run_folder(state.settings.data_dir, run.id) / "monthly.csv"
        if path.is_file():
            table = pd.read_csv(io.StringIO(path.read_text(encoding="utf-8")))
            traces.append({"type": "bar", "name": "planned", "x": list(table["month"]),
                           "y": [float(v) for v in table["electricity_import [kWh]"]]})  # fmt: skip
    with state.store() as store:
        placed = [m.meter for m in list_records(store, MeterScope, where={"district_id": district})]
        meters = store.meters()
        grid = list(
            meters[meters["id"].isin(placed) & (meters["quantity"] == "grid_import_kwh")]["id"]
        )
        readings = store.readings(grid) if grid else pd.DataFrame()
    if not readings.empty:
        months = readings["time"].dt.tz_convert("UTC").dt.strftime("%Y-%m")
        measured = readings.groupby(months)["value"].sum()
        traces.append({"type": "bar", "name": "measured", "x": list(measured.index),
                       "y": [float(v) for v in measured]})  # fmt: skip
    return traces


def _meter_table(state: ServerState, district: str) -> list[dict[str, Any]]:
    with state.store() as store:
        placed = {m.meter for m in list_records(store, MeterScope, where={"district_id": district})}
        meters = store.meters()
        info = store.info()
    now = datetime.now(UTC)
    rows = []
    for m in meters[meters["id"].isin(placed)].itertuples():
        seen = info.get(str(m.id), {})
        last = seen.get("last")
        step = (
            pd.Timedelta(m.resolution) if isinstance(m.resolution, str) else pd.Timedelta(hours=1)
        )
        alert = "no readings" if not last else (
            f"stale since {last}" if now - pd.Timestamp(last).to_pydatetime() > 2 * step else None
        )  # fmt: skip
        rows.append({"id": m.id, "quantity": m.quantity, "readings": seen.get("readings", 0),
                     "last": last, "alert": alert})  # fmt: skip
    return rows


@router.get("/districts/{district_id}")
def district_page(request: Request, district_id: str) -> HTMLResponse:
    who = page_user(request, "network.read")
    state = _state(request)
    with state.store() as store:
        district = get_record(store, District, district_id)
    if district is None or not who.sees(city=district.city, district=district.id):
        raise ApiProblem(404, f"no district {district_id!r} for this token")
    run = _last_runs(state, who).get(district.id)
    tiles = None
    if run is not None:
        ped = json.loads(run.kpis or "{}").get("ped", {})
        tiles = {"id": run.id, "ped_class": ped.get("ped_class"),
                 "balance": ped.get("balance_kwh_pe", 0.0), "ghg_t": ped.get("ghg_balance_kg", 0.0) / 1000}  # fmt: skip
    meters = _meter_table(state, district.id) if who.may("assets.read") else []
    return render("district.html", title=district.name, who=who, district=district, run=tiles,
                   traces=_monthly(state, district.id, run), meters=meters)  # fmt: skip


def _upload_form(request: Request, who: Principal, status: int = 200, **extra: Any) -> HTMLResponse:
    state = _state(request)
    with state.store() as store:
        districts = visible_districts(store, who)
        if districts is None:
            districts = list(district_cities(store))
    return render(
        "upload.html", status, title="New scenario", who=who, districts=districts, **extra
    )


@router.get("/scenarios/new")
def upload_page(request: Request) -> HTMLResponse:
    who = page_user(request, "plans.write")
    return _upload_form(request, who, body="", district=who.token.district)


@router.post("/scenarios/new")
async def upload(request: Request) -> Response:
    who = page_user(request, "plans.write")
    form = parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    body, district = (form.get("body") or [""])[0], (form.get("district") or [""])[0]
    strategy = (form.get("strategy") or ["rule"])[0]
    try:
        _, scenario = parse_scenario(body, "toml")
    except ScenarioError as exc:
        errors = [{"location": p.location, "message": p.message} for p in exc.problems]
        return _upload_form(request, who, 422, body=body, district=district, errors=errors)
    state = _state(request)
    with state.store() as store:
        found = get_record(store, District, district)
        if (
            found is None
            or not who.sees(city=found.city, district=found.id)
            or strategy not in ("rule", "optimal", "mpc")
        ):
            raise ApiProblem(
                403, f"district {district!r} or strategy {strategy!r} is not open to this token"
            )
        scenario_id = add_scenario(
            store, name=scenario.name, body=body, fmt="toml", district=found.id
        )
        run_id = add_run(store, scenario=scenario_id, strategy=strategy)
        job = create_job(store, "run", run_id=run_id, district=found.id)
    state.wake.set()
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def _job(request: Request, job_id: str) -> Any:
    who = page_user(request, "plans.read")
    with _state(request).store() as store:
        job = get_job(store, job_id)
        cities = district_cities(store)
    if job is None or not (
        who.role == "admin"
        or (
            job.district is not None
            and who.sees(city=cities.get(job.district), district=job.district)
        )
    ):
        raise ApiProblem(404, f"no job {job_id!r} for this token")
    return who, job


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str) -> HTMLResponse:
    who, job = _job(request, job_id)
    return render("job.html", title=f"Run {job.run_id}", who=who, job=job, run=job.run_id)


@router.get("/jobs/{job_id}/status")
def job_status(request: Request, job_id: str) -> JSONResponse:
    _, job = _job(request, job_id)
    return JSONResponse(
        {"status": job.status, "progress": job.progress, "stage": job.stage, "errors": job.errors}
    )


@router.get("/runs/{run_id}/report")
def report_page(request: Request, run_id: int) -> Response:
    who = page_user(request, "plans.read")
    state = _state(request)
    with state.store() as store:
        run = get_run(store, run_id)
        cities = district_cities(store)
    if run is None or not (
        who.role == "admin"
        or (
            run.district is not None
            and who.sees(city=cities.get(run.district), district=run.district)
        )
    ):
        raise ApiProblem(404, f"no run {run_id} for this token")
    path = run_folder(state.settings.data_dir, run.id) / "report.html"
    if run.status != "done" or not path.is_file():
        raise ApiProblem(409, f"run {run_id} is {run.status}; its report exists once it is done")
    return FileResponse(str(path), media_type="text/html")
