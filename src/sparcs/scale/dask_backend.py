"""The Dask executor: a ``distributed.LocalCluster`` started here, or a running scheduler.

Imported only when ``--executor dask`` is chosen, so ``dask`` and ``distributed`` never load
with the engine. Patterns (docs/network.md, "Executors"): ``pure=False`` with unique keys (a
point is never deduplicated against another run's), single-threaded worker processes (the
engine is NumPy and Python), ``retries`` for crashes only (engine errors come back as
:class:`~sparcs.scale.executors.Failed` values and are never retried), results streamed to
the driver with ``as_completed``.

A local cluster's workers keep glibc's own ``malloc`` tuning. Dask sets
``MALLOC_TRIM_THRESHOLD_=65536`` in every worker it spawns (``distributed.nanny.pre-spawn-
environ``) to hand freed memory back to the system at once; setting any such variable turns
off glibc's dynamic mmap threshold, so every array above 128 kB (a 100-building x 8,760 h
profile is 7 MB) is mapped afresh and page-faulted in again on every allocation. Measured on a
point of a 100-building sweep: 5 times the minor page faults and 15-25 % more CPU than the same
point in the driver. Nor do they run Dask's statistical profiler, which samples every worker
thread's stack every 10 ms for the dashboard: it cost the same point 0.91 s of CPU instead of
0.77 s (docs/network.md, "Sweep speed"). Workers of a cluster at ``--scheduler`` are
configured by whoever runs them.

On Linux the workers are forked from this process (``distributed.worker.multiprocessing-
method = fork``), not spawned: a spawned worker starts a fresh interpreter that imports
``distributed`` and then the engine (NumPy, pandas, SciPy, pvlib, pydantic), some 2.5 s of CPU
per worker before its first point, about a fifth of a 20-point sweep's whole work. A forked
worker has them already (docs/network.md, "Sweep speed").
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from typing import Any, TypeVar

from sparcs.errors import SparcsError
from sparcs.scale.executors import ExecutorSpec, Failed, Outcome
from sparcs.scale.frozen import frozen_objects

__all__ = [
    "QUIET_INTERVALS",
    "START_METHOD",
    "WORKER_ENVIRON",
    "in_flight",
    "local_cluster",
    "open_client",
    "submit_points",
]

#: ``distributed.nanny.pre-spawn-environ`` of a local cluster: Dask's single-thread settings
#: for BLAS and OpenMP kept, its ``MALLOC_TRIM_THRESHOLD_`` dropped (``None`` unsets a key).
WORKER_ENVIRON: dict[str, int | None] = {
    "MALLOC_TRIM_THRESHOLD_": None,
    "OMP_NUM_THREADS": 1,
    "MKL_NUM_THREADS": 1,
    "OPENBLAS_NUM_THREADS": 1,
}

#: How a local cluster starts its workers: ``fork`` on Linux, else Dask's default ``spawn``
#: (macOS forks badly with its system frameworks, Windows cannot fork).
START_METHOD = (
    "fork"
    if sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()
    else "spawn"
)

#: Housekeeping of a local cluster's processes, slowed from Dask's defaults. The event-loop
#: tick (20 ms) and the system monitor (500 ms) take the GIL from the computing thread of a
#: worker many times a second, and the nannies' memory monitors poll ten times a second: idle,
#: a worker used 1.7 % of a core and the driver 3.4 %; with these, 0.3 % and 0.8 %
#: (docs/network.md, "Sweep speed"). The tick only times warnings of a blocked event loop, the
#: system monitor feeds the dashboard, and half a second still catches a worker's memory
#: growing towards its limit.
QUIET_INTERVALS: dict[str, str | bool] = {
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.worker.memory.monitor-interval": "500ms",
}

T = TypeVar("T")
R = TypeVar("R")


def _distributed() -> Any:
    """The ``distributed`` module, imported on first use (it has no type hints).

    Imported with the garbage collector's objects frozen: the import allocates enough objects
    to run full collections, each walking every object of the engine already loaded (NumPy,
    pandas, SciPy, pvlib); six imports each way after the engine: 0.26-0.43 s, frozen
    0.20-0.27 s (docs/network.md, "Sweep speed").
    """
    if "distributed" not in sys.modules:
        with frozen_objects():
            importlib.import_module("distributed")
    return sys.modules["distributed"]


def local_cluster(n_workers: int) -> Any:
    """A ``distributed.LocalCluster`` of single-threaded worker processes on localhost.

    Parameters
    ----------
    n_workers
        Worker processes to start.

    Returns
    -------
    distributed.LocalCluster
        Started; its workers forked from this process (:data:`START_METHOD`), run with
        :data:`WORKER_ENVIRON`, without Dask's profiler and closing quietly
        (:mod:`sparcs.scale.worker_setup`), its HTTP server on a free port.
        The caller closes it (it is a context manager).
    """
    distributed = _distributed()
    dask = importlib.import_module("dask")  # imported by distributed
    settings = {
        "distributed.nanny.pre-spawn-environ": WORKER_ENVIRON,
        "distributed.worker.profile.enabled": False,
        **QUIET_INTERVALS,
        "distributed.worker.multiprocessing-method": START_METHOD,
        # quiet close: drops the heartbeat traceback of dask/distributed#7105
        "distributed.worker.preload": ["sparcs.scale.worker_setup"],
    }
    # frozen while the workers fork: their garbage collector then never walks the objects
    # they inherit, which would copy every page holding one (a 100,000-building scenario)
    with frozen_objects(), dask.config.set(settings):
        return distributed.LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # any free port: 8787 may be taken
            silence_logs=logging.ERROR,
        )


def open_client(spec: ExecutorSpec, stack: ExitStack) -> Any:
    """A ``distributed.Client`` for ``spec``, closed (with its cluster) when ``stack`` closes.

    Parameters
    ----------
    spec
        ``scheduler`` set: connect to it (10 s timeout); else start a ``LocalCluster`` of
        ``spec.n_workers`` worker processes (:func:`local_cluster`).
    stack
        Owns the client and the cluster.

    Returns
    -------
    distributed.Client
        The connected client.

    Raises
    ------
    SparcsError
        When the scheduler cannot be reached.
    """
    distributed = _distributed()
    Client = distributed.Client  # noqa: N806

    if spec.scheduler is not None:
        try:
            client = Client(spec.scheduler, timeout="10s", set_as_default=False)
        except OSError as exc:
            msg = f"cannot reach the Dask scheduler at {spec.scheduler}: {exc}; is it running?"
            raise SparcsError(msg) from None
        return stack.enter_context(client)
    cluster = stack.enter_context(local_cluster(spec.n_workers))
    return stack.enter_context(Client(cluster, set_as_default=False))


def in_flight(threads: int) -> int:
    """Tasks kept submitted at once: four per worker thread, at least eight.

    Submitting every point in one graph sends all their data to the scheduler at once (a
    100,000-building district is 18 MiB of buildings, and Dask warns above 10 MiB); a window
    keeps every worker busy with a few tasks queued and sends the rest as points complete.

    Parameters
    ----------
    threads
        Worker threads of the cluster (0 when none has joined yet).

    Returns
    -------
    int
        The window's size.

    Examples
    --------
    >>> in_flight(2), in_flight(0), in_flight(16)
    (8, 8, 64)
    """
    return max(8, 4 * threads)


def submit_points(
    client: Any,
    task: Callable[[T], R | Failed],
    items: Sequence[T],
    labels: Sequence[str],
    spec: ExecutorSpec,
) -> Iterator[Outcome[R]]:
    """Run ``task`` on every item through ``client``; yield outcomes as they complete.

    Parameters
    ----------
    client
        A connected ``distributed.Client`` (:func:`open_client`); its cluster's workers may
        still be starting (the first tasks wait on the scheduler).
    task
        The guarded task (:func:`~sparcs.scale.executors.guarded_call` bound to a function).
    items, labels
        The points and their unique names.
    spec
        The Dask executor settings (``retries``).

    Yields
    ------
    Outcome
        One per point, in completion order; a point whose task kept crashing (``retries``
        used up, or its worker killed three times) carries the error.
    """
    as_completed = _distributed().as_completed

    run = uuid.uuid4().hex[:8]
    index: dict[str, int] = {}

    def submit(i: int) -> Any:
        key = f"sparcs-{run}-{i}-{labels[i]}"
        future = client.submit(task, items[i], key=key, pure=False, retries=spec.retries)
        index[future.key] = i
        return future

    window = in_flight(sum(client.nthreads().values()))
    pending = as_completed([submit(i) for i in range(min(window, len(items)))], loop=client.loop)
    submitted = min(window, len(items))
    for future in pending:
        if submitted < len(items):  # one in, one out: the window stays full
            pending.add(submit(submitted))
            submitted += 1
        i = index.pop(future.key)
        try:
            value = future.result()
        except Exception as exc:  # noqa: BLE001  (reported per point)
            text = str(exc) or "no message"
            yield Outcome(i, labels[i], None, f"{type(exc).__name__}: {text}")
            continue
        finally:
            future.release()
        if isinstance(value, Failed):
            yield Outcome(i, labels[i], None, value.message)
        else:
            yield Outcome(i, labels[i], value)
