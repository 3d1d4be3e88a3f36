"""Net import across the boundary: the hours and months a PED is not autonomous.

**Net import**, for the counts and the autonomy test, is physical and per carrier: a step (or
month) has net import when any carrier crosses the boundary inward more than outward
(electricity import above export, any district heat, any fuel). Virtual energy never enters
these counts; the virtual versions (:func:`virtual_net_import_hours`) net primary energy
across carriers with the virtual assets and carry their own labels. A balance of exactly zero
counts as positive; sums are compared with a relative tolerance of 1e-9 so that
floating-point rounding cannot flip a class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sparcs.carriers.factors import StepFactors
from sparcs.kpi._base import By, district_only, month_groups
from sparcs.kpi._export import FunctionalSupply, physical_imports
from sparcs.kpi.ped import pe_steps
from sparcs.kpi.ped_class import TOLERANCE

if TYPE_CHECKING:
    from sparcs.operation.flows import Flows

__all__ = [
    "net_import_hours",
    "net_import_months",
    "physical_net_import",
    "virtual_net_import_hours",
    "virtual_net_import_months",
]


def _net_import(pei: np.ndarray, pee: np.ndarray) -> np.ndarray:
    result: np.ndarray = pei - pee > TOLERANCE * np.maximum(pei, pee)
    return result


def physical_net_import(flows: Flows, functional: FunctionalSupply | None = None) -> np.ndarray:
    """Steps with physical net import of any carrier, (time,) bool (virtual energy never counts)."""
    out = np.zeros(len(flows.time), dtype=bool)
    for imported, exported in physical_imports(flows, functional):
        out |= _net_import(imported, exported)
    return out


def net_import_hours(
    flows: Flows, *, by: By = "district", functional: FunctionalSupply | None = None
) -> float:
    """Hours in steps where any carrier has physical net import across the boundary [h].

    Electricity import above export, any district heat or any fuel delivered; virtual assets
    never count (:func:`virtual_net_import_hours` is the virtual version).

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` only (the boundary meter).
    functional
        Named plants of a functional boundary, whose supply counts as inside.

    Returns
    -------
    float
        Hours with net import [h].

    References
    ----------
    *Energies* 14(16) 4864 (2021); domain.md §2.2 (autonomous: no net import); §4.3 #6.
    """
    district_only(by, "net_import_hours")
    return float(physical_net_import(flows, functional).sum() * flows.dt_h)


def net_import_months(
    flows: Flows, *, by: By = "district", functional: FunctionalSupply | None = None
) -> int:
    """Local calendar months in which any carrier has physical net import [#].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` only (the boundary meter).
    functional
        Named plants of a functional boundary, whose supply counts as inside.

    Returns
    -------
    int
        Months with net import [#].

    References
    ----------
    *Energies* 14(16) 4864 (2021); domain.md §4.3 #6.
    """
    district_only(by, "net_import_months")
    labels, group = month_groups(flows)
    out = np.zeros(len(labels), dtype=bool)
    for imported, exported in physical_imports(flows, functional):
        out |= _net_import(
            np.bincount(group, weights=imported, minlength=len(labels)),
            np.bincount(group, weights=exported, minlength=len(labels)),
        )
    return int(out.sum())


def virtual_net_import_hours(flows: Flows, *, factors: StepFactors) -> float:
    """Hours whose non-renewable primary-energy import exceeds the export counting the virtual
    assets' output, netted across carriers [h] (a virtual view, not physical import).

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    factors
        Resolved per-step factors (:func:`sparcs.carriers.factors.step_factors`).

    Returns
    -------
    float
        Hours with virtual net import [h].

    References
    ----------
    *Energies* 14(16) 4864 (2021); *Energies* 15(12) 4491 (2022) (virtual boundary).
    """
    pei, pee = pe_steps(flows, factors, include_virtual=True)
    return float(_net_import(pei, pee).sum() * flows.dt_h)


def virtual_net_import_months(flows: Flows, *, factors: StepFactors) -> int:
    """Local months whose primary-energy balance with the virtual assets is negative [#].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    factors
        Resolved per-step factors (:func:`sparcs.carriers.factors.step_factors`).

    Returns
    -------
    int
        Months with virtual net import [#].
    """
    pei, pee = pe_steps(flows, factors, include_virtual=True)
    labels, group = month_groups(flows)
    pei_m = np.bincount(group, weights=pei, minlength=len(labels))
    pee_m = np.bincount(group, weights=pee, minlength=len(labels))
    return int(_net_import(pei_m, pee_m).sum())
