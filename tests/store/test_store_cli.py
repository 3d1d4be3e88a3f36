"""``sparcs ingest`` and ``sparcs store info`` on both back-ends."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "monitoring"))

from helpers import meter_map, write  # noqa: E402

from sparcs.cli import app  # noqa: E402

runner = CliRunner()


def test_ingest_json_bad_file_and_info(db_url: str, tmp_path: Path) -> None:
    meters = meter_map(tmp_path)
    good = write(
        tmp_path,
        "good.csv",
        "time,meter,value\n2025-01-01T00:00Z,m1,1\n"
        "2025-01-01T00:15Z,m1,-1\n2025-01-01T00:15Z,m1,5\n",
    )
    bad = write(tmp_path, "bad[1].csv", "time,meter,value\n2025-01-01T00:00Z,ghost,1\n")
    done = runner.invoke(
        app, ["ingest", str(good), str(bad), "--meters", str(meters), "--db", db_url, "--json"]
    )
    assert done.exit_code == 1
    assert json.loads(done.stdout) == {
        "accepted": 2,
        "duplicates": 0,
        "conflicts": 1,
        "rejected": 0,
        "flagged": {"negative": 1},
    }
    assert "bad[1].csv, line 2: meter 'ghost' is not in the meter map" in done.stderr
    again = runner.invoke(
        app, ["ingest", str(good), "--meters", str(meters), "--db", db_url, "--json"]
    )
    assert again.exit_code == 0 and json.loads(again.stdout)["accepted"] == 0
    info = runner.invoke(app, ["store", "info", "--db", db_url, "--json"])
    assert info.exit_code == 0
    assert json.loads(info.stdout)["meters"]["m1"] == {
        "readings": 2,
        "first": "2025-01-01T00:00:00Z",
        "last": "2025-01-01T00:15:00Z",
        "flags": {"negative": 1},
    }
    text = runner.invoke(app, ["store", "info", "--db", db_url])
    assert text.exit_code == 0 and "m1" in text.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    meters = meter_map(tmp_path)
    missing = runner.invoke(
        app,
        [
            "ingest",
            str(tmp_path / "nope.csv"),
            "--meters",
            str(meters),
            "--db",
            str(tmp_path / "x.duckdb"),
        ],
    )
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    fmt = runner.invoke(app, ["ingest", str(meters), "--meters", str(meters), "--format", "xml"])
    assert fmt.exit_code == 2 and "--format 'xml' is not known" in fmt.stderr
