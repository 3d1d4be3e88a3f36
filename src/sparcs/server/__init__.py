"""``sparcs serve``: the platform as a service (REST API, roles, background runs).

A FastAPI app on uvicorn over the same store (:mod:`sparcs.store`: DuckDB embedded by default,
PostgreSQL for multi-user deployments), the same validation and the same engine as the CLI.

* :mod:`.app`: the application, ``/health``, ``/openapi.json`` and ``/docs`` (offline);
* :mod:`.auth` and :mod:`.access`: bearer tokens, roles and scopes, rate limits;
* :mod:`.routers`: ``/api/v1`` by resource family;
* :mod:`.worker`: background jobs, kept in the store, resumed after a restart;
* :mod:`.problems`: RFC 9457 problem details for every error.

See ``docs/server.md``.
"""

from __future__ import annotations

from sparcs.server.app import create_app
from sparcs.server.settings import ServerSettings

__all__ = ["ServerSettings", "create_app"]
