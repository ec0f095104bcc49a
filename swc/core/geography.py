"""Straight-line distances in miles, the unit social workers and the referral form use.

One formula (haversine on a spherical Earth) for the register's board, matching
and the monthly return, so a home is the same distance away on every page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

# The mean Earth radius (IUGG), 6,371.0088 km, in statute miles.
EARTH_RADIUS_MILES = 3958.7613
KM_PER_MILE = 1.609344  # the international mile, exactly


def distance_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in miles (pure)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def distances_miles(
    lat: float, lon: float, lats: Sequence[float] | np.ndarray, lons: Sequence[float] | np.ndarray
) -> np.ndarray:
    """The same distance from one point to many, in one numpy call (for matching at scale)."""
    lat1, lon1 = math.radians(lat), math.radians(lon)
    lat2 = np.radians(np.asarray(lats, dtype=float))
    lon2 = np.radians(np.asarray(lons, dtype=float))
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
