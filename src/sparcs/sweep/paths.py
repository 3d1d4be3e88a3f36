"""Parameter paths into a scenario.

Examples: ``buildings[*].pv.kwp``, ``tariff.kind``, ``grid.import_limit_kw``. A path is a
dotted list of scenario keys; a key that holds an array takes a selector: ``[*]`` (every
element), ``[2]`` (the third) or ``[block-A]`` (the building with that id). Paths are checked
against the scenario's pydantic models before anything runs, so a typo is one line naming the
key and the valid keys. Values are applied to a plain copy of the validated scenario and
validated again per point.

Zero means "no such asset": a value of 0 for the required size of an optional asset table
(``pv.kwp``, ``battery.capacity_kwh``, ``wind.capacity_kw``, ...) removes that table, since the
schema allows no asset but no zero-sized one.
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from sparcs.errors import ScenarioError
from sparcs.scenario.models import Scenario

__all__ = ["Scalar", "Step", "SweepParam", "apply_value", "parse_param", "parse_value"]

#: A parameter value: what the command line gives, typed.
Scalar = bool | int | float | str | None

_SEGMENT = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\[(?P<sel>[^\]]+)\])?$")


@dataclass(frozen=True)
class Step:
    """One key of a path, with its array selector.

    Attributes
    ----------
    name
        The key, e.g. ``"buildings"``.
    selector
        ``"*"``, an index (``"2"``) or a building id; ``None`` for a key that is not an array.
    is_array
        Whether the key holds an array of tables.
    optional
        Whether the key may be absent (``None``) in a valid scenario.
    required
        Whether the key's table must give it (it has no default).
    """

    name: str
    selector: str | None
    is_array: bool
    optional: bool
    required: bool


@dataclass(frozen=True)
class SweepParam:
    """A swept parameter: its path and the values it takes.

    Attributes
    ----------
    path
        As the user wrote it, e.g. ``"buildings[*].pv.kwp"``; the column name in ``sweep.csv``.
    steps
        The checked keys of the path.
    values
        The values, in the order given.
    """

    path: str
    steps: tuple[Step, ...]
    values: tuple[Scalar, ...]


def parse_value(text: str) -> Scalar:
    """A typed value from its text: ``true``/``false``, ``none``, an int, a float, or text.

    Parameters
    ----------
    text
        One value as the command line gives it.

    Returns
    -------
    bool, None, int, float or str
        The first of those the text reads as.

    >>> [parse_value(v) for v in ("50", "2.5", "true", "none", "tou")]
    [50, 2.5, True, None, 'tou']
    """
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("none", "null"):
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text.strip()


def _unwrap(annotation: Any) -> tuple[Any, bool, bool]:
    """(inner type, is list, is optional) of a field's annotation."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(get_args(annotation))
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation, False, optional
        elif origin is list:
            inner, _, _ = _unwrap(get_args(annotation)[0])
            return inner, True, optional
        else:
            return annotation, False, optional


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)


def _check_steps(path: str) -> tuple[Step, ...]:
    model: type[BaseModel] = Scenario
    steps: list[Step] = []
    parts = path.split(".")
    for position, part in enumerate(parts):
        where = ".".join(parts[: position + 1])
        match = _SEGMENT.match(part)
        if match is None:
            msg = f"--param {path}: {part!r} is not a key; write keys like buildings[*].pv.kwp"
            raise ScenarioError(msg)
        name, selector = match["name"], match["sel"]
        if name not in model.model_fields:
            valid = ", ".join(sorted(model.model_fields))
            msg = f"--param {path}: {where!r} is not a key of {model.__name__}; valid keys: {valid}"
            raise ScenarioError(msg)
        info = model.model_fields[name]
        inner, is_array, optional = _unwrap(info.annotation)
        if is_array and selector is None and _is_model(inner):
            msg = f"--param {path}: {name!r} is an array; select elements: {name}[*], {name}[0]"
            raise ScenarioError(msg)
        if selector is not None and not is_array:
            msg = f"--param {path}: {name!r} is not an array; remove [{selector}]"
            raise ScenarioError(msg)
        last = position == len(parts) - 1
        if not last and not _is_model(inner):
            msg = f"--param {path}: {where!r} is a value, it has no keys below it"
            raise ScenarioError(msg)
        if last and _is_model(inner) and not is_array:
            keys = ", ".join(sorted(inner.model_fields))
            msg = f"--param {path}: {where!r} is a table; name one of its keys: {keys}"
            raise ScenarioError(msg)
        steps.append(Step(name, selector, is_array, optional, info.is_required()))
        if _is_model(inner):
            model = inner
    return tuple(steps)


