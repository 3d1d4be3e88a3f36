"""The meter map: which meter measures what, where, in which unit.

A TOML file of ``[[meters]]`` tables::

    [[meters]]
    id = "643006966022791278"     # the meter's id in the files (Datahub metering point, ...)
    node = "b1"                   # a building id, or "district" for the district connection
    quantity = "grid_import_kwh"  # a Flows name (sparcs.operation.flows.FLOW_NAMES)
    unit = "kWh"                  # Wh, kWh, MWh (energy per step) or W, kW, MW (mean power)

Measured weather comes in the same way, from a "weather meter": ``quantity = "temp_air_c"``
(outdoor air temperature, ``unit = "degC"``) or ``"ghi_w_m2"`` (global horizontal
irradiance, ``unit = "W/m2"``), each a mean over the step; its ``node`` names the station.
    resolution = "PT15M"          # optional: ISO 8601 step (PT15M, PT1H); checked when given
    timezone = "Europe/Helsinki"  # optional: the zone of naive timestamps in the files
    cumulative = false            # optional: true for a register (meter reading), not intervals
    column = "B1 import"          # optional: the column of this meter in a wide CSV (default id)
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from sparcs.errors import Problem, ScenarioError
from sparcs.operation.flows import FLOW_NAMES, STATE_NAMES
from sparcs.textfiles import read_text
from sparcs.timeseries import to_zoneinfo

__all__ = [
    "ENERGY_UNITS",
    "POWER_UNITS",
    "WEATHER_QUANTITIES",
    "MeterSpec",
    "load_meter_map",
    "parse_resolution",
]

#: Energy units per step -> factor to kWh.
ENERGY_UNITS = {"Wh": 1e-3, "kWh": 1.0, "MWh": 1e3}
#: Mean-power units over a step -> factor to kW (energy = power x step [h]).
POWER_UNITS = {"W": 1e-3, "kW": 1.0, "MW": 1e3}
#: Weather quantities a meter may measure -> their unit (a mean over the step, stored as is).
WEATHER_QUANTITIES = {"temp_air_c": "degC", "ghi_w_m2": "W/m2"}
_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?$")


def parse_resolution(text: str) -> pd.Timedelta:
    """An ISO 8601 step such as ``PT15M`` or ``PT1H`` as a Timedelta.

    Raises
    ------
    ValueError
        For anything else (the caller names the file and field).
    """
    match = _DURATION.match(text.strip().upper())
    if not match or not any(match.groups()):
        msg = f"resolution {text!r} is not an ISO 8601 step such as 'PT15M' or 'PT1H'"
        raise ValueError(msg)
    hours, minutes = (int(g or 0) for g in match.groups())
    step = pd.Timedelta(hours=hours, minutes=minutes)
    if step <= pd.Timedelta(0):
        msg = f"resolution {text!r} must be longer than zero"
        raise ValueError(msg)
    return step


class MeterSpec(BaseModel):
    """One meter of the map (module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    node: str = Field(min_length=1)
    quantity: str
    unit: Literal["Wh", "kWh", "MWh", "W", "kW", "MW", "degC", "W/m2"]
    resolution: str | None = None
    timezone: str | None = None
    cumulative: bool = False
    column: str | None = None

    @field_validator("quantity")
    @classmethod
    def _known_quantity(cls, value: str) -> str:
        if value not in (*FLOW_NAMES, *STATE_NAMES, *WEATHER_QUANTITIES):
            msg = (
                f"{value!r} is not a Flows name; use one of {', '.join(FLOW_NAMES)} "
                f"(or a state: {', '.join(STATE_NAMES)}; or weather: "
                f"{', '.join(WEATHER_QUANTITIES)})"
            )
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _unit_fits_quantity(self) -> MeterSpec:
        weather_unit = WEATHER_QUANTITIES.get(self.quantity)
        if weather_unit is not None and (self.unit != weather_unit or self.cumulative):
            msg = (
                f"quantity {self.quantity!r} is weather: give unit = {weather_unit!r} "
                "(a mean over the step) and no cumulative"
            )
            raise ValueError(msg)
        if weather_unit is None and self.unit in WEATHER_QUANTITIES.values():
            msg = f"unit {self.unit!r} is for weather; {self.quantity!r} is energy (kWh, kW, ...)"
            raise ValueError(msg)
        return self

    @field_validator("resolution")
    @classmethod
    def _step(cls, value: str | None) -> str | None:
        if value is not None:
            parse_resolution(value)
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is not None:
            to_zoneinfo(value)
        return value

    @property
    def step(self) -> pd.Timedelta | None:
        """The declared resolution, if any."""
        return parse_resolution(self.resolution) if self.resolution else None

    @property
    def is_power(self) -> bool:
        """True when the unit is a mean power (kW) rather than an energy per step."""
        return self.unit in POWER_UNITS

    @property
    def is_weather(self) -> bool:
        """True for a weather quantity (temperature, irradiance): may be negative, not a flow."""
        return self.quantity in WEATHER_QUANTITIES

    @property
    def is_state(self) -> bool:
        """True for a level (state of charge) rather than a flow per step."""
        return self.quantity in STATE_NAMES


def load_meter_map(path: str | Path) -> dict[str, MeterSpec]:
    """Read a meter map: meter id -> :class:`MeterSpec`.

    Raises
    ------
    ScenarioError
        Naming the file, the meter table and the field for every problem at once.
    """
    source = str(path)
    text = read_text(path, what="meter map")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = f"not valid TOML ({exc}); check quotes and brackets"
        raise ScenarioError(msg, source) from None
    tables = data.get("meters")
    if not isinstance(tables, list) or not tables:
        msg = "no [[meters]] tables; add one per meter with id, node, quantity and unit"
        raise ScenarioError(msg, source)
    problems: list[Problem] = []
    meters: dict[str, MeterSpec] = {}
    for i, table in enumerate(tables):
        try:
            meter = MeterSpec.model_validate(table)
        except ValidationError as exc:
            for error in exc.errors():
                field = ".".join(str(p) for p in error["loc"])
                problems.append(Problem(f"meters[{i}].{field}", error["msg"], source))
            continue
        if meter.id in meters:
            problems.append(
                Problem(
                    f"meters[{i}].id",
                    f"meter {meter.id!r} appears twice; keep one table per meter",
                    source,
                )
            )
        meters[meter.id] = meter
    unknown = set(data) - {"meters"}
    if unknown:
        problems.append(
            Problem(
                ", ".join(sorted(unknown)),
                "unknown key(s); a meter map holds only [[meters]] tables",
                source,
            )
        )
    if problems:
        raise ScenarioError(problems, source)
    return meters
