"""Field types shared by the scenario models: ranges with messages a planner understands."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import AfterValidator, ConfigDict

__all__ = ["STRICT", "between", "positive", "non_negative", "fraction"]

#: Unknown keys are errors (a typo must not pass silently); models are immutable.
STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _fmt(value: float) -> str:
    return f"{value:g}"


def between(low: float, high: float, *, unit: str = "") -> AfterValidator:
    """Check that a float lies in ``[low, high]``.

    The error reads ``120 is not between 0 and 90``.

    Use it as the metadata of an annotated float: ``Annotated[float, between(0, 90)]``.

    Parameters
    ----------
    low, high : float
        Inclusive bounds, in the unit of the field.
    unit : str
        Unit named in the error message, e.g. ``"deg"``.

    Returns
    -------
    AfterValidator
        The pydantic validator that rejects non-finite values and values out of range.
    """
    suffix = f" {unit}" if unit else ""

    def check(value: float) -> float:
        _finite(value)
        if not low <= value <= high:
            msg = f"{_fmt(value)} is not between {_fmt(low)} and {_fmt(high)}{suffix}"
            raise ValueError(msg)
        return value

    return AfterValidator(check)


def _finite(value: float) -> None:
    if not math.isfinite(value):
        msg = f"{value} is not a finite number; give a real size or value"
        raise ValueError(msg)


def _positive(value: float) -> float:
    _finite(value)
    if not value > 0:
        msg = f"{_fmt(value)} must be greater than 0"
        raise ValueError(msg)
    return value


def _non_negative(value: float) -> float:
    _finite(value)
    if value < 0:
        msg = f"{_fmt(value)} must not be negative"
        raise ValueError(msg)
    return value


positive = Annotated[float, AfterValidator(_positive)]
non_negative = Annotated[float, AfterValidator(_non_negative)]
fraction = Annotated[float, between(0.0, 1.0)]