def parse_param(text: str) -> SweepParam:
    """A sweep parameter from ``PATH=V1,V2,...``.

    Parameters
    ----------
    text
        E.g. ``"buildings[*].pv.kwp=0,50,100"`` or ``"tariff.kind=flat,tou"``.

    Returns
    -------
    SweepParam
        The checked path and its typed values.

    Raises
    ------
    ScenarioError
        When the text has no ``=``, no values, or the path names a key the scenario does not
        have (the message lists the valid keys at that level).

    >>> parse_param("grid.import_limit_kw=500,1000").values
    (500, 1000)
    """
    path, sep, values = text.partition("=")
    path = path.strip()
    if not sep or not path:
        msg = f"--param {text!r} needs the form PATH=V1,V2 (e.g. buildings[*].pv.kwp=0,50)"
        raise ScenarioError(msg)
    parsed = tuple(parse_value(v) for v in values.split(",") if v.strip())
    if not parsed:
        msg = f"--param {path}: no values after '='; give them comma-separated"
        raise ScenarioError(msg)
    return SweepParam(path, _check_steps(path), parsed)


def _elements(items: list[Any], step: Step, path: str) -> list[int]:
    selector = step.selector or "*"
    if selector == "*":
        return list(range(len(items)))
    if selector.isdigit():
        index = int(selector)
        if index >= len(items):
            msg = f"--param {path}: {step.name}[{index}] does not exist; it has {len(items)}"
            raise ScenarioError(msg)
        return [index]
    ids = [item.get("id") for item in items if isinstance(item, Mapping)]
    if selector not in ids:
        msg = (
            f"--param {path}: no {step.name} with id {selector!r}; ids: {', '.join(map(str, ids))}"
        )
        raise ScenarioError(msg)
    return [ids.index(selector)]


def _set(node: dict[str, Any], steps: tuple[Step, ...], value: Scalar, path: str) -> bool:
    """Set the value below ``node``; True when ``node`` itself should be removed."""
    step, rest = steps[0], steps[1:]
    if not rest:
        if value == 0 and step.required and not isinstance(value, bool):
            return True
        node[step.name] = value
        return False
    if step.is_array:
        items = node.get(step.name) or []
        for index in _elements(items, step, path):
            if _set(items[index], rest, value, path):
                msg = f"--param {path}: 0 would remove an element of {step.name}; use a size > 0"
                raise ScenarioError(msg)
        return False
    child = node.get(step.name)
    if child is None:
        child = node[step.name] = {}
    if _set(child, rest, value, path) and step.optional:
        node[step.name] = None
    return False


def apply_value(data: dict[str, Any], param: SweepParam, value: Scalar) -> None:
    """Set ``param`` to ``value`` in ``data``, a scenario as a plain mapping (in place).

    Parameters
    ----------
    data
        ``Scenario.model_dump()`` or a parsed scenario file; changed in place.
    param
        The parameter (its path was checked by :func:`parse_param`).
    value
        The value; 0 for the required size of an optional asset removes the asset.

    Raises
    ------
    ScenarioError
        When a selector names an element that does not exist.
    """
    if _set(data, param.steps, value, param.path):
        msg = f"--param {param.path}: 0 would remove the scenario's {param.steps[0].name}"
        raise ScenarioError(msg)
