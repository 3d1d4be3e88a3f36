"""Pydantic models of a scenario: site, buildings, district assets, tariffs, factors, boundary.

A :class:`Scenario` is validated once at the boundary (file, API or CLI); the engine trusts it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, Field, field_validator, model_validator

from sparcs.data import get_city, get_factor_set
from sparcs.data.cities import Period, Use
from sparcs.scenario._fields import STRICT, between, non_negative, positive
from sparcs.scenario.assets import (
    CHP,
    PV,
    Battery,
    Boiler,
    ElectricBoiler,
    EVChargers,
    HeatPump,
    SolarThermal,
    ThermalStorage,
    Wind,
)
from sparcs.scenario.boundary import DH_NETWORK_LOSS, Boundary, VirtualAsset
from sparcs.scenario.costs import Costs
from sparcs.scenario.finance import Finance
from sparcs.scenario.tariff_spec import CapacityWindow, TariffSpec, TouPeriod
from sparcs.timeseries import parse_timestep, to_zoneinfo

__all__ = [
    "HEATING_SYSTEMS",
    "Boundary",
    "Building",
    "CapacityWindow",
    "District",
    "FactorSpec",
    "Grid",
    "HeatExport",
    "Scenario",
    "Site",
    "TariffSpec",
    "TouPeriod",
    "VirtualAsset",
    "WeatherSpec",
]

Heating = Literal[
    "district_heating",
    "air_source_hp",
    "ground_source_hp",
    "gas_boiler",
    "oil_boiler",
    "biomass_boiler",
    "electric",
    "chp",
    "none",
]
HEATING_SYSTEMS: tuple[str, ...] = get_args(Heating)
ElectricityProfile = Literal[
    "auto",
    "h0",
    "h0_dyn",
    "g0",
    "g1",
    "g2",
    "g3",
    "g4",
    "g5",
    "g6",
    "l0",
    "l1",
    "l2",
    "h25",
    "g25",
    "l25",
    "p25",
    "s25",
]


class Site(BaseModel):
    """Where the district is: an embedded city or a custom site."""

    model_config = STRICT
    city: str | None = Field(None, description="embedded city key, e.g. 'espoo'")
    latitude: Annotated[float, between(-90, 90)] | None = None
    longitude: Annotated[float, between(-180, 180)] | None = None
    elevation_m: float | None = None
    timezone: str | None = Field(None, description="IANA time zone, e.g. 'Europe/Berlin'")
    country: str | None = Field(None, description="ISO 3166 code for public holidays, e.g. 'DE'")

    @model_validator(mode="after")
    def _city_or_coordinates(self) -> Site:
        if self.city is not None:
            get_city(self.city)
        elif self.latitude is None or self.longitude is None or self.timezone is None:
            msg = "give an embedded city, or latitude, longitude and timezone of a custom site"
            raise ValueError(msg)
        if self.timezone is not None:
            to_zoneinfo(self.timezone)
        return self


class WeatherSpec(BaseModel):
    """Where the weather comes from."""

    model_config = STRICT
    source: Literal["synthetic", "embedded", "file"] = Field(
        "synthetic", description="synthetic year from normals, embedded measured year, or a file"
    )
    file: Path | None = None
    format: Literal["epw", "pvgis", "nsrdb", "csv"] | None = Field(
        None, description="file format; None = from the file name"
    )
    seed: int = Field(1, description="seed of the synthetic year")
    temperature_offset_c: Annotated[float, between(-5, 5)] = Field(
        0.0,
        description="shift of the air temperature [K], e.g. +1 to move 1961-90 normals toward "
        "1991-2020",
    )

    @model_validator(mode="after")
    def _file_given(self) -> WeatherSpec:
        if self.source == "file" and self.file is None:
            msg = "source = 'file' needs file = 'path/to/weather.epw'"
            raise ValueError(msg)
        return self


class Building(BaseModel):
    """One building: use, size, systems, optional given demands and its own assets."""

    model_config = STRICT
    id: str = Field(min_length=1)
    use: Use = "apartment_block"
    floor_area_m2: positive = Field(description="conditioned floor area [m2]")
    construction_period: Period = "1980-1999"
    residents: int | None = Field(None, ge=0)
    heating: Heating = "district_heating"
    hot_water: bool = True
    cooling: bool = False
    electricity_kwh: non_negative | None = Field(
        None, description="annual appliance electricity [kWh]"
    )
    space_heat_kwh: non_negative | None = Field(None, description="annual space heat, useful [kWh]")
    dhw_kwh: non_negative | None = Field(None, description="annual hot water, useful [kWh]")
    cooling_kwh: non_negative | None = Field(None, description="annual cooling, useful [kWh]")
    electricity_profile: ElectricityProfile = "auto"
    roof_area_m2: positive | None = Field(None, description="usable roof area for PV [m2]")
    pv: PV | None = None
    solar_thermal: SolarThermal | None = None
    wind: Wind | None = None
    battery: Battery | None = None
    thermal_storage: ThermalStorage | None = None
    heat_pump: HeatPump | None = None
    boiler: Boiler | None = None
    chp: CHP | None = None
    electric_boiler: ElectricBoiler | None = None
    ev: EVChargers | None = None

    @model_validator(mode="after")
    def _systems_consistent(self) -> Building:
        if self.heating in ("air_source_hp", "ground_source_hp") and self.heat_pump is not None:
            wanted = "air" if self.heating == "air_source_hp" else "ground"
            if self.heat_pump.source != wanted:
                msg = f"heating = '{self.heating}' but heat_pump.source = '{self.heat_pump.source}'"
                raise ValueError(msg)
        if self.heating == "chp" and self.chp is None:
            msg = "heating = 'chp' needs a [chp] table with electric_kw"
            raise ValueError(msg)
        if self.pv is not None and self.roof_area_m2 is not None:
            needed = self.pv.kwp / 0.2
            if needed > self.roof_area_m2 * 1.0001:
                msg = (
                    f"pv.kwp = {self.pv.kwp:g} needs about {needed:.0f} m2 at 0.2 kWp/m2 but "
                    f"roof_area_m2 = {self.roof_area_m2:g}; reduce kwp or raise roof_area_m2"
                )
                raise ValueError(msg)
        return self


#: Thermal peak power per m2 of solar collector [kW/m2]: the IEA SHC / ESTIF convention
#: (0.7 kW_th/m2, "Solar Heat Worldwide"), used to turn a solar-thermal plant's kW into m2.
SOLAR_THERMAL_KW_PER_M2 = 0.7


class HeatExport(BaseModel):
    """Heat fed into the external district-heating network (``[district.heat_export]``).

    Heat that would otherwise be dumped (rule strategy), or any heat worth its price and
    credit (optimal strategy), leaves through the district node and the buildings on district
    heating. Only its renewable part counts as PED surplus (docs/accounting.md).
    """

    model_config = STRICT
    enabled: bool = Field(True, description="feed surplus heat into the district-heating network")
    max_kw: positive | None = Field(
        None, description="largest heat fed in by the whole district [kW]; None = unlimited"
    )
    price_eur_per_kwh: non_negative = Field(
        0.0, description="price paid per kWh of heat fed in [EUR/kWh]"
    )
    network_loss: Annotated[float, between(0.0, 0.5)] = Field(
        DH_NETWORK_LOSS,
        description="share of the heat fed in lost in the network before delivery [-]; exported "
        "heat is credited as (1 - network_loss) kWh of district heat delivered",
    )


class District(BaseModel):
    """Assets shared by the whole district (inside the geographical boundary)."""

    model_config = STRICT
    pv: list[PV] = Field(default_factory=list)
    wind: list[Wind] = Field(default_factory=list)
    solar_thermal: list[SolarThermal] = Field(default_factory=list)
    battery: Battery | None = None
    thermal_storage: ThermalStorage | None = None
    heat_pump: HeatPump | None = None
    chp: CHP | None = None
    electric_boiler: ElectricBoiler | None = None
    ev: list[EVChargers] = Field(default_factory=list)
    heat_export: HeatExport | None = Field(
        None, description="feed surplus heat into the district-heating network"
    )

    @property
    def exports_heat(self) -> bool:
        """True when heat may be fed into the district-heating network."""
        return self.heat_export is not None and self.heat_export.enabled


class Grid(BaseModel):
    """The district's grid connection."""

    model_config = STRICT
    import_limit_kw: positive | None = None
    export_limit_kw: non_negative | None = None


