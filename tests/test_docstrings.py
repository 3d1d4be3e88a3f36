"""Every public function documents its parameters in a numpydoc ``Parameters`` section.

"Public" is what a package exports: the names in ``sparcs.__all__`` and in the ``__all__`` of
each ``sparcs.<package>``. A function passes when its docstring has a ``Parameters`` section
naming each parameter (``low, high : float`` names two) and a ``Returns`` (or ``Yields``)
section unless it returns None. Units go in brackets in the descriptions (house style).

``NOT_YET_DOCUMENTED`` lists the functions that did not pass when this test was written; it
only shrinks: the test fails when a listed function passes, so that it is taken off the list.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import sparcs

#: Functions of the public API still without a full Parameters/Returns section (to shrink).
NOT_YET_DOCUMENTED: frozenset[str] = frozenset()

_SECTION = re.compile(
    r"^(?P<indent>[ \t]*)(?P<title>[A-Z][A-Za-z ]+)\n(?P=indent)-{3,}[ \t]*$", re.M
)


def _packages() -> list[str]:
    names = ["sparcs"]
    for info in pkgutil.iter_modules(sparcs.__path__, "sparcs."):
        if info.ispkg:
            names.append(info.name)
    return names


def _public_functions() -> Iterator[tuple[str, Callable[..., Any]]]:
    seen: set[int] = set()
    for package in _packages():
        module = importlib.import_module(package)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.isfunction(obj) and id(obj) not in seen:
                seen.add(id(obj))
                yield f"{package}.{name}", obj


def _sections(doc: str) -> dict[str, str]:
    """Section title -> body of a numpydoc docstring (cleaned of its indent)."""
    doc = inspect.cleandoc(doc)
    matches = list(_SECTION.finditer(doc))
    out = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(doc)
        out[m.group("title").strip()] = doc[m.end() : end]
    return out


def documented_parameters(doc: str) -> set[str]:
    """Names in the ``Parameters`` (and ``Other Parameters``) sections of ``doc``.

    >>> sorted(documented_parameters('''Sum.
    ...
    ... Parameters
    ... ----------
    ... low, high : float
    ...     Bounds [kWh].
    ... **kwargs
    ...     Passed on.
    ... '''))
    ['high', 'kwargs', 'low']
    """
    names: set[str] = set()
    for title, body in _sections(doc).items():
        if title not in ("Parameters", "Other Parameters"):
            continue
        for line in body.splitlines():
            if not line.strip() or line.startswith((" ", "\t")):
                continue
            head = line.split(" : ")[0]
            names.update(part.strip().lstrip("*") for part in head.split(","))
    return names


def problems_of(func: Callable[..., Any]) -> list[str]:
    """What the docstring of ``func`` lacks: parameters not documented, a Returns section."""
    doc = inspect.getdoc(func) or ""
    sections = _sections(doc)
    wanted = [p for p in inspect.signature(func).parameters if p not in ("self", "cls")]
    documented = documented_parameters(doc)
    out = [f"parameter {p!r} is not in a Parameters section" for p in wanted if p not in documented]
    returns = inspect.signature(func).return_annotation
    returns_none = returns in (None, "None", inspect.Signature.empty)
    if not returns_none and not {"Returns", "Yields"} & sections.keys():
        out.append("no Returns section")
    return out


PUBLIC = dict(_public_functions())


def test_the_public_api_has_functions() -> None:
    assert "sparcs.run" in PUBLIC
    assert "sparcs.load_scenario" in PUBLIC


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_function_documents_its_parameters(name: str) -> None:
    problems = problems_of(PUBLIC[name])
    if name in NOT_YET_DOCUMENTED:
        assert problems, f"{name} is documented now: take it off NOT_YET_DOCUMENTED"
        pytest.xfail("; ".join(problems))
    assert not problems, f"{name}: " + "; ".join(problems)


def test_the_list_of_undocumented_functions_names_public_functions() -> None:
    assert PUBLIC.keys() >= NOT_YET_DOCUMENTED
