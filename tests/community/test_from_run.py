"""A simulated district settled as a community: its buildings are the members."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sparcs
from sparcs.community import settle
from sparcs.community.from_run import read_run, readings_from_flows
from sparcs.errors import DataError
from sparcs.report import write_exports
from sparcs.testing import synthetic_district


@pytest.fixture(scope="module")
def district_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[sparcs.RunResult, Path]:  # type: ignore[name-defined]
    result = sparcs.run(synthetic_district(3, city="espoo", seed=3))
    folder = tmp_path_factory.mktemp("run")
    write_exports(folder, result.flows, result.kpis, only=["flows", "kpis"])
    return result, folder


def test_members_meter_what_crosses_their_connection(district_run) -> None:  # type: ignore[no-untyped-def]
    result, _ = district_run
    flows = result.flows
    r = readings_from_flows(flows)
    buildings = list(flows.building_ids)
    assert r.members[: len(buildings)] == tuple(buildings)
    b = slice(0, len(buildings))
    np.testing.assert_allclose(
        r.consumption_kwh[:, b], flows["grid_import_kwh"][:, b] + flows["shared_in_kwh"][:, b]
    )
    np.testing.assert_allclose(
        r.production_kwh[:, b], flows["grid_export_kwh"][:, b] + flows["shared_out_kwh"][:, b]
    )
    # local months: Espoo is UTC+2 in winter, UTC+3 in summer
    assert set(r.utc_offset_min.tolist()) == {120, 180}


def test_the_run_folder_gives_the_same_readings(district_run) -> None:  # type: ignore[no-untyped-def]
    result, folder = district_run
    direct, read = readings_from_flows(result.flows), read_run(folder)
    assert read.members == direct.members
    np.testing.assert_array_equal(read.time, direct.time)
    np.testing.assert_allclose(read.consumption_kwh, direct.consumption_kwh)
    np.testing.assert_allclose(read.production_kwh, direct.production_kwh)


def test_a_settled_district_conserves_its_production(district_run) -> None:  # type: ignore[no-untyped-def]
    result, folder = district_run
    r = read_run(folder)
    settled = settle(r, "proportional")
    np.testing.assert_allclose(
        settled.allocated_kwh.sum(axis=1) + settled.community_export_kwh,
        r.production_kwh.sum(axis=1),
        atol=1e-9,
    )
    # what the buildings draw through their meters is the district's import plus what they
    # take from each other and from the district node
    assert settled.allocated_kwh.sum() > 0


def test_a_folder_without_a_run_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no flows.parquet; --run takes the folder of one run"):
        read_run(tmp_path)


def test_the_command_line_settles_a_run_folder(district_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from sparcs.cli import app

    result, folder = district_run
    prices = tmp_path / "prices.toml"
    prices.write_text("community_eur_per_kwh = 0.12\n", "utf-8")
    scenario = tmp_path / "district.toml"
    from sparcs.scenario import dump_scenario

    dump_scenario(synthetic_district(3, city="espoo", seed=3), scenario)
    done = CliRunner().invoke(
        app,
        ["community", "settle", "--run", str(folder), "--key", "proportional", "--json"]
        + ["--prices", str(prices), "--scenario", str(scenario), "--out", str(tmp_path / "out")],
    )
    assert done.exit_code == 0, done.output
    totals = json.loads(done.stdout)
    assert list(totals["members"])[:3] == list(result.flows.building_ids)
    table = (tmp_path / "out" / "statements.csv").read_text("utf-8").splitlines()
    assert len(table) == 1 + 12 * len(totals["members"])  # a row per member and month
    assert "without_community_eur" in table[0]
