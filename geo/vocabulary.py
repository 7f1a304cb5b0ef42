"""The service's vocabulary: area types, the borough, methods and the themes' fixed value lists.

The bottom of `geo`: imported by the build side, the query side, maps and the API alike, and
itself importing nothing of the project. Everything here is a constant; parse and validate a
user's method with :func:`parse_method` (one place, so every caller gives the same message).
"""

from __future__ import annotations

from enum import StrEnum

import pandas as pd

from geo.errors import AreaNotFoundError, InvalidParameterError

AREA_TYPES = ("lsoa", "ward", "neighbourhood", "borough")
"""Area types from smallest to largest."""

AGGREGATE_TYPES = ("ward", "neighbourhood", "borough")
"""Area types built from LSOAs."""

AREA_TYPE_LABELS = {
    "lsoa": "LSOA (2021)",
    "ward": "Ward (May 2023)",
    "neighbourhood": "Neighbourhood",
    "borough": "Borough",
}

BOROUGH_CODE = "E08000007"
BOROUGH_NAME = "Stockport"


class Method(StrEnum):
    """How an area's value was obtained: apportionment from LSOAs, or a direct computation.

    Members are listed in preference order: when an indicator has records by several methods
    for one area, the first present is shown (see :func:`geo.indicators.engine.select_methods`).
    """

    OUTPUT_AREAS = "output_areas"
    BEST_FIT = "best_fit"
    LSOA = "lsoa"
    LSOA_GROUPING = "lsoa_grouping"
    ALL_LSOAS = "all_lsoas"
    DASYMETRIC_GRID = "dasymetric_grid"
    DIRECT_OVERLAY = "direct_overlay"
    ZONAL = "zonal"
    COMPOSITE = "composite"
    AREA_WEIGHTED = "area_weighted"
    AREA_WEIGHTED_CUSTOM = "area_weighted_custom"

    @property
    def label(self) -> str:
        """Plain-English description shown on pages and in JSON."""
        return _METHOD_LABELS[self]


_METHOD_LABELS = {
    Method.OUTPUT_AREAS: (
        "from Census 2021 Output Areas: each LSOA split among wards by its Output Areas' "
        "residents (exact ward resident totals)"
    ),
    Method.BEST_FIT: "ONS best-fit lookup: each LSOA assigned whole to one ward",
    Method.AREA_WEIGHTED: "area-weighted: LSOA counts split by area share (EPSG:27700)",
    Method.LSOA: "published LSOA value",
    Method.LSOA_GROUPING: "exact: the area is a grouping of whole LSOAs",
    Method.ALL_LSOAS: "exact: sum over all 191 LSOAs",
    Method.DASYMETRIC_GRID: (
        "dasymetric 25 m residents grid: counted over the grid cells whose centre is in the area"
    ),
    Method.DIRECT_OVERLAY: "direct overlay: the layer intersected with the area (EPSG:27700)",
    Method.ZONAL: "zonal statistics: raster cells weighted by their share inside the area",
    Method.COMPOSITE: "composite index: a weighted sum of component indicators",
    Method.AREA_WEIGHTED_CUSTOM: (
        "area-weighted from LSOAs: each LSOA contributes the share of its area inside the "
        "polygon (residents assumed evenly spread within each LSOA); rates recomputed from "
        "apportioned numerators and denominators"
    ),
}

OLDER_VINTAGE_THEME = "IoD 2019: older vintage, not a trend"
"""The theme of every IoD 2019 figure: shown in its own block, never beside 2025."""

APPORTIONMENT_METHODS: tuple[Method, ...] = (
    Method.OUTPUT_AREAS,
    Method.BEST_FIT,
    Method.AREA_WEIGHTED,
)
"""The methods a user may ask for when aggregating LSOAs to wards and neighbourhoods."""

DEFAULT_METHOD = Method.BEST_FIT
"""The default without Output Area files; with them, `output_areas` (first in preference)."""

METHOD_PREFERENCE: tuple[Method, ...] = tuple(Method)
"""Which record an area shows when an indicator has several methods (the first available)."""

