"""The cost data file (``data/costs.toml``) and user cost overrides: read and checked."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from sparcs.data import data_path
from sparcs.errors import DataError, Problem, ScenarioError
from sparcs.textfiles import read_text

__all__ = ["TECH_FIELDS", "check_cost_overrides", "cost_data", "read_cost_overrides"]


#: Keys a technology's cost entry may have.
TECH_FIELDS = (
    "capex",
    "lifetime_years",
    "opex_fixed_pct",
    "opex_variable_eur_per_kwh",
    "unit",
    "source",
)


@cache
def cost_data() -> dict[str, Any]:
    """The embedded cost table, ``data/costs.toml``, parsed (read once)."""
    return tomllib.loads(data_path("costs.toml").read_text(encoding="utf-8"))


_NUMBER_RANGES = {
    "capex": (0.0, 1e7),
    "lifetime_years": (0.5, 200.0),
    "opex_fixed_pct": (0.0, 100.0),
    "opex_variable_eur_per_kwh": (0.0, 10.0),
}


def _number_problem(value: Any, low: float, high: float) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{value!r} is not a number"
    if not math.isfinite(value) or not low <= value <= high:
        return f"{value!r} is not between {low:g} and {high:g}"
    return None


def _technology_problems(name: str, entry: Any, origin: str) -> list[Problem]:
    if not isinstance(entry, Mapping):
        return [
            Problem(
                name,
                f"must be a table of figures ({', '.join(TECH_FIELDS)}), got {entry!r}",
                origin,
            )
        ]
    problems = []
    for key, value in entry.items():
        where = f"{name}.{key}"
        if key in ("unit", "source"):
            if not isinstance(value, str):
                problems.append(Problem(where, f"{value!r} must be text", origin))
            continue
        if key not in _NUMBER_RANGES:
            continue  # reported by _override with the known keys
        low, high = _NUMBER_RANGES[key]
        values = value.items() if key == "capex" and isinstance(value, Mapping) else [("", value)]
        for country, number in values:
            text = _number_problem(number, low, high)
            if text:
                problems.append(Problem(f"{where}.{country}" if country else where, text, origin))
    return problems


def check_cost_overrides(overrides: Mapping[str, Any], *, origin: str = "") -> None:
    """Check the types and ranges of cost overrides, reporting every problem at once.

    Raises
    ------
    ScenarioError
        With one problem per bad figure (field path and the accepted range).
    """
    problems: list[Problem] = []
    for key, value in overrides.items():
        if key == "discount_rate":
            text = _number_problem(value, 0.0, 0.3)
        elif key == "horizon_years":
            text = _number_problem(value, 1, 100)
            if text is None and not float(value).is_integer():
                text = f"{value!r} is not a whole number of years"
        else:
            problems.extend(
                _technology_problems(str(key), value, origin)
                if key in cost_data()["technologies"]
                else []
            )
            continue
        if text:
            problems.append(Problem(str(key), text, origin))
    if problems:
        raise ScenarioError(problems, origin)


def read_cost_overrides(path: str | Path) -> dict[str, Any]:
    """Read cost overrides from a TOML file (the layout of ``data/costs.toml``'s technologies).

    Parameters
    ----------
    path
        The TOML file: technology tables (``[pv]`` or ``[technologies.pv]``) with keys such
        as ``capex`` [EUR per unit], and top-level ``discount_rate`` [-], ``horizon_years`` [a].

    Returns
    -------
    dict
        Technology name -> {key: value}, plus the top-level keys; checked like a scenario's
        ``[costs]`` (:func:`check_cost_overrides`).

    Raises
    ------
    ScenarioError
        When the file is missing or is not valid TOML.
    """
    path = Path(path)
    if not path.exists():
        msg = f"cost file {path} does not exist"
        raise ScenarioError(msg)
    try:
        data = tomllib.loads(read_text(path, what="cost file"))
    except DataError as exc:
        raise ScenarioError(str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        msg = f"cost file {path} is not valid TOML: {exc}"
        raise ScenarioError(msg) from None
    except RecursionError:
        msg = f"cost file {path}: arrays or tables are nested too deeply"
        raise ScenarioError(msg) from None
    techs = data.pop("technologies", {})
    if not isinstance(techs, dict):
        msg = f"cost file {path}: 'technologies' must be a table ([technologies.pv] ...)"
        raise ScenarioError(msg)
    overrides = {**data, **techs}
    check_cost_overrides(overrides, origin=str(path))
    return overrides
