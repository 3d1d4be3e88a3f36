"""``sparcs community settle``: the JSON totals, statements on disk, one line per mistake."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sparcs.cli import app

sys.path.insert(0, str(Path(__file__).parents[1] / "community"))
from community_cases import SHARES, three_homes_rows, write_csv  # noqa: E402

runner = CliRunner()
PRICES = (
    "community_eur_per_kwh = 0.10\ngrid_import_eur_per_kwh = 0.30\ngrid_export_eur_per_kwh = 0.05\n"
)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    rows = three_homes_rows()
    (tmp_path / "shares.toml").write_text(SHARES + '[languages]\nb = "de"\n', "utf-8")
    (tmp_path / "prices.toml").write_text(PRICES, "utf-8")
    return {
        "readings": write_csv(tmp_path / "readings.csv", rows),
        "shares": tmp_path / "shares.toml",
        "prices": tmp_path / "prices.toml",
    }


def _settle(files: dict[str, Path], *extra: str) -> tuple[int, str, str]:
    args = [
        "community",
        "settle",
        "--readings",
        str(files["readings"]),
        "--shares",
        str(files["shares"]),
    ]
    done = runner.invoke(app, [*args, *extra])
    assert "Traceback" not in done.output
    return done.exit_code, done.stdout, done.stderr


def test_json_prints_exactly_the_totals(files: dict[str, Path]) -> None:
    code, out, _ = _settle(files, "--key", "iterative", "--json")
    assert code == 0
    # hand-worked in tests/community/test_keys.py: a 2 + 2, b 4.8 + 5, c 3.2 + 6; 7 kWh exported
    assert json.loads(out) == {
        "members": {
            "a": {"consumption_kwh": 4.0, "allocated_kwh": 4.0, "grid_import_kwh": 0.0},
            "b": {"consumption_kwh": 10.0, "allocated_kwh": 9.8, "grid_import_kwh": 0.2},
            "c": {"consumption_kwh": 12.0, "allocated_kwh": 9.2, "grid_import_kwh": 2.8},
            "p": {"consumption_kwh": 0.0, "allocated_kwh": 0.0, "grid_import_kwh": 0.0},
        },
        "community_export_kwh": 7.0,
    }


@pytest.mark.parametrize("key", ["static", "iterative", "proportional", "priority"])
def test_every_key_settles_from_the_command_line(files: dict[str, Path], key: str) -> None:
    code, out, _ = _settle(files, "--key", key, "--json")
    totals = json.loads(out)
    allocated = sum(m["allocated_kwh"] for m in totals["members"].values())
    assert code == 0 and allocated + totals["community_export_kwh"] == pytest.approx(30.0)


def test_out_writes_statements_in_each_member_s_language(
    files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "settled"
    code, stdout, _ = _settle(
        files,
        "--key",
        "static",
        "--prices",
        str(files["prices"]),
        "--out",
        str(out),
        "--lang",
        "fi",
    )
    assert code == 0, stdout
    assert {p.name for p in out.iterdir()} == {
        "settlement.json",
        "members.csv",
        "statements.csv",
        "statements",
    }
    summary = json.loads((out / "settlement.json").read_text("utf-8"))
    assert summary["key"] == "static" and summary["community_export_kwh"] == 12.0
    german = (out / "statements" / "2025-01" / "b.html").read_text("utf-8")
    assert (
        '<html lang="de">' in german and "Verbrauch" in german and "1,40\xa0€" in german
    )  # bill: 8 kWh x 0.10 + 2 kWh x 0.30
    finnish = (out / "statements" / "2025-01" / "a.html").read_text("utf-8")
    assert '<html lang="fi">' in finnish and "Kulutus" in finnish
    assert "statements/index.html" in stdout.replace("\\", "/")
    members = (out / "members.csv").read_text("utf-8").splitlines()
    assert members[0].startswith("member,consumption_kwh,allocated_kwh,grid_import_kwh")
    assert members[2].startswith("b,10.000000,8.000000,2.000000")


def test_a_failure_leaves_the_output_folder_as_it_was(
    files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "settled"
    out.mkdir()
    (out / "keep.txt").write_text("earlier", "utf-8")
    files["shares"].write_text("[shares]\na = 0.5\nb = 0.3\nc = 0.1\n", "utf-8")
    code, _, err = _settle(files, "--key", "static", "--out", str(out))
    assert code == 1
    assert "the shares sum to 0.9, not 1" in err and err.count("error:") == 1
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".settled-")]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--key", "fair"], 2, "--key 'fair' is not known; choose static, iterative"),
        (["--key", "static", "--lang", "sv"], 2, "--lang 'sv' is not a statement language"),
        (["--key", "static", "--prices", "nope.toml"], 2, "--prices nope.toml does not exist"),
        (["--key", "static", "--run", "."], 2, "give either --readings FILE.csv or --run DIR"),
        (
            ["--key", "priority", "--prices", "SHARES"],
            1,
            "unknown key; the file takes community_eur_per_kwh",
        ),
    ],
)
def test_mistakes_get_one_line_and_an_exit_code(
    files: dict[str, Path], args: list[str], code: int, message: str
) -> None:
    args = [str(files["shares"]) if a == "SHARES" else a for a in args]
    exit_code, _, err = _settle(files, *args)
    assert exit_code == code
    assert message in " ".join(err.split())


def test_bad_readings_name_the_row(files: dict[str, Path]) -> None:
    text = files["readings"].read_text("utf-8").replace("12:15+01:00,b,5.0", "12:15+01:00,b,-5.0")
    files["readings"].write_text(text, "utf-8")
    code, _, err = _settle(files, "--key", "static", "--json")
    assert code == 1 and "row 7: member 'b': consumption_kwh -5 is negative" in " ".join(
        err.split()
    )
