"""The engine never imports the shell: ``import sparcs.operation`` works without web or CLI packages."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import textwrap

import sparcs

ENGINE = ("scenario", "data", "carriers", "lp", "climate", "profiles", "operation", "kpi", "planning",
          "services", "errors",
          "timeseries", "units", "plausibility", "textfiles")
SHELL_PACKAGES = ("typer", "rich", "fastapi", "uvicorn", "duckdb", "psycopg", "dask", "jinja2",
                  "plotly", "matplotlib", "playwright")


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
