"""What one ingest batch did, and how its times travel to the database."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyarrow as pa

__all__ = ["BatchResult", "stored_ns", "utc_us"]


@dataclass(frozen=True)
class BatchResult:
    """What one ingest batch did (the ``--json`` of ``sparcs ingest``)."""

    accepted: int
    duplicates: int
    conflicts: int
    rejected: int
    flagged: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "conflicts": self.conflicts,
            "rejected": self.rejected,
            "flagged": dict(self.flagged),
        }

    def batch_row(self, file: str, checksum: str, fmt: str, started: datetime) -> tuple[Any, ...]:
        """The ``ingest_batches`` row of this batch after its id: file, checksum, format, the
        four counts, the flags as JSON, started, and finished (now).

        Parameters
        ----------
        file, checksum, fmt, started
            Where the batch came from, and when its ingest began (UTC).
        """
        counts = (self.accepted, self.duplicates, self.conflicts, self.rejected)
        flags = json.dumps(self.flagged, sort_keys=True)
        return (file, checksum, fmt, *counts, flags, started, datetime.now(UTC))


def utc_us(ns: np.ndarray) -> pa.Array:
    """Times [ns since the epoch, UTC] as an Arrow column of microsecond timestamps (the
    stores' resolution)."""
    return pa.array(np.asarray(ns, dtype=np.int64) // 1000, type=pa.timestamp("us", tz="UTC"))


def stored_ns(ns: np.ndarray) -> np.ndarray:
    """Times [ns since the epoch, UTC] as a store gives them back: floored to the
    microsecond, as :func:`utc_us` stores them."""
    return np.asarray(ns, dtype=np.int64) // 1000 * 1000