class FactorSpec(BaseModel):
    """Which factor set to use for primary energy and CO2."""

    model_config = STRICT
    set: str | None = Field(None, description="named factor set; None = the city's default")
    hourly_file: Path | None = Field(
        None,
        description="CSV of hourly grid factors: time (ISO 8601 with offset), co2_kg_per_kwh, "
        "optional pef",
    )
    dh_allocation: str | None = Field(
        None, description="override of the district-heating allocation label"
    )
    hourly_grid_co2: bool = Field(
        False,
        description="use the embedded hourly grid CO2 of the country (CZ, DE, FI, GR, PT; 2019 "
        "shape scaled to the factor set's annual value)",
    )
    k_exp: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="weighting of the export credit, EN ISO 52000-1 9.6.6.2 (1 = exported energy "
        "credited in full at the avoided-grid factors, 0 = no credit); None = the factor set's",
    )

    @model_validator(mode="after")
    def _one_hourly_source(self) -> FactorSpec:
        if self.hourly_grid_co2 and self.hourly_file is not None:
            msg = "give either hourly_file or hourly_grid_co2 = true, not both"
            raise ValueError(msg)
        return self

    @field_validator("set")
    @classmethod
    def _known(cls, value: str | None) -> str | None:
        if value is not None:
            get_factor_set(value)
        return value


