"""Write docs/scenario-reference.md from the pydantic models of a scenario.

Every key of a scenario file with its type or allowed values, unit, default and meaning,
one table per TOML table, and a complete example. The models are the single source: run
this script after changing them (a test fails while the committed file is out of date).

Usage::

    python scripts/scenario_reference.py          # write docs/scenario-reference.md
    python scripts/scenario_reference.py --check  # exit 1 if the file is out of date
"""

from __future__ import annotations

import re
import sys
import types
import typing
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "scenario-reference.md"
EXAMPLE = ROOT / "examples" / "maia-solar-schools.toml"

#: Units read from a key's suffix when its description gives none.
SUFFIX_UNITS = {
    "_kwh": "kWh",
    "_kwp": "kWp",
    "_kw": "kW",
    "_m2": "m²",
    "_deg": "°",
    "_c": "°C",
    "_eur": "EUR",
    "_h": "h",
    "_pct": "%",
    "_m": "m",
    "_s": "s",
}


def _members(annotation: Any) -> list[Any]:
    """The alternatives of a union (``X | None``), or the annotation itself."""
    if get_origin(annotation) in (Union, types.UnionType):
        return list(get_args(annotation))
    return [annotation]


def _models(annotation: Any) -> list[type[BaseModel]]:
    found = []
    for member in _members(annotation):
        if get_origin(member) is typing.Annotated:
            member = get_args(member)[0]
        if get_origin(member) in (list, tuple):
            found += [
                a for a in get_args(member) if isinstance(a, type) and issubclass(a, BaseModel)
            ]
        elif isinstance(member, type) and issubclass(member, BaseModel):
            found.append(member)
    return found


def _range(metadata: list[Any]) -> str:
    """``0 … 90``, ``> 0`` or ``≥ 0`` from the validators and bounds of a field."""
    parts = []
    for item in metadata:
        func = getattr(item, "func", None)
        if (
            func is not None
            and func.__closure__
            and {"low", "high"} <= set(func.__code__.co_freevars)
        ):
            cells = dict(zip(func.__code__.co_freevars, func.__closure__, strict=True))
            parts.append(f"{cells['low'].cell_contents:g} … {cells['high'].cell_contents:g}")
        elif func is not None and func.__name__ == "_positive":
            parts.append("> 0")
        elif func is not None and func.__name__ == "_non_negative":
            parts.append("≥ 0")
        for attr, sign in (
            ("ge", "≥"),
            ("gt", ">"),
            ("le", "≤"),
            ("lt", "<"),
            ("min_length", "length ≥"),
        ):
            value = getattr(item, attr, None)
            if value is not None and not callable(value):
                parts.append(f"{sign} {value:g}" if isinstance(value, float) else f"{sign} {value}")
    return ", ".join(dict.fromkeys(parts))


def _type(annotation: Any, info: FieldInfo) -> str:
    names, metadata = [], list(info.metadata)
    optional = False
    for member in _members(annotation):
        if member is type(None):
            optional = True
            continue
        if get_origin(member) is typing.Annotated:
            member, *extra = get_args(member)
            metadata += extra
        if get_origin(member) is Literal:
            names.append("one of: " + ", ".join(f"`{v}`" for v in get_args(member)))
        elif get_origin(member) in (list, tuple):
            inner = get_args(member)[0] if get_args(member) else Any
            label = (
                "table"
                if isinstance(inner, type) and issubclass(inner, BaseModel)
                else getattr(inner, "__name__", str(inner))
            )
            names.append(f"list of {label}s")
        elif (
            get_origin(member) is dict
            or member is dict
            or (isinstance(member, type) and issubclass(member, BaseModel))
        ):
            names.append("table")
        else:
            names.append(
                {
                    "str": "text",
                    "float": "number",
                    "int": "integer",
                    "bool": "true/false",
                    "Path": "path",
                    "PosixPath": "path",
                }.get(getattr(member, "__name__", ""), str(member))
            )
    bounds = _range(metadata)
    text = " or ".join(names) + (f" ({bounds})" if bounds else "")
    return text + (", optional" if optional else "")


def _unit(key: str, description: str) -> str:
    found = re.search(r"\[([^\]]+)\]", description)
    if found:
        return found.group(1)
    return next((unit for suffix, unit in SUFFIX_UNITS.items() if key.endswith(suffix)), "")


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    if info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
        if isinstance(value, BaseModel):
            return "(defaults below)"
        return f"`{value!r}`" if value not in ([], {}, ()) else "empty"
    if info.default is None or info.default is PydanticUndefined:
        return "none"
    value = info.default
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return (
        f"`{value!r}`"
        if isinstance(value, str)
        else f"`{value:g}`"
        if isinstance(value, float)
        else f"`{value}`"
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _sections(
    model: type[BaseModel], path: str, is_list: bool, seen: dict[type[BaseModel], str]
) -> list[str]:
    title = "Top level" if not path else f"`[[{path}]]`" if is_list else f"`[{path}]`"
    if model in seen:
        return [f"## {title}", "", f"The same keys as {seen[model]}.", ""]
    seen[model] = title
    doc = (model.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
    lines = [
        f"## {title}",
        "",
        doc,
        "",
        "| key | type and allowed values | unit | default | meaning |",
        "|---|---|---|---|---|",
    ]
    nested = []
    for key, info in model.model_fields.items():
        description = info.description or ""
        meaning = re.sub(r"\s*\[[^\]]+\]\s*$", "", description)
        lines.append(
            "| "
            + " | ".join(
                _cell(c)
                for c in (
                    f"`{key}`",
                    _type(info.annotation, info),
                    _unit(key, description),
                    _default(info),
                    meaning,
                )
            )
            + " |"
        )
        for sub in _models(info.annotation):
            child = f"{path}.{key}" if path else key
            listed = any(get_origin(m) in (list, tuple) for m in _members(info.annotation))
            nested.append((sub, child, listed))
    lines.append("")
    for sub, child, listed in nested:
        lines += _sections(sub, child, listed, seen)
    return lines


def render() -> str:
    """The whole reference page as Markdown."""
    from sparcs.scenario import Scenario

    head = [
        "# Scenario file reference",
        "",
        "<!-- generated by scripts/scenario_reference.py from sparcs.scenario; do not edit -->",
        "",
        "A scenario is a TOML file (UTF-8). Unknown keys are errors, so a typo never passes "
        "silently; `sparcs validate FILE` lists every problem at once. Relative paths "
        "(weather, tariff and factor files, `buildings_file`, `baseline`) start at the "
        "scenario file's folder. Units: kW, kWh, °C, m², EUR; `[-]` is a share from 0 to 1.",
        "",
    ]
    body = _sections(Scenario, "", False, {})
    example = EXAMPLE.read_text(encoding="utf-8").rstrip("\n")
    tail = [
        "## Example",
        "",
        f"`examples/{EXAMPLE.name}`, one of the bundled city examples:",
        "",
        "```toml",
        example,
        "```",
        "",
    ]
    return "\n".join(head + body + tail)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is out of date; run python scripts/scenario_reference.py")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
