"""Scenarios uploaded to ``sparcs serve`` and the runs made of them.

A scenario is kept as the text that was sent (TOML or JSON) and validated again, with the same
code, whenever it is run. A run keeps its strategy, status and, once done, its ``kpis.json``
text: the same bytes ``sparcs run`` writes for that scenario.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sparcs.store.store import Store

__all__ = [
    "RunRecord",
    "ScenarioRecord",
    "add_run",
    "add_scenario",
    "get_run",
    "get_scenario",
    "list_runs",
    "list_scenarios",
    "set_run",
]


@dataclass(frozen=True)
class ScenarioRecord:
    """A stored scenario: id, name, the text sent, its format, district, upload time (UTC)."""

    id: str
    name: str
    body: str
    format: str
    district: str | None
    created_at: datetime


@dataclass(frozen=True)
class RunRecord:
    """A run: its scenario and strategy, status, KPIs (``kpis.json`` text) and times (UTC)."""

    id: int
    scenario: str
    strategy: str
    status: str
    kpis: str | None
    started_at: datetime
    finished_at: datetime | None
    district: str | None


_SCENARIO = "id, name, body, format, district_id, created_at"
_RUN = (
    "r.id, r.scenario_id, r.strategy, r.status, r.kpis, r.started_at, r.finished_at, s.district_id"
)


def add_scenario(store: Store, *, name: str, body: str, fmt: str, district: str | None) -> str:
    """Store a validated scenario; return its new id.

    Parameters
    ----------
    store
        The open store.
    name
        The scenario's name.
    body
        The text as sent.
    fmt
        ``toml`` or ``json``.
    district
        The district it plans.

    Returns
    -------
    str
        The id (hex).
    """
    scenario_id = secrets.token_hex(6)
    store.backend.execute(
        f"INSERT INTO scenarios ({_SCENARIO}) VALUES (?, ?, ?, ?, ?, ?)",
        (scenario_id, name, body, fmt, district, datetime.now(UTC)),
    )
    return scenario_id


def get_scenario(store: Store, scenario_id: str) -> ScenarioRecord | None:
    """The scenario ``scenario_id``, or None.

    Parameters
    ----------
    store
        The open store.
    scenario_id
        Its id.

    Returns
    -------
    ScenarioRecord or None
        The record.
    """
    rows = store.backend.execute(f"SELECT {_SCENARIO} FROM scenarios WHERE id = ?", (scenario_id,))
    return ScenarioRecord(*rows[0]) if rows else None


def list_scenarios(store: Store, districts: list[str] | None) -> list[ScenarioRecord]:
    """Scenarios, newest first; only those of ``districts`` when given.

    Parameters
    ----------
    store
        The open store.
    districts
        The districts to show; None for all.

    Returns
    -------
    list of ScenarioRecord
        The scenarios.
    """
    where, params = _in("district_id", districts)
    rows = store.backend.execute(
        f"SELECT {_SCENARIO} FROM scenarios WHERE {where} ORDER BY created_at DESC, id", params
    )
    return [ScenarioRecord(*row) for row in rows]


def _in(column: str, values: list[str] | None) -> tuple[str, list[Any]]:
    if values is None:
        return "TRUE", []
    if not values:
        return "FALSE", []
    return f"{column} IN ({', '.join('?' for _ in values)})", list(values)


def add_run(store: Store, *, scenario: str, strategy: str) -> int:
    """Record a queued run of ``scenario``; return its id.

    Parameters
    ----------
    store
        The open store.
    scenario
        The scenario id.
    strategy
        ``rule``, ``optimal`` or ``mpc``.

    Returns
    -------
    int
        The run id.
    """
    with store.backend.transaction():
        ((run_id,),) = store.backend.execute("SELECT coalesce(max(id), 0) + 1 FROM runs")
        store.backend.execute(
            "INSERT INTO runs (id, scenario_id, strategy, status, kpis, started_at, finished_at) "
            "VALUES (?, ?, ?, 'queued', NULL, ?, NULL)",
            (int(run_id), scenario, strategy, datetime.now(UTC)),
        )
    return int(run_id)


def set_run(store: Store, run_id: int, *, status: str, kpis: str | None = None) -> None:
    """Record a run's new status (and its ``kpis.json`` text when done).

    Parameters
    ----------
    store
        The open store.
    run_id
        The run.
    status
        ``queued``, ``running``, ``done`` or ``failed``.
    kpis
        The ``kpis.json`` text of a finished run.
    """
    finished = datetime.now(UTC) if status in ("done", "failed") else None
    store.backend.execute(
        "UPDATE runs SET status = ?, kpis = coalesce(?, kpis), finished_at = ? WHERE id = ?",
        (status, kpis, finished, run_id),
    )


def get_run(store: Store, run_id: int) -> RunRecord | None:
    """The run ``run_id`` (with its scenario's district), or None.

    Parameters
    ----------
    store
        The open store.
    run_id
        Its id.

    Returns
    -------
    RunRecord or None
        The record.
    """
    rows = store.backend.execute(
        f"SELECT {_RUN} FROM runs r JOIN scenarios s ON s.id = r.scenario_id WHERE r.id = ?",
        (run_id,),
    )
    return RunRecord(*rows[0]) if rows else None


def list_runs(store: Store, districts: list[str] | None) -> list[RunRecord]:
    """Runs, newest first; only those of ``districts`` when given.

    Parameters
    ----------
    store
        The open store.
    districts
        The districts to show; None for all.

    Returns
    -------
    list of RunRecord
        The runs.
    """
    where, params = _in("s.district_id", districts)
    rows = store.backend.execute(
        f"SELECT {_RUN} FROM runs r JOIN scenarios s ON s.id = r.scenario_id WHERE {where} "
        "ORDER BY r.id DESC",
        params,
    )
    return [RunRecord(*row) for row in rows]
