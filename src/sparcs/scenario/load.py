"""Read and write scenario files (TOML) and building-stock tables (CSV).

Every problem in a file is reported at once, each naming the file, the field path and the fix;
no pandas or pydantic traceback reaches the user.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ValidationError

from sparcs.errors import DataError, Problem, ScenarioError
from sparcs.scenario.models import Scenario
from sparcs.scenario.plausible import check_scenario
from sparcs.textfiles import read_table, read_text

__all__ = ["dump_scenario", "load_scenario", "read_buildings_csv", "scenario_from_dict"]

_PATH_FIELDS = (("weather", "file"), ("tariff", "file"), ("factors", "hourly_file"))
_TOP_PATH_FIELDS = ("baseline",)


def _field_path(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _model_at(loc: Sequence[int | str]) -> type[BaseModel] | None:
    """The pydantic model that owns the last key of ``loc`` (for 'did you mean')."""
    model: Any = Scenario
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        is_model = isinstance(model, type) and issubclass(model, BaseModel)
        field = model.model_fields.get(part) if is_model else None
        if field is None:
            return None
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        nested = [
            c
            for arg in candidates
            for c in (arg, *getattr(arg, "__args__", ()))
            if isinstance(c, type) and issubclass(c, BaseModel)
        ]
        if not nested:
            return None
        model = nested[0]
    return model if isinstance(model, type) else None


def _message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    loc = error["loc"]
    if kind == "extra_forbidden":
        model = _model_at(loc)
        key = str(loc[-1])
        hint = ""
        if model is not None:
            close = difflib.get_close_matches(key, list(model.model_fields), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            if not close:
                hint = f"; known keys are: {', '.join(model.model_fields)}"
        return f"unknown key {key!r}{hint}"
    if kind == "missing":
        return "required field is missing"
    if kind == "literal_error":
        return f"{error['input']!r} is not one of: {error['ctx']['expected']}"
    text = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        text = text.removeprefix(prefix)
    if kind in ("float_parsing", "int_parsing", "bool_parsing", "int_from_float"):
        text = f"{error['input']!r}: {text[0].lower()}{text[1:]}"
    return text


def _missing_columns(exc: ValidationError, n_toml: int, n_csv: int) -> set[str]:
    """CSV columns that every row lacks: one problem per column, not one per row."""
    rows: dict[str, set[int]] = {}
    for error in exc.errors():
        loc = tuple(error["loc"])
        if (
            error["type"] == "missing"
            and len(loc) >= 3
            and loc[0] == "buildings"
            and isinstance(loc[1], int)
            and loc[1] >= n_toml
        ):
            rows.setdefault(".".join(str(p) for p in loc[2:]), set()).add(loc[1])
    return {column for column, seen in rows.items() if n_csv > 1 and len(seen) == n_csv}


def _problems(
    exc: ValidationError,
    source: str,
    csv_source: str,
    n_toml_buildings: int,
    csv_ids: Sequence[str],
    csv_lines: Sequence[int] = (),
) -> list[Problem]:
    problems = []
    whole = _missing_columns(exc, n_toml_buildings, len(csv_ids))
    for column in sorted(whole):
        problems.append(
            Problem(
                "header",
                f"column {column} is missing; every row needs it, so add the column",
                csv_source,
            )
        )
    for error in exc.errors():
        if error["type"] == "missing" and ".".join(str(p) for p in error["loc"][2:]) in whole:
            continue
        loc = tuple(error["loc"])
        if (
            len(loc) >= 2
            and loc[0] == "buildings"
            and isinstance(loc[1], int)
            and loc[1] >= n_toml_buildings
        ):
            row = loc[1] - n_toml_buildings
            line = csv_lines[row] if row < len(csv_lines) else row + 2
            where = f"row {line} (id {csv_ids[row]!r})"
            column = ".".join(str(p) for p in loc[2:])
            location = f"{where}, column {column}" if column else where
            problems.append(Problem(location, _message(error), csv_source))
        else:
            problems.append(Problem(_field_path(loc), _message(error), source))
    return problems


def _nest(row: Mapping[str, str]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for column, raw in row.items():
        if column is None or raw is None or raw.strip() == "":
            continue
        target = nested
        parts = column.strip().split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = raw.strip()
    return nested


def _read_buildings(path: Path) -> tuple[list[dict[str, Any]], list[int]]:
    """Rows of a building stock and their file lines (blank and all-comma rows dropped)."""
    try:
        table = read_table(path, what="building file")
    except DataError as exc:
        raise ScenarioError(str(exc)) from None
    if "id" not in table.header:
        msg = f"building file {path} needs a header row with an 'id' column; found {table.header}"
        raise ScenarioError(msg)
    plain = set(table.header)
    for column in table.header:
        parts = column.split(".")
        clash = next(
            (".".join(parts[:i]) for i in range(1, len(parts)) if ".".join(parts[:i]) in plain),
            None,
        )
        if clash or any(not p.strip() for p in parts):
            msg = f"building file {path}, line {table.header_line}: column {column!r} " + (
                f"clashes with column {clash!r}; use either {clash!r} or dotted columns"
                if clash
                else "has an empty part; write asset columns as e.g. 'pv.kwp'"
            )
            raise ScenarioError(msg)
    rows = [_nest(dict(zip(table.header, row, strict=True))) for row in table.rows]
    return rows, table.lines


def read_buildings_csv(path: str | Path) -> list[dict[str, Any]]:
    """Read a building stock: one row per building, dotted columns for assets (``pv.kwp``).

    Returns raw rows; they are validated with the scenario so all problems are listed at once.
    Blank rows and rows of empty fields are skipped; every other row must have one field per
    header column (:func:`sparcs.textfiles.read_table`).

    Parameters
    ----------
    path
        The CSV file: an ``id`` column, then one column per building field (units as in the
        scenario, e.g. ``floor_area_m2`` [m2], ``pv.kwp`` [kWp]).

    Returns
    -------
    list of dict
        One mapping per building, field name (dotted for assets) -> text value.

    Raises
    ------
    ScenarioError
        When the file is missing, not UTF-8, has no ``id`` column or a row of the wrong length.
    """
    return _read_buildings(Path(path))[0]


def scenario_from_dict(
    data: Mapping[str, Any], *, source: str = "", base_dir: Path | None = None
) -> Scenario:
    """Validate a scenario given as a mapping (parsed TOML, JSON or an API request).

    Relative file paths are resolved against ``base_dir``; a ``buildings_file`` is read and its
    rows appended to ``buildings``.

    Parameters
    ----------
    data
        The scenario as nested mappings (sections as keys, e.g. ``"site"``, ``"buildings"``).
    source
        Name of the input (a file name) that prefixes the error messages.
    base_dir
        Folder that relative file paths are resolved against; default: the working folder.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        With every problem found in the mapping and the building file.
    """
    data = dict(data)
    base_dir = base_dir or Path.cwd()
    for section, key in _PATH_FIELDS:
        value = data.get(section, {}).get(key) if isinstance(data.get(section), dict) else None
        if isinstance(value, str):
            data[section] = {**data[section], key: str((base_dir / value).resolve())}
    for key in _TOP_PATH_FIELDS:
        if isinstance(data.get(key), str):
            data[key] = str((base_dir / data[key]).resolve())
    boundary = data.get("boundary")
    plants = boundary.get("functional_plants") if isinstance(boundary, dict) else None
    if isinstance(boundary, dict) and isinstance(plants, list):  # files in arrays of tables
        data["boundary"] = {
            **boundary,
            "functional_plants": [
                {**plant, "hourly_file": str((base_dir / plant["hourly_file"]).resolve())}
                if isinstance(plant, dict) and isinstance(plant.get("hourly_file"), str)
                else plant
                for plant in plants
            ],
        }
    given = data.get("buildings", [])
    if not isinstance(given, list):
        msg = "must be an array of tables: write each building as [[buildings]], not [buildings]"
        raise ScenarioError([Problem("buildings", msg, source)], source)
    toml_buildings = list(given)
    csv_rows: list[dict[str, Any]] = []
    csv_lines: list[int] = []
    csv_source = ""
    if isinstance(data.get("buildings_file"), str):
        csv_path = (base_dir / data["buildings_file"]).resolve()
        csv_source = str(csv_path)
        try:
            csv_rows, csv_lines = _read_buildings(csv_path)
        except ScenarioError as exc:
            raise ScenarioError([Problem("buildings_file", str(exc), source)]) from None
        data["buildings_file"] = csv_source
    data["buildings"] = toml_buildings + csv_rows
    try:
        scenario = Scenario.model_validate(data)
    except RecursionError:
        msg = "arrays or tables are nested too deeply"
        raise ScenarioError([Problem("", msg, source)], source) from None
    except ValidationError as exc:
        ids = [str(row.get("id", "?")) for row in csv_rows]
        raise ScenarioError(
            _problems(exc, source, csv_source, len(toml_buildings), ids, csv_lines), source
        ) from None
    check_scenario(
        scenario,
        source=source,
        csv_source=csv_source,
        n_toml_buildings=len(toml_buildings),
        csv_lines=csv_lines,
    )
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file (TOML).

    Parameters
    ----------
    path
        Path of the ``.toml`` file.

    Returns
    -------
    Scenario
        The validated scenario; relative paths in it resolved against the file's folder.

    Raises
    ------
    ScenarioError
        When the file is missing, is not valid TOML, or breaks the schema; every problem is
        listed with its field path.
    """
    path = Path(path)
    if not path.exists():
        msg = f"scenario file {path} does not exist"
        raise ScenarioError(msg)
    try:
        text = read_text(path, what="scenario file")
    except DataError as exc:
        raise ScenarioError(str(exc)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([Problem("", f"not valid TOML: {exc}", str(path))]) from None
    except RecursionError:
        msg = "not a usable scenario: arrays or tables are nested too deeply"
        raise ScenarioError([Problem("", msg, str(path))]) from None
    return scenario_from_dict(data, source=str(path), base_dir=path.parent.resolve())


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None and v != []}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def dump_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Write ``scenario`` as a TOML file that :func:`load_scenario` reads back unchanged.

    Buildings from a ``buildings_file`` are written inline, so the file stands alone.

    Parameters
    ----------
    scenario
        The scenario to write.
    path
        Target ``.toml`` file; overwritten if it exists.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    data = _plain(scenario.model_dump(mode="python", exclude={"buildings_file"}))
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path
