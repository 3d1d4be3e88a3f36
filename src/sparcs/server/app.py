"""The FastAPI application of ``sparcs serve``.

:func:`create_app` wires the routers, the problem+json errors, the OpenAPI document (with
problem+json as the error body of every route) and the interactive docs at ``/docs``, whose
Swagger UI files are served from the installed ``fastapi-offline`` package: no CDN, works
offline. Opening the app opens the store, fails the jobs a stopped server left running and
starts the job worker (and, with ``operate_every_s``, the live operation thread of
:mod:`.operating`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from sparcs import __version__
from sparcs.server import citizen, operator_page, pages
from sparcs.server.cache import WritesChangeData
from sparcs.server.citizen.kept import KeptPages
from sparcs.server.citizen.language import warm_languages
from sparcs.server.problems import PROBLEM_JSON, install_problem_handlers
from sparcs.server.routers import (
    network,
    operations,
    overview,
    readings,
    runs,
    scenarios,
    schedules,
    tokens,
)
from sparcs.server.settings import ServerSettings
from sparcs.server.state import ServerState
from sparcs.server.worker import JobWorker, recover_jobs
from sparcs.store.jobs import job_counts

__all__ = ["create_app", "create_app_from_env"]

log = logging.getLogger("sparcs.server")
DESCRIPTION = """Plan, operate and monitor Positive Energy Districts over HTTP.

Send `Authorization: Bearer <token>` (from `sparcs token create`). Errors are RFC 9457
`application/problem+json`. Times are ISO 8601 with a UTC offset; energies in kWh, powers in kW
(the unit is in the field name)."""


class Health(BaseModel):
    """What ``GET /health`` reports."""

    status: str
    version: str
    store: dict[str, Any]
    jobs: dict[str, Any]


def _swagger_assets() -> str:
    return str(resources.files("fastapi_offline").joinpath("static"))


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated OpenAPI, with FastAPI's 422 body replaced by problem+json."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    ref = {"$ref": "#/components/schemas/ProblemDetail"}
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            responses = operation.get("responses", {})
            if "422" in responses:
                responses["422"] = {
                    "description": "Invalid input",
                    "content": {PROBLEM_JSON: {"schema": ref}},
                }
            for response in responses.values():  # an error body is problem+json, never json
                content = response.get("content", {})
                if PROBLEM_JSON in content and "application/json" in content:
                    content[PROBLEM_JSON] = content.pop("application/json")
    for name in ("HTTPValidationError", "ValidationError"):
        schema.get("components", {}).get("schemas", {}).pop(name, None)
    app.openapi_schema = schema
    return schema


def create_app(settings: ServerSettings) -> FastAPI:
    """The application for ``settings`` (the store opens when the app starts).

    Parameters
    ----------
    settings
        Store, data folder, rate limit and job threads.

    Returns
    -------
    FastAPI
        The app; serve it with uvicorn (``sparcs serve``) or test it with a TestClient.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = ServerState(settings)
        app.state.sparcs = state
        failed = recover_jobs(state)
        if failed:
            log.warning(
                "%d job(s) were running when the server stopped: marked failed", len(failed)
            )
        threading.Thread(target=warm_languages, name="warm-languages", daemon=True).start()
        worker = JobWorker(state, settings.job_threads) if settings.run_jobs else None
        app.state.worker = worker
        if worker is not None:
            worker.start()
        operating = None
        if settings.operate_every_s > 0:
            from sparcs.server.operating import OperateLoop  # the live engine only when asked

            operating = OperateLoop(settings)
            operating.start()
        try:
            yield
        finally:
            if operating is not None:
                operating.stop()
            if worker is not None:
                worker.stop()
            state.close()

    app = FastAPI(
        title="SPARCS",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    install_problem_handlers(app)
    app.add_middleware(WritesChangeData)
    app.add_middleware(KeptPages)  # kept citizen pages answered before the routing
    for module in (network, tokens, scenarios, runs, readings, operations, schedules, overview):
        app.include_router(module.router)
    app.include_router(overview.page_router)
    app.include_router(pages.router)
    app.include_router(operator_page.router)
    app.include_router(citizen.router)
    app.add_exception_handler(pages.NeedsLogin, pages.login_redirect)
    app.mount("/static/docs", StaticFiles(directory=_swagger_assets()), name="docs-static")

    @app.get("/health", response_model=Health, tags=["health"])
    def health() -> Any:
        """Liveness without a token: version, store and job queue."""
        state: ServerState = app.state.sparcs
        with state.store() as store:
            counts = job_counts(store)
            version = store.version()
            dialect = store.dialect
        worker = app.state.worker
        return {
            "status": "ok",
            "version": __version__,
            "store": {"dialect": dialect, "schema_version": version},
            "jobs": counts
            | {"worker": "off" if worker is None else ("running" if worker.alive else "stopped")},
        }

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="SPARCS API",
            swagger_js_url="/static/docs/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger-ui.css",
            swagger_favicon_url="/static/docs/favicon.png",
        )

    # FastAPI's documented way to customise the document: replace the app's openapi method
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]  # a method replaced
    return app


def create_app_from_env() -> FastAPI:
    """The app of the ``SPARCS_SERVE_*`` settings (each process of ``sparcs serve --workers N``).

    Returns
    -------
    FastAPI
        The app.
    """
    return create_app(ServerSettings.from_env())
