"""Plausible ranges of every physical input, in one place, with their sources.

Every reader and the scenario checks use this table (``docs/validation.md`` lists it). A
:class:`Quantity` has

* a **hard range** ``[low, high]`` in SPARCS' internal unit: a value outside is an error
  (beyond a world record, a physical limit or any real installation);
* optionally a **level range**: where the typical magnitude of a whole series (its
  :attr:`~Quantity.statistic`) lies. A series whose level is outside it but inside it once
  converted from a known wrong unit (:class:`Mixup`) is refused with a
  :class:`~sparcs.errors.UnitError` that names the likely unit and the fix;
* optionally a **typical range**: outside it (but inside the hard range) the value is used
  and a :class:`~sparcs.errors.PlausibilityWarning` says so.

A column may *declare* another unit in its name (``price_eur_per_mwh``, ``co2_g_per_kwh``,
``temp_air_degf``, ...; :data:`DECLARED_UNITS`); :func:`apply_declared_units` converts it and
records the conversion. Undeclared unit mix-ups are never converted silently.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from sparcs.errors import DataError, PlausibilityWarning, UnitError

__all__ = [
    "DECLARED_UNITS",
    "QUANTITIES",
    "Mixup",
    "Quantity",
    "apply_declared_units",
    "check_series",
    "check_unit",
    "scalar_problem",
    "warn",
]


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
_T = "WMO World Weather and Climate Extremes Archive: -89.2 degC (Vostok 1983), 56.7 degC (Death Valley 1913)"
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


def apply_declared_units(
    frame: pd.DataFrame, *, source: str
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Convert columns whose name declares a unit (:data:`DECLARED_UNITS`) to internal units.

    Raises
    ------
    DataError
        When a quantity is given twice (e.g. ``price_eur_per_kwh`` and ``price_eur_per_mwh``).
    """
    notes = []
    out = frame
    for column in [c for c in frame.columns if c in DECLARED_UNITS]:
        target, unit, convert = DECLARED_UNITS[column]
        if target in frame.columns:
            msg = f"{source}: columns {target!r} and {column!r} give the same quantity; keep one"
            raise DataError(msg)
        if out is frame:
            out = frame.copy()
        values = pd.to_numeric(out[column], errors="coerce").to_numpy(dtype=float)
        out[target] = convert(values)
        out = out.drop(columns=column)
        notes.append(
            f"{column}: converted from {unit} to {QUANTITIES[target].unit} as its name declares"
        )
    return out, tuple(notes)


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def _mixups(values: np.ndarray, quantity: Quantity, level: tuple[float, float]) -> list[Mixup]:
    """The known wrong units under which ``values`` look plausible."""
    found = []
    for mixup in quantity.mixups:
        converted = mixup.to_internal(values)
        inside = np.nanmin(converted) >= quantity.low and np.nanmax(converted) <= quantity.high
        if inside and level[0] <= quantity.level_of(converted) <= level[1]:
            found.append(mixup)
    return found


_STATISTIC = {"mean": "mean", "max": "maximum", "median_abs": "median"}


def _unit_message(
    what: str,
    quantity: Quantity,
    stat: float,
    found: list[Mixup],
    band: tuple[float, float],
    *,
    series: bool = True,
) -> str:
    units = " or ".join(m.unit for m in found)
    fixes = "; ".join(f"if {m.unit}: {m.fix}" for m in found)
    seen = f"{_STATISTIC[quantity.statistic]} {_fmt(stat)}, " if series else ""
    return (
        f"{what}: likely a unit mix-up: the values look like {units}, not {quantity.unit} "
        f"({seen}plausible in {quantity.unit}: {_fmt(band[0])} to {_fmt(band[1])}); {fixes}"
    )


