"""Small statistical helpers (pure, vectorised)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Z95 = 1.959963984540054
"""Two-sided 95% normal quantile."""


def wilson_interval(
    successes: npt.ArrayLike, trials: npt.ArrayLike, *, z: float = Z95
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Wilson score interval for a proportion, element-wise.

    Returns (low, high) as proportions in [0, 1]; NaN where `trials` is 0 or missing.
    The Wilson interval is the method Fingertips (OHID) uses for proportions.
    """
    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        denominator = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
        low = np.where(n > 0, np.clip(centre - half, 0, 1), np.nan)
        high = np.where(n > 0, np.clip(centre + half, 0, 1), np.nan)
    return low, high
