"""Cycles kept in the store, and forecasts held to account against the store's readings."""

from __future__ import annotations

import json

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
    empty_time = pd.DatetimeIndex([], tz="UTC")
    schedule = pd.concat(
        [pd.DataFrame({"asset": [], "time": empty_time, "kw": []})]
        + [
            pd.DataFrame({"asset": asset, "time": cycle.time, "kw": kw})
            for asset, kw in cycle.schedule.items()
        ],
        ignore_index=True,
    )
    forecasts = pd.concat(
        [pd.DataFrame({"time": empty_time, "series": [], "quantity": [], "forecaster": []})]
        + [
            pd.DataFrame(
                {
                    "time": cycle.time,
                    "series": f"{node}/{quantity}",
                    "quantity": quantity,
                    "forecaster": kind,
                    "value_kwh": values,
                }
            )
            for kind, per_series in cycle.forecasts.items()
            for (quantity, node), values in per_series.items()
        ],
        ignore_index=True,
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
