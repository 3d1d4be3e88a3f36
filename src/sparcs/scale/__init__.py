"""Fan-out of many runs on an executor: in this process, in local processes, or on Dask.

:func:`map_points` runs one function over many points and yields each point's
:class:`Outcome` as it completes; :class:`ExecutorSpec` names where (``local``,
``processes`` or ``dask``). ``dask`` and ``distributed`` are imported only when a Dask
executor is opened, never by the engine.
"""

from sparcs.scale.executors import (
    EXECUTORS,
    ExecutorKind,
    ExecutorSpec,
    Outcome,
    PointError,
    map_points,
    parse_executor,
)

__all__ = [
    "EXECUTORS",
    "ExecutorKind",
    "ExecutorSpec",
    "Outcome",
    "PointError",
    "map_points",
    "parse_executor",
]
