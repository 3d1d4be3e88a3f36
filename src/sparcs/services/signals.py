"""The green-hours signal: a traffic light per hour telling when to use electricity.

Leipzig's virtual power plant planned to "signal when the RES share is high" so flexible loads
shift, and to "switch off flexible loads when power is carbon-intensive" (domain.md §1.1).
:func:`green_hours` gives that signal for the next hours of a district, from two things:

- the **local surplus** [kW]: local renewable generation (PV and wind) minus the load;
- the **grid CO2** [kg CO2-eq/kWh] of each hour (e.g. the embedded hourly intensity scaled to
  the scenario's factor set, :func:`sparcs.carriers.factors.hourly_co2_factors`).

Rule, per hour (thresholds in :class:`SignalThresholds`):

green
    local surplus above ``surplus_kw`` (0 by default), **or** grid CO2 below the lower
    threshold (the lowest third of the window's hours by default);
red
    no local surplus **and** grid CO2 above the upper threshold (the top third);
amber
    everything else.

What "forecast" means here: SPARCS has no weather or load forecast of its own. With
``forecast="profile"`` the signal reads the simulated (profiled) generation, load and grid
CO2 of the window itself, i.e. a perfect forecast of the scenario's year. With
``forecast="persistence"`` every hour repeats the same hour of the 24 hours before ``start``
(the naive day-ahead forecast that a real signal must beat).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from sparcs.errors import DataError, ScenarioError
from sparcs.operation.flows import Flows
from sparcs.profiles.inputs import Inputs
from sparcs.services._window import hour_index, hourly_window, local_start

__all__ = [
    "FORECASTS",
    "LIGHTS",
    "REFERENCES",
    "Forecast",
    "GreenHours",
    "Reference",
    "SignalThresholds",
    "classify_hours",
    "green_hours",
    "local_balance_kw",
]

#: The traffic lights, best first.
LIGHTS = ("green", "amber", "red")
#: Where the hours of the window come from (see the module notes).
Forecast = Literal["profile", "persistence"]
FORECASTS: tuple[Forecast, ...] = get_args(Forecast)
#: Whose hours the CO2 quantiles are taken over.
Reference = Literal["window", "year"]
REFERENCES: tuple[Reference, ...] = get_args(Reference)
_COLUMNS = (
    "local_time",
    "generation_kw",
    "load_kw",
    "surplus_kw",
    "co2_kg_per_kwh",
    "light",
    "reason",
)


@dataclass(frozen=True)
class SignalThresholds:
    """Where the traffic light changes colour.

    Attributes
    ----------
    green_quantile, red_quantile
        Grid CO2 below the ``green_quantile`` quantile is green, above the ``red_quantile``
        quantile red (when there is no local surplus) [-]; terciles by default.
    reference
        Quantiles of the ``"window"``'s hours or of the whole simulated ``"year"``.
    surplus_kw
        Local surplus above this counts as surplus [kW].
    green_below_kg_per_kwh, red_above_kg_per_kwh
        Fixed CO2 thresholds [kg CO2-eq/kWh] that replace the quantiles when given.
    """

    green_quantile: float = 1 / 3
    red_quantile: float = 2 / 3
    reference: Reference = "window"
    surplus_kw: float = 0.0
    green_below_kg_per_kwh: float | None = None
    red_above_kg_per_kwh: float | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.green_quantile <= self.red_quantile <= 1.0:
            msg = (
                f"signal quantiles must satisfy 0 <= green_quantile ({self.green_quantile:g}) "
                f"<= red_quantile ({self.red_quantile:g}) <= 1"
            )
            raise ScenarioError(msg)
        if self.reference not in ("window", "year"):
            msg = f"reference = {self.reference!r}; use 'window' or 'year'"
            raise ScenarioError(msg)
        low, high = self.green_below_kg_per_kwh, self.red_above_kg_per_kwh
        if low is not None and high is not None and low > high:
            msg = (
                f"green_below_kg_per_kwh ({low:g}) must not exceed red_above_kg_per_kwh ({high:g})"
            )
            raise ScenarioError(msg)

    def co2_limits(self, window: np.ndarray, year: np.ndarray) -> tuple[float, float]:
        """Lower and upper CO2 thresholds [kg CO2-eq/kWh] for the hours of ``window``."""
        base = window if self.reference == "window" else year
        low, high = self.green_below_kg_per_kwh, self.red_above_kg_per_kwh
        low = float(np.quantile(base, self.green_quantile)) if low is None else float(low)
        high = float(np.quantile(base, self.red_quantile)) if high is None else float(high)
        return low, high


@dataclass(frozen=True)
class GreenHours:
    """A traffic light per hour, with what it rests on.

    Attributes
    ----------
    frame
        Index ``time`` (UTC, start of each hour); columns ``local_time`` (the scenario's zone),
        ``generation_kw``, ``load_kw``, ``surplus_kw`` (hourly means [kW]),
        ``co2_kg_per_kwh`` [kg CO2-eq/kWh], ``light`` (one of :data:`LIGHTS`) and ``reason``.
    timezone
        IANA zone of ``local_time``.
    forecast
        ``"profile"`` (the simulated data of the window) or ``"persistence"``.
    green_below_kg_per_kwh, red_above_kg_per_kwh
        The CO2 thresholds applied [kg CO2-eq/kWh].
    thresholds
        The settings the thresholds came from.
    co2_source
        Where the grid CO2 comes from.
    """

    frame: pd.DataFrame
    timezone: str
    forecast: str
    green_below_kg_per_kwh: float
    red_above_kg_per_kwh: float
    thresholds: SignalThresholds = field(default_factory=SignalThresholds)
    co2_source: str = ""

    @property
    def time(self) -> pd.DatetimeIndex:
        """Start of each hour (UTC)."""
        return hour_index(self.frame, "green hours")

    def counts(self) -> dict[str, int]:
        """Number of hours per light."""
        values = self.frame["light"].to_numpy()
        return {light: int((values == light).sum()) for light in LIGHTS}

    def to_dict(self) -> dict[str, Any]:
        """Plain data: settings and one record per hour (times in ISO 8601 with offset)."""
        local = pd.DatetimeIndex(self.frame["local_time"])
        rows = self.frame[list(_COLUMNS[1:])].to_dict(orient="records")
        records = [
            {"time": t.isoformat(), "local_time": when.isoformat(), **row}
            for t, when, row in zip(self.time, local, rows, strict=True)
        ]
        return {
            "timezone": self.timezone,
            "forecast": self.forecast,
            "green_below_kg_per_kwh": self.green_below_kg_per_kwh,
            "red_above_kg_per_kwh": self.red_above_kg_per_kwh,
            "thresholds": asdict(self.thresholds),
            "co2_source": self.co2_source,
            "counts": self.counts(),
            "hours": records,
        }

    def to_json(self, path: str | Path | None = None) -> str:
        """The signal as JSON text; also written to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=1)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    @classmethod
    def from_json(cls, text: str) -> GreenHours:
        """Read what :meth:`to_json` wrote."""
        data = json.loads(text)
        hours = pd.DataFrame(data["hours"])
        hours.index = pd.DatetimeIndex(pd.to_datetime(hours.pop("time"), utc=True), name="time")
        hours["local_time"] = hours.index.tz_convert(data["timezone"])
        return cls(
            frame=hours[list(_COLUMNS)],
            timezone=data["timezone"],
            forecast=data["forecast"],
            green_below_kg_per_kwh=data["green_below_kg_per_kwh"],
            red_above_kg_per_kwh=data["red_above_kg_per_kwh"],
            thresholds=SignalThresholds(**data["thresholds"]),
            co2_source=data["co2_source"],
        )


