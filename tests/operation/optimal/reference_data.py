"""Data generator of the reference dispatch LP (dispatch-benchmark.md, version 1, section 3).

A compact copy for the tests only; the official generator lives in ``benchmarks/dispatch/``.
Random numbers are drawn in the order the specification lists them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

SHAPE_E = np.array(
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
SHAPE_DHW = np.array(
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
TOU = np.array([-0.06] * 6 + [0.0] * 11 + [0.10] * 4 + [0.0] * 3)
SHAPE_E = SHAPE_E / SHAPE_E.mean()
SHAPE_DHW = SHAPE_DHW / SHAPE_DHW.mean()


@dataclass(frozen=True)
class ReferenceData:
    """Arrays of one instance: series (T,) or (T, N), sizes (N,)."""

    cost_import: np.ndarray
    export_price: np.ndarray
    demand_el: np.ndarray
    demand_heat: np.ndarray
    pv_avail: np.ndarray
    cop: np.ndarray
    hp_max: np.ndarray
    e_bat: np.ndarray
    e_th: np.ndarray
    connection: np.ndarray
    grid_kw: float

    def checksum(self) -> str:
        """First 16 hex digits of the sha256 of section 6."""
        digest = hashlib.sha256()
        for array in (
            self.cost_import,
            self.demand_el.T,
            self.demand_heat.T,
            self.pv_avail.T,
            self.cop.T,
        ):
            digest.update(np.ascontiguousarray(np.round(array, 6), dtype=np.float64).tobytes())
        return digest.hexdigest()[:16]


def _ceil2(x: np.ndarray | float) -> np.ndarray:
    return np.ceil(100.0 * np.asarray(x) - 1e-9) / 100.0


def _district(tg: int, seed: int, co2_price: float) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng([seed, 0])
    n_days = (tg - 1) // 24 + 1
    eps_t = rng.standard_normal(tg)
    k = 0.15 + 0.85 * rng.beta(2.0, 1.2, size=n_days)
    m = np.clip(1 + 0.10 * rng.standard_normal(tg), 0.7, 1.1)
    eps_c = rng.standard_normal(tg)
    t = np.arange(tg)
    hod, day = t % 24, t // 24
    doy = day % 365
    s = np.cos(2 * np.pi * (doy - 15) / 365)
    noise = np.empty(tg)
    noise[0] = 2.5 * eps_t[0]
    scale = 2.5 * np.sqrt(1 - 0.97**2)
    for i in range(1, tg):  # AR(1) recursion of the specification
        noise[i] = 0.97 * noise[i - 1] + scale * eps_t[i]
    t_out = np.round(9.0 - 9.5 * s + 3.5 * np.cos(2 * np.pi * (hod - 15) / 24) + noise, 2)
    phi = np.radians(50.0)
    delta = np.radians(23.45) * np.sin(2 * np.pi * (284 + doy + 1) / 365)
    omega = np.radians(15.0 * (hod + 0.5 - 12))
    sun = np.maximum(0.0, np.sin(phi) * np.sin(delta) + np.cos(phi) * np.cos(delta) * np.cos(omega))
    pv_pu = np.round(0.8 * sun * k[day] * m, 4)
    ci = np.round(
        np.maximum(
            0.05,
            0.35
            + 0.10 * s
            - 0.12 * sun * k[day]
            + 0.04 * np.cos(2 * np.pi * (hod - 19) / 24)
            + 0.02 * eps_c,
        ),
        4,
    )
    p_imp = np.round((0.25 + TOU[hod]) * (1 + 0.12 * s), 5)
    return t_out, pv_pu, p_imp + co2_price / 1000 * ci, s, hod


def reference_data(n: int, t: int, *, seed: int = 42, co2_price: float = 80.0) -> ReferenceData:
    """The (N, T) instance of the reference problem."""
    tg = max(t, 8760)
    t_out, pv_pu, cost, s, hod = _district(tg, seed, co2_price)
    cols: dict[str, list] = {k: [] for k in ("de", "dh", "cop", "pv", "hp", "eb", "et", "c")}
    for b in range(n):
        r = np.random.default_rng([seed, 1, b])
        annual = r.uniform(2500, 6000)
        p_pv = round(r.uniform(3, 12), 2)
        h_loss = r.uniform(0.12, 0.35)
        w = r.uniform(0.15, 0.45)
        t_sink = 35 + 10 * r.integers(0, 3)
        e_bat = round(r.uniform(5, 15), 2)
        e_th = round(r.uniform(10, 40), 2)
        eps = r.standard_normal(tg)
        de = np.round(
            annual / 8760 * SHAPE_E[hod] * (1 + 0.15 * s) * np.exp(0.25 * eps - 0.03125), 4
        )
        dh = np.round(h_loss * np.maximum(0, 15 - t_out) + w * SHAPE_DHW[hod], 4)
        cop = np.round(np.clip(6.5 - 0.10 * (t_sink - t_out), 1.5, 5.0), 4)
        hp = float(_ceil2(1.1 * np.max(dh / cop)))
        for key, value in (
            ("de", de),
            ("dh", dh),
            ("cop", cop),
            ("pv", p_pv * pv_pu),
            ("hp", hp),
            ("eb", e_bat),
            ("et", e_th),
            ("c", float(_ceil2(1.2 * (de.max() + hp)))),
        ):
            cols[key].append(value)
    de, dh, cop = (np.column_stack(cols[k]) for k in ("de", "dh", "cop"))
    grid = float(_ceil2(0.9 * np.max((de + dh / cop).sum(axis=1))))
    return ReferenceData(
        cost_import=cost[:t],
        export_price=np.full(t, 0.08),
        demand_el=de[:t],
        demand_heat=dh[:t],
        pv_avail=np.column_stack(cols["pv"])[:t],
        cop=cop[:t],
        hp_max=np.array(cols["hp"]),
        e_bat=np.array(cols["eb"]),
        e_th=np.array(cols["et"]),
        connection=np.array(cols["c"]),
        grid_kw=grid,
    )
