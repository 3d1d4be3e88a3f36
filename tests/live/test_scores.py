"""Forecast scores against hand-computed cases, and the choice of the best forecaster."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sparcs.errors import DataError
from sparcs.live import best_forecasters, score_forecasts

T0 = pd.Timestamp("2025-06-01T00:00+02:00")
H = pd.Timedelta(hours=1)


def _forecasts(name: str, values: list[float], quantity: str = "demand_el") -> pd.DataFrame:
    # two beliefs, each for two steps: lead 0 h and lead 1 h
    return pd.DataFrame(
        {
            "belief_time": [T0, T0, T0 + H, T0 + H],
            "time": [T0, T0 + H, T0 + H, T0 + 2 * H],
            "series": "b1",
            "quantity": quantity,
            "forecaster": name,
            "value_kwh": values,
        }
    )


MEASURED = pd.DataFrame(
    {"time": [T0, T0 + H, T0 + 2 * H], "series": "b1", "value_kwh": [2.0, 4.0, 6.0]}
)


def test_scores_by_lead_match_hand_computation() -> None:
    # errors: lead 0: 3-2=+1 (first belief), 3-4=-1 (second); lead 1: 4-4=0, 9-6=+3
    table = score_forecasts(_forecasts("persistence", [3.0, 4.0, 3.0, 9.0]), MEASURED)
    overall = table[table["lead_h"].isna()].iloc[0]
    assert overall["n"] == 4
    assert overall["mae_kwh"] == pytest.approx((1 + 0 + 1 + 3) / 4)
    assert overall["rmse_kwh"] == pytest.approx(np.sqrt((1 + 0 + 1 + 9) / 4))
    assert overall["bias_kwh"] == pytest.approx((1 + 0 - 1 + 3) / 4)
    assert overall["nmae"] == pytest.approx(1.25 / ((2 + 4 + 4 + 6) / 4))
    lead0 = table[table["lead_h"] == 0].iloc[0]
    lead1 = table[table["lead_h"] == 1].iloc[0]
    assert (lead0["mae_kwh"], lead0["bias_kwh"]) == pytest.approx((1.0, 0.0))
    assert (lead1["mae_kwh"], lead1["bias_kwh"]) == pytest.approx((1.5, 1.5))


def test_the_best_forecaster_has_the_lowest_nmae_and_ties_go_to_the_simpler() -> None:
    both = pd.concat(
        [
            _forecasts("persistence", [3.0, 4.0, 3.0, 9.0]),
            _forecasts("regression", [2.0, 4.0, 4.0, 6.5]),
            _forecasts("seasonal", [2.0, 4.0, 4.0, 6.0], quantity="pv"),
            _forecasts("persistence", [2.0, 4.0, 4.0, 6.0], quantity="pv"),
        ]
    )
    chosen = best_forecasters(score_forecasts(both, MEASURED))
    assert chosen == {"demand_el": "regression", "pv": "persistence"}


def test_nothing_measured_gives_no_nmae_and_no_choice() -> None:
    zero = MEASURED.assign(value_kwh=0.0)
    table = score_forecasts(_forecasts("persistence", [1.0, 1.0, 1.0, 1.0]), zero, by_lead=False)
    assert np.isnan(table["nmae"].iloc[0])
    assert best_forecasters(table) == {}


def test_bad_tables_are_refused_with_the_fix() -> None:
    with pytest.raises(DataError, match="lacks the columns value_kwh"):
        score_forecasts(_forecasts("persistence", [1.0] * 4), MEASURED.drop(columns="value_kwh"))
    naive = MEASURED.assign(time=MEASURED["time"].dt.tz_localize(None))
    with pytest.raises(DataError, match="'time' has no time zone"):
        score_forecasts(_forecasts("persistence", [1.0] * 4), naive)
