"""The Python API end to end: resolution consistency, sharing settings, baselines."""

from __future__ import annotations

from pathlib import Path

import pytest

import sparcs
from sparcs.operation.flows import check_balance
from sparcs.scenario import scenario_from_dict

DISTRICT = {
    "name": "small mixed district",
    "site": {"city": "leipzig"},
    "seed": 3,
    "buildings": [
        {
            "id": "flats",
            "use": "apartment_block",
            "floor_area_m2": 3000,
            "residents": 90,
            "heating": "air_source_hp",
            "pv": {"kwp": 120},
            "battery": {"capacity_kwh": 100, "power_kw": 50},
        },
        {
            "id": "office",
            "use": "office",
            "floor_area_m2": 2000,
            "heating": "district_heating",
            "pv": {"kwp": 60, "azimuth_deg": 200},
            "ev": {"count": 4, "pattern": "workplace"},
        },
        {"id": "shop", "use": "retail", "floor_area_m2": 800, "heating": "gas_boiler"},
    ],
}


def _run(**changes: object) -> sparcs.RunResult:
    return sparcs.run(scenario_from_dict({**DISTRICT, **changes}))


@pytest.fixture(scope="module")
def hourly() -> sparcs.RunResult:
    return _run()


def test_fifteen_minutes_and_hourly_give_consistent_annual_kpis(hourly: sparcs.RunResult) -> None:
    quarter = _run(timestep="15min")
    assert len(quarter.flows.time) == 4 * len(hourly.flows.time)
    check_balance(quarter.flows)
    for key in ("final_energy", "electricity_use", "local_generation", "pei", "co2"):
        assert quarter.kpis[key].value == pytest.approx(hourly.kpis[key].value, rel=0.03), key
    for key in ("self_sufficiency", "self_consumption"):
        assert quarter.kpis[key].value == pytest.approx(hourly.kpis[key].value, abs=3.0), key


def test_community_sharing_imports_no_more_than_separate_meters(hourly: sparcs.RunResult) -> None:
    separate = _run(boundary={"sharing": "building"})
    check_balance(separate.flows)
    community_import = hourly.flows.total("grid_import_kwh").sum()
    separate_import = separate.flows.total("grid_import_kwh").sum()
    assert community_import <= separate_import + 1e-6
    assert hourly.kpis["self_sufficiency"].value >= separate.kpis["self_sufficiency"].value - 1e-9
    # the building meters carry the exchange only when buildings are on their own
    assert separate.flows["grid_import_kwh"][:, :-1].sum() > 0
    assert hourly.flows["grid_import_kwh"][:, :-1].sum() == 0


def test_baseline_gives_reductions(tmp_path: Path) -> None:
    baseline = {
        **DISTRICT,
        "name": "baseline",
        "buildings": [
            {k: v for k, v in b.items() if k not in ("pv", "battery")}
            for b in DISTRICT["buildings"]
        ],
    }
    from sparcs.scenario import dump_scenario

    dump_scenario(scenario_from_dict(baseline), tmp_path / "baseline.toml")
    result = sparcs.run(
        scenario_from_dict({**DISTRICT, "baseline": str(tmp_path / "baseline.toml")})
    )
    assert result.baseline is not None
    assert result.kpis["co2_reduction"].value > 0
    assert result.kpis["final_energy_reduction"].value > 0
    assert {t.key for t in result.kpis.targets} >= {"final_energy_reduction", "co2_reduction"}


def test_bad_weather_file_fails_before_simulation(tmp_path: Path) -> None:
    with pytest.raises(sparcs.SparcsError, match="does not exist|not found|No such"):
        _run(weather={"source": "file", "file": str(tmp_path / "missing.epw")})


def _write(path: Path, name: str, baseline: str | None) -> Path:
    text = (
        f'name = "{name}"\n'
        + (f'baseline = "{baseline}"\n' if baseline else "")
        + '[site]\ncity = "reykjavik"\n[[buildings]]\nid = "a"\nuse = "office"\n'
        "floor_area_m2 = 500\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_baseline_cycle_is_named_before_any_work(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.toml", "a", "b.toml")
    _write(tmp_path / "b.toml", "b", "a.toml")
    with pytest.raises(sparcs.ScenarioError, match="baseline cycle: a.toml → b.toml → a.toml"):
        sparcs.run(a)
    own = _write(tmp_path / "self.toml", "self", "self.toml")
    with pytest.raises(sparcs.ScenarioError, match="baseline cycle: self.toml → self.toml"):
        sparcs.run(own)
    # a validated scenario without its file still stops at the cycle
    with pytest.raises(sparcs.ScenarioError, match="baseline cycle: b.toml → a.toml → b.toml"):
        sparcs.run(sparcs.load_scenario(a))


def test_the_result_names_its_strategy_and_settings(hourly: sparcs.RunResult) -> None:
    assert hourly.strategy == "rule"
    assert hourly.strategy_info["name"] == "rule" and hourly.strategy_info["settings"] == {}
    from sparcs.runner import STRATEGIES, strategy_settings

    assert STRATEGIES == ("rule", "optimal", "mpc")
    assert strategy_settings("mpc", horizon_h=24.0, step_h=6.0, forecast="perfect") == {
        "horizon_h": 24.0,
        "step_h": 6.0,
        "forecast": "perfect",
    }
