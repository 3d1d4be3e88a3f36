"""Pydantic models of the assets a building or the district can own.

Units are in the field names (``capacity_kwh``, ``power_kw``); angles in degrees, azimuth
clockwise from north (180 = south), as in pvlib.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from sparcs.scenario._fields import STRICT, between, fraction, non_negative, positive

__all__ = [
    "CHP",
    "PV",
    "PVMounting",
    "PVTransposition",
    "Battery",
    "Boiler",
    "ElectricBoiler",
    "EVChargers",
    "HeatPump",
    "SolarThermal",
    "ThermalStorage",
    "Wind",
]


#: Sky-diffuse transposition models: Perez et al. (1990), Hay and Davies (1980).
PVTransposition = Literal["perez", "haydavies"]
#: SAPM cell-temperature parameter sets (King et al. 2004, Sandia SAND2004-3535, table 2).
PVMounting = Literal[
    "open_rack_glass_polymer",
    "open_rack_glass_glass",
    "close_mount_glass_glass",
    "insulated_back_glass_polymer",
]


class PV(BaseModel):
    """A PV array with its inverter, and the assumptions of its PVWatts-style model.

    The defaults are those of NREL's PVWatts v5 (Dobos 2014, NREL/TP-6A20-62641): 14 % DC
    system losses, DC/AC ratio 1.2, inverter efficiency 0.96, temperature coefficient
    -0.37 %/K (standard modules), open-rack mounting; with the Perez (1990) sky model and a
    ground albedo of 0.2 (grass, soil and urban surfaces; Duffie and Beckman 2013, table 5.1).
    """

    model_config = STRICT
    kwp: positive = Field(description="DC peak power [kWp]")
    tilt_deg: Annotated[float, between(0, 90)] = Field(
        35.0, description="tilt from horizontal [deg]"
    )
    azimuth_deg: Annotated[float, between(0, 360)] = Field(
        180.0, description="azimuth, 180 = south [deg]"
    )
    losses_pct: Annotated[float, between(0, 60)] = Field(
        14.0,
        description="DC system losses: soiling, wiring, mismatch, ... (PVWatts default 14) [%]",
    )
    inverter_efficiency: Annotated[float, between(0.5, 1.0)] = Field(
        0.96, description="nominal inverter efficiency [-]"
    )
    gamma_pdc: Annotated[float, between(-0.01, 0.0)] = Field(
        -0.0037, description="power temperature coefficient [1/K]"
    )
    dc_ac_ratio: Annotated[float, between(0.5, 2.5)] = Field(
        1.2,
        description="DC nameplate over inverter AC nameplate; the inverter clips above "
        "(PVWatts default 1.2) [-]",
    )
    transposition: PVTransposition = Field(
        "perez", description="sky-diffuse transposition model: 'perez' (Perez 1990) or 'haydavies'"
    )
    albedo: Annotated[float, between(0, 1)] = Field(
        0.2, description="ground reflectance: 0.2 grass/urban, 0.6-0.8 fresh snow [-]"
    )
    mounting: PVMounting = Field(
        "open_rack_glass_polymer",
        description="SAPM cell-temperature parameters: open rack (free-standing, tilted roofs), "
        "close mount (flush on the roof) or insulated back (building-integrated)",
    )


class SolarThermal(BaseModel):
    """Flat-plate solar collectors (EN 12975 efficiency curve)."""

    model_config = STRICT
    area_m2: positive = Field(description="aperture area [m2]")
    tilt_deg: Annotated[float, between(0, 90)] = 40.0
    azimuth_deg: Annotated[float, between(0, 360)] = 180.0
    eta0: Annotated[float, between(0.3, 0.9)] = Field(0.78, description="optical efficiency [-]")
    a1: Annotated[float, between(0, 10)] = Field(
        3.5, description="linear heat-loss coefficient [W/(m2 K)]"
    )
    a2: Annotated[float, between(0, 0.1)] = Field(
        0.015, description="quadratic heat-loss coefficient [W/(m2 K2)]"
    )
    mean_fluid_temp_c: Annotated[float, between(20, 95)] = Field(
        50.0, description="mean collector fluid temperature [degC]"
    )


class Wind(BaseModel):
    """A small wind turbine with a generic power curve."""

    model_config = STRICT
    capacity_kw: positive = Field(description="rated power [kW]")
    hub_height_m: Annotated[float, between(5, 150)] = 20.0
    cut_in_m_s: Annotated[float, between(0, 10)] = 3.0
    rated_m_s: Annotated[float, between(5, 25)] = 11.0
    cut_out_m_s: Annotated[float, between(10, 40)] = 25.0
    roughness_m: Annotated[float, between(0.0001, 2)] = Field(
        0.5, description="terrain roughness length, urban ~0.5 [m]"
    )


class Battery(BaseModel):
    """An electric battery."""

    model_config = STRICT
    capacity_kwh: positive = Field(description="usable energy capacity [kWh]")
    power_kw: positive = Field(description="charge and discharge power limit [kW]")
    charge_efficiency: Annotated[float, between(0.5, 1.0)] = 0.95
    discharge_efficiency: Annotated[float, between(0.5, 1.0)] = 0.95
    soc_min: fraction = Field(0.1, description="lowest state of charge [-]")
    soc_max: fraction = Field(1.0, description="highest state of charge [-]")
    soc_initial: fraction = Field(0.5, description="state of charge at the start [-]")
    cycle_cost_eur_per_kwh: non_negative = Field(
        0.0, description="wear cost per kWh discharged [EUR/kWh]"
    )

    @model_validator(mode="after")
    def _soc_order(self) -> Battery:
        if self.soc_min >= self.soc_max:
            msg = f"soc_min ({self.soc_min:g}) must be below soc_max ({self.soc_max:g})"
            raise ValueError(msg)
        if not self.soc_min <= self.soc_initial <= self.soc_max:
            msg = f"soc_initial ({self.soc_initial:g}) must lie between soc_min and soc_max"
            raise ValueError(msg)
        return self


class ThermalStorage(BaseModel):
    """A hot-water tank or buffer store."""

    model_config = STRICT
    capacity_kwh: positive = Field(
        description="storable heat between min and max temperature [kWh]"
    )
    loss_pct_per_h: Annotated[float, between(0, 10)] = Field(
        0.5, description="standing loss, share of content per hour [%/h]"
    )
    soc_initial: fraction = 0.5


class HeatPump(BaseModel):
    """A heat pump; capacity is thermal output."""

    model_config = STRICT
    source: Literal["air", "ground"] = "air"
    capacity_kw: positive = Field(description="thermal capacity [kW]")
    sink_temp_c: Annotated[float, between(25, 80)] = Field(
        45.0, description="supply (sink) temperature [degC]"
    )
    carnot_efficiency: Annotated[float, between(0.2, 0.7)] = Field(
        0.45, description="share of the Carnot COP reached [-]"
    )
    cooling: bool = Field(False, description="also provides space cooling")


class Boiler(BaseModel):
    """A fuel boiler."""

    model_config = STRICT
    fuel: Literal["gas", "oil", "biomass"] = "gas"
    capacity_kw: positive | None = Field(
        None, description="thermal capacity; None = sized to peak [kW]"
    )
    efficiency: Annotated[float, between(0.5, 1.1)] = 0.92


class CHP(BaseModel):
    """A combined heat and power unit, heat-led."""

    model_config = STRICT
    fuel: Literal["gas", "biomass"] = "gas"
    electric_kw: positive = Field(description="electric capacity [kW]")
    electrical_efficiency: Annotated[float, between(0.1, 0.6)] = 0.35
    thermal_efficiency: Annotated[float, between(0.2, 0.8)] = 0.50
    min_load: fraction = Field(0.5, description="lowest part load when running [-]")

    @property
    def thermal_kw(self) -> float:
        """Thermal capacity [kW]."""
        return self.electric_kw * self.thermal_efficiency / self.electrical_efficiency


class ElectricBoiler(BaseModel):
    """An electric boiler or heating rod that turns surplus electricity into heat."""

    model_config = STRICT
    power_kw: positive = Field(description="electric power [kW]")
    efficiency: Annotated[float, between(0.8, 1.0)] = 0.99


class EVChargers(BaseModel):
    """A group of EV charge points with one usage pattern."""

    model_config = STRICT
    count: int = Field(ge=1, description="number of charge points")
    power_kw: positive = Field(11.0, description="power per charge point [kW]")
    pattern: Literal["home", "workplace", "public", "bus_depot"] = "home"
    v2g: bool = Field(False, description="bidirectional (vehicle-to-grid) charge points")
    sessions_per_day: Annotated[float, between(0, 24)] | None = Field(
        None, description="sessions per charge point per day; None = pattern default"
    )
    energy_per_session_kwh: positive | None = Field(
        None, description="mean energy per session; None = pattern default [kWh]"
    )
    efficiency: Annotated[float, between(0.8, 1.0)] = 0.95
