"""One function over many points, on the executor the user chose.

Every executor keeps the same contract: :func:`map_points` yields one :class:`Outcome` per
point, in the order the points complete, and never raises for a point that failed: a
failing point's outcome carries its error, named by the point's label, and the other points
run on. Errors of the engine (:class:`~sparcs.errors.SparcsError`: bad input, no feasible
operation) are deterministic and never retried; any other exception (a crash, a lost worker)
is retried on Dask up to ``retries`` times, and a worker killed mid-task has its task
rescheduled by the Dask scheduler on another worker.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, Literal, TypeVar, get_args

from sparcs.errors import SparcsError

__all__ = [
    "EXECUTORS",
    "ExecutorKind",
    "ExecutorSpec",
    "Failed",
    "Outcome",
    "PointError",
    "Session",
    "guarded_call",
    "map_points",
    "open_session",
    "parse_executor",
]

T = TypeVar("T")
R = TypeVar("R")

#: Where the points run: this process, local worker processes, or a Dask cluster.
ExecutorKind = Literal["local", "processes", "dask"]
#: The executors, in the order of :data:`ExecutorKind`.
EXECUTORS: tuple[ExecutorKind, ...] = get_args(ExecutorKind)


class PointError(SparcsError):
    """One or more points of a multi-run command failed; the others completed."""


@dataclass(frozen=True)
class ExecutorSpec:
    """Where and how the points of a multi-run command run.

    Attributes
    ----------
    kind
        ``local`` (one after the other in this process, today's behaviour), ``processes``
        (a pool of local worker processes) or ``dask`` (a ``distributed`` cluster).
    workers
        Worker processes for ``processes`` and a local Dask cluster; ``None`` = the number of
        CPU cores.
    scheduler
        Address of a running Dask scheduler, e.g. ``tcp://10.0.0.5:8786``; ``None`` starts a
        ``distributed.LocalCluster`` of ``workers`` single-threaded processes.
    retries
        Dask only: how often a task that raised something other than a
        :class:`~sparcs.errors.SparcsError` is run again.
    """

    kind: ExecutorKind = "local"
    workers: int | None = None
    scheduler: str | None = None
    retries: int = 2

    @property
    def n_workers(self) -> int:
        """Worker processes to start (at least 1)."""
        return max(1, self.workers or os.cpu_count() or 1)


@dataclass(frozen=True)
class Failed:
    """What a task returns instead of raising when the engine refused its point.

    Attributes
    ----------
    message
        The error in one line, e.g. ``"ScenarioError: buildings.0.pv.kwp: -5 must be ..."``.
    """

    message: str


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """The result of one point, or its error.

    Attributes
    ----------
    index
        Position of the point in the sequence given to :func:`map_points`.
    label
        The point's name, as errors quote it.
    value
        The function's result; ``None`` when the point failed.
    error
        One line naming what went wrong; empty when the point succeeded.
    """

    index: int
    label: str
    value: R | None
    error: str = ""

    @property
    def ok(self) -> bool:
        """True when the point completed."""
        return not self.error


def parse_executor(
    kind: str, workers: int | None = None, scheduler: str | None = None, retries: int = 2
) -> ExecutorSpec:
    """Check the executor options of a command and return their spec.

    Parameters
    ----------
    kind
        ``local``, ``processes`` or ``dask``.
    workers
        Worker processes (> 0), or ``None`` for one per CPU core.
    scheduler
        ``tcp://HOST:PORT`` of a running Dask scheduler; only with ``dask``.
    retries
        Retries of a task that crashed (Dask), >= 0.

    Returns
    -------
    ExecutorSpec
        The checked options.

    Raises
    ------
    SparcsError
        With the option to fix, when a value is not allowed.
    """
    if kind not in EXECUTORS:
        msg = f"--executor {kind!r} is not known; choose one of: {', '.join(EXECUTORS)}"
        raise SparcsError(msg)
    if workers is not None and workers < 1:
        msg = f"--workers {workers} must be at least 1"
        raise SparcsError(msg)
    if scheduler is not None and kind != "dask":
        msg = f"--scheduler {scheduler} needs --executor dask (got --executor {kind})"
        raise SparcsError(msg)
    if scheduler is not None and "://" not in scheduler:
        msg = f"--scheduler {scheduler!r} is not an address; write it as tcp://HOST:PORT"
        raise SparcsError(msg)
    if retries < 0:
        msg = f"retries {retries} must be 0 or more"
        raise SparcsError(msg)
    return ExecutorSpec(kind, workers, scheduler, retries)


def guarded_call(func: Callable[[T], R], item: T) -> R | Failed:
    """``func(item)``, with an engine error returned as :class:`Failed` instead of raised.

    Engine errors are deterministic: running the point again gives the same error, so they
    must reach the user, not the retry logic. Anything else propagates.
    """
    try:
        return func(item)
    except SparcsError as exc:
        return Failed(str(exc))


def _outcome(index: int, label: str, value: R | Failed) -> Outcome[R]:
    if isinstance(value, Failed):
        return Outcome(index, label, None, value.message)
    return Outcome(index, label, value)


def _crash(index: int, label: str, exc: BaseException) -> Outcome[R]:
    text = str(exc) or "no message"
    return Outcome(index, label, None, f"{type(exc).__name__}: {text}")


def _local(
    func: Callable[[T], R], items: Sequence[T], labels: Sequence[str]
) -> Iterator[Outcome[R]]:
    for index, (item, label) in enumerate(zip(items, labels, strict=True)):
        try:
            value = guarded_call(func, item)
        except Exception as exc:  # noqa: BLE001  (a crash of one point must not end the others)
            yield _crash(index, label, exc)
            continue
        yield _outcome(index, label, value)


def _processes(
    func: Callable[[T], R], items: Sequence[T], labels: Sequence[str], spec: ExecutorSpec
) -> Iterator[Outcome[R]]:
    # spawn, not fork: the parent runs progress-bar threads, and a forked child would
    # inherit their locks
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=spec.n_workers, mp_context=context) as pool:
        futures: dict[Future[R | Failed], int] = {
            pool.submit(guarded_call, func, item): i for i, item in enumerate(items)
        }
        for future in as_completed(futures):
            index = futures[future]
            try:
                value = future.result()
            except Exception as exc:  # noqa: BLE001  (reported per point)
                yield _crash(index, labels[index], exc)
                continue
            yield _outcome(index, labels[index], value)


def _check_labels(items: Sequence[object], labels: Sequence[str]) -> None:
    if len(labels) != len(items) or len(set(labels)) != len(labels):
        msg = f"{len(items)} points need as many unique labels (got {len(set(labels))})"
        raise SparcsError(msg)


@dataclass(frozen=True)
class Session:
    """An executor opened by :func:`open_session`, ready to run points.

    Attributes
    ----------
    spec
        The executor.
    client
        Dask only: the connected ``distributed.Client`` (its local cluster started); else
        ``None``.
    """

    spec: ExecutorSpec
    client: Any = None

    def map(
        self, func: Callable[[T], R], items: Sequence[T], labels: Sequence[str]
    ) -> Iterator[Outcome[R]]:
        """Run ``func`` on every item; yield outcomes as they complete (see :func:`map_points`).

        Parameters
        ----------
        func
            A module-level function, pure in its argument.
        items, labels
            The points and a unique name per point.

        Returns
        -------
        Iterator of Outcome
            One per point, in completion order (the order of ``items`` for ``local``).

        Raises
        ------
        SparcsError
            When ``labels`` are not unique or do not match ``items``.
        """
        _check_labels(items, labels)
        if not items:
            return iter(())
        if self.spec.kind == "local":
            return _local(func, items, labels)
        if self.spec.kind == "processes":
            return _processes(func, items, labels, self.spec)
        from sparcs.scale.dask_backend import submit_points

        return submit_points(self.client, partial(guarded_call, func), items, labels, self.spec)


@contextmanager
def open_session(spec: ExecutorSpec | None = None) -> Iterator[Session]:
    """Open the executor of ``spec`` for the ``with`` block; close it (and its cluster) after.

    A Dask executor imports ``distributed``, then starts a local cluster or connects to
    ``spec.scheduler``: opening it first lets a caller prepare its points meanwhile
    (:mod:`sparcs.scale.ahead`). The other executors open nothing.

    Parameters
    ----------
    spec
        The executor; ``None`` = ``local``.

    Yields
    ------
    Session
        The open executor.

    Raises
    ------
    SparcsError
        When a Dask scheduler cannot be reached.
    """
    spec = spec or ExecutorSpec()
    if spec.kind != "dask":
        yield Session(spec)
        return
    from sparcs.scale.dask_backend import open_client

    with ExitStack() as stack:
        yield Session(spec, open_client(spec, stack))


def _on_dask(
    func: Callable[[T], R], items: Sequence[T], labels: Sequence[str], spec: ExecutorSpec
) -> Iterator[Outcome[R]]:
    with open_session(spec) as session:
        yield from session.map(func, items, labels)


def map_points(
    func: Callable[[T], R],
    items: Sequence[T],
    labels: Sequence[str],
    spec: ExecutorSpec | None = None,
) -> Iterator[Outcome[R]]:
    """Run ``func`` on every item on the executor of ``spec``; yield outcomes as they complete.

    Parameters
    ----------
    func
        A module-level function (worker processes import it by name), pure in its argument:
        the same item gives the same result on any worker.
    items
        The points; each is sent to a worker (pickled) with its task.
    labels
        A unique name per point, used in errors and as the Dask key.
    spec
        The executor; ``None`` = ``local``. A Dask executor is opened at the first outcome
        asked for and closed after the last (:func:`open_session` keeps one open longer).

    Yields
    ------
    Outcome
        One per point, in completion order (the order of ``items`` for ``local``).

    Raises
    ------
    SparcsError
        When ``labels`` are not unique or do not match ``items``, or a Dask scheduler cannot
        be reached.
    """
    spec = spec or ExecutorSpec()
    _check_labels(items, labels)
    if not items:
        return iter(())
    if spec.kind != "dask":
        return Session(spec).map(func, items, labels)
    return _on_dask(func, items, labels, spec)
