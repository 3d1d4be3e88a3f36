"""``sparcs run`` outputs: one layout for one run and many, unique folders, comparison files."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from sparcs.cli import app
from sparcs.cli.compare import comparison_tables
from sparcs.cli.run_cmd import plan_jobs

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SMALL = EXAMPLES / "reykjavik-geothermal.toml"
runner = CliRunner()


def test_jobs_have_one_layout_and_unique_folders(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = [Path("a/scenario.toml"), Path("b/scenario.toml"), Path("scenario-2.toml")]
    jobs, notes = plan_jobs(files, ["rule"], out)
    assert [j.folder for j in jobs] == [out / "scenario", out / "scenario-2", out / "scenario-2-2"]
    assert len({j.label for j in jobs}) == 3
    assert notes == [
        f"2 scenario files are named 'scenario.toml'; their results go to "
        f"{out / 'scenario'} (a/scenario.toml), {out / 'scenario-2'} (b/scenario.toml)"
    ]
    jobs, notes = plan_jobs(files[:1], ["rule", "mpc"], out)
    assert [j.folder for j in jobs] == [out / "scenario" / "rule", out / "scenario" / "mpc"]
    assert [j.label for j in jobs] == ["scenario/rule", "scenario/mpc"] and notes == []
    (single,), _ = plan_jobs(files[:1], ["optimal"], out)
    assert single.folder == out / "scenario" and single.strategy == "optimal"


@pytest.fixture(scope="module")
def collide(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Two files named scenario.toml (and brackets in a name), run with --compare."""
    root = tmp_path_factory.mktemp("collide")
    for folder, name in (("a", "Reykjavik A"), ("b", "Reykjavik B [draft]")):
        (root / folder).mkdir()
        text, count = re.subn(
            r'(?m)^name = ".*"$', f'name = "{name}"', SMALL.read_text(encoding="utf-8"), count=1
        )
        assert count == 1
        (root / folder / "scenario.toml").write_text(text, encoding="utf-8")
    out = root / "out"
    result = runner.invoke(
        app,
        [
            "run",
            str(root / "a" / "scenario.toml"),
            str(root / "b" / "scenario.toml"),
            "--compare",
            "--out",
            str(out),
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return out, result.output


def test_same_stems_get_their_own_folders_and_the_message_says_so(
    collide: tuple[Path, str],
) -> None:
    out, output = collide
    text = " ".join(output.split())
    assert "2 scenario files are named 'scenario.toml'" in text
    names = {}
    for label in ("scenario", "scenario-2"):
        folder = out / label
        assert (folder / "report.html").stat().st_size > 100_000
        names[label] = json.loads((folder / "kpis.json").read_text(encoding="utf-8"))
        assert f"report {folder / 'report.html'}" in text  # the real paths, no placeholder
    assert "Reykjavik B [draft]" in text  # user text is not eaten as markup
    assert not (out / "report.html").exists()  # nothing loose in --out


def test_compare_writes_csv_and_html_with_one_column_per_run(collide: tuple[Path, str]) -> None:
    out, output = collide
    with (out / "comparison.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["kpi", "label", "unit", "scenario", "scenario-2"]
    by_key = {row[0]: row for row in rows[1:]}
    assert by_key["scenario"][3:] == ["Reykjavik A", "Reykjavik B [draft]"]
    assert by_key["strategy"][3:] == ["rule", "rule"]
    for label, column in (("scenario", 3), ("scenario-2", 4)):
        kpis = json.loads((out / label / "kpis.json").read_text(encoding="utf-8"))
        assert by_key["ped_class"][column] == kpis["ped"]["ped_class"]
        for key in ("peb", "co2", "self_sufficiency", "net_energy_cost"):
            assert by_key[key][2] == kpis["kpis"][key]["unit"] and by_key[key][2]
            assert float(by_key[key][column]) == pytest.approx(kpis["kpis"][key]["value"], rel=1e-5)
    html = (out / "comparison.html").read_text(encoding="utf-8")
    assert 'href="scenario-2/report.html"' in html and "Reykjavik B [draft]" in html
    assert "PED class" in html and "_PE" in html  # units in the labels
    assert f"comparison: {out / 'comparison.html'}" in " ".join(output.split())


def test_the_terminal_comparison_fits_80_columns() -> None:
    from sparcs.runner import run

    kpis = run(SMALL).kpis
    names = [
        "leipzig-baumwollspinnerei",
        "leipzig-virtual-district",
        "espoo-lippulaiva",
        "kifissia-offices",
        "maia-solar-schools",
    ]
    console = Console(width=80, record=True, force_terminal=False)
    for table in comparison_tables(dict.fromkeys(names, kpis), 80):
        console.print(table)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "…" not in text  # nothing is cut: long names and labels fold
    squeezed = "".join(text.split())
    for name in names:  # folded names are still whole when read down the column
        assert name[:12] in squeezed
    assert "(1–" in text  # split into several tables
