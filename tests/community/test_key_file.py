"""Community files: shares, priority and buildings, and the errors a typo earns."""

from __future__ import annotations

from pathlib import Path

import pytest
from community_cases import readings

from sparcs.community import read_community_file, read_readings, settle
from sparcs.errors import DataError, ScenarioError


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "community.toml"
    path.write_text(text, "utf-8")
    return path


def test_a_full_file_is_read(tmp_path: Path) -> None:
    spec = read_community_file(
        _file(
            tmp_path,
            """
name = "Kivikko"
[shares]
a = 0.25
b = 0.75
priority = ["b", "a"]
[buildings.k1]
property = "common"
members = ["a", "b"]
[languages]
a = "fi"
""",
        )
    )
    assert spec.name == "Kivikko" and spec.shares == {"a": 0.25, "b": 0.75}
    assert spec.priority == ("b", "a")  # a list under [shares] is the priority list
    assert spec.building_of() == {"a": "k1", "b": "k1", "common": "k1"}
    assert spec.languages == {"a": "fi"}


def _error(tmp_path: Path, text: str) -> str:
    path = _file(tmp_path, text)
    with pytest.raises(DataError) as caught:
        read_community_file(path)
    message = str(caught.value)
    assert str(path) in message and "\n" not in message
    return message


def test_shares_that_do_not_sum_to_one_are_refused(tmp_path: Path) -> None:
    message = _error(tmp_path, "[shares]\na = 0.5\nb = 0.45\n")
    assert "the shares sum to 0.95, not 1" in message and "divide each by 0.95" in message


def test_a_share_outside_zero_to_one_is_refused(tmp_path: Path) -> None:
    assert "shares.a: 1.5 is not a fraction" in _error(tmp_path, "[shares]\na = 1.5\n")


def test_a_member_in_two_buildings_is_refused(tmp_path: Path) -> None:
    text = '[buildings.x]\nmembers = ["a"]\n[buildings.y]\nmembers = ["a"]\n'
    assert "member 'a' is in buildings 'x' and 'y'" in _error(tmp_path, text)


def test_an_unknown_key_and_language_are_refused(tmp_path: Path) -> None:
    assert "sharez: unknown key" in _error(tmp_path, "[sharez]\na = 1\n")
    assert "'xx' is not a statement language" in _error(tmp_path, '[languages]\na = "xx"\n')


def test_rounds_are_one_to_five_and_reach_the_settlement(tmp_path: Path) -> None:
    assert "rounds: 6 is not a number of rounds" in _error(tmp_path, "rounds = 6\n")
    spec = read_community_file(_file(tmp_path, "rounds = 1\n[shares]\na = 0.5\nb = 0.5\n"))
    r = readings([[1.0, 4.0, 0.0]], [[0, 0, 4.0]], "a b p")
    # one round is the static key: b keeps its half (2), a's unused 1 kWh is exported
    assert settle(r, "iterative", spec).allocated_kwh.tolist() == [[1.0, 2.0, 0.0]]


def test_a_member_listed_twice_in_the_priority_is_refused(tmp_path: Path) -> None:
    assert "member 'a' is listed twice" in _error(tmp_path, 'priority = ["a", "a"]\n')


def test_an_unknown_member_in_the_shares_is_refused(
    tmp_path: Path, three_homes_and_pv: Path
) -> None:
    spec = read_community_file(_file(tmp_path, "[shares]\na = 0.5\nb = 0.3\nd = 0.2\n"))
    with pytest.raises(DataError, match=r"\[shares\]: member 'd' is not in the readings"):
        settle(read_readings(three_homes_and_pv), "static", spec)


def test_a_consumer_without_a_share_is_refused(tmp_path: Path, three_homes_and_pv: Path) -> None:
    spec = read_community_file(_file(tmp_path, "[shares]\na = 0.5\nb = 0.5\n"))
    with pytest.raises(
        DataError, match=r"member 'c' consumes but is not in \[shares\]; add it \(with share 0"
    ):
        settle(read_readings(three_homes_and_pv), "iterative", spec)


def test_each_key_names_what_it_needs(three_homes_and_pv: Path, tmp_path: Path) -> None:
    r = read_readings(three_homes_and_pv)
    with pytest.raises(DataError, match="the static key needs a \\[shares\\] table"):
        settle(r, "static")
    with pytest.raises(DataError, match="the priority key needs priority"):
        settle(r, "priority")
    spec = read_community_file(_file(tmp_path, "[shares]\na = 0.5\nb = 0.3\nc = 0.2\n"))
    with pytest.raises(DataError, match="building-first key needs \\[buildings"):
        settle(r, "building-first", spec)
    with pytest.raises(ScenarioError, match="key 'fair' is not known"):
        settle(r, "fair", spec)
    assert settle(r, "proportional").allocated_kwh.sum() > 0


def test_building_first_needs_every_member_in_a_building() -> None:
    from sparcs.community import Building, CommunityFile

    spec = CommunityFile(shares={"a": 1.0}, buildings=(Building("x", ("a",)),), source="c.toml")
    with pytest.raises(DataError, match="member 'b' is in no building"):
        settle(readings([[1, 1]], [[0, 1]], "a b"), "building-first", spec)
