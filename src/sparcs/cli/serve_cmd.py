"""``sparcs serve``: the REST API on uvicorn (:mod:`sparcs.server`). Registered in :mod:`.app`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from sparcs.cli._console import UsageError, say, user_errors
from sparcs.cli._inputs import DB_HELP

__all__ = ["serve_command"]


def serve_command(
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port to listen on")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", help="server processes (more than 1 needs PostgreSQL)")
    ] = 1,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="run outputs folder (default sparcs-server next to --db)"),
    ] = None,
    rate_limit: Annotated[
        int, typer.Option("--rate-limit", help="requests per minute per token")
    ] = 600,
    job_threads: Annotated[
        int, typer.Option("--job-threads", help="background jobs run at once per process")
    ] = 1,
    operate_every: Annotated[
        str | None,
        typer.Option(
            "--operate-every", help="run each district's operation cycle this often, e.g. 15min"
        ),
    ] = None,
) -> None:
    """Serve the platform: REST API under /api/v1, /health, /docs, on uvicorn."""
    import os

    import uvicorn

    from sparcs.server import ServerSettings, create_app
    from sparcs.store import database_url, open_store

    with user_errors():
        url = database_url(db)
        postgres = url.startswith(("postgresql://", "postgres://"))
        if workers < 1 or not 0 < port < 65536 or rate_limit < 1 or job_threads < 1:
            msg = "--workers, --rate-limit and --job-threads must be at least 1, --port 1..65535"
            raise UsageError(msg)
        if workers > 1 and not postgres:
            msg = (
                f"--workers {workers} needs PostgreSQL (--db postgresql://...): a DuckDB file "
                "has one writer process"
            )
            raise UsageError(msg)
        every_s = _every_s(operate_every, workers)
        folder = data_dir or (
            Path("sparcs-server") if postgres else Path(url).parent / "sparcs-server"
        )
        settings = ServerSettings(
            db=url,
            data_dir=folder.resolve(),
            rate_limit_per_minute=rate_limit,
            job_threads=job_threads,
            operate_every_s=every_s,
        )
        open_store(url).close()  # migrate once, before any worker starts; a bad --db stops here
    say(
        f"sparcs serve: http://{host}:{port} (docs /docs), "
        f"store {url if not postgres else 'postgresql'}"
    )
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
        return
    os.environ.update(settings.to_env())
    uvicorn.run(
        "sparcs.server.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )


def _every_s(text: str | None, workers: int) -> float:
    """``--operate-every`` in seconds (0 without it)."""
    if text is None:
        return 0.0
    try:
        seconds = pd.Timedelta(text).total_seconds()
    except ValueError:
        seconds = -1.0
    if seconds <= 0:
        msg = f"--operate-every {text!r} is not a duration; give one like 15min or 1h"
        raise UsageError(msg)
    if workers > 1:
        msg = "--operate-every runs in one process: use --workers 1 (or sparcs operate --loop)"
        raise UsageError(msg)
    return float(seconds)
