"""Negative day-ahead prices are real market data: the cost-optimal dispatch must stay bounded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import sparcs
from sparcs.carriers import tariff_prices
from sparcs.climate import load_weather
from sparcs.kpi import net_energy_cost
from sparcs.operation.optimal import solve_optimal
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import slice_inputs

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "reykjavik-geothermal.toml"


def test_negative_import_prices_below_the_export_price_keep_the_lp_bounded(tmp_path: Path) -> None:
    time = pd.date_range("2025-01-01", "2026-01-01", freq="1h", tz="UTC", inclusive="left")
    price = np.full(len(time), 0.12)
    price[10:20] = -0.05  # below the export price: buying to sell back would pay without limit
    pd.DataFrame({"time": time.strftime("%Y-%m-%dT%H:%M:%SZ"), "price_eur_per_kwh": price}).to_csv(
        tmp_path / "prices.csv", index=False
    )
    text = EXAMPLE.read_text(encoding="utf-8") + '\n[tariff]\nkind = "file"\nfile = "prices.csv"\n'
    (tmp_path / "s.toml").write_text(text, encoding="utf-8")
    scenario = sparcs.load_scenario(tmp_path / "s.toml")
    inputs = slice_inputs(build_inputs(scenario, load_weather(scenario)), 0, 48)
    result = solve_optimal(scenario, inputs, objective="cost")
    assert result.is_ok, result.message
    flows = result.flows
    assert flows is not None
    prices = tariff_prices(scenario, flows.time)
    assert prices.import_eur_per_kwh is not None and prices.import_eur_per_kwh.min() < 0
    # the realised cost at the real prices is finite and no import is sold back in a step
    assert np.isfinite(net_energy_cost(flows, prices=prices))
    both = np.minimum(flows.total("grid_import_kwh"), flows.total("grid_export_kwh"))
    assert both.max() < 1e3
