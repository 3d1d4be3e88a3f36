"""Shared pieces of the dispatch benchmark: HiGHS options, the typed result, HiGHS time capture."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["HIGHS_OPTIONS", "HighsClock", "Stopwatch", "ToolResult", "note_build"]

#: Identical HiGHS options for every tool (spec section 7); everything else at HiGHS defaults.
HIGHS_OPTIONS: dict[str, Any] = {"solver": "choose", "threads": 1}

#: Where :func:`note_build` writes; set by the benchmark child process, ``None`` elsewhere.
PROGRESS_FILE: Path | None = None


def note_build(build_s: float) -> None:
    """Record the build time before solving, so a run killed at the timeout still reports it."""
    if PROGRESS_FILE is not None:
        PROGRESS_FILE.write_text(json.dumps({"build_s": build_s}))


@dataclass(frozen=True, slots=True)
class ToolResult:
    """One tool's run on one instance.

    ``build_s``: generated arrays -> model ready for the solver. ``solve_s``: the tool's solver
    call (hand-over, HiGHS, solution back). ``highs_s``: time inside HiGHS (``Highs.run``) in
    the same run, ``None`` where it cannot be measured. ``iterations``: HiGHS simplex (or IPM)
    iterations, equal across tools that hand HiGHS the same LP.
    """

    tool: str
    objective: float
    build_s: float
    solve_s: float
    highs_s: float | None
    status: str
    iterations: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def total_s(self) -> float:
        """Build plus solve [s]."""
        return self.build_s + self.solve_s

    @property
    def own_s(self) -> float | None:
        """Total minus the time spent inside HiGHS [s]."""
        return None if self.highs_s is None else self.total_s - self.highs_s

    def as_dict(self) -> dict[str, Any]:
        """Plain dict including the derived ``total_s`` and ``own_s``."""
        out = asdict(self)
        out["total_s"] = self.total_s
        out["own_s"] = self.own_s
        return out


class Stopwatch:
    """Lap timer on ``time.perf_counter``."""

    def __init__(self) -> None:
        self._last = time.perf_counter()

    def lap(self) -> float:
        """Seconds since the previous lap (or construction)."""
        now = time.perf_counter()
        elapsed, self._last = now - self._last, now
        return elapsed


class HighsClock:
    """Sum of HiGHS's own run time over every ``highspy.Highs`` created while it is active.

    Tools create their ``highspy.Highs`` objects internally (linopy, PyPSA, pyomo's appsi,
    ``sparcs``); wrapping the class constructor finds them all without touching the tools.
    ``Highs.getRunTime()`` counts only the time inside ``run``, not model hand-over.
    """

    def __init__(self) -> None:
        self.instances: list[Any] = []

    @contextmanager
    def watch(self) -> Iterator[HighsClock]:
        """Record the ``highspy.Highs`` instances created inside the ``with`` block."""
        import highspy

        original = highspy.Highs.__init__
        instances = self.instances

        def recording_init(obj: Any, *args: Any, **kwargs: Any) -> None:
            original(obj, *args, **kwargs)
            instances.append(obj)

        highspy.Highs.__init__ = recording_init  # type: ignore[method-assign]
        try:
            yield self
        finally:
            highspy.Highs.__init__ = original  # type: ignore[method-assign]

    def seconds(self) -> float | None:
        """HiGHS run time summed over the recorded instances, ``None`` if none was created."""
        if not self.instances:
            return None
        return float(sum(h.getRunTime() for h in self.instances))

    def iterations(self) -> int | None:
        """Simplex plus IPM iterations summed over the recorded instances."""
        if not self.instances:
            return None
        infos = [h.getInfo() for h in self.instances]
        return int(
            sum(max(i.simplex_iteration_count, 0) + max(i.ipm_iteration_count, 0) for i in infos)
        )
