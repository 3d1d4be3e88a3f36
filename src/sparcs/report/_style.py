"""Colours, fonts and the plotly template shared by every SPARCS chart."""

from __future__ import annotations

import plotly.graph_objects as go

__all__ = ["COLORS", "FONT_FAMILY", "TEMPLATE", "energy_scale", "rgba"]

#: System font stack: no web fonts, so the report renders offline.
FONT_FAMILY = (
    '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"Noto Sans", "Liberation Sans", sans-serif'
)

#: One colour per kind of flow, used the same way in every chart.
COLORS = {
    "grid": "#c8553d",
    "export": "#2a6f97",
    "pv": "#f2a541",
    "wind": "#4fb0c6",
    "chp": "#8e6c8a",
    "fuel": "#6c757d",
    "gas": "#6c757d",
    "oil": "#495057",
    "biomass": "#6a994e",
    "district_heat": "#e07a5f",
    "solar_thermal": "#f6c85f",
    "ambient": "#a8dadc",
    "heat_pump": "#3d9970",
    "eboiler": "#b5838d",
    "boiler": "#9c6644",
    "storage": "#7765e3",
    "electricity": "#1d4e89",
    "heat": "#d1495b",
    "demand": "#1b263b",
    "ev": "#00a6a6",
    "cooling": "#48cae4",
    "curtailed": "#adb5bd",
    "losses": "#ced4da",
    "net": "#1b263b",
}

TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#1f2933"},
        "colorway": [
            COLORS[k]
            for k in (
                "electricity",
                "pv",
                "grid",
                "export",
                "heat_pump",
                "chp",
                "district_heat",
                "wind",
                "storage",
                "fuel",
            )
        ],
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "title": {"font": {"size": 16}, "x": 0.01, "xanchor": "left"},
        "xaxis": {
            "gridcolor": "#e9ecef",
            "linecolor": "#adb5bd",
            "zeroline": False,
            "automargin": True,
            "exponentformat": "none",
            "separatethousands": True,
        },
        "yaxis": {
            "gridcolor": "#e9ecef",
            "linecolor": "#adb5bd",
            "zerolinecolor": "#6c757d",
            "automargin": True,
            "exponentformat": "none",
            "separatethousands": True,
        },
        "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.01, "x": 0},
        "margin": {"l": 60, "r": 20, "t": 56, "b": 70},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "hovermode": "x unified",
    }
)


def rgba(hex_color: str, alpha: float) -> str:
    """CSS ``rgba()`` text of ``hex_color`` (``"#rrggbb"``) with opacity ``alpha``."""
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def energy_scale(max_abs_kwh: float, suffix: str = "") -> tuple[float, str]:
    """Divisor and unit to show energies whose largest magnitude is ``max_abs_kwh``.

    Parameters
    ----------
    max_abs_kwh
        Largest absolute value to show [kWh].
    suffix
        Appended to the unit, e.g. ``"_PE"`` gives ``"MWh_PE"``.

    Returns
    -------
    tuple
        ``(divisor, unit)``: divide kWh values by the divisor to get the unit.
    """
    if max_abs_kwh >= 1e7:
        return 1e6, "GWh" + suffix
    if max_abs_kwh >= 1e4:
        return 1e3, "MWh" + suffix
    return 1.0, "kWh" + suffix
