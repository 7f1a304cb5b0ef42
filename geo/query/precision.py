"""Honest precision for people counts: modelled counts are rounded and called estimates.

A count of people is *estimated* when it comes from a model, not from summing published counts:
split by area (area-weighted), spread over the residents grid, or apportioned into a drawn
area. Estimated counts are shown rounded to 10 for LSOAs and to 50 for larger areas; the JSON
keeps the full value beside the display value.
"""

from __future__ import annotations

import math

from geo.vocabulary import Method, is_missing

MODELLED_METHODS = frozenset(
    {
        Method.AREA_WEIGHTED.value,
        Method.DASYMETRIC_GRID.value,
        Method.AREA_WEIGHTED_CUSTOM.value,
        Method.OUTPUT_AREAS.value,
    }
)
"""Methods whose people counts are modelled (Output Areas give exact residents, but every
other count is split among wards as residents are, so it is modelled too)."""

EXACT_UNDER_OUTPUT_AREAS = frozenset({"residents"})

PEOPLE_UNITS = frozenset({"persons"})


def is_estimated(indicator_id: str, unit: str, method: str) -> bool:
    """Whether a people count is modelled (see the module text)."""
    if unit not in PEOPLE_UNITS or method not in MODELLED_METHODS:
        return False
    return not (method == Method.OUTPUT_AREAS.value and indicator_id in EXACT_UNDER_OUTPUT_AREAS)


def rounding_step(area_type: str) -> int:
    """People are rounded to 10 for LSOAs and to 50 for wards, neighbourhoods, the borough and
    drawn areas."""
    return 10 if area_type == "lsoa" else 50


def display_count(value: object, *, area_type: str, estimated: bool) -> float | None:
    """A people count as shown: whole people, rounded to the step when estimated."""
    if is_missing(value) or not isinstance(value, int | float):
        return None
    number = float(value)
    if not math.isfinite(number):
        return None
    step = rounding_step(area_type) if estimated else 1
    return float(round(number / step) * step)
