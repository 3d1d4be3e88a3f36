"""The network benchmark: the harmonised basis, normalisation by hand, ranks, gap drivers, CLI."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from network_districts import write_small
from typer.testing import CliRunner

from sparcs.cli import app
from sparcs.data import get_factor_set
from sparcs.network import (
    HARMONISED,
    DistrictRecord,
    climate_corrected,
    district_record,
    heating_degree_days,
    network_table,
    per_unit,
    rule_run,
)
from sparcs.runner import run
from sparcs.scenario import Scenario

runner = CliRunner()


def _record(name: str, **changes: object) -> DistrictRecord:
    base: dict[str, object] = {
        "district": name,
        "city": "Test",
        "source": f"{name}.toml",
        "national_set": "de-geg-2020",
        "factor_set": HARMONISED,
        "ped_class": "not PED",
        "ghg_net_zero": False,
        "peb": -1000.0,
        "pei": 2000.0,
        "pee": 1000.0,
        "co2_net": 500.0,
        "final_energy": 10_000.0,
        "final_by_carrier": {
            "electricity": 100.0,
            "district_heat": 0.0,
            "gas": 0.0,
            "oil": 0.0,
            "biomass": 0.0,
        },
        "local_renewable": 0.0,
        "self_sufficiency": 10.0,
        "floor_area_m2": 100.0,
        "residents": 4.0,
        "hdd": 3000.0,
        "heating_share": 0.5,
    }
    return DistrictRecord(**(base | changes))  # type: ignore[arg-type]


def test_every_district_is_computed_on_the_harmonised_set(tmp_path: Path) -> None:
    path = write_small(tmp_path, "leipzig-small", "leipzig")
    record = district_record(path)
    assert record.national_set == "de-geg-2020"
    assert record.factor_set == HARMONISED
    # PEI is the delivered energy at the harmonised f_P,nren (electricity 1.55, district heat
    # 1.3), not at the national GEG factors (1.8, 0.7 ...)
    factors = get_factor_set(HARMONISED)
    expected = sum(
        record.final_by_carrier[c] * factors[c].f_p_nren for c in record.final_by_carrier
    )
    assert record.pei == pytest.approx(expected, rel=1e-12)
    national = run(path).kpis
    assert national.factor_set == "de-geg-2020"
    assert national["pei"].value != pytest.approx(record.pei, rel=1e-3)


def test_the_networks_rule_run_is_sparcs_run(small: Scenario) -> None:
    # the network composes the engine's stages itself (it sits below sparcs.run's layer):
    # the same flows and KPIs, bit for bit
    ours, theirs = rule_run(small), run(small)
    for name in theirs.flows.data:
        np.testing.assert_array_equal(ours.flows.data[name], theirs.flows.data[name])
    assert ours.kpis.to_dict() == theirs.kpis.to_dict()


def test_degree_days_count_local_days_below_the_limit() -> None:
    # two Helsinki days: the UTC hours 22:00-21:59 are one local day (UTC+2 in January)
    index = pd.date_range("2025-01-01 22:00", periods=48, freq="h", tz="UTC")
    temps = pd.Series([-5.0] * 24 + [15.0] * 24, index=index)
    assert (
        heating_degree_days(temps, "Europe/Helsinki") == 25.0
    )  # (20 - -5); 15 degC is no heating day
    assert heating_degree_days(temps, "Europe/Helsinki", base_c=18.0, limit_c=16.0) == 23.0 + 3.0


def test_normalisation_by_hand() -> None:
    assert per_unit(5000.0, 250.0) == 20.0
    assert math.isnan(per_unit(5000.0, 0.0))
    # 60 % heating at 4,000 K d moved to a 3,000 K d reference: 40 + 60 x 0.75 = 85
    assert climate_corrected(100.0, 0.6, 4000.0, 3000.0) == pytest.approx(85.0)
    assert climate_corrected(100.0, 0.6, 0.0, 3000.0) == 100.0


@given(
    energy=st.floats(0, 1e7),
    share=st.floats(0, 1),
    hdd=st.floats(100, 6000),
)
def test_climate_correction_is_identity_at_the_reference(
    energy: float, share: float, hdd: float
) -> None:
    assert climate_corrected(energy, share, hdd, hdd) == pytest.approx(energy, rel=1e-12, abs=1e-9)


def test_table_normalises_ranks_and_names_the_gap() -> None:
    cold = _record(
        "cold",
        hdd=4000.0,
        final_energy=20_000.0,
        peb=-3000.0,
        pei=3500.0,
        pee=500.0,
        final_by_carrier={
            "electricity": 500.0,
            "district_heat": 1000.0,
            "gas": 0.0,
            "oil": 0.0,
            "biomass": 0.0,
        },
    )
    mild = _record("mild", hdd=2000.0, final_energy=10_000.0, residents=0.0, local_renewable=5000.0)
    positive = _record("sunny", peb=400.0, ped_class="PEDdynamic", co2_net=-10.0, hdd=3000.0)
    table = network_table([cold, mild, positive]).set_index("district")
    assert table.loc["cold", "hdd_ref [K d]"] == 3000.0  # the mean of 4000, 2000, 3000
    # 200 kWh/m2 with half of it heating, from 4000 to 3000 K d: 100 + 100 x 0.75 = 175
    assert table.loc["cold", "final_energy_per_m2_climate [kWh/m2]"] == pytest.approx(175.0)
    # 100 kWh/m2 from 2000 to 3000 K d: 50 + 50 x 1.5 = 125
    assert table.loc["mild", "final_energy_per_m2_climate [kWh/m2]"] == pytest.approx(125.0)
    assert table.loc["cold", "final_energy_per_resident [kWh/resident]"] == 5000.0
    assert math.isnan(table.loc["mild", "final_energy_per_resident [kWh/resident]"])
    assert table.loc["cold", "peb_per_m2 [kWh_PE/m2]"] == -30.0
    assert table["rank_peb"].to_dict() == {"sunny": 1, "mild": 2, "cold": 3}
    # climate-corrected: sunny 100 (at the reference), mild 125, cold 175 kWh/m2
    assert table["rank_final_energy"].to_dict() == {"sunny": 1, "mild": 2, "cold": 3}
    assert table.loc["cold", "gap_per_m2 [kWh_PE/m2]"] == 30.0
    # cold: electricity 500 x 1.55 = 775 and district heat 1000 x 1.3 = 1300 kWh_PE: heat is 63 %
    assert table.loc["cold", "gap_driver"].startswith(
        "district heat is 63% of primary import (13 kWh_PE/m2; network median 0); "
        "export credit covers 14% of import"
    )
    assert table.loc["sunny", "gap_driver"] == "no gap: surplus of 4.0 kWh_PE/m2"
    assert (table["factor_set"] == HARMONISED).all()


def test_network_command_writes_one_row_per_district(tmp_path: Path) -> None:
    files = [write_small(tmp_path, "a", "espoo"), write_small(tmp_path, "b", "maia")]
    out = tmp_path / "out"
    result = runner.invoke(app, ["network", *map(str, files), "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "network.csv")
    assert sorted(table["city"]) == ["Espoo", "Maia"]
    assert list(table.columns[:3]) == ["city", "district", "ped_class"]
    assert sorted(table["rank_peb"]) == [1, 2]
    page = (out / "network.html").read_text(encoding="utf-8")
    assert "eu-harmonised-2024" in page and "What drives each gap" in page
