"""Schedules and forecasts with their belief time, on both back-ends."""

from __future__ import annotations

import pandas as pd
import pytest

from sparcs.errors import StoreError
from sparcs.store import Store
from sparcs.store.beliefs import latest_belief, put_cycle, read_forecasts, read_schedule

T0 = pd.Timestamp("2025-06-01T06:00+03:00")
H = pd.Timedelta(hours=1)


def _schedule(belief: pd.Timestamp, kw: float) -> pd.DataFrame:
    time = pd.date_range(belief, periods=3, freq="1h").tz_convert("UTC")
    return pd.DataFrame({"asset": "b1/battery", "time": time, "kw": [kw, -kw, 0.0]})


def _forecasts(belief: pd.Timestamp, kwh: float) -> pd.DataFrame:
    time = pd.date_range(belief, periods=2, freq="1h").tz_convert("UTC")
    return pd.DataFrame(
        {
            "time": time,
            "series": "b1",
            "quantity": "electricity_demand_kwh",
            "forecaster": "persistence",
            "value_kwh": kwh,
        }
    )


def _put(store: Store, belief: pd.Timestamp, kw: float) -> None:
    put_cycle(
        store,
        "d",
        belief,
        strategy="optimal",
        forecaster="persistence",
        fallbacks=["a note"],
        schedule=_schedule(belief, kw),
        forecasts=_forecasts(belief, kw / 10),
    )


def test_every_belief_is_kept_and_read_back(store: Store) -> None:
    _put(store, T0, 50.0)
    _put(store, T0 + H, 20.0)
    latest = read_schedule(store, "d")
    assert latest["belief_time"].iloc[0] == (T0 + H).tz_convert("UTC")
    assert latest["kw"].tolist() == [20.0, -20.0, 0.0]
    earlier = read_schedule(store, "d", belief_time=T0 + pd.Timedelta(minutes=30))
    assert earlier["kw"].tolist() == [50.0, -50.0, 0.0]
    assert earlier["time"].iloc[0] == T0.tz_convert("UTC")
    assert read_schedule(store, "d", belief_time=T0 - H).empty
    assert latest_belief(store, "other") is None
    forecasts = read_forecasts(store, "d", start=T0 + H)
    # the step at T0 + 1 h was forecast by both cycles; the later one also forecast T0 + 2 h
    assert sorted(forecasts["value_kwh"].tolist()) == [2.0, 2.0, 5.0]
    assert set(forecasts["forecaster"]) == {"persistence"}


def test_two_cycles_at_one_belief_time_are_refused(store: Store) -> None:
    _put(store, T0, 50.0)
    with pytest.raises(StoreError, match="already has a cycle at 2025-06-01T03:00:00"):
        _put(store, T0, 10.0)
    assert read_schedule(store, "d")["kw"].tolist() == [50.0, -50.0, 0.0]
