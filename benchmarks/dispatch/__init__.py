"""Reference district dispatch benchmark (``/work/shared/reference/dispatch-benchmark.md``).

``generator`` makes the instance (spec section 3); ``direct``, ``linopy_model``, ``pypsa_model``,
``oemof_model`` and ``sparcs_model`` (default strategy, and ``sparcs-mono`` = one LP) each solve
it with one tool and return a ``common.ToolResult``; ``run_dispatch.py`` runs them in fresh
subprocesses and compares. Peer tools are imported inside the functions that use them, so this
package imports without them.
"""

TOOLS: tuple[str, ...] = ("direct", "linopy", "pypsa", "oemof", "sparcs", "sparcs-mono")

#: Tools of this package; every other tool is a peer in the ratio tables.
OWN: tuple[str, ...] = ("sparcs", "sparcs-mono")
