"""Charts of the operator signals: green hours (traffic lights) and available flexibility.

Hours are shown in the district's local time. Labels are text (``"Sun 30 Mar 03:00"``), so a
day with a clock change shows 23 or 25 bars without a gap or an overlap; the hour a clock
change repeats carries its UTC offset.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sparcs.report._style import COLORS, TEMPLATE
from sparcs.services.flexibility import ASSET_TYPES, Flexibility
from sparcs.services.signals import GreenHours

__all__ = [
    "LIGHT_COLORS",
    "flexibility_figure",
    "green_hours_figure",
    "hour_labels",
    "write_figure_html",
]

#: Colour of each traffic light.
LIGHT_COLORS = {"green": "#2b9348", "amber": "#f4a259", "red": "#c8553d"}
_ASSET_COLORS = {
    "battery": COLORS["storage"],
    "heat_pump": COLORS["heat_pump"],
    "ev": COLORS["ev"],
    "electric_boiler": COLORS["eboiler"],
}
_ASSET_LABELS = {
    "battery": "Battery",
    "heat_pump": "Heat pumps with store",
    "ev": "EV charging",
    "electric_boiler": "Electric boilers",
}
#: Windows longer than this are drawn as daily means [h].
_DAILY_ABOVE_H = 14 * 24


def hour_labels(local_time: pd.Series | pd.DatetimeIndex) -> list[str]:
    """Text labels of local hours; an hour repeated by a clock change gets its UTC offset."""
    stamps = pd.DatetimeIndex(local_time)
    labels = list(stamps.strftime("%a %d %b %H:%M"))
    seen = pd.Series(labels).duplicated(keep=False).to_numpy()
    offsets = stamps.strftime("%z")
    return [
        f"{label} ({off[:3]}:{off[3:]})" if dup else label
        for label, dup, off in zip(labels, seen, offsets, strict=True)
    ]


def green_hours_figure(signal: GreenHours, title: str = "Green hours") -> go.Figure:
    """Bars of grid CO2 per hour coloured by traffic light, with the local surplus.

    Parameters
    ----------
    signal
        Output of :func:`sparcs.services.signals.green_hours`.
    title
        Chart title; the time zone and the forecast kind are appended.

    Returns
    -------
    plotly.graph_objects.Figure
        Top: grid CO2 [g CO2-eq/kWh] with the two thresholds; bottom: local surplus [kW].
    """
    frame = signal.frame
    x = hour_labels(frame["local_time"])
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        row_heights=[0.6, 0.4],
        subplot_titles=("grid CO2 [g/kWh]", "local surplus [kW]"),
    )
    for light, color in LIGHT_COLORS.items():
        mask = (frame["light"] == light).to_numpy()
        fig.add_trace(
            go.Bar(
                x=[v for v, m in zip(x, mask, strict=True) if m],
                y=frame["co2_kg_per_kwh"].to_numpy()[mask] * 1000,
                name=light,
                marker_color=color,
                customdata=frame["reason"].to_numpy()[mask],
                hovertemplate="%{customdata}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    for value, name in (
        (signal.green_below_kg_per_kwh, "green below"),
        (signal.red_above_kg_per_kwh, "red above"),
    ):
        fig.add_hline(
            y=value * 1000,
            line={"dash": "dot", "color": "#6c757d", "width": 1},
            annotation_text=f"{name} {value * 1000:.0f}",
            row=1,
            col=1,
        )
    surplus = frame["surplus_kw"].to_numpy()
    fig.add_trace(
        go.Bar(
            x=x,
            y=surplus,
            name="local surplus",
            showlegend=False,
            marker_color=[COLORS["pv"] if s > 0 else COLORS["grid"] for s in surplus],
        ),
        row=2,
        col=1,
    )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=x)
    fig.update_layout(
        template=TEMPLATE,
        barmode="overlay",
        height=560,
        hovermode="closest",
        title=f"{title} ({signal.forecast} forecast, local time {signal.timezone})",
    )
    return fig


def flexibility_figure(flex: Flexibility, title: str = "Available flexibility") -> go.Figure:
    """Stacked bars of upward (above zero) and downward (below zero) flexibility per asset type.

    Windows longer than two weeks are drawn as daily means of local days.

    Returns
    -------
    plotly.graph_objects.Figure
        Flexibility [kW] held for one hour.
    """
    frame = flex.frame
    if len(frame) > _DAILY_ABOVE_H:
        days = pd.DatetimeIndex(frame["local_time"]).strftime("%Y-%m-%d")
        frame = frame.drop(columns="local_time").groupby(days).mean()
        x, what = list(frame.index), "daily mean"
    else:
        x, what = hour_labels(frame["local_time"]), "per hour"
    fig = go.Figure()
    for asset in ASSET_TYPES:
        if not (frame[f"up_{asset}_kw"].any() or frame[f"down_{asset}_kw"].any()):
            continue
        color, label = _ASSET_COLORS[asset], _ASSET_LABELS[asset]
        fig.add_trace(
            go.Bar(
                x=x,
                y=frame[f"up_{asset}_kw"],
                name=f"{label} up",
                marker_color=color,
                legendgroup=asset,
            )
        )
        fig.add_trace(
            go.Bar(
                x=x,
                y=-frame[f"down_{asset}_kw"],
                name=f"{label} down",
                marker_color=color,
                marker_opacity=0.55,
                legendgroup=asset,
            )
        )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=x)
    fig.update_yaxes(title_text="down  ← kW →  up")
    fig.update_layout(
        template=TEMPLATE,
        barmode="relative",
        height=480,
        title=f"{title}, {what} (local time {flex.timezone})",
    )
    return fig


def write_figure_html(fig: go.Figure, path: str | Path) -> Path:
    """Write ``fig`` as a self-contained HTML file (plotly.js inlined: works offline)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.write_html(path, include_plotlyjs=True, full_html=True)
    return path
