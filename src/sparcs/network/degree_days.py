"""Heating degree days G20/15 (VDI 2067, DIN 4108-6).

One convention for every city of the network.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["BASE_C", "LIMIT_C", "heating_degree_days"]

#: Indoor base temperature of G20/15 [degC].
BASE_C = 20.0
#: Heating limit: days with a mean at or above it need no heating [degC].
LIMIT_C = 15.0


def heating_degree_days(
    temp_air_c: pd.Series, timezone: str, *, base_c: float = BASE_C, limit_c: float = LIMIT_C
) -> float:
    """Heating degree days of a weather series: sum of (base - T_day) over days with T_day < limit.

    Parameters
    ----------
    temp_air_c
        Air temperature on a tz-aware index [degC]; hourly or finer.
    timezone
        IANA zone of the site: days are local calendar days.
    base_c
        Base (indoor) temperature [degC]; 20 for G20/15.
    limit_c
        Heating limit [degC]; 15 for G20/15.

    Returns
    -------
    float
        Degree days of the series [K d].

    Notes
    -----
    G20/15 after VDI 2067 and DIN 4108-6 (the German Gradtagzahl); the network uses the one
    convention for every city so that climate correction compares like with like
    (docs/network.md, "Climate correction").

    >>> idx = pd.date_range("2025-01-01", periods=72, freq="h", tz="UTC")
    >>> temps = pd.Series([5.0] * 24 + [14.0] * 24 + [16.0] * 24, index=idx)
    >>> heating_degree_days(temps, "UTC")
    21.0
    """
    local = temp_air_c.tz_convert(timezone)
    days = pd.DatetimeIndex(local.index).date
    daily = local.groupby(days).mean().to_numpy(dtype=float)
    heating = daily < limit_c
    return float(np.sum(base_c - daily[heating]))
