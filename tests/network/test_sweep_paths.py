"""Sweep paths: checked against the scenario models and applied to a plain copy.

Zero removes an asset.
"""

from __future__ import annotations

import pytest

from sparcs.errors import ScenarioError
from sparcs.scenario import Scenario
from sparcs.sweep import make_points, parse_param


def test_values_are_typed_and_paths_checked() -> None:
    param = parse_param("buildings[*].pv.kwp=0,50,100.5")
    assert param.values == (0, 50, 100.5)
    assert [s.name for s in param.steps] == ["buildings", "pv", "kwp"]
    assert parse_param("tariff.kind=flat,tou").values == ("flat", "tou")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("buildings[*].pv.kwq=1", "'buildings[*].pv.kwq' is not a key of PV; valid keys: albedo"),
        ("tarif.kind=flat", "'tarif' is not a key of Scenario; valid keys: baseline, boundary"),
        ("buildings.pv.kwp=1", "'buildings' is an array; select elements: buildings[*]"),
        ("grid[0].import_limit_kw=1", "'grid' is not an array; remove [0]"),
        ("buildings[*].pv=1", "'buildings[*].pv' is a table; name one of its keys: albedo"),
        ("tariff.kind.x=1", "'tariff.kind' is a value, it has no keys below it"),
        ("grid.import_limit_kw", "needs the form PATH=V1,V2"),
        ("grid.import_limit_kw=", "no values after '='"),
    ],
)
def test_a_bad_path_is_one_line_naming_it(text: str, expected: str) -> None:
    with pytest.raises(ScenarioError, match="--param") as info:
        parse_param(text)
    assert expected in str(info.value)


def test_cartesian_product_applies_every_value(small: Scenario) -> None:
    params = [
        parse_param("buildings[*].pv.kwp=0,25"),
        parse_param("buildings[school].use=school,office"),
    ]
    points = make_points(small, params)
    assert [p.label for p in points] == [
        "buildings[*].pv.kwp=0, buildings[school].use=school",
        "buildings[*].pv.kwp=0, buildings[school].use=office",
        "buildings[*].pv.kwp=25, buildings[school].use=school",
        "buildings[*].pv.kwp=25, buildings[school].use=office",
    ]
    no_pv = points[1].scenario()
    assert [b.pv for b in no_pv.buildings] == [None, None]  # 0 kWp: no PV table at all
    assert no_pv.buildings[1].use == "office"
    with_pv = points[2].scenario()
    # a building without PV gets a PV table with the schema's defaults
    assert [b.pv.kwp for b in with_pv.buildings if b.pv] == [25, 25]
    assert with_pv.buildings[1].pv is not None and with_pv.buildings[1].pv.tilt_deg == 35.0
    assert small.buildings[1].pv is None  # the base scenario is untouched


def test_selectors_name_missing_elements(small: Scenario) -> None:
    for text, expected in [
        ("buildings[7].residents=1", "buildings[7] does not exist; it has 2"),
        ("buildings[gym].residents=1", "no buildings with id 'gym'; ids: flats, school"),
    ]:
        (point,) = make_points(small, [parse_param(text)])
        with pytest.raises(ScenarioError, match="--param") as info:
            point.scenario()
        assert expected in str(info.value)


def test_a_value_the_schema_refuses_names_the_field(small: Scenario) -> None:
    (point,) = make_points(small, [parse_param("buildings[0].pv.kwp=-5")])
    with pytest.raises(ScenarioError, match=r"buildings\[0\]\.pv\.kwp: -5 must be greater than 0"):
        point.scenario()
