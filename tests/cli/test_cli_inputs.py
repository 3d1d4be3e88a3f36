"""What a user types, checked before any work: paths, encodings, dates, options, markup.

Each mistake must end in one clean message that names the file or option and the fix, the
documented exit code (1: a file has problems; 2: usage error) and no traceback.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from sparcs.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SMALL = EXAMPLES / "reykjavik-geothermal.toml"
SRC = Path(__file__).resolve().parents[2] / "src"
runner = CliRunner()


def _invoke(*args: str | Path):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _one_line(result) -> str:
    return " ".join(result.output.split())


@pytest.fixture
def no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a run or a plan starts: the checks must come first."""

    def started(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the work started before the inputs were checked")

    import sparcs.cli.plan_cmd
    import sparcs.cli.profiles_cmd
    import sparcs.cli.run_cmd

    monkeypatch.setattr(sparcs.cli.run_cmd, "run_many", started)
    monkeypatch.setattr(sparcs.cli.plan_cmd, "run_plan", started)
    monkeypatch.setattr(sparcs.cli.profiles_cmd, "write_profiles", started)


# --- scenario files: encoding, folders, named files ------------------------------------------


def test_a_latin1_file_names_byte_line_and_the_fix(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b'name = "Escola B\xe1sica"\n[site]\ncity = "maia"\n')
    result = _invoke("validate", latin1)
    assert result.exit_code == 1
    text = _one_line(result)
    assert f"{latin1}: line 1, column 17: byte 0xE1" in text
    assert "'á'" in text and "save it as UTF-8" in text


def test_utf16_is_named_and_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    utf16 = tmp_path / "utf16.toml"
    utf16.write_text('name = "x"\n', encoding="utf-16")
    bom = tmp_path / "bom.toml"
    bom.write_text(SMALL.read_text(encoding="utf-8"), encoding="utf-8-sig")
    result = _invoke("validate", utf16, bom)
    assert result.exit_code == 1
    text = _one_line(result)
    assert f"{utf16}: the file is UTF-16, not UTF-8" in text
    assert f"ok {bom}" in text or f"ok {bom.name}" in text, text


def test_a_folder_means_every_toml_in_it_sorted(tmp_path: Path) -> None:
    shutil.copy(SMALL, tmp_path / "b.toml")
    shutil.copy(EXAMPLES / "lviv-retrofit.toml", tmp_path / "a.toml")
    (tmp_path / "notes.txt").write_text("not a scenario", encoding="utf-8")
    result = _invoke("validate", tmp_path)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("ok")]
    assert [Path(line.split()[1].rstrip(":")).name for line in lines] == ["a.toml", "b.toml"]


def test_an_empty_folder_or_a_missing_file_is_a_usage_error(tmp_path: Path, no_work: None) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for command in ("validate", "run"):
        result = _invoke(command, empty)
        assert result.exit_code == 2
        assert f"folder {empty} holds no *.toml scenario files" in _one_line(result)
    result = _invoke("run", tmp_path / "nope.toml")
    assert result.exit_code == 2
    assert f"scenario file {tmp_path / 'nope.toml'} does not exist" in _one_line(result)


def test_one_scenario_commands_refuse_a_folder(no_work: None) -> None:
    result = _invoke("profiles", EXAMPLES)
    assert result.exit_code == 2
    assert "is a folder; 'sparcs profiles' takes one scenario file" in _one_line(result)


