"""The Dask executor: a ``distributed.LocalCluster`` started here, or a running scheduler.

Imported only when ``--executor dask`` is chosen, so ``dask`` and ``distributed`` never load
with the engine. Patterns (docs/network.md, "Executors"): ``pure=False`` with unique keys (a
point is never deduplicated against another run's), single-threaded worker processes (the
engine is NumPy and Python), ``retries`` for crashes only (engine errors come back as
:class:`~sparcs.scale.executors.Failed` values and are never retried), results streamed to
the driver with ``as_completed``.
"""

from __future__ import annotations

import importlib
import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from typing import Any, TypeVar

from sparcs.errors import SparcsError
from sparcs.scale.executors import ExecutorSpec, Failed, Outcome

__all__ = ["dask_points", "open_client"]

T = TypeVar("T")
R = TypeVar("R")


def _distributed() -> Any:
    """The ``distributed`` module, imported on first use (it has no type hints)."""
    return importlib.import_module("distributed")


def open_client(spec: ExecutorSpec, stack: ExitStack) -> Any:
    """A ``distributed.Client`` for ``spec``, closed (with its cluster) when ``stack`` closes.

    Parameters
    ----------
    spec
        ``scheduler`` set: connect to it (10 s timeout); else start a ``LocalCluster`` of
        ``spec.n_workers`` single-threaded worker processes on localhost, its HTTP server on a
        free port.
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
    Client, LocalCluster = distributed.Client, distributed.LocalCluster  # noqa: N806

    if spec.scheduler is not None:
        try:
            client = Client(spec.scheduler, timeout="10s", set_as_default=False)
        except OSError as exc:
            msg = f"cannot reach the Dask scheduler at {spec.scheduler}: {exc}; is it running?"
            raise SparcsError(msg) from None
        return stack.enter_context(client)
    cluster = LocalCluster(
        n_workers=spec.n_workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # any free port: 8787 may be taken
        silence_logs=logging.ERROR,
    )
    stack.enter_context(cluster)
    return stack.enter_context(Client(cluster, set_as_default=False))


def dask_points(
    task: Callable[[T], R | Failed],
    items: Sequence[T],
    labels: Sequence[str],
    spec: ExecutorSpec,
) -> Iterator[Outcome[R]]:
    """Run ``task`` on every item on Dask; yield outcomes as they complete.

    Parameters
    ----------
    task
        The guarded task (:func:`~sparcs.scale.executors.guarded_call` bound to a function).
    items, labels
        The points and their unique names.
    spec
        The Dask executor settings.

    Yields
    ------
    Outcome
        One per point, in completion order; a point whose task kept crashing (``retries``
        used up, or its worker killed three times) carries the error.
    """
    as_completed = _distributed().as_completed

    run = uuid.uuid4().hex[:8]
    with ExitStack() as stack:
        client = open_client(spec, stack)
        keys = [f"sparcs-{run}-{i}-{label}" for i, label in enumerate(labels)]
        futures = client.map(task, list(items), key=keys, pure=False, retries=spec.retries)
        index = {future.key: i for i, future in enumerate(futures)}
        for future in as_completed(futures, loop=client.loop):
            i = index[future.key]
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
