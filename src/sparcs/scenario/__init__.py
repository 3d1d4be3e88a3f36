"""Scenario files: pydantic models of a district, loaded from TOML and CSV."""

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
from sparcs.scenario.load import (
    dump_scenario,
    load_scenario,
    read_buildings_csv,
    scenario_from_dict,
)
from sparcs.scenario.models import (
    Boundary,
    Building,
    District,
    FactorSpec,
    Grid,
    Scenario,
    Site,
    TariffSpec,
    VirtualAsset,
    WeatherSpec,
)

__all__ = [
    "CHP",
    "PV",
    "Battery",
    "Boiler",
    "Boundary",
    "Building",
    "District",
    "EVChargers",
    "ElectricBoiler",
    "FactorSpec",
    "Grid",
    "HeatPump",
    "Scenario",
    "Site",
    "SolarThermal",
    "TariffSpec",
    "ThermalStorage",
    "VirtualAsset",
    "WeatherSpec",
    "Wind",
    "dump_scenario",
    "load_scenario",
    "read_buildings_csv",
    "scenario_from_dict",
]