def local_balance_kw(source: Flows | Inputs) -> tuple[np.ndarray, np.ndarray]:
    """District local renewable generation and load per step [kW].

    Parameters
    ----------
    source
        A run's :class:`~sparcs.operation.flows.Flows` or its
        :class:`~sparcs.profiles.inputs.Inputs`.

    Returns
    -------
    tuple of numpy.ndarray
        Generation and load, each shape (time,) [kW].

    Notes
    -----
    From flows: generation = PV + wind; load = appliances + heat pumps + chillers + EV
    charging, i.e. the consumption before storage and power-to-heat, which themselves follow
    the surplus. From inputs (before any simulation): generation = PV + wind of buildings and
    district; load = appliances + EV charging (heat-pump electricity is known only after
    the simulation).
    """
    if isinstance(source, Flows):
        generation = source.total("pv_kwh") + source.total("wind_kwh")
        load = sum(
            source.total(n)
            for n in ("electricity_demand_kwh", "hp_el_kwh", "chiller_el_kwh", "ev_charge_kwh")
        )
        return generation / source.dt_h, np.asarray(load, dtype=float) / source.dt_h
    if isinstance(source, Inputs):
        b, d = source.building, source.district
        generation = b["pv_kw"].sum(axis=1) + b["wind_kw"].sum(axis=1) + d["pv_kw"] + d["wind_kw"]
        load = b["electricity_kw"].sum(axis=1) + b["ev_kw"].sum(axis=1) + d["ev_kw"]
        return generation, load
    msg = f"green hours need Flows or Inputs, got {type(source).__name__}"
    raise DataError(msg)


