"""The settings of one ``sparcs serve`` process, in one frozen object."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ServerSettings"]


@dataclass(frozen=True)
class ServerSettings:
    """How the server runs.

    Attributes
    ----------
    db
        The store: a DuckDB file (the embedded default) or a ``postgresql://`` URL.
    data_dir
        Where run outputs (report.html, flows.parquet, monthly.csv) are written.
    rate_limit_per_minute
        Requests a token may make in any 60 s; more get 429 with ``Retry-After``.
    job_threads
        Background jobs run at once in this process.
    run_jobs
        False to queue jobs without running them (a read-only replica, some tests).
    operate_every_s
        Run the due operation cycle of every district this often [s]
        (:mod:`sparcs.server.operating`); 0: no live operation in the server.
    """

    db: str
    data_dir: Path
    rate_limit_per_minute: int = 600
    job_threads: int = 1
    run_jobs: bool = True
    operate_every_s: float = 0.0

    def to_env(self) -> dict[str, str]:
        """The settings as ``SPARCS_SERVE_*`` variables (for ``--workers`` > 1 processes)."""
        return {
            "SPARCS_SERVE_DB": self.db,
            "SPARCS_SERVE_DATA_DIR": str(self.data_dir),
            "SPARCS_SERVE_RATE_LIMIT": str(self.rate_limit_per_minute),
            "SPARCS_SERVE_JOB_THREADS": str(self.job_threads),
            "SPARCS_SERVE_RUN_JOBS": "1" if self.run_jobs else "0",
            "SPARCS_SERVE_OPERATE_EVERY_S": str(self.operate_every_s),
        }

    @classmethod
    def from_env(cls) -> ServerSettings:
        """The settings that :meth:`to_env` wrote."""
        env = os.environ
        return cls(
            db=env["SPARCS_SERVE_DB"],
            data_dir=Path(env["SPARCS_SERVE_DATA_DIR"]),
            rate_limit_per_minute=int(env.get("SPARCS_SERVE_RATE_LIMIT", "600")),
            job_threads=int(env.get("SPARCS_SERVE_JOB_THREADS", "1")),
            run_jobs=env.get("SPARCS_SERVE_RUN_JOBS", "1") == "1",
            operate_every_s=float(env.get("SPARCS_SERVE_OPERATE_EVERY_S", "0")),
        )
