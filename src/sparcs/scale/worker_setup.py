"""Set-up of a local cluster's workers (a Dask preload): a closing worker closes quietly.

A worker of ``distributed`` (2026.8) stops its heartbeat only after it has begun to close its
connections, so a heartbeat in flight when the cluster closes fails and the worker logs
"Failed to communicate with scheduler during heartbeat." with a ``CommClosedError`` traceback
at ERROR level (dask/distributed#7105): a user closing a cluster that did everything right
sees a page of traceback. :class:`ClosingHeartbeatFilter` drops that one record while its
worker is closing; the same failure in a running worker (a scheduler that really went away)
is still logged.

:mod:`sparcs.scale.dask_backend` names this module in ``distributed.worker.preload``, so Dask
imports it in every worker it starts, a restarted one included, and calls :func:`dask_setup`.
"""

from __future__ import annotations

import logging
import weakref
from typing import Any

__all__ = ["CLOSING", "HEARTBEAT_FAILED", "ClosingHeartbeatFilter", "dask_setup"]

#: The message ``distributed.worker`` logs when a heartbeat cannot reach the scheduler.
HEARTBEAT_FAILED = "Failed to communicate with scheduler during heartbeat"
#: Worker statuses (``distributed.core.Status`` names) in which the failure is expected.
CLOSING = frozenset({"closing", "closing_gracefully", "closed"})


class ClosingHeartbeatFilter(logging.Filter):
    """Drops the failed-heartbeat record of a worker that is closing.

    Parameters
    ----------
    worker
        The ``distributed.Worker`` whose records pass through (held weakly); once it is gone,
        its heartbeat failures are dropped too.
    """

    def __init__(self, worker: Any) -> None:
        super().__init__()
        self._worker = weakref.ref(worker)

    def filter(self, record: logging.LogRecord) -> bool:
        """False for the failed-heartbeat record while the worker closes, else True."""
        if not record.getMessage().startswith(HEARTBEAT_FAILED):
            return True
        worker = self._worker()
        return worker is not None and worker.status.name not in CLOSING


def dask_setup(worker: Any) -> None:
    """Dask's preload hook: filter the worker's failed-heartbeat record while it closes.

    Parameters
    ----------
    worker
        The ``distributed.Worker`` starting in this process.
    """
    logging.getLogger("distributed.worker").addFilter(ClosingHeartbeatFilter(worker))
