"""Pydantic models of a scenario's tariff: flat, time-of-use or file prices, capacity charges.

Part of the scenario (:class:`sparcs.scenario.models.Scenario`, ``[tariff]``); read by
:func:`sparcs.carriers.tariffs.tariff_prices`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from sparcs.scenario._fields import STRICT, non_negative

__all__ = ["CapacityWindow", "TariffSpec", "TouPeriod"]


class TouPeriod(BaseModel):
    """One time-of-use price window in local time."""

    model_config = STRICT
    start_hour: int = Field(ge=0, le=23)
    end_hour: int = Field(ge=1, le=24)
    price_eur_per_kwh: non_negative
    weekdays_only: bool = False

    @model_validator(mode="after")
    def _order(self) -> TouPeriod:
        if self.end_hour <= self.start_hour:
            msg = f"end_hour ({self.end_hour}) must be after start_hour ({self.start_hour})"
            raise ValueError(msg)
        return self


class CapacityWindow(BaseModel):
    """Local hours in which the electricity peak of a capacity charge counts."""

    model_config = STRICT
    start_hour: int = Field(ge=0, le=23)
    end_hour: int = Field(ge=1, le=24)
    weekdays_only: bool = False

    @model_validator(mode="after")
    def _order(self) -> CapacityWindow:
        if self.end_hour <= self.start_hour:
            msg = f"end_hour ({self.end_hour}) must be after start_hour ({self.start_hour})"
            raise ValueError(msg)
        return self


class TariffSpec(BaseModel):
    """Energy prices: flat, time-of-use or an hourly price file; None = the city's default.

    Capacity (demand) charges price the highest mean power of a step per charge period
    (local calendar month or year): grid import for electricity, the district heat bought for
    heat. A price may be given per kW and month or per kW and year (not both); it is turned
    into a price per kW and charge period.
    """

    model_config = STRICT
    kind: Literal["flat", "tou", "file"] = "flat"
    import_eur_per_kwh: non_negative | None = None
    export_eur_per_kwh: non_negative | None = None
    district_heat_eur_per_kwh: non_negative | None = None
    gas_eur_per_kwh: non_negative | None = None
    tou: list[TouPeriod] = Field(default_factory=list)
    file: Path | None = Field(
        None, description="CSV with columns time (ISO 8601 with offset), price_eur_per_kwh"
    )
    capacity_eur_per_kw_month: non_negative | None = Field(
        None, description="electricity capacity charge per kW of peak grid import and month"
    )
    capacity_eur_per_kw_year: non_negative | None = Field(
        None, description="electricity capacity charge per kW of peak grid import and year"
    )
    capacity_period: Literal["month", "year"] | None = Field(
        None, description="period whose peak import is charged: local calendar month or year"
    )
    capacity_window: CapacityWindow | None = Field(
        None, description="local hours in which the import peak counts; None = every hour"
    )
    district_heat_capacity_eur_per_kw_month: non_negative | None = Field(
        None, description="district-heat capacity charge per kW of peak heat bought and month"
    )
    district_heat_capacity_eur_per_kw_year: non_negative | None = Field(
        None, description="district-heat capacity charge per kW of peak heat bought and year"
    )
    district_heat_capacity_period: Literal["month", "year"] | None = Field(
        None, description="period whose peak district-heat draw is charged"
    )

    @model_validator(mode="after")
    def _kind_needs(self) -> TariffSpec:
        if self.kind == "tou" and not self.tou:
            msg = (
                "kind = 'tou' needs [[tariff.tou]] windows with start_hour, end_hour, "
                "price_eur_per_kwh"
            )
            raise ValueError(msg)
        if self.kind == "file" and self.file is None:
            msg = "kind = 'file' needs file = 'prices.csv'"
            raise ValueError(msg)
        for prefix in ("capacity", "district_heat_capacity"):
            if (
                getattr(self, f"{prefix}_eur_per_kw_month") is not None
                and getattr(self, f"{prefix}_eur_per_kw_year") is not None
            ):
                msg = (
                    f"give {prefix}_eur_per_kw_month or {prefix}_eur_per_kw_year, not both "
                    "(the other follows: a year is 12 months)"
                )
                raise ValueError(msg)
        return self
