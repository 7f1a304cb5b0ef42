"""The age-friendly priority index: real components side by side, weights set by the user.

No weighting is evidence-based, so none is the headline: the components are always shown, and
the index is computed on request from a named preset (with its rationale) or the user's own
weights. Each component is scaled 0-100 among the areas of one type (min-max; 100 = most
priority), then combined as a weighted mean.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from geo.errors import InvalidParameterError
from geo.indicators.engine import select_methods
from geo.store import StoreContent
from geo.vocabulary import parse_area_type

PRIORITY_COMPONENTS = {
    "share_aged_65_plus": (True, "older residents (share aged 65+, Census 2021)"),
    "idaopi_per_1000_residents": (
        True,
        "people aged 60+ in income deprivation per 1,000 residents (IoD 2025)",
    ),
    "households_gs_access_local": (
        False,
        "households that can't walk to a 2 ha green space within 300 m (Defra 2024)",
    ),
}
"""Component indicator -> (a higher value means more priority, what it measures)."""


@dataclass(frozen=True)
class Preset:
    """A named weighting and why someone would choose it."""

    weights: Mapping[str, float]
    rationale: str


PRESETS = {
    "equal": Preset(
        dict.fromkeys(PRIORITY_COMPONENTS, 1.0),
        "Each component counts the same: no evidence here says one matters more.",
    ),
    "older_population": Preset(
        {
            "share_aged_65_plus": 2.0,
            "idaopi_per_1000_residents": 1.0,
            "households_gs_access_local": 1.0,
        },
        "Where most older people live: for services every older resident uses.",
    ),
    "income": Preset(
        {
            "share_aged_65_plus": 1.0,
            "idaopi_per_1000_residents": 2.0,
            "households_gs_access_local": 1.0,
        },
        "Where older people are poorest: for help targeted at pensioner poverty.",
    ),
    "green_access": Preset(
        {
            "share_aged_65_plus": 1.0,
            "idaopi_per_1000_residents": 1.0,
            "households_gs_access_local": 2.0,
        },
        "Where nearby green space is lacking: for walking, benches and park access work.",
    ),
}
DEFAULT_PRESET = "equal"


_NAME = "(?:" + "|".join(PRIORITY_COMPONENTS) + ")"
_WEIGHT = r"(?:0*[1-9][0-9]{0,5}(?:\.[0-9]{1,6})?|0*\.(?=[0-9]*[1-9])[0-9]{1,6})"
WEIGHTS_PATTERN = f"^{_NAME}:{_WEIGHT}(?:,{_NAME}:{_WEIGHT})*$"
"""What a `weights` parameter looks like: component:weight pairs, each weight above 0."""


def parse_weights(text: str | None, *, preset: str | None) -> tuple[str, dict[str, float]]:
    """Weights from ``component:weight,...`` or a preset name; returns (label, weights).

    Raises :class:`InvalidParameterError` naming the bad part. Each weight given must be a
    number above 0 (up to 6 digits each side of the point); components left out weigh 0.
    """
    if text is not None and not re.fullmatch(WEIGHTS_PATTERN, text):
        msg = (
            f"bad weights {text[:80]!r}: give component:weight pairs, comma separated, each "
            f"weight above 0, components among {', '.join(PRIORITY_COMPONENTS)}"
        )
        raise InvalidParameterError(msg)
    if text is not None:
        weights: dict[str, float] = dict.fromkeys(PRIORITY_COMPONENTS, 0.0)
        for part in text.split(","):
            name, _, number = part.partition(":")
            weights[name] = float(number)  # the pattern admits only names and numbers > 0
        return "custom", weights
    name = preset or DEFAULT_PRESET
    if name not in PRESETS:
        msg = f"unknown preset {name!r}; presets: {', '.join(PRESETS)}"
        raise InvalidParameterError(msg)
    return name, dict(PRESETS[name].weights)


def priority_index(components: pd.DataFrame, *, weights: Mapping[str, float]) -> pd.DataFrame:
    """Scale each component 0-100 among the rows (100 = most priority) and combine them.

    `components`: one column per :data:`PRIORITY_COMPONENTS` id, one row per area. Returns,
    aligned on its index, ``<id>_scaled`` and ``<id>_contribution`` per component, ``index``
    (0-100, the weighted mean of the scaled values) and ``rank`` (1 = most priority, ties share
    a rank). A missing component value takes the mean of the others' scaled values.
    """
    total = sum(weights.values())
    out = pd.DataFrame(index=components.index)
    index = pd.Series(0.0, index=components.index)
    for component, (higher_is_priority, _what) in PRIORITY_COMPONENTS.items():
        values = components[component].astype(float)
        values = values if higher_is_priority else -values
        span = values.max() - values.min()
        scaled = (values - values.min()) / span * 100 if span > 0 else values * 0.0
        scaled = scaled.fillna(scaled.mean())
        contribution = weights.get(component, 0.0) / total * scaled
        out[f"{component}_scaled"] = scaled
        out[f"{component}_contribution"] = contribution
        index += contribution
    out["index"] = index
    out["rank"] = index.rank(ascending=False, method="min")
    return out


def area_priorities(
    store: StoreContent, area_type: str, *, weights: Mapping[str, float]
) -> pd.DataFrame:
    """The components (shown values), scaled values, contributions and index of every area of
    a type (LSOAs, wards or neighbourhoods), sorted by rank. Index: area code."""
    area_type = parse_area_type(area_type)
    if area_type == "borough":
        msg = "the priority index compares areas: ask for lsoa, ward or neighbourhood"
        raise InvalidParameterError(msg)
    values = store.values
    rows = values[
        (values["area_type"] == area_type) & values["indicator_id"].isin(PRIORITY_COMPONENTS)
    ]
    wide = select_methods(rows).pivot(index="area_code", columns="indicator_id", values="value")
    components = wide.reindex(columns=list(PRIORITY_COMPONENTS))
    result = components.join(priority_index(components, weights=weights))
    result.insert(0, "name", store.areas[area_type]["name"].reindex(result.index))
    return result.sort_values(["rank", "name"])
