"""Energy KPIs: final energy, local generation, self-consumption, self-sufficiency.

Every function takes the :class:`~sparcs.operation.flows.Flows` first and keyword-only
settings (house style HS-12); ``by="district"`` returns a float for the district boundary,
``by="building"`` a :class:`pandas.Series` over the buildings with ``name`` and
``attrs["unit"]`` set. Fractions are returned as fractions [-]; the report shows them in %.
The accounting conventions (boundary meter, own meter, loads, generation) are those of
:mod:`sparcs.kpi._base`. Renewable shares and curtailment: :mod:`sparcs.kpi.renewables`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sparcs.errors import ScenarioError
from sparcs.kpi._base import (
    DELIVERED,
    GENERATION,
    LOADS,
    RENEWABLE_GENERATION,
    By,
    Per,
    check_by,
    delivered_nodes,
    delivered_steps,
    exported_nodes,
    node_total,
    nodes,
    per_denominator,
    per_unit,
    ratio,
    result,
    step_total,
    steps,
)

if TYPE_CHECKING:
    from sparcs.operation.flows import Flows

__all__ = [
    "electricity_use",
    "final_energy",
    "local_generation",
    "self_consumption",
    "self_sufficiency",
]


def final_energy(
    flows: Flows, *, by: By = "district", carrier: str | None = None, per: Per | None = None
) -> float | pd.Series:
    """Final (delivered) energy per carrier or in total.

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see :mod:`sparcs.kpi._base`).
    carrier
        ``"electricity"`` (grid import), ``"district_heat"``, ``"gas"``, ``"oil"``,
        ``"biomass"`` (boiler and CHP fuel), or None for the sum over carriers.
    per
        Normalise by conditioned floor area (``"m2"``) or residents (``"resident"``).

    Returns
    -------
    float or pandas.Series
        [kWh], [kWh/m2] or [kWh/resident] over the period; NaN when the area or the number of
        residents is zero.

    Notes
    -----
    :math:`E_{final} = \\sum_c E_{del,c}`. Flows carry no district-cold import (chillers
    appear through their electricity), so ``district_cold`` is not a carrier here.

    References
    ----------
    SCIS KPI Guide v2.0 (2017), energy demand and consumption; SECAP FET0 (domain.md §4.3 #1).
    """
    check_by(by)
    if carrier is not None and carrier not in DELIVERED:
        msg = (
            f"carrier={carrier!r} is not delivered in flows; "
            f"use one of {', '.join(DELIVERED)} or None"
        )
        raise ScenarioError(msg)
    carriers = DELIVERED if carrier is None else (carrier,)
    if by == "district":
        delivered = delivered_steps(flows)
        value: Any = sum(float(delivered[c].sum()) for c in carriers)
    else:
        delivered = delivered_nodes(flows)
        value = sum(delivered[c] for c in carriers)
    value = ratio(value, per_denominator(flows, by, per)) if per else value
    name = f"final_energy_{carrier}" if carrier else "final_energy"
    return result(flows, by, value, name=name, unit=per_unit("kWh", per))


def electricity_use(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Electrical load: appliances, heat pumps, electric boilers, chillers and EV charging [kWh].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).

    Returns
    -------
    float or pandas.Series
        Electrical load over the period [kWh]; a float for the district, a Series over the
        buildings.

    References
    ----------
    Load definition of self-sufficiency, Luthander et al., *Applied Energy* 142, 80-94 (2015).
    """
    check_by(by)
    value = steps(flows, LOADS).sum() if by == "district" else nodes(flows, LOADS)
    return result(flows, by, value, name="electricity_use", unit="kWh")


def _generation(flows: Flows, by: By, names: tuple[str, ...]) -> Any:
    if by == "district":
        return max(float(steps(flows, names).sum() - step_total(flows, "curtailed_kwh").sum()), 0.0)
    return np.maximum(nodes(flows, names) - node_total(flows, "curtailed_kwh"), 0.0)


def local_generation(
    flows: Flows, *, by: By = "district", renewable: bool = False
) -> float | pd.Series:
    """Local electricity generation used or exported, after curtailment [kWh].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).
    renewable
        Only PV and wind (leave out CHP electricity).

    Returns
    -------
    float or pandas.Series
        Generation after curtailment over the period [kWh]; a float for the district, a
        Series over the buildings.

    Notes
    -----
    :math:`G = E_{PV} + E_{wind} (+ E_{CHP,el}) - E_{curtailed}`.

    References
    ----------
    SCIS RES0 "renewable generation" (domain.md §4.2).
    """
    check_by(by)
    names = RENEWABLE_GENERATION if renewable else GENERATION
    name = "local_renewable_generation" if renewable else "local_generation"
    return result(flows, by, _generation(flows, by, names), name=name, unit="kWh")


def _exported(flows: Flows, by: By) -> Any:
    return (
        float(step_total(flows, "grid_export_kwh").sum())
        if by == "district"
        else exported_nodes(flows)
    )


def _imported(flows: Flows, by: By) -> Any:
    if by == "district":
        return float(step_total(flows, "grid_import_kwh").sum())
    return nodes(flows, ("grid_import_kwh", "shared_in_kwh"))


def self_consumption(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Share of local generation used inside the boundary [-].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).

    Returns
    -------
    float or pandas.Series
        Self-consumption [-], NaN without local generation; a float for the district, a
        Series over the buildings.

    Notes
    -----
    :math:`SC = 1 - E_{export} / G`, clipped to [0, 1] (export of grid-charged storage can
    exceed generation); NaN without local generation.

    References
    ----------
    Luthander et al., *Applied Energy* 142, 80-94 (2015); gsy-e and npro KPI definitions
    (domain.md §4.3 #9).
    """
    check_by(by)
    return result(flows, by, _sc(flows, by), name="self_consumption", unit="-")


def _sc(flows: Flows, by: By) -> Any:
    return np.clip(1.0 - ratio(_exported(flows, by), _generation(flows, by, GENERATION)), 0.0, 1.0)


def self_sufficiency(flows: Flows, *, by: By = "district") -> float | pd.Series:
    """Share of the electrical load not imported (autarky) [-].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).

    Returns
    -------
    float or pandas.Series
        Self-sufficiency [-], NaN without load; a float for the district, a Series over the
        buildings.

    Notes
    -----
    :math:`SS = 1 - E_{import} / E_{load}`, clipped to [0, 1] (storage losses charged from the
    grid can push import above load); NaN without load.

    References
    ----------
    Luthander et al., *Applied Energy* 142, 80-94 (2015); domain.md §4.3 #10.
    """
    check_by(by)
    load = steps(flows, LOADS).sum() if by == "district" else nodes(flows, LOADS)
    value = np.clip(1.0 - ratio(_imported(flows, by), load), 0.0, 1.0)
    return result(flows, by, value, name="self_sufficiency", unit="-")
