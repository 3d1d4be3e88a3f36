"""Checks of series and scalars against :data:`~sparcs.plausibility.quantities.QUANTITIES`."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from sparcs.errors import DataError, PlausibilityWarning, UnitError
from sparcs.plausibility.quantities import DECLARED_UNITS, QUANTITIES, Mixup, Quantity

__all__ = ["apply_declared_units", "check_series", "check_unit", "scalar_problem", "warn"]


def apply_declared_units(
    frame: pd.DataFrame, *, source: str
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Convert columns whose name declares a unit (:data:`DECLARED_UNITS`) to internal units.

    Parameters
    ----------
    frame
        The table as read, one column per series.
    source
        File name shown in messages.

    Returns
    -------
    (pandas.DataFrame, tuple of str)
        The table with internal-unit columns (``frame`` itself when nothing is declared) and
        one note per converted column.

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

    Parameters
    ----------
    values
        The series, in the internal unit of quantity ``name``.
    name
        Key of :data:`QUANTITIES`, e.g. ``"temp_air"``.
    what
        Where the series comes from (file and column), shown in the message.
    level
        Level range to use instead of the quantity's (e.g. one narrowed to the site).
    low
        Lowest plausible value to use instead of the quantity's hard lower bound.

    Raises
    ------
    UnitError
        Naming the likely unit and the fix.
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

    Parameters
    ----------
    value
        The value, in the internal unit of the quantity.
    name
        Key of :data:`QUANTITIES`.
    label
        Name of the field shown in the message; default the quantity's name.

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
    """Emit a :class:`~sparcs.errors.PlausibilityWarning`.

    Parameters
    ----------
    message
        What was checked, the value and the range.
    stacklevel
        Frames above the caller to attribute the warning to, as for :func:`warnings.warn`.
    """
    warnings.warn(message, PlausibilityWarning, stacklevel=stacklevel + 1)
