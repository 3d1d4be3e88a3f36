"""Cycles kept in the store, and forecasts held to account against the store's readings."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from sparcs.live.cycle import Cycle
from sparcs.live.scores import best_forecasters, score_forecasts
from sparcs.live.state import measured_table
from sparcs.scenario import Scenario
from sparcs.store import Store
from sparcs.store.beliefs import put_cycle, read_forecasts

__all__ = ["SKILL_DAYS", "choose_forecasters", "forecast_quality", "record_cycle"]

#: Recent period whose forecast skill chooses the forecaster [days].
SKILL_DAYS = 14


def record_cycle(store: Store, district: str, cycle: Cycle) -> None:
    """Store a cycle: its schedule and every forecaster's forecast, at its belief time.

    Parameters
    ----------
    store
        The open store.
    district
        The district's id (the scenario's name).
    cycle
        The cycle (:func:`~sparcs.live.cycle.operate_cycle`).

    Raises
    ------
    StoreError
        When the district already has a cycle at this belief time.
    """
    n = len(cycle.time)
    assets = list(cycle.schedule)
    every = np.tile(np.arange(n), len(assets))  # one frame, not one per asset (vectorised)
    schedule = pd.DataFrame(
        {
            "asset": np.repeat(np.array(assets, dtype=object), n),
            "time": cycle.time[every],
            "kw": _flat([cycle.schedule[a] for a in assets]),
        }
    )
    keys = [
        (kind, quantity, node)
        for kind, per_series in cycle.forecasts.items()
        for quantity, node in per_series
    ]
    forecasts = pd.DataFrame(
        {
            "time": cycle.time[np.tile(np.arange(n), len(keys))],
            "series": np.repeat(np.array([f"{nd}/{q}" for _, q, nd in keys], dtype=object), n),
            "quantity": np.repeat(np.array([q for _, q, _ in keys], dtype=object), n),
            "forecaster": np.repeat(np.array([k for k, _, _ in keys], dtype=object), n),
            "value_kwh": _flat([cycle.forecasts[k][(q, nd)] for k, q, nd in keys]),
        }
    )
    put_cycle(
        store,
        district,
        cycle.now,
        strategy=cycle.strategy,
        forecaster=json.dumps(cycle.forecaster, sort_keys=True),
        fallbacks=cycle.fallbacks,
        schedule=schedule,
        forecasts=forecasts,
    )


def _flat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate([np.asarray(p, dtype=float) for p in parts]) if parts else np.zeros(0)


def forecast_quality(
    store: Store,
    scenario: Scenario,
    district: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    by_lead: bool = True,
) -> pd.DataFrame:
    """Score every stored forecast of steps in [start, end) against the store's readings.

    Parameters
    ----------
    store
        The open store.
    scenario
        The district (its nodes and step).
    district
        The district's id the cycles were stored under.
    start, end
        Steps to score (time-zone aware).
    by_lead
        Also score per lead hour.

    Returns
    -------
    pandas.DataFrame
        :func:`~sparcs.live.scores.score_forecasts`' table: quantity, forecaster, lead_h, n,
        mae_kwh, rmse_kwh, bias_kwh, nmae.
    """
    forecasts = read_forecasts(store, district, start=start, end=end)
    step = pd.Timedelta(scenario.timestep)
    measured = measured_table(store, scenario, start, end, step)
    if measured.empty:  # no meter yet: an empty table whose times are UTC like the rest
        measured = measured.astype({"time": "datetime64[ns, UTC]"})
    return score_forecasts(forecasts, measured, by_lead=by_lead)


def choose_forecasters(
    store: Store, scenario: Scenario, district: str, now: pd.Timestamp
) -> tuple[dict[str, str], pd.DataFrame]:
    """The forecaster with the best skill of the last :data:`SKILL_DAYS` days, per quantity.

    Parameters
    ----------
    store
        The open store.
    scenario
        The district.
    district
        The district's id the cycles were stored under.
    now
        The issue time (time-zone aware); only steps before it are scored.

    Returns
    -------
    choice, scores
        Quantity → forecaster (quantities never scored are absent: the cycle's default
        applies), and the scores over all leads it was chosen on.
    """
    scores = forecast_quality(
        store, scenario, district, now - pd.Timedelta(days=SKILL_DAYS), now, by_lead=False
    )
    return best_forecasters(scores), scores
