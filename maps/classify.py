"""Class breaks and colours: darker always means more concern."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from maps.format import format_value

# ColorBrewer sequential palettes (colour-blind safe), light to dark.
CONCERN = ("#fff7bc", "#fee391", "#fec44f", "#fe9929", "#d95f0e", "#993404")  # YlOrBr
NEUTRAL = ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")  # Blues
NO_DATA = "#d9d9d9"


@dataclass(frozen=True)
class Classes:
    """How values map to colours."""

    scheme: str
    bounds: list[float]
    colours: list[str]
    labels: list[str]
    reversed: bool

    def colour(self, value: float) -> str:
        """The fill colour for one value."""
        if value is None or np.isnan(value):
            return NO_DATA
        for bound, colour in zip(self.bounds, self.colours, strict=True):
            if value <= bound:
                return colour
        return self.colours[-1]


def classify(values: pd.Series, *, polarity: str, unit: str, k: int = 5) -> Classes:
    """Classes for a choropleth: natural breaks for skewed values, else quantiles.

    When higher is better, the palette is reversed so that darker still means more concern.
    """
    # mapclassify pulls in scipy.stats and scikit-learn (~1.7 s): import it only when a map is
    # drawn, so the API starts quickly.
    import mapclassify

    data = values.dropna().to_numpy(dtype=float)
    distinct = np.unique(data)
    k = max(1, min(k, len(distinct)))
    spread = float(data.std()) if len(data) > 2 else 0.0
    skew = float(np.mean(((data - data.mean()) / spread) ** 3)) if spread > 0 else 0.0
    if k < 2:
        bounds, scheme = [float(distinct.max()) if len(distinct) else 0.0], "single class"
    elif abs(skew) > 1:
        with warnings.catch_warnings():  # mapclassify notes that numba would make it faster
            warnings.simplefilter("ignore", UserWarning)
            bounds = [float(b) for b in mapclassify.FisherJenks(data, k=k).bins]
        scheme = "natural breaks (Fisher-Jenks)"
    else:
        bounds = [float(b) for b in mapclassify.Quantiles(data, k=k).bins]
        scheme = "quantiles"
    palette = NEUTRAL if polarity == "neutral" else CONCERN
    steps = np.linspace(0, len(palette) - 1, len(bounds)).round().astype(int)
    colours = [palette[i] for i in steps]
    reverse = polarity == "higher_is_better"
    if reverse:
        colours = colours[::-1]
    lower = [float(data.min()) if len(data) else 0.0, *bounds[:-1]]
    labels = [
        f"{format_value(lo, unit)} – {format_value(hi, unit)}"
        for lo, hi in zip(lower, bounds, strict=True)
    ]
    return Classes(scheme=scheme, bounds=bounds, colours=colours, labels=labels, reversed=reverse)
