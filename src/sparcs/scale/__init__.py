"""Fan-out of many runs on an executor: in this process, in local processes, or on Dask.

:func:`map_points` runs one function over many points and yields each point's
:class:`Outcome` as it completes; :class:`ExecutorSpec` names where (``local``,
``processes`` or ``dask``). ``dask`` and ``distributed`` are imported only when a Dask
executor is opened, never by the engine. The fan-outs built on it: the network benchmark
(:mod:`sparcs.scale.network_run`) and city-scale runs (:mod:`sparcs.scale.city_run`), whose
per-district and per-chunk work is the engine's (:mod:`sparcs.network`).
"""

from sparcs.scale.executors import (
    EXECUTORS,
    ExecutorKind,
    ExecutorSpec,
    Outcome,
    PointError,
    Session,
    map_points,
    open_session,
    parse_executor,
)

__all__ = [
    "EXECUTORS",
    "ExecutorKind",
    "ExecutorSpec",
    "Outcome",
    "PointError",
    "Session",
    "map_points",
    "open_session",
    "parse_executor",
]