METHOD_LABELS: dict[str, str] = {m.value: m.label for m in Method}
"""Method id -> label, as stored in the build info."""


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas' NA/NaT: the one test of "no value" (suppressed or not
    computable)."""
    if isinstance(value, float):
        return value != value
    return value is None or value is pd.NA or value is pd.NaT


def json_safe(value: object) -> object:
    """A value JSON can hold: numpy scalars as Python numbers, missing values as None."""
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, str | bytes):
        value = item()
    return None if is_missing(value) else value


def method_label(method: str) -> str:
    """The label of a method id; an unknown id is returned as it is."""
    return METHOD_LABELS.get(str(method), str(method))


def parse_method(text: str | None) -> Method | None:
    """A user's apportionment method, or None for the default; a clear error otherwise."""
    if text is None:
        return None
    try:
        method = Method(text)
    except ValueError:
        method = None
    if method not in APPORTIONMENT_METHODS:
        msg = f"method must be one of {', '.join(APPORTIONMENT_METHODS)}; got {text!r}"
        raise InvalidParameterError(msg)
    return method


def parse_area_type(text: str) -> str:
    """An area type id, checked against :data:`AREA_TYPES` (unknown: :class:`AreaNotFoundError`,
    as an unknown type names no area)."""
    if text not in AREA_TYPES:
        msg = f"unknown area type {text!r}; expected one of {', '.join(AREA_TYPES)}"
        raise AreaNotFoundError(msg)
    return text


# Theme vocabularies shared by the layer readers (build side) and the indicator definitions.

GREENSPACE_FUNCTIONS = (
    "Allotments Or Community Growing Spaces",
    "Bowling Green",
    "Cemetery",
    "Golf Course",
    "Other Sports Facility",
    "Play Space",
    "Playing Field",
    "Public Park Or Garden",
    "Religious Grounds",
    "Tennis Court",
)
"""OS Open Greenspace FunctionValue (10 values in the Open product)."""

ACCESSIBLE_GREENSPACE_FUNCTIONS = (
    "Play Space",
    "Playing Field",
    "Public Park Or Garden",
    "Religious Grounds",
    "Cemetery",
)
"""Functions counted as accessible green space for Natural England's standards (the default).

Left out: golf courses, bowling greens, tennis courts and other sports facilities (private or
members' grounds, not open to walk in) and allotments (let to plot holders). Playing fields are
in: most in Stockport are council pitches open to walk on. A build can pass its own list."""

RISK_BANDS = ("High", "Medium", "Low")
"""RoFSW risk bands, stored as exclusive polygons."""

AGS_TIERS = (
    ("doorstep", 200, 0.5),
    ("local", 300, 2.0),
    ("neighbourhood", 1_000, 10.0),
    ("wider_neighbourhood", 2_000, 20.0),
    ("district", 5_000, 100.0),
    ("sub_regional", 10_000, 500.0),
)
"""Natural England Accessible Greenspace Standards: (name, distance m, minimum site ha)."""

CYCLE_CLASSES = ("off_road_path", "on_road_lane", "quiet_or_permitted_route")

SERVICE_KINDS = {
    "pharmacy": ("pharmacy", "pharmacies"),
    "post_office": ("post office", "post offices"),
    "library": ("library", "libraries"),
    "food_bank": ("food bank", "food banks"),
    "dentist": ("dental practice", "dental practices"),
    "hospital": ("hospital site", "hospital sites"),
}
"""Kinds of local service: id -> (singular, plural) in plain words."""

ACCESS_SERVICE_KINDS = ("pharmacy", "post_office", "library", "food_bank", "dentist")
"""Services whose walking reach is measured for residents (hospitals are shown, not measured:
nobody is expected to walk to one)."""

SERVICE_DISTANCES_M = (400, 800)
"""Straight-line reach (metres) of the services measures: about 5 and 10 minutes' walk."""

GRID_METHOD = (
    "dasymetric 25 m grid: LSOA residents spread over cells not in green space or water, "
    "agricultural land weighted 0.05; a cell counts where its centre lies"
)


def function_key(function: str) -> str:
    """Column-safe key of an OS Open Greenspace function value."""
    return function.lower().replace(" or ", "_").replace(" ", "_")
