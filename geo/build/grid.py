"""Dasymetric population grid: LSOA residents spread over the land people live on.

Method (stated in every grid-based indicator's metadata): a regular grid in EPSG:27700 (25 m by
default). Each cell belongs to the LSOA holding its centre. A cell whose centre lies in a green
space site or on water (river and canal centrelines buffered by 10 m: the open data has no
water-body polygons) gets weight 0; a cell on agricultural land (Natural England ALC grades 1-5)
gets a small weight (0.05); every other cell weight 1. Each LSOA's Census 2021 residents, and its
residents aged 65+, are shared over its cells in proportion to the weights (uniformly when an
LSOA has no weighted cell), so LSOA totals are kept exactly.

Limits: residents are assumed evenly spread over the weighted land within an LSOA (no building
or address data); the ALC is a 1:250,000 product; cells are classified by their centre.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine
from rasterio.features import rasterize
from shapely.geometry.base import BaseGeometry

AGRICULTURAL_WEIGHT = 0.05
WATER_BUFFER_M = 10.0


@dataclass(frozen=True)
class Grid:
    """A regular grid in EPSG:27700: cell centres and the grid's raster geometry."""

    transform: Affine
    shape: tuple[int, int]
    cell: float

    def burn(
        self,
        geometries: Iterable[BaseGeometry],
        *,
        values: Iterable[int] | None = None,
        dtype: str = "uint8",
    ) -> np.ndarray:
        """Rasterise geometries onto the grid by cell centre (0 where none)."""
        geoms = [g for g in geometries if g is not None and not g.is_empty]
        if not geoms:
            return np.zeros(self.shape, dtype=dtype)
        pairs = zip(geoms, values if values is not None else [1] * len(geoms), strict=False)
        burned: np.ndarray = rasterize(
            pairs,
            out_shape=self.shape,
            transform=self.transform,
            fill=0,
            dtype=dtype,
            all_touched=False,
        )
        return burned

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """x and y of every cell centre, as (rows, cols) arrays."""
        rows, cols = np.indices(self.shape)
        x = self.transform.c + (cols + 0.5) * self.cell
        y = self.transform.f - (rows + 0.5) * self.cell
        return x, y


def make_grid(bounds: tuple[float, float, float, float], *, cell: float = 25.0) -> Grid:
    """A grid aligned to multiples of `cell` covering `bounds` (EPSG:27700 metres)."""
    minx, miny, maxx, maxy = bounds
    minx, miny = np.floor(minx / cell) * cell, np.floor(miny / cell) * cell
    maxx, maxy = np.ceil(maxx / cell) * cell, np.ceil(maxy / cell) * cell
    shape = (round((maxy - miny) / cell), round((maxx - minx) / cell))
    return Grid(Affine(cell, 0, minx, 0, -cell, maxy), shape, cell)


