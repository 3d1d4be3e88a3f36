"""Internal units and the glossary of quantity names.

Internal units are fixed: power in kW, energy in kWh, temperature in °C, area in m², money in
EUR, emissions in kg CO2-eq, durations in h. Conversion happens only at I/O. Names carry the
unit where it would otherwise be ambiguous (``floor_area_m2``, ``capacity_kwh``).
"""

from __future__ import annotations

__all__ = ["GLOSSARY", "WEATHER_UNITS"]

#: Weather quantities use pvlib's names so pvlib readers feed the engine unchanged.
WEATHER_UNITS: dict[str, str] = {
    "ghi": "W/m2",
    "dni": "W/m2",
    "dhi": "W/m2",
    "temp_air": "degC",
    "wind_speed": "m/s",
}

#: Canonical quantity names with their unit and meaning.
GLOSSARY: dict[str, tuple[str, str]] = {
    "ghi": ("W/m2", "global horizontal irradiance, interval mean"),
    "dni": ("W/m2", "direct normal irradiance, interval mean"),
    "dhi": ("W/m2", "diffuse horizontal irradiance, interval mean"),
    "temp_air": ("degC", "air temperature at 2 m"),
    "wind_speed": ("m/s", "wind speed at 10 m"),
    "electricity_kw": ("kW", "electricity demand of appliances and lighting, interval mean"),
    "space_heat_kw": ("kW", "space-heating demand (useful heat), interval mean"),
    "dhw_kw": ("kW", "domestic hot water demand (useful heat), interval mean"),
    "cooling_kw": ("kW", "space-cooling demand (useful cold), interval mean"),
    "pv_kw": ("kW", "PV AC output, interval mean"),
    "solar_thermal_kw": ("kW", "solar-thermal heat output, interval mean"),
    "wind_kw": ("kW", "small wind turbine AC output, interval mean"),
    "cop": ("-", "heat-pump coefficient of performance"),
    "ev_kw": ("kW", "uncontrolled EV charging power, interval mean"),
    "dt_h": ("h", "length of a time step"),
}