def classify_hours(
    surplus_kw: np.ndarray,
    co2_kg_per_kwh: np.ndarray,
    *,
    green_below: float,
    red_above: float,
    surplus_above_kw: float = 0.0,
) -> tuple[np.ndarray, list[str]]:
    """Traffic light and reason per hour.

    Parameters
    ----------
    surplus_kw
        Local generation minus load per hour [kW].
    co2_kg_per_kwh
        Grid CO2 per hour [kg CO2-eq/kWh].
    green_below, red_above
        CO2 thresholds [kg CO2-eq/kWh]; strict comparisons, so a constant CO2 series gives no
        CO2 signal at all.
    surplus_above_kw
        Surplus above this is a local surplus [kW].

    Returns
    -------
    tuple
        Lights (array of str, shape (hour,)) and one reason per hour.
    """
    surplus = surplus_kw > surplus_above_kw
    clean = co2_kg_per_kwh < green_below
    dirty = co2_kg_per_kwh > red_above
    lights = np.where(surplus | clean, "green", np.where(dirty, "red", "amber"))
    reasons = []
    for s, c, is_surplus, is_clean, is_dirty in zip(
        surplus_kw, co2_kg_per_kwh * 1000, surplus, clean, dirty, strict=True
    ):
        own = f"local surplus {s:.1f} kW" if is_surplus else f"local deficit {-s:.1f} kW"
        if red_above - green_below <= 1e-12 and not (is_clean or is_dirty):
            grid = f"grid CO2 {c:.0f} g/kWh, no hourly variation to signal"
        elif is_clean:
            grid = f"grid CO2 {c:.0f} g/kWh, below {green_below * 1000:.0f}"
        elif is_dirty:
            grid = f"grid CO2 {c:.0f} g/kWh, above {red_above * 1000:.0f}"
        else:
            grid = (
                f"grid CO2 {c:.0f} g/kWh, "
                f"between {green_below * 1000:.0f} and {red_above * 1000:.0f}"
            )
        reasons.append(f"{own}; {grid}")
    return lights, reasons


def green_hours(
    source: Flows | Inputs,
    co2_kg_per_kwh: np.ndarray,
    *,
    start: str | pd.Timestamp,
    timezone: str,
    hours: int = 48,
    thresholds: SignalThresholds | None = None,
    forecast: Forecast = "profile",
    co2_source: str = "",
) -> GreenHours:
    """Traffic lights for the ``hours`` hours from ``start``.

    Parameters
    ----------
    source
        Flows of a run, or its inputs (see :func:`local_balance_kw`).
    co2_kg_per_kwh
        Grid CO2 per step of ``source`` [kg CO2-eq/kWh], shape (time,).
    start
        First hour; a time without offset is local time in ``timezone`` (ISO 8601 text or a
        timestamp), one with an offset is taken as it is. Must be on the hour.
    timezone
        IANA zone of the district.
    hours
        Length of the window [h].
    thresholds
        Where the lights change; default :class:`SignalThresholds`.
    forecast
        ``"profile"`` or ``"persistence"`` (see the module notes).
    co2_source
        Label of the CO2 data, kept in the result.

    Returns
    -------
    GreenHours

    Raises
    ------
    ScenarioError
        When ``start`` is not a valid hour of the simulated period or the window leaves it.
    DataError
        When ``co2_kg_per_kwh`` does not match the steps of ``source``.
    """
    rules = thresholds or SignalThresholds()
    if forecast not in ("profile", "persistence"):
        msg = f"forecast = {forecast!r}; use 'profile' or 'persistence'"
        raise ScenarioError(msg)
    co2 = np.asarray(co2_kg_per_kwh, dtype=float)
    if co2.shape != (len(source.time),):
        msg = f"grid CO2 has shape {co2.shape}, the run has {len(source.time)} steps"
        raise DataError(msg)
    generation, load = local_balance_kw(source)
    series = pd.DataFrame(
        {"generation_kw": generation, "load_kw": load, "co2_kg_per_kwh": co2}, index=source.time
    )
    begin = local_start(start, timezone, source.time, hours, persistence=forecast == "persistence")
    frame = hourly_window(series, begin, hours, persistence=forecast == "persistence")
    frame["surplus_kw"] = frame["generation_kw"] - frame["load_kw"]
    year = series["co2_kg_per_kwh"].resample("1h").mean().dropna().to_numpy()
    low, high = rules.co2_limits(frame["co2_kg_per_kwh"].to_numpy(), year)
    frame["light"], frame["reason"] = classify_hours(
        frame["surplus_kw"].to_numpy(),
        frame["co2_kg_per_kwh"].to_numpy(),
        green_below=low,
        red_above=high,
        surplus_above_kw=rules.surplus_kw,
    )
    frame["local_time"] = hour_index(frame, "green hours").tz_convert(timezone)
    return GreenHours(
        frame=frame[list(_COLUMNS)],
        timezone=timezone,
        forecast=forecast,
        green_below_kg_per_kwh=low,
        red_above_kg_per_kwh=high,
        thresholds=rules,
        co2_source=co2_source,
    )
