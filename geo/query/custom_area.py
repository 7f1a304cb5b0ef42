"""Profiles of a user-drawn polygon, apportioned from LSOAs by area share."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import InvalidParameterError, TooComplexError
from geo.indicators.catalogue import IndicatorDef
from geo.indicators.engine import RECORD_COLUMNS, compute_records, mark_not_computable
from geo.store import StoreContent
from geo.vocabulary import Method

CUSTOM_CODE = "custom"
METHOD = Method.AREA_WEIGHTED_CUSTOM.value
METHOD_LABEL = Method.AREA_WEIGHTED_CUSTOM.label
MAX_VERTICES = 10_000
"""Most vertices of a drawn area (checked while the body is read, before any geometry work)."""


@dataclass(frozen=True)
class Coverage:
    """How well the LSOAs describe the polygon."""

    polygon_ha: float
    share_inside_borough: float
    lsoas_touched: int
    lsoas_wholly_inside: int
    lsoa_equivalents: float


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """The polygon parts of a repaired geometry (make_valid can add lines and points)."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [
        g for g in getattr(geometry, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")
    ]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def custom_profile(store: StoreContent, polygon: BaseGeometry) -> tuple[pd.DataFrame, Coverage]:
    """Records for every indicator that can be apportioned, for a polygon in EPSG:27700.

    Published LSOA values (ranks, deciles) are not apportioned; counts, rates and
    population-weighted means are.
    """
    if polygon.is_empty or polygon.geom_type not in ("Polygon", "MultiPolygon"):
        msg = "the area must be a non-empty Polygon or MultiPolygon"
        raise InvalidParameterError(msg)
    if shapely.get_num_coordinates(polygon) > MAX_VERTICES:
        msg = f"the polygon has more than {MAX_VERTICES:,} vertices; simplify it"
        raise TooComplexError(msg)
    lsoa = store.areas["lsoa"]
    if not np.isfinite(shapely.get_coordinates(polygon)).all():
        # Far outside the British National Grid's domain: nothing of Stockport can be inside.
        return _empty_profile(), Coverage(float("nan"), 0.0, 0, 0, 0.0)
    if not polygon.is_valid:
        # Repair first: a self-intersecting ring (a bow tie) has zero signed area unrepaired.
        try:
            polygon = shapely.make_valid(polygon)
        except shapely.errors.GEOSException:
            msg = "the polygon is invalid and cannot be repaired (check its rings)"
            raise InvalidParameterError(msg) from None
        polygon = _polygonal(polygon)
    if polygon.area == 0 or not np.isfinite(polygon.area):
        return _empty_profile(), Coverage(0.0, 0.0, 0, 0, 0.0)
    hits = lsoa.sindex.query(polygon, predicate="intersects")
    borough = store.areas["borough"].geometry.iloc[0]
    if len(hits) == 0 or polygon.area == 0:
        return _empty_profile(), Coverage(round(polygon.area / 10_000, 4), 0.0, 0, 0, 0.0)
    parts = lsoa.iloc[hits]
    inside = parts.geometry.intersection(polygon).area / parts.geometry.area
    weights = pd.DataFrame(
        {"source": parts.index.astype(str), "target": CUSTOM_CODE, "weight": inside.to_numpy()}
    )
    weights = weights[weights["weight"] > 1e-9]
    if weights.empty:
        return _empty_profile(), Coverage(round(polygon.area / 10_000, 4), 0.0, 0, 0, 0.0)
    # Published LSOA values and per-area values (ranks, raster statistics) cannot be apportioned.
    records = compute_records(
        custom_definitions(store),
        store.lsoa_inputs,
        {("custom", METHOD): weights},
        vintages=store.vintages,
        standin_sources=store.standin_sources(),
    )
    records = mark_not_computable(records, store.not_computable)
    records = records.drop(columns=["rank", "rank_of", "rank_tied"])
    records["borough_value"] = records["indicator_id"].map(store.borough_values)
    coverage = Coverage(
        polygon_ha=round(polygon.area / 10_000, 4),
        share_inside_borough=round(polygon.intersection(borough).area / polygon.area, 6),
        lsoas_touched=len(weights),
        lsoas_wholly_inside=int((weights["weight"] > 0.999).sum()),
        lsoa_equivalents=round(float(weights["weight"].sum()), 4),
    )
    return records, coverage


def custom_definitions(store: StoreContent) -> list[IndicatorDef]:
    """Definitions of the indicators a drawn area can have (parsed once per store)."""
    return [replace(d, area_types=("custom",)) for d in store.apportionable_definitions]


def unavailable_for_drawn_areas(store: StoreContent) -> list[str]:
    """Ids of the indicators a drawn area cannot have (the reason: :data:`WHY_UNAVAILABLE`)."""
    possible = {d.id for d in store.apportionable_definitions}
    return [i for i in store.definitions if i not in possible]


WHY_UNAVAILABLE = (
    "published LSOA values (ranks, deciles, scores) and per-area values (raster statistics, "
    "the composite index) are not apportioned to a drawn area"
)


def _empty_profile() -> pd.DataFrame:
    """No LSOA overlaps the polygon: an honest empty profile (coverage 0), not an error."""
    dropped = ("rank", "rank_of", "rank_tied")
    columns = [c for c in RECORD_COLUMNS if c not in dropped] + ["borough_value"]
    return pd.DataFrame(columns=columns)
