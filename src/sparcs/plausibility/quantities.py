"""The table of plausible ranges and known unit mix-ups, with sources (``docs/validation.md``)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = ["DECLARED_UNITS", "QUANTITIES", "Mixup", "Quantity"]


@dataclass(frozen=True)
class Mixup:
    """A wrong unit a quantity is often given in.

    Attributes
    ----------
    unit
        The wrong unit, e.g. ``"degF"``.
    to_internal
        Converts values in that unit to the internal unit.
    fix
        What to do about it, e.g. a column name that declares the unit.
    """

    unit: str
    to_internal: Callable[[np.ndarray], np.ndarray]
    fix: str


@dataclass(frozen=True)
class Quantity:
    """Plausible range of one physical quantity (module docstring)."""

    name: str
    unit: str
    low: float
    high: float
    source: str
    statistic: Literal["mean", "median_abs", "max"] = "median_abs"
    level: tuple[float, float] | None = None
    typical: tuple[float, float] | None = None
    mixups: tuple[Mixup, ...] = ()

    def level_of(self, values: np.ndarray) -> float:
        """The series' typical magnitude: its :attr:`statistic` over finite values."""
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            return math.nan
        if self.statistic == "mean":
            return float(finite.mean())
        if self.statistic == "max":
            return float(finite.max())
        nonzero = np.abs(finite[finite != 0])
        return float(np.median(nonzero)) if nonzero.size else 0.0


def _scale(factor: float) -> Callable[[np.ndarray], np.ndarray]:
    return lambda values: np.asarray(values, dtype=float) * factor


def _fahrenheit(values: np.ndarray) -> np.ndarray:
    return (np.asarray(values, dtype=float) - 32.0) * 5.0 / 9.0


def _kelvin(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=float) - 273.15


_WH = Mixup("Wh", _scale(1e-3), "give the annual energy in kWh (divide Wh by 1000)")
_MWH = Mixup("MWh", _scale(1e3), "give the annual energy in kWh (multiply MWh by 1000)")
_T = (
    "WMO World Weather and Climate Extremes Archive: -89.2 degC (Vostok 1983), "
    "56.7 degC (Death Valley 1913)"
)
_IRR = (
    "extraterrestrial normal irradiance 1361 W/m2 x 1.034 at perihelion (Kopp & Lean 2011); "
    "site limit: BSRN physically possible limits (Long & Dutton 2002)"
)
_PRICE = (
    "EU day-ahead harmonised clearing price limits -500..+4000 EUR/MWh (ACER decision 01/2023),"
    " intraday -9999..+9999 EUR/MWh"
)
_CO2 = (
    "IPCC AR5 WG3 Annex III life-cycle emissions: lignite/coal plants up to ~1.2 kg/kWh; no "
    "grid mix is above"
)
_DEMAND = (
    "[est] from EN 15603/TABULA building typologies and EU Building Stock Observatory: "
    "typical useful energy per m2 of conditioned floor area and year"
)

