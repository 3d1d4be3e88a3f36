"""The rule-based strategy: a year of operation simulated by fixed priorities, step by step.

:func:`simulate` is the entry; ``passes`` runs the node passes (heat, electricity, storage),
``heat`` and ``electric`` hold their rules, ``storage`` and ``storage_blocks`` the storage
loop, ``series`` writes the profiles into the flow arrays.
"""

from sparcs.operation.rule.simulate import simulate

__all__ = ["simulate"]
