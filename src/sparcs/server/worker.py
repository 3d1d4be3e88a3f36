"""The job worker: threads that take queued jobs from the store and run them.

A run job validates its scenario again, runs :func:`sparcs.run` with the strategy asked,
writes the same outputs as ``sparcs run`` (:meth:`~sparcs.runner.RunResult.report`) to
``<data_dir>/runs/<run id>/`` and keeps ``kpis.json`` in the store. Progress follows the stages
of the run. A failure of the input (a :class:`~sparcs.errors.SparcsError`) is the job's error
message; anything else is logged with its traceback and reported as an internal error.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from sparcs.errors import SparcsError
from sparcs.server.state import ServerState
from sparcs.server.uploads import parse_scenario
from sparcs.store.jobs import JobRecord, claim_job, fail_interrupted, finish_job, set_progress
from sparcs.store.plans import get_run, get_scenario, set_run

__all__ = ["JobWorker", "recover_jobs", "run_folder"]

log = logging.getLogger("sparcs.server")
#: Share of a run done when each stage starts.
_PROGRESS = {"weather": 0.05, "profiles": 0.2, "simulation": 0.4, "kpis": 0.8, "report": 0.9}
RESTART_REASON = "the server stopped while this job ran; start it again with POST /api/v1/runs"


def run_folder(data_dir: Path, run_id: int) -> Path:
    """Where the outputs of run ``run_id`` are written."""
    return data_dir / "runs" / str(run_id)


def recover_jobs(state: ServerState) -> list[str]:
    """On start: fail the jobs a stopped server left running (and their runs); queued ones stay.

    Parameters
    ----------
    state
        The server state.

    Returns
    -------
    list of str
        The ids of the jobs marked failed.
    """
    with state.store() as store:
        running = [
            r[0]
            for r in store.backend.execute("SELECT run_id FROM jobs WHERE status = 'running'")
            if r[0] is not None
        ]
        failed = fail_interrupted(store, RESTART_REASON)
        for run_id in running:
            set_run(store, int(run_id), status="failed")
    for job_id in failed:
        log.warning("job %s: %s", job_id, RESTART_REASON)
    return failed


class JobWorker:
    """Threads running queued jobs until :meth:`stop`."""

    def __init__(self, state: ServerState, threads: int = 1, poll_s: float = 1.0) -> None:
        self.state = state
        self.poll_s = poll_s
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._loop, name=f"sparcs-job-{i}", daemon=True)
            for i in range(threads)
        ]
        self.busy = 0

    def start(self) -> None:
        """Start the threads."""
        for thread in self._threads:
            thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Ask the threads to stop after their current job; wait up to ``timeout_s`` [s]."""
        self._stop.set()
        self.state.wake.set()
        for thread in self._threads:
            thread.join(timeout_s)

    @property
    def alive(self) -> bool:
        """True while every thread runs."""
        return all(t.is_alive() for t in self._threads)

    def _loop(self) -> None:
        while not self._stop.is_set():
            with self.state.store() as store:
                job = claim_job(store)
            if job is None:
                self.state.wake.wait(self.poll_s)
                self.state.wake.clear()
                continue
            self.busy += 1
            try:
                self._run(job)
            finally:
                self.busy -= 1

    def _progress(self, job: JobRecord, stage: str) -> None:
        with self.state.store() as store:
            set_progress(store, job.id, _PROGRESS.get(stage, 0.0), stage)

    def _run(self, job: JobRecord) -> None:
        import sparcs

        try:
            with self.state.store() as store:
                run = get_run(store, int(job.run_id or 0))
                record = get_scenario(store, run.scenario) if run else None
                if run is None or record is None:
                    finish_job(store, job.id, "failed", ["the run or its scenario is gone"])
                    return
                set_run(store, run.id, status="running")
            _, scenario = parse_scenario(record.body, record.format)
            result = sparcs.run(
                scenario,
                strategy=run.strategy,  # type: ignore[arg-type]  # checked when the run was made
                on_stage=lambda stage: self._progress(job, stage),
            )
            self._progress(job, "report")
            paths = result.report(run_folder(self.state.settings.data_dir, run.id))
            kpis = Path(paths["kpis"]).read_text(encoding="utf-8")
            with self.state.store() as store:
                set_run(store, run.id, status="done", kpis=kpis)
                finish_job(store, job.id, "done")
        except SparcsError as exc:
            self._fail(job, str(exc).splitlines())
        except Exception as exc:  # a bug: keep the worker alive, log the traceback
            log.exception("job %s failed", job.id)
            self._fail(job, [f"internal error ({type(exc).__name__}: {exc}); see the server log"])

    def _fail(self, job: JobRecord, errors: list[str]) -> None:
        with self.state.store() as store:
            if job.run_id is not None:
                set_run(store, job.run_id, status="failed")
            finish_job(store, job.id, "failed", errors)
