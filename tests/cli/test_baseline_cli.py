"""``sparcs baseline``: CSV in, baseline and avoided energy out; exit codes and clean errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from sparcs.cli import app

runner = CliRunner()


def _write(path: Path, series: pd.Series, column: str) -> Path:
    frame = pd.DataFrame({"time": [t.isoformat() for t in series.index], column: series.to_numpy()})
    frame.to_csv(path, index=False, na_rep="")
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("mv")
    index = pd.date_range(
        "2023-01-01", "2025-01-01", freq="h", tz="Europe/Berlin", inclusive="left"
    )
    rng = np.random.default_rng(3)
    doy = index.dayofyear.to_numpy()
    temp = 10 - 11 * np.cos(2 * np.pi * (doy - 15) / 365) + rng.normal(0, 2, index.size)
    usage = 1.0 + 0.1 * np.maximum(15 - temp, 0) + rng.normal(0, 0.05, index.size)
    usage[index >= pd.Timestamp("2024-01-01", tz="Europe/Berlin")] *= 0.8
    usage[100] = np.nan  # a missing reading
    return (
        _write(folder / "usage.csv", pd.Series(usage, index), "usage_kwh"),
        _write(folder / "temp.csv", pd.Series(temp, index), "temp_air"),
    )


def _said(result: object) -> str:
    """The output with line wrapping undone (long temporary paths wrap the console)."""
    return " ".join(result.output.split())  # type: ignore[attr-defined]


def _args(files: tuple[Path, Path], *extra: str) -> list[str]:
    return [
        "baseline",
        str(files[0]),
        "--temperature",
        str(files[1]),
        "--baseline-from",
        "2023-01-01",
        "--baseline-to",
        "2023-12-31",
        "--reporting-from",
        "2024-01-01",
        "--reporting-to",
        "2024-12-31",
        "--timezone",
        "Europe/Berlin",
        *extra,
    ]


def test_daily_baseline_prints_and_writes_json(files: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "mv.json"
    result = runner.invoke(app, _args(files, "--json", str(out)))
    assert result.exit_code == 0, result.output
    assert "Baseline: CalTRACK daily" in result.output and "avoided [kWh]" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["baseline"]["model_type"] in ("hdd_only", "hdd_cdd")
    assert 13 < data["baseline"]["balance_points_c"]["heating"] < 17
    assert data["avoided_energy"]["savings_fraction"] == pytest.approx(0.2, abs=0.01)
    assert len(data["series"]) == 366 and set(data["avoided_energy"]["fsu"]) == {
        "0.68",
        "0.90",
        "0.95",
    }


def test_hourly_baseline_runs(files: tuple[Path, Path]) -> None:
    result = runner.invoke(app, _args(files, "--method", "hourly"))
    assert result.exit_code == 0, result.output
    assert "towt_month" in result.output


def test_usage_errors_exit_2(files: tuple[Path, Path], tmp_path: Path) -> None:
    result = runner.invoke(app, _args(files, "--method", "monthly"))
    assert result.exit_code == 2 and "--method 'monthly' is not known" in _said(result)
    result = runner.invoke(app, _args(files, "--timezone", "Mars/Olympus"))
    assert result.exit_code == 2 and "IANA" in _said(result)
    args = _args(files)
    args[args.index("--reporting-from") + 1] = "2023-06-01"
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "must not overlap" in _said(result)
    args[1] = str(tmp_path / "nope.csv")
    assert runner.invoke(app, args).exit_code == 2


def test_data_errors_exit_1_with_one_line(files: tuple[Path, Path], tmp_path: Path) -> None:
    naive = tmp_path / "naive.csv"
    naive.write_text("time,kwh\n2023-01-01T00:00,1\n2023-01-01T01:00,2\n", encoding="utf-8")
    result = runner.invoke(app, _args((naive, files[1])))
    assert result.exit_code == 1 and "no UTC offset" in _said(result)
    assert "Traceback" not in _said(result)
    args = _args(files)
    args[args.index("--baseline-from") + 1] = "2023-07-01"
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "insufficient" in _said(result) and "baseline_length" in _said(result)
    text = tmp_path / "text.csv"
    text.write_text("time,kwh\n2023-01-01T00:00Z,1\n2023-01-01T01:00Z,lots\n", encoding="utf-8")
    result = runner.invoke(app, _args((text, files[1])))
    assert result.exit_code == 1 and "line 3" in _said(result) and "not a number" in _said(result)
