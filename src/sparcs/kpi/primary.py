"""Total and renewable primary energy and the renewable energy ratio (EN ISO 52000-1).

The PED balance (:mod:`sparcs.kpi.ped`) is on non-renewable primary energy. These KPIs add the
other two kinds of the standard for the energy **used** inside the boundary (export is not
subtracted):

* ``pei_tot``: total primary energy delivered, :math:`\\sum_c E_{del,c} f_{P,tot,c}`;
* ``pe_ren``: renewable primary energy, the renewable part of the delivered carriers,
  :math:`\\sum_c E_{del,c} (f_{P,tot,c} - f_{P,nren,c})`, plus the on-site renewable energy
  used (self-consumed PV and wind, solar heat not dumped, ambient heat of heat pumps), each
  with :math:`f_{P,ren} = f_{P,tot} = 1`;
* ``rer``: renewable energy ratio, :math:`E_{P,ren} / (E_{P,nren} + E_{P,ren})` with
  :math:`E_{P,nren} = PEI`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sparcs.kpi._base import DELIVERED, delivered_steps, ratio
from sparcs.kpi.ped import pe_steps
from sparcs.kpi.renewables import onsite_renewable

if TYPE_CHECKING:
    from sparcs.carriers.factors import StepFactors
    from sparcs.operation.flows import Flows

__all__ = ["primary_energy_total", "renewable_energy_ratio", "renewable_primary_energy"]


def primary_energy_total(flows: Flows, *, factors: StepFactors) -> float:
    """Total primary energy delivered, :math:`\\sum_t \\sum_c E_{del,c}(t) f_{P,tot,c}(t)` [kWh_PE].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    factors
        Resolved factors on the steps of ``flows``; ``pef_tot`` is used.

    Returns
    -------
    float
        Total primary energy of the district over the period [kWh_PE].

    References
    ----------
    EN ISO 52000-1:2017 §9.6 (E_P,tot); EN 17423:2020.
    """
    factors.check_aligned(flows)
    delivered = delivered_steps(flows)
    return float(sum((delivered[c] * factors.pef_tot[c]).sum() for c in DELIVERED))


def renewable_primary_energy(flows: Flows, *, factors: StepFactors) -> float:
    """Renewable primary energy used inside the boundary [kWh_PE].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    factors
        Resolved factors on the steps of ``flows``.

    Returns
    -------
    float
        Renewable primary energy of the district over the period [kWh_PE].

    Notes
    -----
    :math:`E_{P,ren} = \\sum_c E_{del,c} (f_{P,tot,c} - f_{P,nren,c}) + E_{ren,on-site}`.

    References
    ----------
    EN ISO 52000-1:2017 §9.6 (E_P,ren; on-site renewables with f_P,ren = 1).
    """
    factors.check_aligned(flows)
    delivered = delivered_steps(flows)
    grid_ren = sum(((factors.pef_tot[c] - factors.pef[c]) * delivered[c]).sum() for c in DELIVERED)
    return float(grid_ren) + float(onsite_renewable(flows))


def renewable_energy_ratio(flows: Flows, *, factors: StepFactors) -> float:
    """Renewable energy ratio RER = E_P,ren / E_P,tot of the energy used [-]; NaN when none.

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    factors
        Resolved factors on the steps of ``flows``.

    Returns
    -------
    float
        Renewable energy ratio of the district [-]; NaN when no energy is used.

    References
    ----------
    EN ISO 52000-1:2017 §9.6.7 (renewable energy ratio); EN 17423:2020.
    """
    ren = renewable_primary_energy(flows, factors=factors)
    nren = float(pe_steps(flows, factors)[0].sum())
    return float(ratio(ren, nren + ren))
