"""The malformed-input corpus (tests/data/malformed/cases.toml) through the real entry points.

Each case is a file and its expected outcome: ``error`` (a :class:`SparcsError` whose message
contains ``message``; for the CLI a non-zero exit, the message and no traceback), ``accept``
(no error and no warning: warnings are errors in this test suite) or ``warn`` (a
:class:`PlausibilityWarning` containing ``message``).
"""

from __future__ import annotations

import contextlib
import shlex
import tomllib
import warnings
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import sparcs.errors
from sparcs import run
from sparcs.carriers import read_hourly_factors
from sparcs.carriers.tariffs import read_price_file
from sparcs.cli.app import app
from sparcs.climate import load_weather
from sparcs.climate.load import read_weather_file
from sparcs.errors import PlausibilityWarning, SparcsError
from sparcs.planning.costs import load_costs, read_cost_overrides
from sparcs.scenario import load_scenario

CORPUS = Path(__file__).parent / "data" / "malformed"
CASES: list[dict[str, Any]] = tomllib.loads((CORPUS / "cases.toml").read_text())["case"]


def _call(case: dict[str, Any], path: Path) -> None:
    kind = case["kind"]
    if kind == "scenario":
        load_scenario(path)
    elif kind == "run":
        run(path)
    elif kind == "weather":
        read_weather_file(path)
    elif kind == "weather-nsrdb":
        read_weather_file(path, "nsrdb")
    elif kind == "weather-scenario":
        load_weather(load_scenario(path))
    elif kind == "price":
        read_price_file(path)
    elif kind == "co2":
        read_hourly_factors(path)
    elif kind == "costs":
        load_costs("DE", read_cost_overrides(path))
    else:
        raise AssertionError(f"unknown kind {kind!r}")


def _id(case: dict[str, Any]) -> str:
    return f"{case['kind']}:{Path(case['file']).name}"


def test_corpus_is_large_and_covers_every_rule() -> None:
    assert len(CASES) >= 40
    assert {c.get("rule") for c in CASES} >= set(range(1, 8))
    assert {c["expect"] for c in CASES} == {"error", "accept", "warn"}


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] != "cli"], ids=_id)
def test_case(case: dict[str, Any]) -> None:
    path = CORPUS / case["file"]
    if case["expect"] == "accept":
        _call(case, path)
    elif case["expect"] == "warn":
        # a later stage may refuse (e.g. a 3-day file for a year); the warning came first
        with pytest.warns(PlausibilityWarning) as record, contextlib.suppress(SparcsError):
            _call(case, path)
        assert any(case["message"] in str(w.message) for w in record), [
            str(w.message) for w in record
        ]
    else:
        with pytest.raises(SparcsError) as caught, warnings.catch_warnings():
            warnings.simplefilter("ignore", PlausibilityWarning)
            _call(case, path)
        text = str(caught.value)
        assert case["message"] in text
        assert "Traceback" not in text
        if case.get("error"):
            assert isinstance(caught.value, getattr(sparcs.errors, case["error"]))


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "cli"], ids=_id)
def test_cli_case(case: dict[str, Any], tmp_path: Path) -> None:
    args = shlex.split(case["args"].format(file=CORPUS / case["file"], tmp=tmp_path / "out"))
    result = CliRunner().invoke(app, args)
    output = result.output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert case["message"] in " ".join(output.split())
    assert (result.exit_code == 0) == (case["expect"] == "accept"), output
