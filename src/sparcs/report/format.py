"""Number formatting shared by the terminal and HTML reports.

Display is I/O, so this is where large energy and mass values are scaled to a readable unit
(``kWh`` to ``MWh`` or ``GWh``, ``kg`` to ``t``); KPI values themselves stay in their units.
"""

from __future__ import annotations

import math

__all__ = [
    "GROUP_LABELS",
    "GROUP_ORDER",
    "display_scale",
    "display_value",
    "format_number",
    "group_label",
    "ordered_groups",
]

#: Display order of KPI groups; unknown groups follow in order of appearance.
GROUP_ORDER = ("ped", "energy", "emissions", "grid", "storage", "mobility", "economics")

#: Human titles of the KPI groups.
GROUP_LABELS = {
    "ped": "Positive Energy District",
    "energy": "Energy",
    "emissions": "Emissions",
    "grid": "Grid interaction",
    "storage": "Storage",
    "mobility": "E-mobility",
    "economics": "Economics",
}

# (prefix of the unit, factor, replacement prefix), largest first.
_SCALES = (
    ("kWh", 1e6, "GWh"),
    ("kWh", 1e3, "MWh"),
    ("kg", 1e3, "t"),
)
_SCALE_THRESHOLD = 1e4


def group_label(group: str) -> str:
    """Human title of the KPI ``group`` (the group name, capitalised, when unknown)."""
    return GROUP_LABELS.get(group, group.replace("_", " ").capitalize())


def format_number(value: float | None) -> str:
    """Format ``value`` with about three significant digits and thousands separators.

    Parameters
    ----------
    value
        The number; ``None`` and NaN give an en dash.

    Returns
    -------
    str
        E.g. ``"12,345"``, ``"123"``, ``"12.3"``, ``"1.23"``, ``"0.012"``.
    """
    if value is None or not math.isfinite(float(value)):
        return "–"
    value = float(value)
    size = abs(value)
    if size >= 100 or size == 0:
        decimals = 0
    elif size >= 10:
        decimals = 1
    elif size >= 0.1:
        decimals = 2
    else:
        decimals = min(6, 1 - math.floor(math.log10(size)) + 1)
    text = f"{value:,.{decimals}f}"
    return "0" if text in ("-0", "0") else text


def display_scale(max_abs: float, unit: str) -> tuple[float, str]:
    """Divisor and display unit for values of ``unit`` whose largest magnitude is ``max_abs``.

    Energy units starting with ``kWh`` become ``MWh`` or ``GWh`` and ``kg`` becomes ``t``
    when the value reaches 10,000 in the original unit; other units are left alone.

    Examples
    --------
    >>> display_scale(2.5e7, "kWh_PE/a")
    (1000000.0, 'GWh_PE/a')
    >>> display_scale(950.0, "kg CO2-eq/a")
    (1.0, 'kg CO2-eq/a')
    """
    if not math.isfinite(max_abs):
        return 1.0, unit
    for prefix, factor, replacement in _SCALES:
        if unit.startswith(prefix) and abs(max_abs) >= factor * _SCALE_THRESHOLD / 1e3:
            rest = unit[len(prefix) :]
            if prefix == "kWh" or rest[:1] in ("", " ", "/"):
                return factor, replacement + rest
    return 1.0, unit


def display_value(value: float | None, unit: str) -> tuple[str, str]:
    """Return ``value`` formatted for display and its unit, scaled as by :func:`display_scale`.

    Parameters
    ----------
    value
        The value in ``unit``.
    unit
        Unit text, e.g. ``"kWh/a"`` or ``"kg CO2-eq/a"``.

    Returns
    -------
    tuple of str
        The formatted number and the unit it is expressed in.

    Examples
    --------
    >>> display_value(1_234_567.0, "kWh/a")
    ('1,235', 'MWh/a')
    >>> display_value(43.21, "%")
    ('43.2', '%')
    """
    if value is None or not math.isfinite(float(value)):
        return "–", unit
    divisor, shown = display_scale(float(value), unit)
    return format_number(float(value) / divisor), shown


def ordered_groups(groups: list[str]) -> list[str]:
    """Distinct ``groups`` in :data:`GROUP_ORDER`, unknown ones after, in order of appearance."""
    distinct = list(dict.fromkeys(groups))
    known = [g for g in GROUP_ORDER if g in distinct]
    return known + [g for g in distinct if g not in GROUP_ORDER]