class Scenario(BaseModel):
    """A district described for one year: the input of every SPARCS run."""

    model_config = STRICT
    name: str = Field(min_length=1)
    description: str = ""
    site: Site
    year: int = Field(2025, ge=1990, le=2100)
    timestep: str = Field("1h", description="step length, '1h' or '15min'")
    seed: int = Field(42, description="seed for the diversity of profiles and EV sessions")
    weather: WeatherSpec = Field(default_factory=WeatherSpec)
    buildings: list[Building] = Field(default_factory=list)
    buildings_file: Path | None = Field(
        None, description="CSV building stock, one row per building"
    )
    district: District = Field(default_factory=District)
    boundary: Boundary = Field(default_factory=Boundary)
    grid: Grid = Field(default_factory=Grid)
    tariff: TariffSpec = Field(default_factory=TariffSpec)
    factors: FactorSpec = Field(default_factory=FactorSpec)
    costs: Costs = Field(
        default_factory=Costs,
        description="overrides of the embedded cost data of measures (sparcs plan)",
    )
    finance: Finance = Field(
        default_factory=Finance,
        description="actors, financing and energy prices of a plan (sparcs plan)",
    )
    baseline: Path | None = Field(None, description="scenario file of the baseline for reductions")

    @field_validator("timestep")
    @classmethod
    def _step(cls, value: str) -> str:
        parse_timestep(value)
        return value

    @model_validator(mode="after")
    def _unique_ids(self) -> Scenario:
        seen: set[str] = set()
        for building in self.buildings:
            if building.id in seen:
                msg = f"building id {building.id!r} is used twice; ids must be unique"
                raise ValueError(msg)
            seen.add(building.id)
        if self.boundary.kind == "virtual" and not self.boundary.virtual_assets:
            msg = "boundary.kind = 'virtual' needs [[boundary.virtual_assets]]"
            raise ValueError(msg)
        return self

    # Resolved settings: the one place where defaults from the city are applied.
    @property
    def timezone(self) -> str:
        """IANA zone of the site."""
        return self.site.timezone or get_city(self.site.city).timezone

    @property
    def factor_set_name(self) -> str:
        """Name of the factor set in use."""
        if self.factors.set is not None:
            return self.factors.set
        if self.site.city is not None:
            return get_city(self.site.city).factor_set
        return "eu-eed-2023"
