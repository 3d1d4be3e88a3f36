"""Plots of the inputs: a week and a year of weather, demand and generation (PNG and HTML)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no display on servers and CI

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
from plotly.subplots import make_subplots  # noqa: E402

from sparcs.profiles.inputs import Inputs  # noqa: E402
from sparcs.timeseries import local_index  # noqa: E402

__all__ = ["district_profile_frame", "plot_profiles_html", "plot_profiles_png"]

SERIES = {
    "electricity_kw": "electricity demand",
    "space_heat_kw": "space heat",
    "dhw_kw": "hot water",
    "cooling_kw": "cooling",
    "ev_kw": "EV charging",
    "pv_kw": "PV",
    "solar_thermal_kw": "solar thermal",
    "wind_kw": "wind",
}


def district_profile_frame(inputs: Inputs, timezone: str) -> pd.DataFrame:
    """District totals of every profile [kW] and the weather, indexed in local time."""
    frame = pd.DataFrame(index=inputs.time)
    for name, label in SERIES.items():
        total = inputs.building[name].sum(axis=1)
        if name in inputs.district:
            total = total + inputs.district[name]
        frame[label] = total
    frame["air temperature [°C]"] = inputs.weather.data["temp_air"].to_numpy()
    frame["GHI [W/m²]"] = inputs.weather.data["ghi"].to_numpy()
    frame.index = local_index(inputs.time, timezone)
    return frame


def _week(frame: pd.DataFrame, month: int) -> pd.DataFrame:
    """The week from the 15th of ``month`` of a frame in local time."""
    local = pd.DatetimeIndex(frame.index)
    start = local[local.month == month][0].normalize() + pd.Timedelta(days=14)
    return frame.loc[start : start + pd.Timedelta(days=7)]


def plot_profiles_png(inputs: Inputs, timezone: str, out_dir: str | Path, title: str) -> list[Path]:
    """Write ``profiles_week.png`` (a January and a July week) and ``profiles_year.png`` (daily)."""
    out = Path(out_dir)
    frame = district_profile_frame(inputs, timezone)
    power = [c for c in SERIES.values() if frame[c].abs().sum() > 0]
    fig, axes = plt.subplots(2, 1, figsize=(12, 7), sharey=True)
    for ax, month, name in zip(axes, (1, 7), ("January", "July"), strict=True):
        _week(frame, month)[power].plot(ax=ax, linewidth=1)
        ax.set_title(f"{title}: a week in {name} (local time)")
        ax.set_ylabel("district total [kW]")
        ax.grid(alpha=0.3)
    fig.tight_layout()
    week_path = out / "profiles_week.png"
    fig.savefig(week_path, dpi=110)
    plt.close(fig)
    daily = frame[power].resample("D").sum() * inputs.dt_h / 1000.0
    fig, ax = plt.subplots(figsize=(12, 4.5))
    daily.plot(ax=ax, linewidth=1)
    ax.set_title(f"{title}: daily energy over the year")
    ax.set_ylabel("district total [MWh/day]")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    year_path = out / "profiles_year.png"
    fig.savefig(year_path, dpi=110)
    plt.close(fig)
    return [week_path, year_path]


def plot_profiles_html(inputs: Inputs, timezone: str, path: str | Path, title: str) -> Path:
    """Write a self-contained interactive HTML file with the year (hourly) and daily energy."""
    frame = district_profile_frame(inputs, timezone)
    power = [c for c in SERIES.values() if frame[c].abs().sum() > 0]
    fig = make_subplots(
        rows=3,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06,
        subplot_titles=("district power [kW]", "air temperature [°C]", "GHI [W/m²]"),
    )
    x = local_index(inputs.time, timezone).tz_localize(None)
    for column in power:
        fig.add_trace(go.Scattergl(x=x, y=frame[column], name=column, mode="lines"), row=1, col=1)
    fig.add_trace(
        go.Scattergl(
            x=x,
            y=frame["air temperature [°C]"],
            name="temperature",
            mode="lines",
            line={"color": "#c0392b"},
        ),
        row=2,
        col=1,
    )
    fig.add_trace(
        go.Scattergl(
            x=x, y=frame["GHI [W/m²]"], name="GHI", mode="lines", line={"color": "#f39c12"}
        ),
        row=3,
        col=1,
    )
    fig.update_layout(
        title=f"{title}: profiles (local time {timezone})", height=900, template="plotly_white"
    )
    fig.update_xaxes(
        rangeselector={
            "buttons": [
                {"count": 7, "label": "week", "step": "day", "stepmode": "backward"},
                {"count": 1, "label": "month", "step": "month", "stepmode": "backward"},
                {"step": "all", "label": "year"},
            ]
        },
        row=1,
        col=1,
    )
    path = Path(path)
    fig.write_html(path, include_plotlyjs=True, full_html=True)
    return path
