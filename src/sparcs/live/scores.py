"""Forecasts held to account: each stored forecast scored against what was measured.

A forecast is a belief about a step made at its *belief time*; its *lead* is the time from the
belief to the start of the step. Scores are computed per quantity, forecaster and lead hour
(forecasts usually get worse with lead) and over all leads:

* MAE = mean |f - a|, RMSE = sqrt(mean (f - a)^2), bias = mean (f - a) (positive: the
  forecast was too high), all in kWh per step;
* nMAE = MAE / mean |a| (dimensionless; undefined, NaN, when nothing was measured).

The best forecaster of a quantity is the one with the lowest nMAE over the scored period;
ties go to the simpler one (the order of :data:`~sparcs.live.forecasters.FORECASTERS`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sparcs.errors import DataError
from sparcs.live.forecasters import FORECASTERS

__all__ = ["FORECAST_COLUMNS", "MEASURED_COLUMNS", "best_forecasters", "score_forecasts"]

#: Columns of a table of forecasts (one row per series, step and belief).
FORECAST_COLUMNS = ("belief_time", "time", "series", "quantity", "forecaster", "value_kwh")
#: Columns of a table of measured values (one row per series and step).
MEASURED_COLUMNS = ("time", "series", "value_kwh")


def _require(table: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        msg = f"{name} lacks the columns {', '.join(missing)}; it needs {', '.join(columns)}"
        raise DataError(msg)


def _aggregate(joined: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    grouped = joined.groupby(keys)[["abs_error", "sq_error", "error", "abs_measured"]]
    means = grouped.mean()
    table = pd.DataFrame(
        {
            "n": grouped.size(),
            "mae_kwh": means["abs_error"],
            "rmse_kwh": np.sqrt(means["sq_error"]),
            "bias_kwh": means["error"],
            "nmae": means["abs_error"] / means["abs_measured"].where(means["abs_measured"] > 0),
        }
    )
    return table.reset_index()


def score_forecasts(
    forecasts: pd.DataFrame, measured: pd.DataFrame, *, by_lead: bool = True
) -> pd.DataFrame:
    """Score forecasts against measured values.

    Parameters
    ----------
    forecasts
        Columns :data:`FORECAST_COLUMNS`: ``belief_time`` and ``time`` time-zone aware,
        ``value_kwh`` the forecast energy of the step [kWh].
    measured
        Columns :data:`MEASURED_COLUMNS`: what was measured per series and step [kWh].
    by_lead
        One row per lead hour (``lead_h``, the whole hours from belief to step) as well as
        the rows over all leads (``lead_h`` = NaN); False: only the latter.

    Returns
    -------
    pandas.DataFrame
        Columns ``quantity``, ``forecaster``, ``lead_h``, ``n``, ``mae_kwh``, ``rmse_kwh``,
        ``bias_kwh``, ``nmae``; only steps both forecast and measured are scored.

    Raises
    ------
    DataError
        Missing columns or time stamps without a time zone.

    Examples
    --------
    >>> t = pd.Timestamp("2025-06-01T00:00+00:00")
    >>> f = pd.DataFrame({"belief_time": [t] * 2, "time": [t, t + pd.Timedelta("1h")],
    ...     "series": "b1", "quantity": "demand", "forecaster": "persistence",
    ...     "value_kwh": [2.0, 4.0]})
    >>> m = pd.DataFrame({"time": [t, t + pd.Timedelta("1h")], "series": "b1",
    ...     "value_kwh": [1.0, 4.0]})
    >>> scores = score_forecasts(f, m, by_lead=False)
    >>> scores[["mae_kwh", "bias_kwh", "nmae"]].round(3).values.tolist()
    [[0.5, 0.5, 0.2]]
    """
    _require(forecasts, FORECAST_COLUMNS, "the forecasts table")
    _require(measured, MEASURED_COLUMNS, "the measured table")
    for name, table, column in (
        ("forecasts", forecasts, "belief_time"),
        ("forecasts", forecasts, "time"),
        ("measured", measured, "time"),
    ):
        if getattr(table[column].dtype, "tz", None) is None:
            msg = f"{name} column {column!r} has no time zone; give times with an offset"
            raise DataError(msg)
    columns = ["quantity", "forecaster", "lead_h", "n", "mae_kwh", "rmse_kwh", "bias_kwh", "nmae"]
    actual = measured.rename(columns={"value_kwh": "measured_kwh"})
    joined = forecasts.merge(actual, on=["time", "series"], how="inner")
    if joined.empty:
        return pd.DataFrame(columns=columns)
    error = joined["value_kwh"].to_numpy(float) - joined["measured_kwh"].to_numpy(float)
    lead_ns = joined["time"].to_numpy("datetime64[ns]") - joined["belief_time"].to_numpy(
        "datetime64[ns]"
    )
    joined = joined.assign(
        error=error,
        abs_error=np.abs(error),
        sq_error=error**2,
        abs_measured=np.abs(joined["measured_kwh"].to_numpy(float)),
        lead_h=np.floor(lead_ns / np.timedelta64(1, "h")),
    )
    keys = ["quantity", "forecaster"]
    overall = _aggregate(joined, keys)
    overall.insert(2, "lead_h", np.nan)
    parts = [overall]
    if by_lead:
        parts.append(_aggregate(joined, [*keys, "lead_h"]))
    table = pd.concat(parts, ignore_index=True)[columns]
    table["n"] = table["n"].astype(int)
    return table.sort_values([*keys, "lead_h"], na_position="first", ignore_index=True)


def best_forecasters(scores: pd.DataFrame) -> dict[str, str]:
    """The forecaster with the lowest nMAE over all leads, per quantity.

    Parameters
    ----------
    scores
        As returned by :func:`score_forecasts`.

    Returns
    -------
    dict of str to str
        Quantity → forecaster; quantities whose nMAE is undefined for every forecaster are
        left out. Ties go to the simpler forecaster.
    """
    overall = scores[scores["lead_h"].isna() & scores["nmae"].notna()]
    rank: dict[str, int] = {str(name): i for i, name in enumerate(FORECASTERS)}
    chosen: dict[str, str] = {}
    for quantity, group in overall.groupby("quantity"):
        ordered = sorted(
            zip(group["nmae"], group["forecaster"], strict=True),
            key=lambda item: (round(float(item[0]), 12), rank.get(str(item[1]), len(rank))),
        )
        chosen[str(quantity)] = str(ordered[0][1])
    return chosen
