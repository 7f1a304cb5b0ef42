"""The store's layout: layer and table names, the version, and how lists are written in a cell.

Shared by the writer (build side) and the reader (query side); changing anything here means
bumping :data:`STORE_VERSION`, so an old store is refused with a clear message.
"""

from __future__ import annotations

from geo.indicators.catalogue import LIST_SEPARATOR

STORE_VERSION = "3"
AREA_LAYER_PREFIX = "areas_"
FEATURE_LAYER_PREFIX = "features_"
TABLES = (
    "indicator_values",
    "indicator_catalogue",
    "provenance",
    "apportionment_weights",
    "lsoa_inputs",
    "build_info",
    "comparators",
    "official_standing",
)

BOUNDARY_SOURCES = ("lsoa_2021", "wards_2023")
"""Boundary sources every area figure rests on: always credited where an area is shown."""


def split_list(cell: object) -> tuple[str, ...]:
    """The list held in one text cell; an empty or missing cell is an empty list."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ()
    return tuple(part for part in str(cell).split(LIST_SEPARATOR) if part)
