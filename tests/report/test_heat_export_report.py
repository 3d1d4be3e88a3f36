"""The report shows heat fed into the district-heating network (Sankey, monthly heat chart)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "kpi"))
from kpi_helpers import make_flows  # noqa: E402

from sparcs.report import charts  # noqa: E402


def test_sankey_has_a_heat_export_link_and_the_heat_hub_balances() -> None:
    flows = make_flows(
        {
            "solar_thermal_kwh": {"b1": [10, 0]},
            "heat_demand_kwh": {"b1": [4, 5]},
            "dh_export_kwh": {"b1": [6, 0]},
            "dh_import_kwh": {"b1": [0, 5]},
        }
    )
    links = {(link.source, link.target): link.kwh for link in charts.sankey_links(flows)}
    assert links[("Heat", "Heat export")] == pytest.approx(6.0)
    into = sum(v for (s, t), v in links.items() if t == "Heat")
    out = sum(v for (s, t), v in links.items() if s == "Heat")
    assert into == pytest.approx(out) == pytest.approx(15.0)
    assert np.isclose(links[("Solar thermal", "Heat")], 10.0)
