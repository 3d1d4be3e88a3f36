"""Scenario uploads: TOML or JSON text into a validated :class:`~sparcs.scenario.Scenario`.

The same loader as ``sparcs validate`` and ``sparcs run`` (:func:`sparcs.scenario.scenario_from_dict`)
checks the scenario, and every problem comes back at once. A scenario sent over the API may not
name files (weather, tariff or factor files, a building table, a baseline): the server would
read its own disk. Such fields are refused with the fix (put the data inline).
"""

from __future__ import annotations

import json
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from sparcs.errors import Problem, ScenarioError
from sparcs.scenario import Scenario, scenario_from_dict

__all__ = ["FORMATS", "parse_scenario", "scenario_format"]

#: Body formats by media type.
FORMATS = {
    "application/toml": "toml",
    "text/toml": "toml",
    "application/json": "json",
    "text/plain": "toml",
}
_FILE_FIELDS = (
    ("weather", "file"),
    ("tariff", "file"),
    ("factors", "hourly_file"),
)
_SOURCE = "request body"


def scenario_format(content_type: str | None) -> str | None:
    """``toml`` or ``json`` for a Content-Type header; None when neither.

    Examples
    --------
    >>> scenario_format("application/json; charset=utf-8")
    'json'
    """
    kind = (content_type or "").split(";")[0].strip().lower()
    return FORMATS.get(kind)


def _named_files(data: dict[str, Any]) -> list[Problem]:
    problems = []
    for section, key in _FILE_FIELDS:
        table = data.get(section)
        if isinstance(table, dict) and table.get(key) is not None:
            problems.append(
                Problem(f"{section}.{key}", "a scenario sent to the server may not name files; "
                        "use data the server holds (e.g. synthetic weather) or run it with the CLI",
                        _SOURCE)
            )  # fmt: skip
    for key in ("baseline", "buildings_file"):
        if data.get(key) is not None:
            problems.append(
                Problem(key, "a scenario sent to the server may not name files; put the "
                        "buildings inline as [[buildings]] tables, or upload the baseline and "
                        "compare runs", _SOURCE)
            )  # fmt: skip
    boundary = data.get("boundary")
    plants = boundary.get("functional_plants") if isinstance(boundary, dict) else None
    for i, plant in enumerate(plants if isinstance(plants, list) else []):
        if isinstance(plant, dict) and plant.get("hourly_file") is not None:
            problems.append(
                Problem(f"boundary.functional_plants[{i}].hourly_file",
                        "a scenario sent to the server may not name files", _SOURCE)
            )  # fmt: skip
    return problems


def parse_scenario(text: str, fmt: str) -> tuple[dict[str, Any], Scenario]:
    """Parse and validate a scenario sent as ``toml`` or ``json`` text.

    Parameters
    ----------
    text
        The request body.
    fmt
        ``toml`` or ``json``.

    Returns
    -------
    tuple of (dict, Scenario)
        The parsed mapping and the validated scenario.

    Raises
    ------
    ScenarioError
        With every problem: syntax, fields, plausibility, named files.
    """
    try:
        data = json.loads(text) if fmt == "json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioError([Problem("", f"not valid {fmt.upper()}: {exc}", _SOURCE)]) from None
    except RecursionError:
        raise ScenarioError([Problem("", "nested too deeply", _SOURCE)]) from None
    if not isinstance(data, dict):
        raise ScenarioError([Problem("", "a scenario is an object (a TOML document)", _SOURCE)])
    named = _named_files(data)
    if named:
        raise ScenarioError(named)
    with tempfile.TemporaryDirectory(prefix="sparcs-upload-") as empty:
        scenario = scenario_from_dict(data, source=_SOURCE, base_dir=Path(empty))
    return data, scenario
