"""Reference values of the dispatch problem, seed 42, co2_price 80 (spec section 6)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["OBJECTIVE_RTOL", "REFERENCE", "Reference", "relative_difference"]

#: An implementation is correct if its objective matches within this relative difference.
OBJECTIVE_RTOL = 1e-6


@dataclass(frozen=True, slots=True)
class Reference:
    """One row of the spec's section 6 table."""

    grid_kw: float  # district connection limit G
    checksum: str  # first 16 hex digits of the data sha256
    objective: float | None  # optimal objective [EUR]; None where not solved yet


REFERENCE: dict[tuple[int, int], Reference] = {
    (1, 168): Reference(4.88, "c2817314b0775e42", 146.592639226),
    (1, 8760): Reference(4.88, "a8af32f81d2bfda6", 2839.17929110),
    (10, 8760): Reference(35.76, "fcac9a3b5f9441a2", 18723.1896321),
    (100, 720): Reference(355.07, "6bd86ed3d7aedb0f", 46258.8663390),
    (100, 8760): Reference(355.07, "fcdd0ab1c4a48e16", None),
}


def relative_difference(value: float, reference: float) -> float:
    """``|value - reference| / max(|reference|, 1e-12)``."""
    return abs(value - reference) / max(abs(reference), 1e-12)
