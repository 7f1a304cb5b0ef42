"""Zonal statistics of a raster over polygons, with fractional pixel coverage at the edges."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
from affine import Affine
from rasterio.features import rasterize

from geo.errors import SourceError


def read_raster(path: Path) -> tuple[np.ndarray, np.ndarray, Affine, str, dict[str, str]]:
    """Band 1 (float64), validity mask, transform, CRS and tags; refuses a raster without CRS."""
    try:
        with rasterio.open(path) as src:
            if src.crs is None:
                msg = f"{path}: raster has no CRS; refusing to guess"
                raise SourceError(msg)
            data = src.read(1).astype("float64")
            nodata = src.nodata
            transform, crs, tags = src.transform, src.crs.to_string(), dict(src.tags())
    except rasterio.errors.RasterioIOError as exc:
        msg = f"{path}: cannot read raster: {exc}"
        raise SourceError(msg) from exc
    valid = np.isfinite(data) if nodata is None else np.isfinite(data) & (data != nodata)
    return data, valid, transform, crs, tags


def check_raster(path: Path, bounds: tuple[float, float, float, float], crs: str) -> None:
    """Refuse a raster without a CRS, in another CRS, or not overlapping `bounds`."""
    try:
        with rasterio.open(path) as src:
            if src.crs is None:
                msg = f"{path}: raster has no CRS; refusing to guess"
                raise SourceError(msg)
            if src.crs.to_string() != crs:
                msg = f"{path}: raster CRS is {src.crs.to_string()}, expected {crs}"
                raise SourceError(msg)
            left, bottom, right, top = src.bounds
    except rasterio.errors.RasterioIOError as exc:
        msg = f"{path}: cannot read raster: {exc}"
        raise SourceError(msg) from exc
    minx, miny, maxx, maxy = bounds
    if maxx <= left or minx >= right or maxy <= bottom or miny >= top:
        msg = (
            f"{path}: raster extent ({left:.0f}, {bottom:.0f}, {right:.0f}, {top:.0f}) "
            f"does not overlap the borough ({minx:.0f}, {miny:.0f}, {maxx:.0f}, {maxy:.0f})"
        )
        raise SourceError(msg)


def zonal_stats(
    frame: gpd.GeoDataFrame,
    raster_path: Path,
    *,
    thresholds: Mapping[str, float] | None = None,
    categories: Mapping[str, Sequence[float]] | None = None,
    supersample: int = 4,
) -> pd.DataFrame:
    """Area-weighted statistics of band 1 of a raster over each polygon.

    Each pixel counts with the fraction of it inside the polygon (estimated on a
    `supersample` x `supersample` sub-grid of pixel centres), so small polygons and edges are
    not rounded to whole pixels. Nodata pixels are ignored.

    Parameters
    ----------
    frame
        Polygons; reprojected to the raster's CRS if needed (EPSG:27700 here).
    raster_path
        A single-band raster with a CRS.
    thresholds
        ``{name: t}``: adds ``share_above_<name>``, the area share of valid pixels with value > t.
    categories
        ``{name: values}``: adds ``share_<name>``, the area share of valid pixels whose value is
        one of `values` (for class rasters such as the ALC grades).

    Returns
    -------
    pandas.DataFrame
        Aligned to ``frame.index``: ``mean``, ``min``, ``max`` (raster units), ``valid_ha``
        (hectares of valid pixels inside) and the requested shares (0-1). NaN where a polygon
        covers no valid pixel.
    """
    data, valid, transform, crs, _ = read_raster(raster_path)
    if frame.crs is None:
        msg = "zonal_stats needs polygons with a CRS"
        raise SourceError(msg)
    polygons = frame.geometry if frame.crs.to_string() == crs else frame.geometry.to_crs(crs)
    height, width = data.shape
    left, top = transform.c, transform.f
    right, bottom = left + width * transform.a, top + height * transform.e
    minx, miny, maxx, maxy = polygons.total_bounds
    if maxx <= left or minx >= right or maxy <= bottom or miny >= top:
        msg = (
            f"{raster_path}: raster extent ({left:.0f}, {bottom:.0f}, {right:.0f}, {top:.0f}) "
            f"does not overlap the areas ({minx:.0f}, {miny:.0f}, {maxx:.0f}, {maxy:.0f})"
        )
        raise SourceError(msg)
    limits = dict(thresholds or {})
    classes = {k: [float(x) for x in v] for k, v in (categories or {}).items()}
    pixel_ha = abs(transform.a * transform.e) / 10_000
    s = supersample
    rows = []
    for geometry in polygons.to_numpy():
        rows.append(_one(geometry, data, valid, transform, s, limits, classes, pixel_ha))
    columns = [
        "mean",
        "min",
        "max",
        "valid_ha",
        *[f"share_above_{k}" for k in limits],
        *[f"share_{k}" for k in classes],
    ]
    return pd.DataFrame(rows, index=frame.index, columns=columns)


def _one(
    geometry: object,
    data: np.ndarray,
    valid: np.ndarray,
    transform: Affine,
    s: int,
    thresholds: dict[str, float],
    categories: dict[str, list[float]],
    pixel_ha: float,
) -> list[float]:
    empty = [math.nan, math.nan, math.nan, 0.0] + [math.nan] * (len(thresholds) + len(categories))
    if geometry is None or geometry.is_empty:  # type: ignore[attr-defined]
        return empty
    minx, miny, maxx, maxy = geometry.bounds  # type: ignore[attr-defined]
    height, width = data.shape
    col0 = max(0, math.floor((minx - transform.c) / transform.a))
    col1 = min(width, math.ceil((maxx - transform.c) / transform.a))
    row0 = max(0, math.floor((maxy - transform.f) / transform.e))
    row1 = min(height, math.ceil((miny - transform.f) / transform.e))
    if col1 <= col0 or row1 <= row0:
        return empty
    h, w = row1 - row0, col1 - col0
    window = transform @ Affine.translation(col0, row0) @ Affine.scale(1 / s)
    burned = rasterize(
        [(geometry, 1)],
        out_shape=(h * s, w * s),
        transform=window,
        fill=0,
        dtype="uint8",
        all_touched=False,
    )
    fraction = burned.reshape(h, s, w, s).sum(axis=(1, 3)) / (s * s)
    values = data[row0:row1, col0:col1]
    weights = fraction * valid[row0:row1, col0:col1]
    total = weights.sum()
    if total <= 0:
        return empty
    inside = weights > 0
    out = [
        float((weights * np.where(inside, values, 0)).sum() / total),
        float(values[inside].min()),
        float(values[inside].max()),
        float(total * pixel_ha),
    ]
    out += [float(weights[values > t].sum() / total) for t in thresholds.values()]
    out += [float(weights[np.isin(values, v)].sum() / total) for v in categories.values()]
    return out
