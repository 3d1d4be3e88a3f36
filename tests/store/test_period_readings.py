"""Bulk reads for the monitoring KPIs (both back-ends): the same rows as ``Store.readings``,
whatever order the batches were stored in."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sparcs.monitoring.ingest import MeterSpec
from sparcs.store import Store, ingest_file
from sparcs.store.period_readings import period_readings


def _ingest_out_of_order(store: Store, folder: Path) -> None:
    """Two meters, March before February and the later id first: stored out of order."""
    meters = {
        m: MeterSpec(id=m, node="district", quantity="grid_import_kwh", unit="kWh")
        for m in ("b-meter", "a-meter")
    }
    for month, name in ((3, "march.csv"), (2, "february.csv")):
        times = pd.date_range(f"2025-{month:02d}-01", periods=48, freq="1h", tz="UTC")
        lines = [
            f"{t.strftime('%Y-%m-%dT%H:%MZ')},{m},{i + 0.25 * k}"
            for m, k in (("b-meter", 1), ("a-meter", 2))
            for i, t in enumerate(times)
        ]
        path = folder / name
        path.write_text("time,meter,value\n" + "\n".join(lines) + "\n")
        ingest_file(store, path, meters)


@pytest.mark.parametrize(
    ("meters", "start", "end"),
    [
        (None, None, None),
        (["a-meter"], None, None),
        (None, "2025-02-02T12:00Z", "2025-03-01T05:00Z"),
        (["b-meter", "a-meter"], "2025-03-02T00:00Z", None),
    ],
)
def test_period_readings_are_store_readings(
    store: Store, tmp_path: Path, meters: list[str] | None, start: str | None, end: str | None
) -> None:
    _ingest_out_of_order(store, tmp_path)
    low = None if start is None else pd.Timestamp(start)
    high = None if end is None else pd.Timestamp(end)
    expected = store.readings(meters, start=low, end=high)
    got = period_readings(store, meters, start=low, end=high)
    assert isinstance(got["meter"].dtype, pd.CategoricalDtype)
    assert len(got) > 0
    pd.testing.assert_frame_equal(got.assign(meter=got["meter"].astype(str)), expected)


def test_period_readings_of_nothing(store: Store, tmp_path: Path) -> None:
    _ingest_out_of_order(store, tmp_path)
    got = period_readings(store, start=pd.Timestamp("2030-01-01", tz="UTC"))
    assert got.empty and list(got.columns) == ["meter", "time", "value", "flags"]
    assert str(got["time"].dtype) == "datetime64[ns, UTC]"
    assert np.all(got["value"].to_numpy() == got["value"].to_numpy())
