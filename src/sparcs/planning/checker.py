"""A plan's full-period checks in a forked worker that keeps its window bases between them.

The first check of a plan is its longest step after the sizing solve (100 buildings: ~70 s
of rolling windows). Run in a worker, it leaves this process free to prepare the
tightening the check will probably ask for (:mod:`.ahead`); the worker keeps the simplex
bases of each check (:class:`~sparcs.lp.warm.WarmStarts`) so that the re-check of a
tightened plan starts from them, as it would in this process. Without ``fork`` (or for the
rule strategy, well under a second) the checks run in this process, one at a time.
"""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from sparcs.lp.warm import WarmStarts
from sparcs.planning.verify import Measured, VerifyStrategy, measure_plan

if TYPE_CHECKING:
    from sparcs.planning.setup import PlanningSetup
    from sparcs.scenario.models import Scenario

__all__ = ["Checker"]

#: The worker's setup, strategy and bases (set around the fork, kept in the worker).
_WORKER: dict[str, Any] = {}


def _start_worker() -> None:
    """HiGHS's thread pool does not survive a fork; the worker starts its own."""
    from sparcs.lp import highs

    highs._highspy().Highs.resetGlobalScheduler(True)  # noqa: SLF001
    _WORKER["warm"] = WarmStarts()


def _check(scenario: Scenario) -> Measured:
    return measure_plan(_WORKER["setup"], scenario, _WORKER["strategy"], _WORKER["warm"])


class Checker:
    """Full-period operations of a plan's scenarios, one after the other.

    Parameters
    ----------
    setup
        The planning setup (period, weather, solver options).
    strategy
        The operation strategy the plan is checked with.
    """

    def __init__(self, setup: PlanningSetup, strategy: VerifyStrategy) -> None:
        self._setup, self._strategy = setup, strategy
        self._warm = WarmStarts()  # the bases of checks run in this process
        self._pool: ProcessPoolExecutor | None = None
        self._forks = (
            strategy == "optimal"
            and "fork" in mp.get_all_start_methods()
            and not mp.current_process().daemon
        )

    @property
    def in_worker(self) -> bool:
        """Whether the checks run in a forked worker (else in this process, at submit)."""
        return self._forks

    def submit(self, scenario: Scenario) -> Future[Measured]:
        """Start the full-period operation of ``scenario``; its KPIs come with the future.

        Parameters
        ----------
        scenario
            A plan's scenario (the layout of the last one submitted: its bases are reused).

        Returns
        -------
        concurrent.futures.Future
            Resolves to the :class:`~.verify.Measured` KPIs (done at once without a worker).
        """
        if not self._forks:
            done: Future[Measured] = Future()
            done.set_result(measure_plan(self._setup, scenario, self._strategy, self._warm))
            return done
        if self._pool is None:  # the worker forks in the first submit: it has the setup
            _WORKER.update(setup=self._setup, strategy=self._strategy)
            try:
                self._pool = ProcessPoolExecutor(
                    1, mp_context=mp.get_context("fork"), initializer=_start_worker
                )
                return self._pool.submit(_check, scenario)
            finally:
                _WORKER.clear()
        return self._pool.submit(_check, scenario)

    def measure(self, scenario: Scenario) -> Measured:
        """The full-period KPIs of ``scenario``, waiting for them."""
        return self.submit(scenario).result()

    def close(self) -> None:
        """Let the worker go."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