def check_series(
    values: Iterable[float] | np.ndarray,
    name: str,
    *,
    what: str,
    where: Callable[[int], str] = lambda i: f"row {i + 1}",
    error: type[DataError] = DataError,
    level: tuple[float, float] | None = None,
    low: float | None = None,
) -> None:
    """Check a whole series of quantity ``name`` against :data:`QUANTITIES`.

    Parameters
    ----------
    values
        The series in the internal unit (NaN is skipped: missing values are the reader's job).
    name
        Key of :data:`QUANTITIES`.
    what
        File and column for messages, e.g. ``"prices.csv, column price_eur_per_kwh"``.
    where
        Position -> text naming the row (file line, timestamp).
    error
        Error class for values outside the hard range.
    level
        Level range for this series (overrides the quantity's, e.g. from the site).
    low
        Lower hard limit for this series (overrides the quantity's, e.g. -10 W/m2 of sensor
        offset before clipping).

    Raises
    ------
    UnitError
        When the series fits a known wrong unit better (names the unit and the fix).
    DataError
        (or ``error``) when a value is not finite or outside the hard range.
    """
    quantity = QUANTITIES[name]
    array = np.asarray(values, dtype=float)
    if array.size == 0:
        return
    infinite = np.isinf(array)
    if infinite.any():
        position = int(np.argmax(infinite))
        msg = f"{what}: {where(position)}: {array[position]} is not a finite number"
        raise error(msg)
    lowest = quantity.low if low is None else low
    check_unit(array, name, what=what, level=level, low=low)
    outside = (array < lowest) | (array > quantity.high)
    if outside.any():
        position = int(np.argmax(outside))
        msg = (
            f"{what}: {where(position)}: {_fmt(array[position])} {quantity.unit} is outside the "
            f"plausible range {_fmt(lowest)} to {_fmt(quantity.high)} {quantity.unit} "
            f"({quantity.source})"
        )
        raise error(msg)


def check_unit(
    values: np.ndarray,
    name: str,
    *,
    what: str,
    level: tuple[float, float] | None = None,
    low: float | None = None,
) -> None:
    """Raise :class:`~sparcs.errors.UnitError` when a series fits a known wrong unit better.

    A series is suspect when its level (:attr:`Quantity.statistic`) is outside the level
    range, or when at least 1 % of its values (and at least 3) are outside the hard range
    (a lone spike is a bad value, not a unit). It is refused when, converted from one of the
    quantity's :class:`Mixup` units, it lies inside both ranges.
    """
    quantity = QUANTITIES[name]
    array = np.asarray(values, dtype=float)
    finite = array[np.isfinite(array)]
    if finite.size == 0:
        return
    lowest = quantity.low if low is None else low
    band = level or quantity.level
    stat = quantity.level_of(finite)
    n_out = int(((finite < lowest) | (finite > quantity.high)).sum())
    suspect = (band is not None and not band[0] <= stat <= band[1]) or n_out >= max(
        3, 0.01 * finite.size
    )
    if not suspect:
        return
    found = _mixups(finite, quantity, band or (lowest, quantity.high))
    if found:
        raise UnitError(_unit_message(what, quantity, stat, found, band or (lowest, quantity.high)))


def scalar_problem(value: float, name: str, *, label: str = "") -> tuple[str, bool] | None:
    """Check one value of quantity ``name``.

    Returns
    -------
    (message, is_error) or None
        None when the value is plausible; ``is_error`` False for a value outside the typical
        range only (a warning).
    """
    quantity = QUANTITIES[name]
    shown = label or quantity.name
    if not math.isfinite(value):
        return f"{shown} = {value} is not a finite number", True
    array = np.array([value], dtype=float)
    band = quantity.level
    if value != 0 and (
        band is not None
        and not band[0] <= value <= band[1]
        or not quantity.low <= value <= quantity.high
    ):
        found = _mixups(array, quantity, band or (quantity.low, quantity.high))
        if found:
            text = _unit_message(
                f"{shown} = {_fmt(value)} {quantity.unit}",
                quantity,
                value,
                found,
                band or (quantity.low, quantity.high),
                series=False,
            )
            return text, True
    if not quantity.low <= value <= quantity.high:
        return (
            f"{shown} = {_fmt(value)} {quantity.unit} is outside the plausible range "
            f"{_fmt(quantity.low)} to {_fmt(quantity.high)} {quantity.unit} ({quantity.source})"
        ), True
    typical = quantity.typical
    if typical is not None and value != 0 and not typical[0] <= value <= typical[1]:
        return (
            f"{shown} = {_fmt(value)} {quantity.unit} is unusual (typical {_fmt(typical[0])} "
            f"to {_fmt(typical[1])} {quantity.unit}); check it"
        ), False
    return None


def warn(message: str, *, stacklevel: int = 2) -> None:
    """Emit a :class:`~sparcs.errors.PlausibilityWarning`."""
    warnings.warn(message, PlausibilityWarning, stacklevel=stacklevel + 1)
