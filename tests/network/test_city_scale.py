"""City-scale runs: blocks on workers, sums in block order, the district meter resolved exactly."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from sparcs.errors import ScenarioError
from sparcs.runner import run
from sparcs.scale.city_run import run_city
from sparcs.scenario import Scenario, load_scenario, scenario_from_dict

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def kladno(sharing: str = "community") -> Scenario:
    """The Kladno stock (district heat, gas boilers, PV, a battery).

    The meter is its only coupling.
    """
    data = load_scenario(EXAMPLES / "kladno-stock.toml").model_dump(
        mode="python", exclude={"buildings_file"}
    )
    data |= {"grid": {}, "district": {}, "boundary": {**data["boundary"], "sharing": sharing}}
    return scenario_from_dict(data)


@pytest.mark.parametrize("sharing", ["community", "building"])
def test_one_block_equals_the_single_process_run(sharing: str) -> None:
    scenario = kladno(sharing)
    whole = run(scenario).kpis
    city = run_city(scenario, block_size=100).kpis
    assert city.verdict.ped_class == whole.verdict.ped_class
    for kpi in whole.kpis:
        value = city[kpi.key].value
        if math.isnan(kpi.value):
            assert math.isnan(value), kpi.key
        else:
            assert value == pytest.approx(kpi.value, rel=1e-12, abs=1e-9), kpi.key


def test_chunking_never_changes_a_bit() -> None:
    scenario = kladno()
    # three blocks of three buildings; one or three blocks per task
    runs = [run_city(scenario, block_size=3, chunk_blocks=n) for n in (1, 3)]
    assert [r.n_chunks for r in runs] == [3, 1]
    first = runs[0].kpis.to_dict()
    assert all(r.kpis.to_dict() == first for r in runs[1:])
    for name, array in runs[0].flows.data.items():
        assert (array == runs[1].flows.data[name]).all(), name
    # every carrier still balances at the district node and over the district
    import_ = runs[0].flows.data["grid_import_kwh"][:, -1]
    drawn = runs[0].flows.data["shared_in_kwh"][:, :-1].sum(axis=1)
    handed = runs[0].flows.data["shared_out_kwh"][:, :-1].sum(axis=1)
    export = runs[0].flows.data["grid_export_kwh"][:, -1]
    assert import_ - export == pytest.approx(drawn - handed, abs=1e-9)
    assert (import_ * export == 0).all()


def test_a_district_asset_is_refused_by_name() -> None:
    data = kladno().model_dump(mode="python", exclude={"buildings_file"})
    data["district"] = {"battery": {"capacity_kwh": 100, "power_kw": 50}}
    with pytest.raises(ScenarioError, match=r"district\.battery couple the buildings"):
        run_city(scenario_from_dict(data))


def test_a_size_below_one_is_refused_by_name() -> None:
    with pytest.raises(ScenarioError, match=r"block_size 0 and chunk_blocks 10 must be at least 1"):
        run_city(kladno(), block_size=0)
