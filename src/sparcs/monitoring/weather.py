"""Measured weather from the store: the plan re-run on it, and degree days to compare.

Weather meters (``quantity = "temp_air_c"`` or ``"ghi_w_m2"``, :mod:`sparcs.monitoring.ingest`)
are ingested like any meter, with the same quality flags. :func:`measured_weather` lays their
readings over the scenario's weather year for a period:

* a reading counts when it has a value and none of the flags ``missing``, ``spike``,
  ``stuck``, ``out_of_range``, ``off_grid`` (those are left out and counted);
* several meters of a quantity are averaged; readings are averaged onto the weather's step;
* a gap of up to :data:`MAX_GAP_STEPS` steps is filled linearly (as CalTRACK fills hourly
  temperature, §2.2.4.1); a longer gap keeps the scenario's weather, and is counted;
* measured global irradiance scales the direct and diffuse parts of the scenario's weather
  by the ratio of the global values (the split is not measured).

:func:`heating_degree_days` gives the degree days per local month and over the period that
``compare_plan(degree_days=...)`` uses to put a deviation of demand down to the weather.

>>> t = pd.Series([10.0, 20.0], index=pd.date_range("2025-01-01", periods=2, freq="D", tz="UTC"))
>>> heating_degree_days(t, timezone="UTC")
{'total': 5.5, '2025-01': 5.5}
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sparcs.climate.weather import Weather
from sparcs.monitoring.ingest.meters import WEATHER_QUANTITIES
from sparcs.monitoring.quality import FLAGS

__all__ = [
    "HDD_BASE_C",
    "MAX_GAP_STEPS",
    "MeasuredWeather",
    "heating_degree_days",
    "measured_weather",
]

#: Base temperature of the heating degree days [°C] (EN ISO 15927-6 uses 15.5 °C in the UK;
#: Eurostat 15 °C with 18 °C inside). One number for both sides of a comparison.
HDD_BASE_C = 15.5
#: Longest gap of measured weather filled linearly [steps of the weather].
MAX_GAP_STEPS = 6
_BAD = (
    FLAGS["missing"] | FLAGS["spike"] | FLAGS["stuck"] | FLAGS["out_of_range"] | FLAGS["off_grid"]
)
_COLUMN = {"temp_air_c": "temp_air", "ghi_w_m2": "ghi"}


@dataclass(frozen=True)
class MeasuredWeather:
    """The scenario's weather with the measured period laid over it.

    Attributes
    ----------
    weather
        The weather year to run the plan on.
    meters
        Quantity (``temp_air_c``, ``ghi_w_m2``) -> the weather meters used.
    steps
        Steps of the period [-].
    measured
        Quantity -> steps of the period with a measured value (after filling short gaps).
    filled
        Quantity -> steps filled linearly.
    left_out
        Quantity -> readings left out for their flags.
    """

    weather: Weather
    meters: dict[str, tuple[str, ...]]
    steps: int
    measured: dict[str, int]
    filled: dict[str, int]
    left_out: dict[str, int]

    def describe(self) -> str:
        """One line for the report: which meters, how complete."""
        parts = [
            f"{_COLUMN[q]} from meter(s) {', '.join(m)}: {self.measured[q]} of {self.steps} "
            f"steps measured ({self.filled[q]} filled linearly, {self.left_out[q]} flagged "
            "readings left out)"
            for q, m in self.meters.items()
        ]
        return "; ".join(parts)


def _fill_short_gaps(values: np.ndarray, max_gap: int) -> tuple[np.ndarray, int]:
    missing = ~np.isfinite(values)
    if not missing.any() or missing.all():
        return values, 0
    padded = np.concatenate([[False], missing, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    idx = np.arange(values.size)
    line = np.interp(idx, idx[~missing], values[~missing])
    fill = np.zeros(values.size, dtype=bool)
    for a, b in zip(edges[::2], edges[1::2], strict=True):  # runs of gaps, not steps
        if b - a <= max_gap and a > 0 and b < values.size:
            fill[a:b] = True
    return np.where(fill, line, values), int(fill.sum())


def measured_weather(
    readings: pd.DataFrame,
    meters: pd.DataFrame,
    base: Weather,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> MeasuredWeather | None:
    """``base`` with the weather meters' readings of [start, end) laid over it.

    Parameters
    ----------
    readings
        Columns meter, time (UTC), value, flags (``Store.readings()``).
    meters
        Columns id, quantity (``Store.meters()``).
    base
        The scenario's weather over its year.
    start, end
        The period (UTC; end excluded).

    Returns
    -------
    MeasuredWeather or None
        None when no weather meter has a usable reading in the period.
    """
    kinds = meters[meters["quantity"].isin(list(WEATHER_QUANTITIES))]
    data = base.data.copy()
    step = pd.Timedelta(hours=base.dt_h)
    period = (data.index >= start) & (data.index < end)
    used: dict[str, tuple[str, ...]] = {}
    measured, filled, left_out = {}, {}, {}
    for quantity, group in kinds.groupby("quantity", sort=True):
        ids = tuple(sorted(str(i) for i in group["id"]))
        rows = readings[readings["meter"].isin(ids)]
        rows = rows[(rows["time"] >= start) & (rows["time"] < end)]
        good = np.isfinite(rows["value"].to_numpy(dtype=float)) & (
            (rows["flags"].to_numpy() & _BAD) == 0
        )
        if not good.any():
            continue
        kept = rows[good]
        slot = pd.DatetimeIndex(kept["time"]).floor(step)
        mean = kept["value"].groupby(slot).mean()
        values = mean.reindex(data.index[period]).to_numpy(dtype=float)
        values, n_filled = _fill_short_gaps(values, MAX_GAP_STEPS)
        have = np.isfinite(values)
        column = _COLUMN[str(quantity)]
        target = data.loc[period, column].to_numpy(dtype=float)
        if column == "ghi":
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(target > 0, values / target, 1.0)
            ratio = np.where(have, np.clip(ratio, 0.0, 5.0), 1.0)
            for part in ("dni", "dhi"):
                data.loc[period, part] = data.loc[period, part].to_numpy() * ratio
        data.loc[period, column] = np.where(have, values, target)
        used[str(quantity)] = ids
        measured[str(quantity)] = int(have.sum())
        filled[str(quantity)] = n_filled
        left_out[str(quantity)] = int((~good).sum())
    if not used:
        return None
    names = ", ".join(f"{_COLUMN[q]} ({', '.join(m)})" for q, m in used.items())
    source = (
        f"measured weather from the store over {start:%Y-%m-%d}..{end:%Y-%m-%d} UTC: {names}; "
        f"elsewhere {base.source}"
    )
    weather = dataclasses.replace(base, data=data, source=source, synthetic=False)
    return MeasuredWeather(
        weather=weather,
        meters=used,
        steps=int(period.sum()),
        measured=measured,
        filled=filled,
        left_out=left_out,
    )


def heating_degree_days(
    temperature: pd.Series, *, timezone: str, base_c: float = HDD_BASE_C
) -> dict[str, float]:
    """Heating degree days over the series and per local month [K·d].

    Parameters
    ----------
    temperature
        Outdoor air temperature [°C] at a fixed step, tz-aware index.
    timezone
        IANA zone of the local months.
    base_c
        Base temperature [°C].

    Returns
    -------
    dict
        ``"total"`` and ``"YYYY-MM"`` -> the sum of ``max(base - T, 0) x step [d]``.
    """
    index = pd.DatetimeIndex(temperature.index)
    days = (index[1] - index[0]) / pd.Timedelta(days=1) if len(index) > 1 else 1.0
    per_step = np.maximum(base_c - temperature.to_numpy(dtype=float), 0.0) * days
    months = pd.Series(per_step, index=index.tz_convert(timezone).strftime("%Y-%m"))
    out = {"total": round(float(np.nansum(per_step)), 6)}
    out |= {str(m): round(float(v), 6) for m, v in months.groupby(level=0).sum().items()}
    return out
