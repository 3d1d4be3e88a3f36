"""``python -m sparcs.cli``: the ``sparcs`` command line."""

from sparcs.cli.app import main

main()
