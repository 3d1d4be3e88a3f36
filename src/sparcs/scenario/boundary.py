"""Pydantic models of the PED boundary: its kind, virtual assets, functional plants, pre-PED.

Part of the scenario (:class:`sparcs.scenario.models.Scenario`, ``[boundary]``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from sparcs.scenario._fields import STRICT, between, non_negative, positive

__all__ = ["DH_NETWORK_LOSS", "Boundary", "FunctionalPlant", "PrePed", "VirtualAsset"]

#: Heat lost in a district-heating network between where heat is fed in and the customers'
#: substations, as a share of the heat fed in [-]: 12 %, the order of the German networks'
#: reported losses (AGFW Hauptbericht 2022: 11-13 % of the heat fed in, to verify) and within
#: the 8-20 % range of European networks (Werner, *Energy* 137 (2017) 617, "International
#: review of district heating and cooling"). Set it per network where its operator reports one.
DH_NETWORK_LOSS = 0.12


class VirtualAsset(BaseModel):
    """A remote plant or contract counted toward a virtual PED boundary.

    ``kind = "solar_thermal"`` is **virtual heat**: a share of an off-site solar-thermal plant
    feeding the district-heating network (e.g. Lausen in Leipzig). Its output reaches the
    district through the network, so ``network_loss`` is taken off it: the district counts
    ``share x output x (1 - network_loss)`` as heat delivered.
    """

    model_config = STRICT
    name: str
    kind: Literal["pv", "wind", "solar_thermal"]
    capacity_kw: positive = Field(
        description="plant capacity [kW] (kWp for PV; thermal peak for solar thermal, "
        "0.7 kW per m2 of collector)"
    )
    share: Annotated[float, between(0.0, 1.0)] = Field(
        1.0, description="share of the plant's output counted [-]"
    )
    tilt_deg: Annotated[float, between(0, 90)] = 30.0
    azimuth_deg: Annotated[float, between(0, 360)] = 180.0
    hub_height_m: Annotated[float, between(5, 200)] = 100.0
    network_loss: Annotated[float, between(0.0, 0.5)] = Field(
        DH_NETWORK_LOSS,
        description="solar thermal only: share of the heat fed into the district-heating network "
        "lost before delivery [-]",
    )

    @property
    def carrier(self) -> str:
        """``"heat"`` for solar thermal, else ``"electricity"``."""
        return "heat" if self.kind == "solar_thermal" else "electricity"


class FunctionalPlant(BaseModel):
    """A named renewable plant outside the area, counted inside a functional boundary."""

    model_config = STRICT
    name: str = Field(min_length=1)
    carrier: Literal["electricity", "heat"]
    annual_kwh: non_negative | None = Field(
        None, description="output per year [kWh], spread evenly over the steps"
    )
    hourly_file: Path | None = Field(
        None, description="CSV: time (ISO 8601 with offset), output_kw (mean power per row)"
    )

    @model_validator(mode="after")
    def _one_output(self) -> FunctionalPlant:
        if (self.annual_kwh is None) == (self.hourly_file is None):
            msg = f"functional plant {self.name!r}: give either annual_kwh or hourly_file"
            raise ValueError(msg)
        return self


class PrePed(BaseModel):
    """Thresholds of the pre-PED class: a named project convention, not a standard."""

    model_config = STRICT
    name: str = Field("sparcs-50/50", min_length=1, description="name shown in the reason")
    min_cover: Annotated[float, between(0.0, 1.0)] = Field(
        0.5, description="least share of import that renewable export must cover [-]"
    )
    min_reduction: Annotated[float, between(0.0, 1.0)] = Field(
        0.5, description="least reduction of net primary-energy import against the baseline [-]"
    )


class Boundary(BaseModel):
    """The PED boundary and how energy is shared inside it."""

    model_config = STRICT
    kind: Literal["geographical", "functional", "virtual"] = "geographical"
    sharing: Literal["community", "building"] = Field(
        "community", description="community self-consumption, or each building on its own meter"
    )
    virtual_assets: list[VirtualAsset] = Field(default_factory=list)
    functional_plants: list[FunctionalPlant] = Field(
        default_factory=list,
        description="named plants outside the area counted inside a functional boundary",
    )
    include_mobility: bool = Field(True, description="EV charging counts in the balance")
    pre_ped: PrePed = Field(default_factory=PrePed, description="the pre-PED convention")

    @model_validator(mode="after")
    def _plants_need_functional(self) -> Boundary:
        if self.functional_plants and self.kind != "functional":
            msg = "boundary.functional_plants count only with boundary.kind = 'functional'"
            raise ValueError(msg)
        return self
