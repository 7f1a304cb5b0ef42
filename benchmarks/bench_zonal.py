"""Zonal statistics on 33,755 synthetic polygons over a 10 m raster of Stockport's extent.

Times `geo.build.zonal.zonal_stats` (fractional pixel coverage) against rasterstats (whole pixels by
centre) in the same run, on the same polygons and raster, and prints both times, the ratio, and
how far the two means differ.

Run: .venv/bin/python -m benchmarks.bench_zonal [--polygons 33755] [--repeats 1]
(needs the `bench` extra: pip install -e '.[bench]')
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import shapely
from affine import Affine

from geo.build.zonal import zonal_stats

REPO = Path(__file__).resolve().parents[1]
CANOPY = REPO.parent / "shared/data/stockport/standin/tree_canopy_standin_10m.tif"


def synthetic_polygons(bounds: tuple[float, float, float, float], n: int) -> gpd.GeoDataFrame:
    """A Voronoi tessellation of `n` random points, clipped to `bounds` (EPSG:27700)."""
    rng = np.random.default_rng(20261122)
    minx, miny, maxx, maxy = bounds
    points = shapely.points(rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n))
    cells = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=shapely.box(*bounds))
    clipped = shapely.intersection(shapely.get_parts(cells), shapely.box(*bounds))
    return gpd.GeoDataFrame(geometry=clipped, crs="EPSG:27700")


def synthetic_raster(path: Path, template: Path) -> None:
    """A 10 m raster over the template's extent with smooth random values (no nodata)."""
    with rasterio.open(template) as src:
        profile = src.profile | {"nodata": -9999.0, "dtype": "float32"}
        shape = (src.height, src.width)
    rng = np.random.default_rng(7)
    data = rng.random(shape, dtype=np.float32)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--polygons", type=int, default=33_755)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        raster = Path(folder) / "synthetic_10m.tif"
        synthetic_raster(raster, CANOPY)
        with rasterio.open(raster) as src:
            bounds = tuple(src.bounds)
            transform: Affine = src.transform
        polygons = synthetic_polygons(bounds, args.polygons)  # type: ignore[arg-type]
        print(
            f"{len(polygons):,} polygons (mean {polygons.area.mean() / 1e4:.2f} ha) over a "
            f"10 m raster of {bounds[2] - bounds[0]:.0f} x {bounds[3] - bounds[1]:.0f} m"
        )

        start = time.perf_counter()
        ours = zonal_stats(polygons, raster)
        ours_s = time.perf_counter() - start
        print(
            f"geo.build.zonal.zonal_stats  {ours_s:8.2f} s  ({ours_s / len(polygons) * 1e3:.3f} ms "
            "per polygon; fractional coverage, 4x4 sub-pixels)"
        )
        try:
            from rasterstats import zonal_stats as rs_zonal
        except ImportError:
            print("rasterstats not installed: pip install -e '.[bench]'")
            return
        start = time.perf_counter()
        theirs = rs_zonal(
            polygons.geometry, str(raster), stats=["mean", "min", "max"], affine=transform
        )
        theirs_s = time.perf_counter() - start
        print(
            f"rasterstats.zonal_stats {theirs_s:7.2f} s  ({theirs_s / len(polygons) * 1e3:.3f} "
            "ms per polygon; whole pixels by centre)"
        )
        print(f"ratio rasterstats / ours: {theirs_s / ours_s:.2f}x")
        rs_mean = np.array([np.nan if r["mean"] is None else r["mean"] for r in theirs])
        both = ~np.isnan(rs_mean) & ours["mean"].notna().to_numpy()
        diff = np.abs(rs_mean[both] - ours["mean"].to_numpy()[both])
        print(
            f"means differ by median {np.median(diff):.4f}, p95 {np.percentile(diff, 95):.4f}; "
            f"rasterstats gave no value for {int((~np.isnan(rs_mean)).size - both.sum())} "
            "polygons"
        )


if __name__ == "__main__":
    main()
