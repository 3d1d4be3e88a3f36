"""Small communities whose settlement is worked out by hand in the tests (shared helpers)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sparcs.community import Readings

HEADER = "time,member,consumption_kwh,production_kwh\n"


def readings(
    consumption: list[list[float]], production: list[list[float]], members: str
) -> Readings:
    """Readings of quarter-hours from 2025-01-01T00:00+01:00, one column per member letter."""
    c, p = np.array(consumption, dtype=float), np.array(production, dtype=float)
    time = pd.date_range("2024-12-31T23:00", periods=len(c), freq="15min", tz="UTC", name="time")
    return Readings(
        time=time,
        members=tuple(members.split()),
        consumption_kwh=c,
        production_kwh=p,
        utc_offset_min=np.full(len(c), 60, dtype=np.int64),
        source="hand",
    )


def write_csv(path: Path, rows: list[tuple[str, str, float, float]]) -> Path:
    """A readings CSV of ``(time, member, consumption_kwh, production_kwh)`` rows."""
    path.write_text(HEADER + "".join(f"{t},{m},{c},{p}\n" for t, m, c, p in rows), "utf-8")
    return path


SHARES = """
name = "Hand-worked community"
priority = ["c", "a", "b"]
[shares]
a = 0.5
b = 0.3
c = 0.2
"""


def three_homes_rows() -> list[tuple[str, str, float, float]]:
    """Homes a, b, c and a PV plant p over two quarter-hours (the hand-worked case of test_keys)."""
    rows: list[tuple[str, str, float, float]] = []
    for time, pv, use in (
        ("2025-01-01T12:00+01:00", 10.0, (2.0, 5.0, 6.0)),
        ("2025-01-01T12:15+01:00", 20.0, (2.0, 5.0, 6.0)),
    ):
        rows += [(time, m, u, 0.0) for m, u in zip("abc", use, strict=True)]
        rows.append((time, "p", 0.0, pv))
    return rows
