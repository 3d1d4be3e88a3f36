"""Usage and temperature on the periods of a baseline method: local days or UTC hours.

CalTRACK counts days as local days (§3.3.3.5) and fills hourly temperature gaps of up to six
hours linearly (§2.2.4.1); :func:`prepare_periods` does both for :func:`fit_baseline
<sparcs.monitoring.baseline.fit_baseline>` and for the baseline's predictions.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from sparcs.errors import DataError, ScenarioError
from sparcs.monitoring.aggregate import Periods, check_series, to_hours, to_local_days
from sparcs.monitoring.sufficiency import MAX_TEMPERATURE_GAP_H
from sparcs.timeseries import to_zoneinfo

__all__ = [
    "CARRIERS",
    "METHODS",
    "Carrier",
    "Method",
    "check_options",
    "prepare_periods",
    "site_zone",
]

Method = Literal["daily", "billing", "hourly"]
Carrier = Literal["electricity", "heat", "fuel"]
METHODS = ("daily", "billing", "hourly")
CARRIERS = ("electricity", "heat", "fuel")


def check_options(method: str, carrier: str, timezone: str) -> None:
    """Refuse an unknown method, carrier or time zone.

    Parameters
    ----------
    method
        ``"daily"``, ``"billing"`` or ``"hourly"``.
    carrier
        ``"electricity"``, ``"heat"`` or ``"fuel"``.
    timezone
        IANA zone of the site.

    Raises
    ------
    ScenarioError
        Naming the choices.
    """
    if method not in METHODS:
        msg = f"method {method!r} is not known; choose {', '.join(METHODS)}"
        raise ScenarioError(msg)
    if carrier not in CARRIERS:
        msg = f"carrier {carrier!r} is not known; choose {', '.join(CARRIERS)}"
        raise ScenarioError(msg)
    to_zoneinfo(timezone)


def site_zone(usage: pd.Series, timezone: str | None) -> str:
    """The site's IANA zone: ``timezone``, else the zone of ``usage``'s index, else UTC.

    Parameters
    ----------
    usage
        The usage series.
    timezone
        The zone given, or None.

    Returns
    -------
    str
        The zone name.
    """
    if timezone is not None:
        return timezone
    zone = getattr(usage.index, "tz", None)
    return "UTC" if zone is None else str(zone)


def _interpolate_gaps(values: np.ndarray, max_gap: int) -> np.ndarray:
    """Linear interpolation of interior NaN runs of at most ``max_gap`` (CalTRACK §2.2.4.1)."""
    missing = ~np.isfinite(values)
    if not missing.any() or missing.all():
        return values
    padded = np.concatenate([[False], missing, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    starts, stops = edges[::2], edges[1::2]
    idx = np.arange(values.size)
    filled = np.interp(idx, idx[~missing], values[~missing])
    fill = np.zeros(values.size, dtype=bool)
    for a, b in zip(starts, stops, strict=True):  # runs of missing hours, not hours
        if b - a <= max_gap and a > 0 and b < values.size:
            fill[a:b] = True
    return np.where(fill, filled, values)


def prepare_periods(
    usage: pd.Series | None,
    temperature: pd.Series,
    *,
    method: Method,
    timezone: str,
    zeros_missing: bool = False,
) -> dict[str, Periods]:
    """Usage and temperature on the periods of ``method`` (local days or UTC hours).

    The periods span the usage series (or the temperature series when ``usage`` is None);
    temperature gaps of up to 6 hours are interpolated for the hourly method and the
    ``"temperature_missing"`` entry marks the hours missing before that.

    Raises
    ------
    TimeIndexError, DataError
        Bad series (see :func:`~sparcs.monitoring.aggregate.check_series`), or temperature
        that does not overlap the usage.
    """
    temp = check_series(temperature, what="temperature")
    frame = temp if usage is None else check_series(usage, what="usage")
    if usage is not None and zeros_missing:
        frame = frame.where(frame != 0)
    first, last = frame.index[0], frame.index[-1]
    if usage is not None and (temp.index[-1] < first or temp.index[0] > last):
        msg = (
            f"temperature covers {temp.index[0].isoformat()} .. {temp.index[-1].isoformat()} "
            f"but usage {first.isoformat()} .. {last.isoformat()}; they do not overlap"
        )
        raise DataError(msg)
    if method != "hourly":  # billing: per local day, the periods are the model's business
        t = to_local_days(
            temp, timezone=timezone, kind="mean", what="temperature", first=first, last=last
        )
        out = {"temperature": t}
        if usage is not None:
            out["usage"] = to_local_days(frame, timezone=timezone, kind="sum", what="usage")
        return out
    t = to_hours(temp, kind="mean", what="temperature", first=first, last=last)
    gaps = Periods(t.start, (~np.isfinite(t.values)).astype(float), t.share)
    t = Periods(t.start, _interpolate_gaps(t.values, MAX_TEMPERATURE_GAP_H), t.share)
    out = {"temperature": t, "temperature_missing": gaps}
    if usage is not None:
        out["usage"] = to_hours(frame, kind="sum", what="usage")
    return out
