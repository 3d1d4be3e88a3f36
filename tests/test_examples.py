"""Every bundled example runs end to end: validate, simulate, KPIs, verdict, report files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sparcs
from sparcs.kpi.report import PED_CLASSES
from sparcs.operation.flows import check_balance

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.toml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs_end_to_end(path: Path, tmp_path: Path) -> None:
    result = sparcs.run(path)
    check_balance(result.flows, atol_kwh=1e-6)
    kpis = result.kpis
    assert kpis.verdict.ped_class in PED_CLASSES
    assert kpis.verdict.reason
    assert 0 <= kpis["self_sufficiency"].value <= 100
    assert 0 <= kpis["self_consumption"].value <= 100
    assert kpis["final_energy"].value > 0
    paths = result.report(tmp_path)
    for name in ("report.html", "kpis.json", "flows.parquet"):
        assert (tmp_path / name).exists(), name
    assert set(paths) >= {"report"}


def test_seven_cities_have_examples() -> None:
    cities = {sparcs.load_scenario(p).site.city for p in EXAMPLES}
    assert cities == {"espoo", "leipzig", "reykjavik", "maia", "lviv", "kifissia", "kladno"}


def test_virtual_boundary_example_is_a_virtual_ped() -> None:
    result = sparcs.run(Path(EXAMPLES[0]).parent / "leipzig-virtual-district.toml")
    assert result.kpis.verdict.ped_class == "PEDvirtual"
    assert result.kpis.verdict.virtual_balance_kwh_pe >= 0 > result.kpis.verdict.balance_kwh_pe
    assert np.asarray(result.flows["virtual_kwh"]).sum() > 0
