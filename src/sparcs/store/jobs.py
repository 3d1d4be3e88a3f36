"""Background jobs of ``sparcs serve``, kept in the store so that none is lost on a restart.

A job goes ``queued`` → ``running`` → ``done`` or ``failed``. A worker *claims* the oldest
queued job with one conditional ``UPDATE … RETURNING`` (two workers never get the same job,
PostgreSQL or DuckDB). When a server starts, jobs left ``running`` by a server that stopped are
marked ``failed`` with the reason, and queued ones are picked up again.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sparcs.store.store import Store

__all__ = [
    "JOB_STATUSES",
    "JobRecord",
    "JobStatus",
    "claim_job",
    "create_job",
    "fail_interrupted",
    "finish_job",
    "get_job",
    "job_counts",
    "set_progress",
]

JobStatus = Literal["queued", "running", "done", "failed"]
#: The states of a job, in order.
JOB_STATUSES: tuple[str, ...] = ("queued", "running", "done", "failed")
_COLUMNS = (
    "id, kind, status, progress, stage, errors, run_id, district_id, created_at, started_at, "
    "finished_at"
)


@dataclass(frozen=True)
class JobRecord:
    """One job as stored.

    Attributes
    ----------
    id
        Public id (hex).
    kind
        What it does: ``run``.
    status
        ``queued``, ``running``, ``done`` or ``failed``.
    progress
        Share done [0..1].
    stage
        What it is doing now (``weather``, ``profiles``, ``simulation``, ``kpis``, ``report``).
    errors
        Messages of a failed job (one line each).
    run_id
        The run it produces.
    district
        The district it works for (access control).
    created_at, started_at, finished_at
        UTC times.
    """

    id: str
    kind: str
    status: str
    progress: float
    stage: str | None
    errors: list[str]
    run_id: int | None
    district: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def _record(row: tuple[Any, ...]) -> JobRecord:
    values = list(row)
    values[3] = float(values[3])
    values[5] = list(json.loads(values[5]))
    values[6] = None if values[6] is None else int(values[6])
    return JobRecord(*values)


def create_job(store: Store, kind: str, *, run_id: int | None, district: str | None) -> JobRecord:
    """Queue a job.

    Parameters
    ----------
    store
        The open store.
    kind
        What the job does (``run``).
    run_id
        The run it produces.
    district
        The district it belongs to.

    Returns
    -------
    JobRecord
        The queued job.
    """
    job_id = secrets.token_hex(8)
    store.backend.execute(
        f"INSERT INTO jobs ({_COLUMNS}) VALUES (?, ?, 'queued', 0, NULL, '[]', ?, ?, ?, NULL, NULL)",
        (job_id, kind, run_id, district, datetime.now(UTC)),
    )
    found = get_job(store, job_id)
    assert found is not None  # just inserted
    return found


def get_job(store: Store, job_id: str) -> JobRecord | None:
    """The job ``job_id``, or None.

    Parameters
    ----------
    store
        The open store.
    job_id
        Its id.

    Returns
    -------
    JobRecord or None
        The job as stored now.
    """
    rows = store.backend.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,))
    return _record(rows[0]) if rows else None


def claim_job(store: Store) -> JobRecord | None:
    """Take the oldest queued job for this worker (mark it ``running``); None when none waits.

    Parameters
    ----------
    store
        The open store.

    Returns
    -------
    JobRecord or None
        The job now running here.
    """
    for (job_id,) in store.backend.execute(
        "SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at, id LIMIT 5"
    ):
        taken = store.backend.execute(
            "UPDATE jobs SET status = 'running', started_at = ? WHERE id = ? "
            "AND status = 'queued' RETURNING id",
            (datetime.now(UTC), job_id),
        )
        if taken:
            return get_job(store, job_id)
    return None


def set_progress(store: Store, job_id: str, progress: float, stage: str) -> None:
    """Record how far a running job is.

    Parameters
    ----------
    store
        The open store.
    job_id
        The job.
    progress
        Share done [0..1].
    stage
        What it does now.
    """
    store.backend.execute(
        "UPDATE jobs SET progress = ?, stage = ? WHERE id = ?", (float(progress), stage, job_id)
    )


def finish_job(
    store: Store, job_id: str, status: JobStatus, errors: list[str] | None = None
) -> None:
    """Close a job as ``done`` or ``failed``.

    Parameters
    ----------
    store
        The open store.
    job_id
        The job.
    status
        ``done`` or ``failed``.
    errors
        Why it failed (one line each).
    """
    progress = 1.0 if status == "done" else None
    store.backend.execute(
        "UPDATE jobs SET status = ?, errors = ?, finished_at = ?, "
        "progress = coalesce(?, progress) WHERE id = ?",
        (status, json.dumps(errors or []), datetime.now(UTC), progress, job_id),
    )


def fail_interrupted(store: Store, reason: str) -> list[str]:
    """Mark every ``running`` job ``failed`` with ``reason`` (called when a server starts).

    Parameters
    ----------
    store
        The open store.
    reason
        The message the jobs get.

    Returns
    -------
    list of str
        The ids of the jobs marked failed.
    """
    rows = store.backend.execute(
        "UPDATE jobs SET status = 'failed', errors = ?, finished_at = ? WHERE status = 'running' "
        "RETURNING id",
        (json.dumps([reason]), datetime.now(UTC)),
    )
    return sorted(str(row[0]) for row in rows)


def job_counts(store: Store) -> dict[str, int]:
    """Jobs per status (every status present, zero where none).

    Parameters
    ----------
    store
        The open store.

    Returns
    -------
    dict
        ``{"queued": n, "running": n, "done": n, "failed": n}``.
    """
    counts = dict.fromkeys(JOB_STATUSES, 0)
    for status, n in store.backend.execute("SELECT status, count(*) FROM jobs GROUP BY status"):
        counts[str(status)] = int(n)
    return counts