#: Every checked quantity by name; names are SPARCS column or field names.
QUANTITIES: dict[str, Quantity] = {
    q.name: q
    for q in (
        Quantity(
            "temp_air",
            "degC",
            -90.0,
            60.0,
            _T,
            statistic="mean",
            level=(-70.0, 45.0),
            mixups=(
                Mixup(
                    "degF",
                    _fahrenheit,
                    "convert with (F - 32) * 5/9 or name the column temp_air_degf",
                ),
                Mixup("K", _kelvin, "subtract 273.15 or name the column temp_air_k"),
            ),
        ),
        Quantity(
            "ghi",
            "W/m2",
            0.0,
            1400.0,
            _IRR,
            statistic="max",
            mixups=(
                Mixup(
                    "kW/m2 (or kWh/m2 per hour)",
                    _scale(1e3),
                    "multiply by 1000 or name the column ghi_kw_m2",
                ),
            ),
        ),
        Quantity(
            "dni",
            "W/m2",
            0.0,
            1415.0,
            _IRR,
            statistic="max",
            mixups=(Mixup("kW/m2", _scale(1e3), "multiply by 1000 or name the column dni_kw_m2"),),
        ),
        Quantity(
            "dhi",
            "W/m2",
            0.0,
            1400.0,
            _IRR,
            statistic="max",
            mixups=(Mixup("kW/m2", _scale(1e3), "multiply by 1000 or name the column dhi_kw_m2"),),
        ),
        Quantity(
            "wind_speed",
            "m/s",
            0.0,
            75.0,
            "WMO archive: highest 3-s gust 113 m/s (Barrow Island 1996); hourly means stay "
            "below 75 m/s",
        ),
        Quantity(
            "price_eur_per_kwh",
            "EUR/kWh",
            -10.0,
            10.0,
            _PRICE,
            level=(0.002, 2.0),
            mixups=(
                Mixup(
                    "EUR/MWh", _scale(1e-3), "divide by 1000 or name the column price_eur_per_mwh"
                ),
                Mixup("ct/kWh", _scale(1e-2), "divide by 100 or name the column price_ct_per_kwh"),
            ),
        ),
        Quantity(
            "co2_kg_per_kwh",
            "kg/kWh",
            0.0,
            2.0,
            _CO2,
            level=(0.001, 1.5),
            mixups=(
                Mixup("g/kWh", _scale(1e-3), "divide by 1000 or name the column co2_g_per_kwh"),
            ),
        ),
        Quantity(
            "co2_export_kg_per_kwh",
            "kg/kWh",
            0.0,
            2.0,
            _CO2,
            level=(0.001, 1.5),
            mixups=(
                Mixup(
                    "g/kWh", _scale(1e-3), "divide by 1000 or name the column co2_export_g_per_kwh"
                ),
            ),
        ),
        Quantity(
            "pef",
            "kWh_PE/kWh",
            0.0,
            5.0,
            "EN ISO 52000-1 / EN 17423: non-renewable PEFs of electricity stay below ~3.5",
        ),
        Quantity(
            "pef_export",
            "kWh_PE/kWh",
            0.0,
            5.0,
            "EN ISO 52000-1 / EN 17423: non-renewable PEFs of electricity stay below ~3.5",
        ),
        # sizes: beyond any real building or installation
        Quantity(
            "floor_area_m2",
            "m2",
            0.0,
            2.0e6,
            "largest buildings by floor area ~1.8e6 m2 (New Century Global Center, Chengdu)",
        ),
        Quantity(
            "roof_area_m2",
            "m2",
            0.0,
            1.0e6,
            "largest single roofs ~4e5 m2 (e.g. Boeing Everett factory)",
        ),
        Quantity(
            "residents",
            "persons",
            0.0,
            50_000.0,
            "largest residential buildings house ~20,000 people (Regent International, Hangzhou)",
        ),
        Quantity(
            "building_pv_kwp",
            "kWp",
            0.0,
            1.0e5,
            "largest rooftop PV systems ~30-70 MWp on one building",
        ),
        Quantity(
            "pv_kwp",
            "kWp",
            0.0,
            5.0e6,
            "largest PV parks ~2-5 GWp (Bhadla, Golmud); a district's asset is smaller",
        ),
        Quantity(
            "battery_kwh",
            "kWh",
            0.0,
            1.0e7,
            "largest battery stores ~3 GWh (Moss Landing, Edwards & Sanborn) in 2024",
        ),
        Quantity("battery_kw", "kW", 0.0, 5.0e6, "largest battery stores ~0.75-3 GW"),
        Quantity(
            "heat_kw",
            "kW",
            0.0,
            2.0e6,
            "largest district heat plants and heat pumps ~0.1-1 GW thermal",
        ),
        Quantity(
            "thermal_storage_kwh",
            "kWh",
            0.0,
            1.0e8,
            "largest pit and tank heat stores ~1-3 GWh (Vojens, Linz)",
        ),
        Quantity("wind_kw", "kW", 0.0, 1.0e7, "largest wind farms ~several GW"),
        Quantity("solar_thermal_m2", "m2", 0.0, 2.0e6, "largest solar heat plants ~0.1-1.5 km2"),
        Quantity("ev_count", "charge points", 0.0, 1.0e5, "[est] a district has far fewer"),
        Quantity("ev_kw", "kW", 0.0, 1.0e4, "megawatt charging (MCS) up to 3.75 MW per point"),
        Quantity("grid_kw", "kW", 0.0, 1.0e7, "[est] a district connection is below 10 GW"),
        # annual demand intensities [kWh/(m2 a)] and per resident [kWh/(person a)]
        Quantity(
            "electricity_kwh_per_m2",
            "kWh/(m2 a)",
            0.0,
            3000.0,
            _DEMAND,
            level=(0.5, 1500.0),
            typical=(1.0, 1000.0),
            mixups=(_WH, _MWH),
        ),
        Quantity(
            "space_heat_kwh_per_m2",
            "kWh/(m2 a)",
            0.0,
            1500.0,
            _DEMAND,
            level=(1.0, 1000.0),
            typical=(3.0, 500.0),
            mixups=(_WH, _MWH),
        ),
        Quantity(
            "dhw_kwh_per_m2",
            "kWh/(m2 a)",
            0.0,
            500.0,
            _DEMAND,
            level=(0.5, 300.0),
            typical=(2.0, 120.0),
            mixups=(_WH, _MWH),
        ),
        Quantity(
            "cooling_kwh_per_m2",
            "kWh/(m2 a)",
            0.0,
            1000.0,
            _DEMAND,
            level=(0.2, 800.0),
            typical=(1.0, 300.0),
            mixups=(_WH, _MWH),
        ),
        Quantity(
            "electricity_kwh_per_resident",
            "kWh/(person a)",
            0.0,
            1.0e5,
            "Eurostat household electricity per capita ~600-4000 kWh/a (2022)",
            level=(50.0, 5.0e4),
            typical=(200.0, 15000.0),
            mixups=(_WH, _MWH),
        ),
        Quantity(
            "elevation_m",
            "m",
            -450.0,
            9000.0,
            "lowest and highest land: Dead Sea shore -430 m, Mount Everest 8849 m",
        ),
        Quantity(
            "floor_area_m2_per_resident",
            "m2/person",
            2.0,
            1.0e5,
            "Eurostat EU-SILC: 15-70 m2 per person; below 2 m2 no one can live",
            typical=(5.0, 500.0),
        ),
    )
}

#: Column names that declare a unit other than the internal one:
#: declared column -> (internal column, declared unit, conversion to the internal unit).
DECLARED_UNITS: dict[str, tuple[str, str, Callable[[np.ndarray], np.ndarray]]] = {
    "price_eur_per_mwh": ("price_eur_per_kwh", "EUR/MWh", _scale(1e-3)),
    "price_ct_per_kwh": ("price_eur_per_kwh", "ct/kWh", _scale(1e-2)),
    "co2_g_per_kwh": ("co2_kg_per_kwh", "g/kWh", _scale(1e-3)),
    "co2_export_g_per_kwh": ("co2_export_kg_per_kwh", "g/kWh", _scale(1e-3)),
    "temp_air_degf": ("temp_air", "degF", _fahrenheit),
    "temp_air_k": ("temp_air", "K", _kelvin),
    "ghi_kw_m2": ("ghi", "kW/m2", _scale(1e3)),
    "dni_kw_m2": ("dni", "kW/m2", _scale(1e3)),
    "dhi_kw_m2": ("dhi", "kW/m2", _scale(1e3)),
    "wind_speed_km_h": ("wind_speed", "km/h", _scale(1 / 3.6)),
}
