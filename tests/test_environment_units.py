"""Hand-checkable fixtures for the environmental measures."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from affine import Affine
from shapely.geometry import box

from geo.build.grid import make_grid, population_cells, within_distance
from geo.build.measures import area_inside_ha
from geo.build.zonal import zonal_stats


def test_square_half_in_flood_zone_3_is_half() -> None:
    area = gpd.GeoDataFrame(geometry=[box(0, 0, 100, 100)], index=["A"], crs="EPSG:27700")
    inside = area_inside_ha(area, box(0, 0, 50, 100))
    assert inside.loc["A"] == pytest.approx(0.5)
    assert inside.loc["A"] / (area.area.loc["A"] / 10_000) == pytest.approx(0.5)


def test_within_300m_share_of_a_point_grid() -> None:
    # five residents at known distances from one access point at the origin
    distances = np.array([100.0, 200.0, 299.0, 301.0, 500.0])
    points = shapely.points(distances, np.zeros(5))
    within = within_distance(points, [shapely.Point(0, 0)], 300)
    assert within.tolist() == [True, True, True, False, False]
    assert within.mean() == pytest.approx(0.6)


def test_zonal_mean_of_a_polygon_covering_one_and_a_half_cells(tmp_path: Path) -> None:
    path = tmp_path / "two_by_two.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=2,
        height=2,
        count=1,
        dtype="float32",
        crs="EPSG:27700",
        transform=Affine(10, 0, 0, 0, -10, 20),
        nodata=-9999,
    ) as dst:
        dst.write(np.array([[1, 2], [3, 4]], dtype="float32"), 1)
    # covers the top-left cell wholly and the top-right cell's left half
    polygon = gpd.GeoDataFrame(geometry=[box(0, 10, 15, 20)], index=["p"], crs="EPSG:27700")
    stats = zonal_stats(polygon, path, thresholds={"one": 1.0})
    assert stats.loc["p", "mean"] == pytest.approx((1 * 1 + 2 * 0.5) / 1.5)
    assert stats.loc["p", "min"] == 1 and stats.loc["p", "max"] == 2
    assert stats.loc["p", "valid_ha"] == pytest.approx(150 / 10_000)
    assert stats.loc["p", "share_above_one"] == pytest.approx(0.5 / 1.5)


def test_dasymetric_grid_keeps_lsoa_totals_and_avoids_parks() -> None:
    lsoa = gpd.GeoDataFrame(geometry=[box(0, 0, 100, 100)], index=["L"], crs="EPSG:27700")
    counts = pd.DataFrame({"residents": [100.0], "age_65_plus": [20.0]}, index=["L"])
    grid = make_grid((0, 0, 100, 100), cell=25)
    cells = population_cells(
        lsoa,
        counts,
        grid=grid,
        greenspace=gpd.GeoSeries([box(0, 0, 50, 100)], crs="EPSG:27700"),
        water=gpd.GeoSeries([], crs="EPSG:27700"),
        agricultural=gpd.GeoSeries([], crs="EPSG:27700"),
    )
    assert cells["residents"].sum() == pytest.approx(100)
    assert cells["age_65_plus"].sum() == pytest.approx(20)
    assert (cells["x"] > 50).all()  # nobody placed in the park half
    assert len(cells) == 8 and cells["residents"].nunique() == 1
