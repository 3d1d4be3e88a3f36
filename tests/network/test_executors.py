"""Executors in this process and in local processes; the sweep command on the command line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from sparcs.cli import app
from sparcs.errors import SparcsError
from sparcs.scale import ExecutorSpec, parse_executor
from sparcs.scenario import Scenario
from sparcs.sweep import parse_param, run_sweep

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("threads",), "--executor 'threads' is not known; choose one of: local, processes, dask"),
        (("processes", 0), "--workers 0 must be at least 1"),
        (("local", None, "tcp://h:1"), "--scheduler tcp://h:1 needs --executor dask"),
        (("dask", None, "h:8786"), "write it as tcp://HOST:PORT"),
    ],
)
def test_bad_executor_options_are_refused(args: tuple[object, ...], expected: str) -> None:
    with pytest.raises(SparcsError) as info:
        parse_executor(*args)  # type: ignore[arg-type]
    assert expected in str(info.value)


def test_a_failing_point_is_named_and_the_others_kept(small: Scenario) -> None:
    params = [parse_param("buildings[flats].pv.kwp=20,-5,60")]
    result = run_sweep(small, params)
    assert result.n_points == 3
    assert result.table["buildings[flats].pv.kwp"].tolist() == [20, 60]
    ((label, error),) = result.errors
    assert label == "buildings[flats].pv.kwp=-5"
    assert "buildings[0].pv.kwp: -5 must be greater than 0" in error
    # more PV, less import: the two completed points are the two different runs
    peb = result.table["peb [kWh_PE]"]
    assert peb.iloc[1] > peb.iloc[0]


def test_local_processes_equal_serial(small: Scenario) -> None:
    params = [parse_param("buildings[school].heating=air_source_hp,gas_boiler")]
    serial = run_sweep(small, params)
    spread = run_sweep(small, params, executor=ExecutorSpec("processes", workers=2))
    assert not serial.errors and not spread.errors
    pd.testing.assert_frame_equal(serial.table, spread.table, check_exact=True)


def test_sweep_command_writes_parameters_then_kpis(small_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["sweep", str(small_file), "--param", "buildings[*].pv.kwp=0,-1,30", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "1 of 3 sweep points failed" in result.output
    assert "Traceback" not in result.output
    table = pd.read_csv(out / "sweep.csv")
    assert list(table.columns[:3]) == ["buildings[*].pv.kwp", "ped_class", "ghg_net_zero"]
    assert "self_sufficiency [%]" in table.columns
    assert table["buildings[*].pv.kwp"].tolist() == [0, 30]
    assert table.loc[0, "local_generation [kWh]"] == 0.0
    bad = runner.invoke(app, ["sweep", str(small_file), "--param", "tarif.kind=tou"])
    assert bad.exit_code == 2
    assert "'tarif' is not a key of Scenario; valid keys:" in bad.output
