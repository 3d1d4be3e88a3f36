"""The ``sparcs`` command line (Typer + Rich)."""

from sparcs.cli.app import app, main

__all__ = ["app", "main"]