def population_cells(
    lsoa: gpd.GeoDataFrame,
    counts: pd.DataFrame,
    *,
    grid: Grid,
    greenspace: gpd.GeoSeries,
    water: gpd.GeoSeries,
    agricultural: gpd.GeoSeries,
    agricultural_weight: float = AGRICULTURAL_WEIGHT,
) -> pd.DataFrame:
    """Cells with residents: x, y (centre), row, col, lsoa, and one column per count column.

    `counts` is indexed like `lsoa` (e.g. columns residents, age_65_plus); every LSOA's totals
    are preserved exactly.
    """
    codes = lsoa.index.astype(str).to_numpy()
    ids = grid.burn(lsoa.geometry.to_numpy(), values=range(1, len(codes) + 1), dtype="int32")
    excluded = grid.burn(greenspace.to_numpy()).astype(bool) | grid.burn(
        water.buffer(WATER_BUFFER_M).to_numpy()
    ).astype(bool)
    farmland = grid.burn(agricultural.to_numpy()).astype(bool)
    weight = np.where(excluded, 0.0, np.where(farmland, agricultural_weight, 1.0))
    weight = np.where(ids > 0, weight, 0.0)
    flat_ids = ids.ravel()
    totals = np.bincount(flat_ids, weights=weight.ravel(), minlength=len(codes) + 1)
    cells_per = np.bincount(flat_ids, minlength=len(codes) + 1)
    uniform = totals == 0  # no weighted land: spread evenly over the LSOA's cells
    use = np.where(uniform[flat_ids], (flat_ids > 0).astype(float), weight.ravel())
    share_total = np.where(uniform, cells_per, totals)
    keep = (flat_ids > 0) & (use > 0)
    rows, cols = np.divmod(np.flatnonzero(keep), grid.shape[1])
    lsoa_index = flat_ids[keep] - 1
    share = use[keep] / share_total[flat_ids[keep]]
    x = grid.transform.c + (cols + 0.5) * grid.cell
    y = grid.transform.f - (rows + 0.5) * grid.cell
    cells = pd.DataFrame({"x": x, "y": y, "row": rows, "col": cols, "lsoa": codes[lsoa_index]})
    for column in counts.columns:
        cells[column] = counts[column].to_numpy(dtype=float)[lsoa_index] * share
    missing = sorted(set(codes) - set(cells["lsoa"]))
    if missing:  # an LSOA smaller than a cell: one cell at a point inside it
        points = lsoa.loc[missing].geometry.representative_point()
        extra = pd.DataFrame({"x": points.x.to_numpy(), "y": points.y.to_numpy(), "lsoa": missing})
        row = np.floor((grid.transform.f - extra["y"]) / grid.cell)
        col = np.floor((extra["x"] - grid.transform.c) / grid.cell)
        extra["row"] = row.clip(0, grid.shape[0] - 1)
        extra["col"] = col.clip(0, grid.shape[1] - 1)
        for column in counts.columns:
            extra[column] = counts.loc[missing, column].to_numpy(dtype=float)
        cells = pd.concat([cells, extra.astype({"row": int, "col": int})], ignore_index=True)
    return cells


def cell_points(cells: pd.DataFrame) -> np.ndarray:
    """Cell centres as shapely points."""
    points: np.ndarray = shapely.points(cells["x"].to_numpy(), cells["y"].to_numpy())
    return points


def within_distance(
    points: np.ndarray, targets: Iterable[BaseGeometry], distance: float
) -> np.ndarray:
    """Boolean per point: is any target geometry within `distance` metres (straight line)?"""
    geoms = [g for g in targets if g is not None and not g.is_empty]
    if not geoms:
        return np.zeros(len(points), dtype=bool)
    tree = shapely.STRtree(geoms)
    hits = tree.query_nearest(
        points, max_distance=distance, return_distance=False, all_matches=False
    )
    found = np.zeros(len(points), dtype=bool)
    found[hits[0]] = True
    return found


def sample(cells: pd.DataFrame, raster: np.ndarray) -> np.ndarray:
    """Values of a grid-aligned raster at the cells."""
    values: np.ndarray = raster[cells["row"].to_numpy(), cells["col"].to_numpy()]
    return values


def population_centres(cells: pd.DataFrame, owner: np.ndarray) -> gpd.GeoSeries:
    """The residents-weighted centre of each owner's cells (index: owner code; EPSG:27700)."""
    weights = cells["residents"].to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "owner": owner,
            "wx": cells["x"].to_numpy() * weights,
            "wy": cells["y"].to_numpy() * weights,
            "w": weights,
        }
    )
    sums = frame.groupby("owner")[["wx", "wy", "w"]].sum()
    points = shapely.points(sums["wx"] / sums["w"], sums["wy"] / sums["w"])
    return gpd.GeoSeries(points, index=sums.index.astype(str), crs="EPSG:27700")


def nearest_distance(points: gpd.GeoSeries, targets: gpd.GeoSeries) -> pd.Series:
    """Straight-line metres from each point to the nearest target geometry (aligned on
    `points`' index; NaN when there is no target)."""
    geoms = targets.to_numpy()
    if len(geoms) == 0:
        return pd.Series(np.nan, index=points.index)
    tree = shapely.STRtree(geoms)
    found, distance = tree.query_nearest(points.to_numpy(), return_distance=True, all_matches=False)
    out = np.full(len(points), np.nan)
    out[found[0]] = distance
    return pd.Series(out, index=points.index)
