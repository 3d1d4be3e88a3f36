"""The embedded data files of this folder and their reader."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["data_path", "read_toml"]


def data_path(name: str) -> resources.abc.Traversable:
    """Return the path of the embedded data file ``name``.

    Parameters
    ----------
    name
        File name inside ``sparcs/data``, e.g. ``"cities.toml"``.

    Returns
    -------
    importlib.resources.abc.Traversable
        The file, readable whether the package is installed or run from source.
    """
    return resources.files("sparcs.data").joinpath(name)


@cache
def read_toml(name: str) -> dict[str, dict[str, Any]]:
    """The embedded TOML file ``name``, parsed once per process.

    Parameters
    ----------
    name
        File name inside ``sparcs/data``, e.g. ``"factors.toml"``.

    Returns
    -------
    dict
        Its top-level tables by key (shared between callers: do not change it).
    """
    return tomllib.loads(data_path(name).read_text(encoding="utf-8"))