def test_validate_finds_a_missing_weather_file_and_buildings_csv(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8")
    no_weather = tmp_path / "noweather.toml"
    no_weather.write_text(
        text + '\n[weather]\nsource = "file"\nfile = "weather/maia-2019.epw"\n', encoding="utf-8"
    )
    no_csv = tmp_path / "nocsv.toml"
    no_csv.write_text(
        'name = "x"\nbuildings_file = "stock.csv"\n[site]\ncity = "kladno"\n', encoding="utf-8"
    )
    result = _invoke("validate", no_weather, no_csv)
    assert result.exit_code == 1
    text = _one_line(result)
    assert (
        f"{no_weather}: weather.file: file {tmp_path / 'weather' / 'maia-2019.epw'} does not exist"
    ) in text
    assert f"{tmp_path / 'stock.csv'} does not exist" in text
    assert "2 of 2 file(s) have problems" in text


def test_run_checks_every_file_before_the_first_run(tmp_path: Path, no_work: None) -> None:
    bad = tmp_path / "z-bad.toml"
    bad.write_bytes(b'name = "Caf\xe9"\n')
    result = _invoke("run", SMALL, bad, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "save it as UTF-8" in _one_line(result)
    assert not (tmp_path / "out").exists()


# --- output folders and files ----------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["run", str(SMALL)], ["profiles", str(SMALL)], ["plan", str(SMALL)]]
)
def test_out_an_existing_file_is_refused_before_the_work(
    command: list[str], tmp_path: Path, no_work: None
) -> None:
    taken = tmp_path / "results"
    taken.write_text("", encoding="utf-8")
    result = _invoke(*command, "--out", taken)
    assert result.exit_code == 2
    assert f"--out {taken} is an existing file, not a folder" in _one_line(result)
    below = _invoke(*command, "--out", taken / "sub")
    assert below.exit_code == 2
    assert f"{taken} is a file, so no folder can be made there" in _one_line(below)


def test_out_on_a_read_only_file_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_work: None
) -> None:
    import sparcs.cli._inputs as inputs

    def read_only(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(inputs.tempfile, "TemporaryFile", read_only)
    for command in (["run", SMALL], ["plan", SMALL, "--pareto", "3"]):
        result = _invoke(*command, "--out", tmp_path / "out")
        assert result.exit_code == 2
        assert (
            f"--out {tmp_path / 'out'}: cannot write in {tmp_path}: Read-only file system; "
            "choose a folder you can write to with --out"
        ) in _one_line(result)


def test_out_without_permission(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_work: None
) -> None:
    # the suite may run as root, who may write anywhere: the test write is refused instead
    import sparcs.cli._inputs as inputs

    def denied(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(inputs.tempfile, "TemporaryFile", denied)
    result = _invoke("run", SMALL, "--out", tmp_path / "locked" / "out")
    assert result.exit_code == 2
    assert "Permission denied" in _one_line(result)


def test_json_output_that_is_a_folder(tmp_path: Path) -> None:
    result = _invoke("green-hours", SMALL, "--start", "2025-06-01", "--json", tmp_path)
    assert result.exit_code == 2
    assert f"--json {tmp_path} is a folder; give a file name" in _one_line(result)


# --- options ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value"), [("--forecast", "perfect"), ("--horizon-h", "24"), ("--step-h", "6")]
)
def test_mpc_options_are_refused_for_other_strategies(
    option: str, value: str, no_work: None
) -> None:
    result = _invoke("run", SMALL, "--strategy", "rule,optimal", option, value)
    assert result.exit_code == 2
    assert (
        f"{option} applies only to --strategy mpc, not to rule, optimal; drop {option} or "
        "run --strategy rule,optimal,mpc"
    ) in _one_line(result)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--target", "ss:150"],
            "--target ss:150: a self-sufficiency target is a percentage "
            "between 0 and 100, e.g. ss:40; got 150 %",
        ),
        (["--pareto", "-1"], "--pareto must be 0 (no front) or 2 or more points, got -1"),
        (["--pareto", "1"], "--pareto must be 0 (no front) or 2 or more points, got 1"),
        (["--budget", "-5"], "--budget is the largest investment in EUR and must not be negative"),
        (["--costs", "nope.toml"], "--costs nope.toml does not exist"),
    ],
)
def test_plan_messages_use_option_names_and_percent(
    args: list[str], message: str, no_work: None
) -> None:
    result = _invoke("plan", SMALL, *args)
    assert result.exit_code == 2
    text = _one_line(result)
    assert message in text
    assert "pareto_points" not in text and "budget_eur" not in text


def test_iso_times_are_accepted_and_ambiguous_ones_refused() -> None:
    from sparcs.cli._console import UsageError
    from sparcs.cli._inputs import parse_time_option

    for text in (
        "2025-06-01",
        "2025-06-01T17:00",
        "2025-06-01T17:00:00",
        "2025-06-01T17:00+02:00",
        "2025-06-01T15:00Z",
        "2025-06-01 17:00",
    ):
        assert parse_time_option(text, "--start") == text
    for text in ("01/06/2025", "06/01/2025", "1.6.2025", "June 1", "2025-6-1"):
        with pytest.raises(UsageError, match="is not an ISO 8601 date or time"):
            parse_time_option(text, "--start")


# --- markup in file names, tables and help ---------------------------------------------------


def test_brackets_in_file_names_survive(tmp_path: Path) -> None:
    draft = tmp_path / "maia[draft].toml"
    draft.write_text(
        SMALL.read_text(encoding="utf-8").replace("[site]", "floor = 1\n[site]", 1),
        encoding="utf-8",
    )
    odd = tmp_path / "a[" / "x].toml"
    odd.parent.mkdir()
    shutil.copy(draft, odd)
    result = _invoke("validate", draft, odd)
    assert result.exit_code == 1
    assert f"FAIL {draft}" in result.output
    assert f"{draft}: floor: unknown key 'floor'" in _one_line(result)
    assert f"FAIL {odd}" in result.output


def test_units_in_brackets_survive_in_tables() -> None:
    result = runner.invoke(app, ["cities"], env={"COLUMNS": "220"})
    assert result.exit_code == 0
    assert "GHI [kWh/m²a]" in result.output and "grid CO2 [g/kWh]" in result.output


def test_units_in_brackets_survive_in_every_help_text() -> None:
    command = typer.main.get_command(app)
    checked = 0
    for name, sub in command.commands.items():  # type: ignore[attr-defined]
        result = runner.invoke(app, [name, "--help"], env={"COLUMNS": "250"})
        assert result.exit_code == 0
        shown = " ".join(result.output.split())
        for param in sub.params:
            for unit in re.findall(
                r"\[[^\]]+\]", (getattr(param, "help", "") or "").replace("\\", "")
            ):
                assert unit in shown, (name, param.name, unit)
                checked += 1
    assert checked >= 5


# --- version and exit codes as a real process ------------------------------------------------


def _sparcs(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "sparcs.cli", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_version_and_exit_codes_of_the_process(tmp_path: Path) -> None:
    import sparcs

    version = _sparcs("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"sparcs {sparcs.__version__}"
    taken = tmp_path / "file"
    taken.write_text("", encoding="utf-8")
    usage = _sparcs("run", EXAMPLES, "--out", taken)
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr and "--out" in usage.stderr


def test_exit_codes_of_click_usage_and_of_bad_files(tmp_path: Path) -> None:
    assert _invoke("run", "--no-such-option").exit_code == 2
    assert _invoke("green-hours", SMALL).exit_code == 2  # --start is required
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b'name = "Caf\xe9"\n')
    assert _invoke("validate", bad).exit_code == 1
    assert _invoke("validate", SMALL).exit_code == 0
