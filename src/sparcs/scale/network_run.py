"""Run the districts of a network on an executor and write network.csv and network.html.

The per-district work (:func:`~sparcs.network.record.district_record`) and the table are the
engine's, in :mod:`sparcs.network`; this is the fan-out over an executor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sparcs.network.html import network_html
from sparcs.network.record import HARMONISED, DistrictRecord, district_record
from sparcs.network.table import network_table
from sparcs.scale.executors import ExecutorSpec, Outcome, map_points

__all__ = ["NetworkResult", "run_network"]


@dataclass(frozen=True)
class NetworkResult:
    """The network benchmark.

    Attributes
    ----------
    table
        :func:`~sparcs.network.table.network_table` of the districts that ran.
    records
        Their records, in the order of the files.
    errors
        ``(file, error)`` of each district that failed.
    """

    table: pd.DataFrame
    records: list[DistrictRecord]
    errors: list[tuple[str, str]] = field(default_factory=list)

    def write(self, out_dir: Path) -> dict[str, Path]:
        """Write ``network.csv`` and ``network.html`` into ``out_dir``; return their paths."""
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = {"csv": out_dir / "network.csv", "html": out_dir / "network.html"}
        self.table.to_csv(paths["csv"], index=False)
        page = network_html(self.table, factor_set=HARMONISED, errors=self.errors)
        paths["html"].write_text(page, encoding="utf-8")
        return paths


def run_network(
    files: Sequence[Path],
    *,
    executor: ExecutorSpec | None = None,
    hdd_ref: float | None = None,
    on_result: Callable[[Outcome[DistrictRecord]], None] | None = None,
) -> NetworkResult:
    """Run every scenario file on the harmonised basis and tabulate the network.

    Parameters
    ----------
    files
        Scenario files, one district each.
    executor
        Where the districts run; ``None`` = one after the other in this process.
    hdd_ref
        Reference degree days of the climate correction [K d]; ``None`` = the network mean.
    on_result
        Called with each district's outcome as it completes.

    Returns
    -------
    NetworkResult
        The table of the districts that ran and the errors of the others.
    """
    labels = [str(path) for path in files]
    records: dict[int, DistrictRecord] = {}
    errors: list[tuple[int, str, str]] = []
    for outcome in map_points(district_record, list(files), labels, executor):
        if outcome.value is not None:
            records[outcome.index] = outcome.value
        else:
            errors.append((outcome.index, outcome.label, outcome.error))
        if on_result is not None:
            on_result(outcome)
    ordered = [records[i] for i in sorted(records)]
    failed = [(label, error) for _, label, error in sorted(errors)]
    return NetworkResult(network_table(ordered, hdd_ref), ordered, failed)
