"""Annual energy flows of a district as Sankey links, and their plotly figure.

The diagram has three columns: sources (public grid, PV, wind, fuels, district heating, solar
thermal, ambient heat, storage discharge), converters and carrier hubs (CHP, boilers, heat
pumps, electric boilers, electricity, heat) and uses (demand, EV charging, cooling, export,
curtailment, storage charge, losses). Totals are sums over all nodes, so the exchanges between
buildings and the district node (``shared_in``/``shared_out``) cancel and are not drawn.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

from sparcs.operation.flows import Flows
from sparcs.report._style import COLORS, TEMPLATE, energy_scale, rgba

__all__ = ["SankeyLink", "sankey_figure", "sankey_links"]


class SankeyLink(NamedTuple):
    """One link of the annual energy-flow diagram [kWh over the period]."""

    source: str
    target: str
    kwh: float


#: Node label -> colour key of :data:`~sparcs.report._style.COLORS`.
_NODE_COLORS = {
    "Public grid": "grid",
    "PV": "pv",
    "Wind": "wind",
    "Fuels": "fuel",
    "District heating": "district_heat",
    "Solar thermal": "solar_thermal",
    "Ambient heat": "ambient",
    "Storage discharge": "storage",
    "CHP": "chp",
    "Boilers": "boiler",
    "Heat pumps": "heat_pump",
    "Electric boilers": "eboiler",
    "Electricity": "electricity",
    "Heat": "heat",
    "Electricity demand": "demand",
    "EV charging": "ev",
    "Cooling": "cooling",
    "Export": "export",
    "Curtailment": "curtailed",
    "Storage charge": "storage",
    "Heat demand": "heat",
    "Losses": "losses",
}


def sankey_links(flows: Flows) -> list[SankeyLink]:
    """Annual energy flows of the district as links between named nodes.

    Parameters
    ----------
    flows
        The flows [kWh per step].

    Returns
    -------
    list of SankeyLink
        Links with positive energy [kWh]; zero links are left out. Inflows of the
        ``Electricity`` and ``Heat`` hubs equal their outflows whenever ``flows`` balance.
        Conversion losses of CHP, boilers and electric boilers (input minus output, floored
        at zero) and dumped heat go to ``Losses``; heat-pump output above its electricity
        input is drawn as ``Ambient heat``.
    """
    t = {name: float(flows.total(name).sum()) for name in flows.data}
    links = [
        SankeyLink("Public grid", "Electricity", t["grid_import_kwh"]),
        SankeyLink("PV", "Electricity", t["pv_kwh"]),
        SankeyLink("Wind", "Electricity", t["wind_kwh"]),
        SankeyLink(
            "Storage discharge", "Electricity", t["battery_discharge_kwh"] + t["ev_v2g_kwh"]
        ),
        SankeyLink("Fuels", "CHP", t["chp_fuel_kwh"]),
        SankeyLink("CHP", "Electricity", t["chp_el_kwh"]),
        SankeyLink("CHP", "Heat", t["chp_heat_kwh"]),
        SankeyLink("CHP", "Losses", t["chp_fuel_kwh"] - t["chp_el_kwh"] - t["chp_heat_kwh"]),
        SankeyLink("Fuels", "Boilers", t["boiler_fuel_kwh"]),
        SankeyLink("Boilers", "Heat", t["boiler_heat_kwh"]),
        SankeyLink("Boilers", "Losses", t["boiler_fuel_kwh"] - t["boiler_heat_kwh"]),
        SankeyLink("District heating", "Heat", t["dh_import_kwh"]),
        SankeyLink("Solar thermal", "Heat", t["solar_thermal_kwh"]),
        SankeyLink("Storage discharge", "Heat", t["tes_discharge_kwh"]),
        SankeyLink("Electricity", "Heat pumps", t["hp_el_kwh"]),
        SankeyLink("Ambient heat", "Heat pumps", t["hp_heat_kwh"] - t["hp_el_kwh"]),
        SankeyLink("Heat pumps", "Heat", t["hp_heat_kwh"]),
        SankeyLink("Electricity", "Electric boilers", t["eboiler_el_kwh"]),
        SankeyLink("Electric boilers", "Heat", t["eboiler_heat_kwh"]),
        SankeyLink("Electric boilers", "Losses", t["eboiler_el_kwh"] - t["eboiler_heat_kwh"]),
        SankeyLink("Electricity", "Electricity demand", t["electricity_demand_kwh"]),
        SankeyLink("Electricity", "EV charging", t["ev_charge_kwh"]),
        SankeyLink("Electricity", "Cooling", t["chiller_el_kwh"]),
        SankeyLink("Electricity", "Storage charge", t["battery_charge_kwh"]),
        SankeyLink("Electricity", "Export", t["grid_export_kwh"]),
        SankeyLink("Electricity", "Curtailment", t["curtailed_kwh"]),
        SankeyLink("Heat", "Heat demand", t["heat_demand_kwh"]),
        SankeyLink("Heat", "Storage charge", t["tes_charge_kwh"]),
        SankeyLink("Heat", "Losses", t["heat_dumped_kwh"]),
        SankeyLink("Heat", "Heat export", t["dh_export_kwh"]),
    ]
    return [link for link in links if link.kwh > 1e-9]


def sankey_figure(flows: Flows, *, title: str = "Energy flows over the period") -> go.Figure:
    """Sankey diagram of the district's energy flows over the period.

    Parameters
    ----------
    flows
        The flows [kWh per step].
    title
        Figure title.

    Returns
    -------
    plotly.graph_objects.Figure
        Link widths in kWh, MWh or GWh (chosen by size), labelled in the hover text.
    """
    links = sankey_links(flows)
    labels = list(dict.fromkeys(name for link in links for name in link[:2]))
    position = {name: i for i, name in enumerate(labels)}
    biggest = max((link.kwh for link in links), default=0.0)
    divisor, unit = energy_scale(biggest)
    node_colors = [COLORS[_NODE_COLORS.get(name, "losses")] for name in labels]
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            valueformat=",.1f" if divisor > 1 else ",.0f",
            valuesuffix=f" {unit}",
            node={
                "label": labels,
                "color": node_colors,
                "pad": 14,
                "thickness": 16,
                "line": {"color": "#ffffff", "width": 0.5},
            },
            link={
                "source": np.array([position[link.source] for link in links], dtype=int),
                "target": np.array([position[link.target] for link in links], dtype=int),
                "value": np.array([link.kwh / divisor for link in links]),
                "color": [rgba(node_colors[position[link.source]], 0.35) for link in links],
            },
        )
    )
    figure.update_layout(
        template=TEMPLATE,
        title=f"{title} [{unit}]",
        height=520,
        hovermode="closest",
        margin={"l": 20, "r": 20, "t": 56, "b": 20},
    )
    return figure
