"""The engine never imports the shell.

``import sparcs.operation`` works without web or CLI packages.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import sparcs

ENGINE = (
    "scenario",
    "data",
    "carriers",
    "lp",
    "climate",
    "profiles",
    "operation",
    "kpi",
    "planning",
    "services",
    "monitoring",
    "community",
    "network",
    "stock",
    "i18n",
    "errors",
    "timeseries",
    "units",
    "plausibility",
    "textfiles",
    "kept",
)
SHELL_PACKAGES = (
    "typer",
    "rich",
    "fastapi",
    "uvicorn",
    "duckdb",
    "psycopg",
    "dask",
    "jinja2",
    "plotly",
    "matplotlib",
    "playwright",
)


def _engine_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(sparcs.__path__, "sparcs."):
        top = info.name.split(".")[1]
        if top in ENGINE:
            names.append(info.name)
    return names


def test_engine_imports_without_shell_packages() -> None:
    modules = _engine_modules()
    assert "sparcs.scenario.models" in modules
    code = textwrap.dedent(
        f"""
        import importlib, importlib.abc, sys
        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split('.')[0] in {SHELL_PACKAGES!r}:
                    raise ImportError('engine imported shell package ' + name)
                return None
        sys.meta_path.insert(0, Block())
        for name in {modules!r}:
            importlib.import_module(name)
        print('ok', len({modules!r}))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok")


def test_public_api_is_sorted_and_exported() -> None:
    assert sparcs.__all__ == sorted(sparcs.__all__)
    for name in sparcs.__all__:
        assert hasattr(sparcs, name), name


# --- layers ----------------------------------------------------------------------------------

#: The rooms of the house from the bottom up (DESIGN.md §2). A module may import from its own
#: room and from rooms below it, never from a room above: function-level and type-only imports
#: count too, since they are arrows a reader must follow.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors",),
    ("units", "timeseries", "_memory", "plausibility", "textfiles", "i18n", "kept"),
    ("data",),
    ("scenario",),
    ("carriers", "lp"),
    ("climate",),
    ("profiles",),
    ("operation",),
    ("kpi",),
    ("planning", "services", "testing", "monitoring", "stock", "community", "network"),
    ("report", "scale", "store"),
    ("runner", "live"),
    ("sweep",),
    ("citizens",),
    ("server",),
    ("cli",),
)
#: The shell (DESIGN.md §1: cli, api, web, store, scale): the rooms that run, store, serve and
#: show the engine's work. The engine (:data:`ENGINE`) never imports them.
SHELL = ("report", "scale", "store", "runner", "live", "sweep", "citizens", "server", "cli")
SRC = Path(sparcs.__file__).resolve().parent


def _imports() -> list[tuple[str, int, str]]:
    """(module, line, imported module) for every ``sparcs`` import in the package."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            found += [(module, node.lineno, t) for t in targets if t.startswith("sparcs.")]
    return found


def _room(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def test_every_room_has_a_layer() -> None:
    rooms = {
        p.stem if p.is_file() else p.name
        for p in SRC.iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").exists()) and p.name != "__init__.py"
    }
    placed = {room for layer in LAYERS for room in layer}
    assert rooms == placed, (
        f"rooms without a layer: {rooms - placed}; layers without a room: {placed - rooms}"
    )


def _upward(imports: list[tuple[str, int, str]]) -> list[str]:
    rank = {room: i for i, layer in enumerate(LAYERS) for room in layer}
    return [
        f"{m}:{line} imports {t}"
        for m, line, t in imports
        if _room(m) and _room(t) and rank[_room(t)] > rank[_room(m)]
    ]


def test_no_import_points_up_a_layer() -> None:
    upward = _upward(_imports())
    assert not upward, "\n".join(upward)


def test_an_upward_import_would_be_found() -> None:
    fake = [
        ("sparcs.operation.optimal.objective", 9, "sparcs.kpi.economics"),
        ("sparcs.kpi.ped", 3, "sparcs.carriers.factors"),
    ]
    assert _upward(fake) == ["sparcs.operation.optimal.objective:9 imports sparcs.kpi.economics"]


def test_the_engine_sits_below_the_shell() -> None:
    # The layer test alone cannot tell a room that was put on the wrong side of the line:
    # network once sat above scale and runner in LAYERS, so its imports of both pointed
    # "down" and passed, and it was not in ENGINE, so the package test never loaded it
    # without the shell. Here every engine room must rank below every shell room.
    rank = {room: i for i, layer in enumerate(LAYERS) for room in layer}
    placed = {room for layer in LAYERS for room in layer}
    assert set(ENGINE) <= placed, set(ENGINE) - placed
    assert set(SHELL) <= placed, set(SHELL) - placed
    lowest_shell = min(rank[room] for room in SHELL)
    above = [room for room in ENGINE if rank[room] >= lowest_shell]
    assert not above, f"engine rooms at or above the shell: {above}"


def test_no_engine_module_imports_the_shell() -> None:
    found = [
        f"{m}:{line} imports {t}"
        for m, line, t in _imports()
        if _room(m) in ENGINE and _room(t) in SHELL
    ]
    assert not found, "\n".join(found)


def test_a_network_import_of_the_shell_would_be_found() -> None:
    fake = [
        ("sparcs.network.run", 14, "sparcs.scale"),
        ("sparcs.network.record", 16, "sparcs.runner"),
        ("sparcs.scale.city_run", 15, "sparcs.network.city_scale"),
    ]
    assert _upward(fake) == [
        "sparcs.network.run:14 imports sparcs.scale",
        "sparcs.network.record:16 imports sparcs.runner",
    ]


def test_no_private_module_is_imported_from_another_room() -> None:
    private = [
        f"{m}:{line} imports {t}"
        for m, line, t in _imports()
        if _room(t) != _room(m)
        and _room(t) != "_memory"
        and any(part.startswith("_") for part in t.split(".")[2:])
    ]
    assert not private, "\n".join(private)


def test_import_of_the_package_and_its_errors_is_light() -> None:
    code = (
        "import sys, sparcs, sparcs.errors; "
        "heavy = [m for m in ('pvlib', 'scipy', 'pandas', 'sparcs.runner') if m in sys.modules]; "
        "print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_public_names_import_on_first_use() -> None:
    assert sparcs.Flows.__name__ == "Flows"
    assert issubclass(sparcs.SparcsWarning, UserWarning)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        sparcs.nope  # noqa: B018
