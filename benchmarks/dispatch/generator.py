"""Data generator of the reference district dispatch problem (spec version 1, section 3).

``/work/shared/reference/dispatch-benchmark.md`` is the specification; this module follows its
section 3 line by line, with the random draws in the order given there. Series are generated for
``TG = max(T, 8760)`` hours, equipment is sized on those, then the first ``T`` hours are kept.

Arrays are ``(N, T)`` (building-major), as in the specification; the ``sparcs`` API takes
``(T, N)``, so callers transpose.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "BAT_ETA",
    "BAT_LOSS_PER_H",
    "EXPORT_PRICE",
    "TANK_LOSS_PER_H",
    "DispatchData",
    "checksum",
    "generate",
]

FloatArray = NDArray[np.float64]

HOURS_PER_YEAR = 8760
LATITUDE_DEG = 50.0
BASE_PRICE = 0.25  # [EUR/kWh]
SEASONAL_AMPLITUDE = 0.12  # relative
EXPORT_PRICE = 0.08  # [EUR/kWh], flat
HEATING_BASE_C = 15.0
BAT_ETA = 0.95  # charge and discharge efficiency, each
BAT_LOSS_PER_H = 0.0001
TANK_LOSS_PER_H = 0.005
HP_OVERSIZE = 1.1
CONNECTION_OVERSIZE = 1.2
GRID_FRACTION = 0.9

_RAW_SHAPE_E = np.array(
    [
        0.55,
        0.50,
        0.48,
        0.47,
        0.48,
        0.55,
        0.80,
        1.15,
        1.20,
        1.00,
        0.90,
        0.90,
        0.95,
        0.90,
        0.85,
        0.90,
        1.05,
        1.35,
        1.65,
        1.75,
        1.60,
        1.35,
        1.00,
        0.72,
    ]
)
_RAW_SHAPE_DHW = np.array(
    [
        0.20,
        0.10,
        0.10,
        0.10,
        0.20,
        0.60,
        2.20,
        2.60,
        1.80,
        1.00,
        0.80,
        0.80,
        1.00,
        0.80,
        0.60,
        0.60,
        0.80,
        1.20,
        1.60,
        1.80,
        1.60,
        1.40,
        1.00,
        0.60,
    ]
)
SHAPE_E: FloatArray = _RAW_SHAPE_E / _RAW_SHAPE_E.mean()
SHAPE_DHW: FloatArray = _RAW_SHAPE_DHW / _RAW_SHAPE_DHW.mean()
TOU: FloatArray = np.array([-0.06] * 6 + [0.0] * 11 + [0.10] * 4 + [0.0] * 3)


@dataclass(frozen=True, slots=True)
class DispatchData:
    """One instance of the reference dispatch problem.

    Per-hour arrays are ``(T,)``, per-building-hour arrays ``(N, T)``, per-building ``(N,)``.
    Units: kW (kW_th for heat), kWh, EUR; time step 1 h.
    """

    n_buildings: int
    n_hours: int
    seed: int
    co2_price: float  # [EUR/t]
    t_out: FloatArray  # (T,) outdoor temperature [degC]
    pv_pu: FloatArray  # (T,) PV availability per kWp [kW/kWp]
    co2_intensity: FloatArray  # (T,) [kg/kWh]
    price_import: FloatArray  # (T,) [EUR/kWh]
    cost_import: FloatArray  # (T,) price plus CO2 cost of imports [EUR/kWh]
    export_price: FloatArray  # (T,) [EUR/kWh], flat
    demand_el: FloatArray  # (N, T) inflexible electricity demand [kW]
    demand_heat: FloatArray  # (N, T) heat demand [kW_th]
    pv_avail: FloatArray  # (N, T) available PV [kW] = pv_kwp * pv_pu
    cop: FloatArray  # (N, T) heat pump COP [-]
    pv_kwp: FloatArray  # (N,) PV size [kWp]
    hp_max: FloatArray  # (N,) heat pump electric input limit [kW]
    bat_capacity: FloatArray  # (N,) [kWh]
    bat_charge: FloatArray  # (N,) [kW]
    bat_discharge: FloatArray  # (N,) [kW]
    tank_capacity: FloatArray  # (N,) [kWh_th]
    tank_charge: FloatArray  # (N,) [kW_th]
    tank_discharge: FloatArray  # (N,) [kW_th]
    connection: FloatArray  # (N,) building connection limit, each direction [kW]
    grid: float  # district connection limit G, import and export [kW]
    bat_eta_charge: float = BAT_ETA
    bat_eta_discharge: float = BAT_ETA
    bat_loss_per_h: float = BAT_LOSS_PER_H
    tank_loss_per_h: float = TANK_LOSS_PER_H


def _ceil2(x: float) -> float:
    """``ceil2(x) = ceil(100 x - 1e-9) / 100`` (spec section 3)."""
    return math.ceil(100.0 * x - 1e-9) / 100.0


def _ar1(eps: FloatArray, phi: float = 0.97, sigma: float = 2.5) -> FloatArray:
    """AR(1) noise ``n(0) = sigma eps(0)``, ``n(t) = phi n(t-1) + sigma sqrt(1-phi^2) eps(t)``."""
    scale = sigma * math.sqrt(1.0 - phi * phi)
    out = np.empty_like(eps)
    prev = sigma * float(eps[0])
    out[0] = prev
    for i in range(1, eps.size):
        prev = phi * prev + scale * float(eps[i])
        out[i] = prev
    return out


@dataclass(frozen=True, slots=True)
class _District:
    hod: NDArray[np.int64]
    s: FloatArray
    sun: FloatArray
    k_hour: FloatArray
    t_out: FloatArray
    pv_pu: FloatArray
    ci: FloatArray
    p_imp: FloatArray


def _district(seed: int, tg: int) -> _District:
    """District weather stream ``default_rng([seed, 0])`` and the series derived from it."""
    n_days = (tg - 1) // 24 + 1
    rng = np.random.default_rng([seed, 0])
    eps_t = rng.standard_normal(tg)
    k = 0.15 + 0.85 * rng.beta(2.0, 1.2, size=n_days)
    m = np.clip(1 + 0.10 * rng.standard_normal(tg), 0.7, 1.1)
    eps_c = rng.standard_normal(tg)

    t = np.arange(tg)
    hod = t % 24
    day = t // 24
    doy = day % 365
    s = np.cos(2 * np.pi * (doy - 15) / 365)
    t_out = np.round(9.0 - 9.5 * s + 3.5 * np.cos(2 * np.pi * (hod - 15) / 24) + _ar1(eps_t), 2)

    phi = math.radians(LATITUDE_DEG)
    decl = np.radians(23.45 * np.sin(2 * np.pi * (284 + doy + 1) / 365))
    omega = np.radians(15.0 * (hod + 0.5 - 12))
    cos_z = math.sin(phi) * np.sin(decl) + math.cos(phi) * np.cos(decl) * np.cos(omega)
    sun = np.maximum(0.0, cos_z)
    k_hour = k[day]
    pv_pu = np.round(0.8 * sun * k_hour * m, 4)
    ci = np.round(
        np.maximum(
            0.05,
            0.35
            + 0.10 * s
            - 0.12 * sun * k_hour
            + 0.04 * np.cos(2 * np.pi * (hod - 19) / 24)
            + 0.02 * eps_c,
        ),
        4,
    )
    p_imp = np.round((BASE_PRICE + TOU[hod]) * (1 + SEASONAL_AMPLITUDE * s), 5)
    return _District(
        hod=hod, s=s, sun=sun, k_hour=k_hour, t_out=t_out, pv_pu=pv_pu, ci=ci, p_imp=p_imp
    )


@dataclass(frozen=True, slots=True)
class _Building:
    demand_el: FloatArray  # (TG,)
    demand_heat: FloatArray
    cop: FloatArray
    pv_avail: FloatArray
    pv_kwp: float
    hp_max: float
    e_bat: float
    e_th: float
    connection: float


def _building(seed: int, b: int, dist: _District) -> _Building:
    """Building stream ``default_rng([seed, 1, b])`` and the data derived from it."""
    r = np.random.default_rng([seed, 1, b])
    annual = r.uniform(2500, 6000)
    p_pv = round(r.uniform(3, 12), 2)
    h_loss = r.uniform(0.12, 0.35)
    w_dhw = r.uniform(0.15, 0.45)
    t_sink = 35 + 10 * int(r.integers(0, 3))
    e_bat = round(r.uniform(5, 15), 2)
    e_th = round(r.uniform(10, 40), 2)
    eps_e = r.standard_normal(dist.hod.size)

    hod = dist.hod
    demand_el = np.round(
        annual / 8760 * SHAPE_E[hod] * (1 + 0.15 * dist.s) * np.exp(0.25 * eps_e - 0.03125), 4
    )
    demand_heat = np.round(
        h_loss * np.maximum(0.0, HEATING_BASE_C - dist.t_out) + w_dhw * SHAPE_DHW[hod], 4
    )
    cop = np.round(np.clip(6.5 - 0.10 * (t_sink - dist.t_out), 1.5, 5.0), 4)
    pv_avail = p_pv * dist.pv_pu
    hp_max = _ceil2(HP_OVERSIZE * float(np.max(demand_heat / cop)))
    connection = _ceil2(CONNECTION_OVERSIZE * (float(np.max(demand_el)) + hp_max))
    return _Building(
        demand_el=demand_el,
        demand_heat=demand_heat,
        cop=cop,
        pv_avail=pv_avail,
        pv_kwp=p_pv,
        hp_max=hp_max,
        e_bat=e_bat,
        e_th=e_th,
        connection=connection,
    )


def generate(
    n_buildings: int, n_hours: int = HOURS_PER_YEAR, seed: int = 42, co2_price: float = 80.0
) -> DispatchData:
    """Generate the ``(N, T)`` instance of the reference dispatch problem (spec section 3).

    Parameters
    ----------
    n_buildings : int
        Number of buildings ``N`` (>= 1).
    n_hours : int
        Horizon ``T`` in hours (>= 2).
    seed : int
        Seed of both random streams.
    co2_price : float
        CO2 price on imports [EUR/t].

    Returns
    -------
    DispatchData
        The instance; ``(N, T)`` arrays are float64 in C order.
    """
    if n_buildings < 1 or n_hours < 2:
        raise ValueError(f"need N >= 1 and T >= 2, got N={n_buildings}, T={n_hours}")
    tg = max(n_hours, HOURS_PER_YEAR)
    dist = _district(seed, tg)
    buildings = [_building(seed, b, dist) for b in range(n_buildings)]

    def stack(name: str) -> FloatArray:
        return np.ascontiguousarray(np.stack([getattr(x, name) for x in buildings]))

    demand_el = stack("demand_el")
    demand_heat = stack("demand_heat")
    cop = stack("cop")
    pv_avail = stack("pv_avail")
    grid = _ceil2(GRID_FRACTION * float(np.max(np.sum(demand_el + demand_heat / cop, axis=0))))

    e_bat = np.array([x.e_bat for x in buildings])
    e_th = np.array([x.e_th for x in buildings])
    tank_power = np.round(0.5 * e_th, 4)
    cut = slice(0, n_hours)
    c_imp = dist.p_imp + co2_price / 1000 * dist.ci
    return DispatchData(
        n_buildings=n_buildings,
        n_hours=n_hours,
        seed=seed,
        co2_price=co2_price,
        t_out=dist.t_out[cut].copy(),
        pv_pu=dist.pv_pu[cut].copy(),
        co2_intensity=dist.ci[cut].copy(),
        price_import=dist.p_imp[cut].copy(),
        cost_import=c_imp[cut].copy(),
        export_price=np.full(n_hours, EXPORT_PRICE),
        demand_el=np.ascontiguousarray(demand_el[:, cut]),
        demand_heat=np.ascontiguousarray(demand_heat[:, cut]),
        pv_avail=np.ascontiguousarray(pv_avail[:, cut]),
        cop=np.ascontiguousarray(cop[:, cut]),
        pv_kwp=np.array([x.pv_kwp for x in buildings]),
        hp_max=np.array([x.hp_max for x in buildings]),
        bat_capacity=e_bat,
        bat_charge=np.round(0.4 * e_bat, 4),
        bat_discharge=np.round(0.5 * e_bat, 4),
        tank_capacity=e_th,
        tank_charge=tank_power,
        tank_discharge=tank_power.copy(),
        connection=np.array([x.connection for x in buildings]),
        grid=grid,
    )


def checksum(data: DispatchData) -> str:
    """First 16 hex digits of the sha256 of the instance's data (spec section 6).

    Hashes the float64 C-order bytes of ``round(x, 6)`` for ``cost_import`` (T), then
    ``demand_el``, ``demand_heat``, ``pv_avail`` and ``cop`` (each N x T), in that order.
    """
    digest = hashlib.sha256()
    for arr in (data.cost_import, data.demand_el, data.demand_heat, data.pv_avail, data.cop):
        digest.update(np.ascontiguousarray(np.round(arr, 6), dtype=np.float64).tobytes())
    return digest.hexdigest()[:16]
