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

from sparcs.plausibility.checks import (
    apply_declared_units,
    check_series,
    check_unit,
    scalar_problem,
    warn,
)
from sparcs.plausibility.quantities import DECLARED_UNITS, QUANTITIES, Mixup, Quantity

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
