"""Scenario files: every kind of bad input gets a clear message naming the field and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from sparcs.errors import ScenarioError
from sparcs.scenario import dump_scenario, load_scenario, scenario_from_dict

MINIMAL = {"name": "test", "site": {"city": "leipzig"}}


def _building(**kw: object) -> dict[str, object]:
    return {"id": "B1", "floor_area_m2": 1000.0, **kw}


def _problems(data: dict[str, object]) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    return [f"{p.location}: {p.message}" for p in info.value.problems]


def test_minimal_scenario_gets_city_defaults() -> None:
    scenario = scenario_from_dict(MINIMAL)
    assert scenario.timezone == "Europe/Berlin"
    assert scenario.factor_set_name == "de-geg-2020"
    assert scenario.timestep == "1h"


def test_tilt_out_of_range_names_the_path() -> None:
    data = {
        **MINIMAL,
        "buildings": [_building(id=f"B{i}") for i in range(3)]
        + [_building(id="B3", pv={"kwp": 10, "tilt_deg": 120})],
    }
    assert _problems(data) == ["buildings[3].pv.tilt_deg: 120 is not between 0 and 90"]


def test_unknown_key_is_an_error_with_a_suggestion() -> None:
    problems = _problems({**MINIMAL, "buildings": [_building(floor_area=5)]})
    assert (
        "buildings[0].floor_area: unknown key 'floor_area'; did you mean 'floor_area_m2'?"
        in problems
    )


def test_unknown_top_level_key() -> None:
    assert _problems({**MINIMAL, "yaer": 2024}) == [
        "yaer: unknown key 'yaer'; did you mean 'year'?"
    ]


def test_every_problem_is_listed_at_once() -> None:
    data = {
        "name": "x",
        "site": {"city": "atlantis"},
        "timestep": "7min",
        "buildings": [
            _building(use="castle"),
            _building(
                id="B2",
                floor_area_m2=-5,
                battery={"capacity_kwh": 5, "power_kw": 2, "soc_min": 0.9, "soc_max": 0.5},
            ),
        ],
    }
    problems = _problems(data)
    assert len(problems) == 5
    assert any(
        p.startswith("site: unknown city 'atlantis'; embedded cities are: espoo") for p in problems
    )
    assert any(p.startswith("timestep: time step '7min' must divide one hour") for p in problems)
    assert any(p.startswith("buildings[0].use: 'castle' is not one of:") for p in problems)
    assert "buildings[1].floor_area_m2: -5 must be greater than 0" in problems
    assert "buildings[1].battery: soc_min (0.9) must be below soc_max (0.5)" in problems


def test_missing_required_fields() -> None:
    problems = _problems({"site": {"city": "espoo"}, "buildings": [{"id": "B1"}]})
    assert "name: required field is missing" in problems
    assert "buildings[0].floor_area_m2: required field is missing" in problems


def test_custom_site_needs_coordinates_and_zone() -> None:
    problems = _problems({"name": "x", "site": {"latitude": 50.0}})
    assert problems == [
        "site: give an embedded city, or latitude, longitude and timezone of a custom site"
    ]
    bad_zone = _problems(
        {"name": "x", "site": {"latitude": 50, "longitude": 10, "timezone": "Mars/Olympus"}}
    )
    assert "is not an IANA name" in bad_zone[0]


def test_duplicate_building_ids() -> None:
    problems = _problems({**MINIMAL, "buildings": [_building(), _building()]})
    assert problems == [": building id 'B1' is used twice; ids must be unique"]


def test_unknown_factor_set_lists_the_known_ones() -> None:
    problems = _problems({**MINIMAL, "factors": {"set": "xx-1999"}})
    assert problems[0].startswith("factors.set: unknown factor set 'xx-1999'; embedded sets are:")


def test_pv_larger_than_roof() -> None:
    problems = _problems({**MINIMAL, "buildings": [_building(roof_area_m2=100, pv={"kwp": 50})]})
    assert "needs about 250 m2" in problems[0]


def test_heat_pump_source_must_match_heating() -> None:
    problems = _problems(
        {
            **MINIMAL,
            "buildings": [
                _building(
                    heating="air_source_hp", heat_pump={"source": "ground", "capacity_kw": 10}
                )
            ],
        }
    )
    assert "heating = 'air_source_hp' but heat_pump.source = 'ground'" in problems[0]


def test_wrong_type_is_reported_with_the_value() -> None:
    problems = _problems({**MINIMAL, "buildings": [_building(floor_area_m2="big")]})
    assert problems[0].startswith("buildings[0].floor_area_m2: 'big':")


def test_virtual_boundary_needs_assets() -> None:
    problems = _problems({**MINIMAL, "boundary": {"kind": "virtual"}})
    assert "needs [[boundary.virtual_assets]]" in problems[0]


def test_tou_tariff_window_order() -> None:
    problems = _problems(
        {
            **MINIMAL,
            "tariff": {
                "kind": "tou",
                "tou": [{"start_hour": 18, "end_hour": 8, "price_eur_per_kwh": 0.3}],
            },
        }
    )
    assert "end_hour (8) must be after start_hour (18)" in problems[0]


def test_invalid_toml_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\nsite = { city = "espoo" \n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad\.toml: not valid TOML: .*line 2"):
        load_scenario(path)


def test_missing_file() -> None:
    with pytest.raises(ScenarioError, match="does not exist"):
        load_scenario("nowhere.toml")


def test_csv_building_stock_problems_name_file_row_and_column(tmp_path: Path) -> None:
    (tmp_path / "stock.csv").write_text(
        "id,use,floor_area_m2,pv.kwp,pv.tilt_deg\n"
        "A,office,1200,20,30\n"
        "B,office,800,,\n"
        "C,offfice,500,10,95\n",
        encoding="utf-8",
    )
    (tmp_path / "s.toml").write_text(
        'name = "csv"\nbuildings_file = "stock.csv"\n[site]\ncity = "kladno"\n', encoding="utf-8"
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "s.toml")
    text = str(info.value)
    assert "stock.csv: row 4 (id 'C'), column use: 'offfice' is not one of" in text
    assert "stock.csv: row 4 (id 'C'), column pv.tilt_deg: 95 is not between 0 and 90" in text
    assert len(info.value.problems) == 2


def test_csv_building_stock_with_thousands_of_rows(tmp_path: Path) -> None:
    rows = ["id,use,floor_area_m2,construction_period,heating,pv.kwp"]
    uses = ["apartment_block", "office", "retail", "school", "single_family"]
    rows += [
        f"b{i},{uses[i % 5]},{100 + i % 900},1950-1979,district_heating,{(i % 7) or ''}"
        for i in range(5000)
    ]
    (tmp_path / "stock.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "s.toml").write_text(
        'name = "big"\nbuildings_file = "stock.csv"\n[site]\ncity = "lviv"\n', encoding="utf-8"
    )
    scenario = load_scenario(tmp_path / "s.toml")
    assert len(scenario.buildings) == 5000
    assert scenario.buildings[1].pv is not None and scenario.buildings[1].pv.kwp == 1.0
    assert scenario.buildings[7].pv is None


def test_csv_without_id_column(tmp_path: Path) -> None:
    (tmp_path / "stock.csv").write_text("use,floor_area_m2\noffice,100\n", encoding="utf-8")
    (tmp_path / "s.toml").write_text(
        'name = "x"\nbuildings_file = "stock.csv"\n[site]\ncity = "maia"\n', encoding="utf-8"
    )
    with pytest.raises(ScenarioError, match="needs a header row with an 'id' column"):
        load_scenario(tmp_path / "s.toml")


def test_dump_and_load_round_trip(tmp_path: Path) -> None:
    scenario = scenario_from_dict(
        {
            **MINIMAL,
            "buildings": [_building(pv={"kwp": 12.5}, battery={"capacity_kwh": 10, "power_kw": 5})],
            "boundary": {
                "kind": "virtual",
                "virtual_assets": [
                    {"name": "wind farm share", "kind": "wind", "capacity_kw": 2000, "share": 0.1}
                ],
            },
        }
    )
    path = dump_scenario(scenario, tmp_path / "out.toml")
    assert load_scenario(path) == scenario


def test_a_functional_plants_file_is_found_beside_the_scenario(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Relative paths inside an array of tables resolve from the scenario file, not the cwd."""
    from sparcs.scenario import load_scenario

    folder = tmp_path / "district"
    folder.mkdir()
    (folder / "plant.csv").write_text("time,output_kw\n2025-01-01T00:00Z,5\n", encoding="utf-8")
    text = (
        Path(__file__).resolve().parents[2] / "examples" / "reykjavik-geothermal.toml"
    ).read_text(encoding="utf-8")
    text += (
        '\n[boundary]\nkind = "functional"\n[[boundary.functional_plants]]\n'
        'name = "Hellisheidi share"\ncarrier = "heat"\nhourly_file = "plant.csv"\n'
    )
    (folder / "s.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # elsewhere than the scenario
    scenario = load_scenario(folder / "s.toml")
    (plant,) = scenario.boundary.functional_plants
    assert plant.hourly_file == (folder / "plant.csv").resolve()
