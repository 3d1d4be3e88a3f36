"""The outcome of one operation cycle (:func:`sparcs.live.cycle.operate_cycle`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sparcs.live.dispatch import Plan
from sparcs.live.schedule import schedule_of
from sparcs.operation.flows import Flows

__all__ = ["Cycle"]


@dataclass(frozen=True)
class Cycle:
    """The outcome of one operation cycle.

    Attributes
    ----------
    now
        The belief time: when the schedule was computed (UTC).
    time
        UTC start of each horizon step.
    strategy
        ``"optimal"`` (the LP) or ``"rule"`` (the fallback).
    forecaster
        Quantity → the forecaster whose forecast drove the schedule.
    forecast_kwh
        (quantity, node) → forecast energy per step [kWh] of the measured series, as used.
    forecasts
        Forecaster → (quantity, node) → its forecast [kWh per step]: every forecaster that
        could run, for scoring.
    fallbacks
        Every stand-in used, in words.
    plan
        The LP and its solution (None for the rule fallback): what a replay carries out on
        the data that then happened (:mod:`sparcs.live.replay`).
    weather
        The weather input of the regression over the horizon, in words: an ingested
        forecast or the scenario's weather year (:mod:`sparcs.live.weather`); empty when
        no regression ran.
    resolution
        The LP's steps, in words (a coarser tail: ``fine_h`` of :func:`operate_cycle`).
    planned
        Makes the planned flows of the horizon when first asked for (:attr:`flows`): a
        replay carries the plan out and never needs them.
    """

    now: pd.Timestamp
    time: pd.DatetimeIndex
    strategy: str
    forecaster: dict[str, str]
    forecast_kwh: dict[tuple[str, str], np.ndarray]
    forecasts: dict[str, dict[tuple[str, str], np.ndarray]] = field(default_factory=dict)
    fallbacks: tuple[str, ...] = ()
    plan: Plan | None = None
    weather: str = ""
    resolution: str = ""
    planned: Callable[[], Flows] | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def flows(self) -> Flows | None:
        """The planned flows of the horizon on every step (None without a plan)."""
        return None if self.planned is None else self.planned()

    @functools.cached_property
    def _schedule_and_levels(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        return ({}, {}) if self.flows is None else schedule_of(self.flows)

    @property
    def schedule(self) -> dict[str, np.ndarray]:
        """Asset id (``"<node>/<asset>"``) → power per step [kW], positive when the asset
        draws electricity (charging, running), negative when it delivers it."""
        return self._schedule_and_levels[0]

    @property
    def soc_kwh(self) -> dict[str, np.ndarray]:
        """Node → planned battery level at the end of each step [kWh] (nodes with a
        battery)."""
        return self._schedule_and_levels[1]

    def as_dict(self, timezone: str = "UTC") -> dict[str, object]:
        """The cycle as JSON-ready data, times in ISO 8601 with the offset of ``timezone``.

        Parameters
        ----------
        timezone
            IANA zone to write times in (the district's local time).

        Returns
        -------
        dict
            ``{"now", "strategy", "forecaster", "schedule": {asset: [{"time", "kw"}]},
            "forecast": {"<node>/<quantity>": [{"time", "kwh"}]}, "fallbacks": [...],
            "weather": "...", "resolution": "..."}``; the schedule has an entry per step.
        """
        stamps = [t.isoformat() for t in self.time.tz_convert(timezone)]
        return {
            "now": self.now.tz_convert(timezone).isoformat(),
            "strategy": self.strategy,
            "forecaster": self.forecaster,
            "schedule": {
                asset: [
                    {"time": t, "kw": round(float(v), 6)} for t, v in zip(stamps, kw, strict=True)
                ]
                for asset, kw in self.schedule.items()
            },
            "forecast": {
                f"{node}/{quantity}": [
                    {"time": t, "kwh": round(float(v), 6)} for t, v in zip(stamps, kwh, strict=True)
                ]
                for (quantity, node), kwh in self.forecast_kwh.items()
            },
            "fallbacks": list(self.fallbacks),
            "weather": self.weather,
            "resolution": self.resolution,
        }
