"""How complete each meter's readings are over a period: expected, present, missing, flags.

>>> MeterCompleteness("m1", "b1", "pv_kwh", expected=96, present=90, missing=2).completeness
0.9375
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sparcs.monitoring.quality import FLAGS

__all__ = ["MeterCompleteness", "meter_completeness"]


@dataclass(frozen=True)
class MeterCompleteness:
    """How complete one meter's readings are over the period.

    Attributes
    ----------
    meter, node, quantity
        The meter and what it measures.
    expected
        Readings the period holds at the meter's resolution.
    present
        Readings stored with a value.
    missing
        Readings stored as missing (NULL).
    flagged
        Quality flag -> readings with it.
    filled
        Steps of the comparison that were filled (``sparcs.monitoring.measured``).
    """

    meter: str
    node: str
    quantity: str
    expected: int
    present: int
    missing: int
    flagged: Mapping[str, int] = field(default_factory=dict)
    filled: int = 0

    @property
    def completeness(self) -> float:
        """Share of expected readings present, 0..1 (1 when none are expected)."""
        return min(1.0, self.present / self.expected) if self.expected else 1.0


def meter_completeness(
    readings: pd.DataFrame,
    meters: pd.DataFrame,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp,
    filled: Mapping[str, int] | None = None,
) -> tuple[MeterCompleteness, ...]:
    """Per meter: readings expected, present and missing over [start, end), flags, fills.

    Parameters
    ----------
    readings
        Columns meter, time (UTC), value, flags (``Store.readings()``).
    meters
        Columns id, node, quantity, resolution (``Store.meters()``); a meter without a
        resolution is taken at the step of its readings, else hourly.
    start, end
        The period (UTC; end excluded).
    filled
        Meter -> steps filled when the flows were built.

    Returns
    -------
    tuple of MeterCompleteness
        One per meter, in the order of ``meters``.
    """
    by_meter = dict(tuple(readings.groupby("meter", sort=False)))
    out = []
    for meter in meters.itertuples():
        meter_id = str(meter.id)
        rows = by_meter.get(meter_id, readings.iloc[:0])
        rows = rows[(rows["time"] >= start) & (rows["time"] < end)]
        step = _step(getattr(meter, "resolution", None), rows)
        expected = int((end - start) / step)
        values = rows["value"].to_numpy(dtype=float)
        flags: dict[str, int] = {}
        for name, bit in FLAGS.items():
            n = int((rows["flags"].to_numpy() & bit).astype(bool).sum())
            if n:
                flags[name] = n
        out.append(
            MeterCompleteness(
                meter=meter_id,
                node=str(meter.node),
                quantity=str(meter.quantity),
                expected=expected,
                present=int(np.isfinite(values).sum()),
                missing=int((~np.isfinite(values)).sum()),
                flagged=flags,
                filled=int((filled or {}).get(meter_id, 0)),
            )
        )
    return tuple(out)


def _step(resolution: object, rows: pd.DataFrame) -> pd.Timedelta:
    if isinstance(resolution, str) and resolution:
        try:
            return pd.Timedelta(resolution)
        except ValueError:
            pass
    gaps = pd.DatetimeIndex(rows["time"]).to_series().diff().dropna()
    gaps = gaps[gaps > pd.Timedelta(0)]
    return pd.Timedelta(gaps.min()) if len(gaps) else pd.Timedelta(hours=1)
