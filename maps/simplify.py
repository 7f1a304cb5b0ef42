"""Display geometry: simplified without gaps or overlaps, reprojected, coordinates rounded."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geo.crs import BNG

DISPLAY_TOLERANCE_M = 8.0
"""Simplification tolerance in metres (EPSG:27700): invisible at neighbourhood zoom levels."""
DISPLAY_DECIMALS = 5
"""Decimal places of degrees in map pages (about 1 m)."""


def simplify_coverage(
    frame: gpd.GeoDataFrame, *, tolerance: float = DISPLAY_TOLERANCE_M
) -> gpd.GeoSeries:
    """Simplify polygons that tile the plane so shared edges stay shared (EPSG:27700 in and out).

    Uses GEOS coverage simplification: neighbouring areas neither gap nor overlap afterwards.
    """
    frame = frame.to_crs(BNG) if frame.crs is not None and frame.crs.to_string() != BNG else frame
    simplified = shapely.coverage_simplify(frame.geometry.to_numpy(), tolerance)
    return gpd.GeoSeries(simplified, index=frame.index, crs=BNG)


def simplify_features(
    frame: gpd.GeoDataFrame, *, tolerance: float = DISPLAY_TOLERANCE_M
) -> gpd.GeoSeries:
    """Simplify an overlay layer (topology of each feature kept)."""
    geoms = frame.to_crs(BNG).geometry
    return geoms.simplify(tolerance, preserve_topology=True)


def to_display(geometries: gpd.GeoSeries, *, decimals: int = DISPLAY_DECIMALS) -> gpd.GeoSeries:
    """Reproject to WGS84 lon/lat and round coordinates (identical inputs stay identical, so
    shared edges stay shared)."""
    lonlat = geometries.to_crs(4326)
    rounded = shapely.transform(lonlat.to_numpy(), lambda c: np.round(c, decimals))
    repaired = [same_dimension(shapely.make_valid(g), g) for g in rounded]
    return gpd.GeoSeries(repaired, index=geometries.index, crs=4326)


def same_dimension(repaired: shapely.Geometry, original: shapely.Geometry) -> shapely.Geometry:
    """Keep only the parts of a repaired geometry with the original's dimension (rounding can
    collapse slivers into lines or points, which make_valid returns in a collection)."""
    if repaired.geom_type != "GeometryCollection":
        return repaired
    dimension = shapely.get_dimensions(original)
    parts = [p for p in shapely.get_parts(repaired) if shapely.get_dimensions(p) == dimension]
    if dimension == 2:
        return shapely.MultiPolygon([q for p in parts for q in shapely.get_parts(p)])
    if dimension == 1:
        return shapely.MultiLineString([q for p in parts for q in shapely.get_parts(p)])
    return shapely.union_all(parts)
