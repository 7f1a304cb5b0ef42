"""Environmental indicators on the real mirror (stand-in layers flagged), and bad input."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio

from geo.build.measures import area_inside_ha
from geo.sources.ingest import IngestReport
from geo.sources.layers import load_flood_zones
from geo.sources.manifest import load_manifest
from geo.store import Store
from tests.conftest import assert_refused, replace_file


def values(store: Store, indicator: str, area_type: str) -> pd.Series:
    v = store.values
    rows = v[(v.indicator_id == indicator) & (v.area_type == area_type)]
    assert rows["method"].nunique() == 1, rows["method"].unique()
    return rows.set_index("area_code")["value"]


def test_shares_lie_in_zero_one(store: Store) -> None:
    shares = store.values[store.values["unit"] == "proportion"]["value"].dropna()
    assert len(shares) > 5000
    assert shares.between(0, 1).all()


@pytest.mark.parametrize(
    ("exposed", "everyone"),
    [
        ("residents_fz3", "residents"),
        ("residents_flood_extent", "residents"),
        ("residents_65_plus_flood_extent", "residents_age_65_plus"),
        ("residents_no_greenspace_300m", "residents"),
    ],
)
def test_exposed_residents_never_exceed_residents(
    store: Store, exposed: str, everyone: str
) -> None:
    for area_type in ("lsoa", "borough"):
        got = values(store, exposed, area_type)
        total = store.values[
            (store.values.indicator_id == everyone)
            & (store.values.area_type == area_type)
            & store.values.method.isin(["lsoa", "all_lsoas"])
        ]
        total = total.set_index("area_code")["value"]
        assert (got <= total.loc[got.index] + 1e-6).all()


def test_green_space_and_cycle_km_sum_over_wards(store: Store) -> None:
    for indicator in ("greenspace_ha", "cycle_km_total", "cycle_km_ncn"):
        borough = values(store, indicator, "borough").item()
        wards = values(store, indicator, "ward").sum()
        assert wards == pytest.approx(borough, rel=0.005), indicator
    assert values(store, "greenspace_ha", "borough").item() == pytest.approx(706.7, abs=0.5)


def test_flood_zone_3_within_the_whole_extent(store: Store) -> None:
    for area_type in ("lsoa", "ward", "neighbourhood", "borough"):
        fz3 = values(store, "fz3_share_of_land", area_type)
        extent = values(store, "flood_extent_share_of_land", area_type)
        assert (fz3 <= extent.loc[fz3.index] + 1e-12).all()
    # stand-in README: 13.77% of the borough lies in the 0.1% extent
    assert values(store, "flood_extent_share_of_land", "borough").item() == pytest.approx(
        0.1377, abs=0.002
    )


def test_2025_and_legacy_flood_schemas_agree(mirror: Path, store: Store) -> None:
    source = load_manifest()["flood_zones"]
    path = mirror / source.file
    current = load_flood_zones(path, source, report=IngestReport()).set_index("zone")
    legacy = load_flood_zones(
        path, replace(source, layer="legacy_flood_zones_2_and_3"), report=IngestReport()
    ).set_index("zone")
    assert set(current["schema"]) == {"2025"} and set(legacy["schema"]) == {"legacy"}
    wards = store.areas["ward"]
    for zone in ("FZ3", "FZ2"):
        a = area_inside_ha(wards, current.geometry[zone])
        b = area_inside_ha(wards, legacy.geometry[zone])
        assert np.allclose(a, b, atol=1e-4), zone


def test_borough_canopy_equals_raster_mean(store: Store, mirror: Path) -> None:
    with rasterio.open(mirror / "standin/tree_canopy_standin_10m.tif") as src:
        data = src.read(1)
        raster_mean = float(data[data != src.nodata].mean())
    borough = values(store, "canopy_cover_mean", "borough").item()
    assert abs(borough - raster_mean) * 100 < 0.5  # within 0.5 percentage points


def test_standin_flags(store: Store) -> None:
    flags = store.values.groupby("indicator_id")["standin"].all()
    for indicator in (
        "greenspace_ha",
        "fz3_share_of_land",
        "cycle_km_total",
        "canopy_cover_mean",
        "share_residents_ags_local",
    ):
        assert flags[indicator], indicator
    for indicator in (
        "residents",
        "imd2025_score",
        "alc_share_agricultural",
        "elevation_mean_m",
        "tree_canopy_share",
        "households_gs_access_local",
        "idaopi_per_1000_residents",
        "share_residents_within_400m_pharmacy",
        "distance_to_nearest_food_bank_m",
    ):
        assert not flags[indicator], indicator
    catalogue = store.catalogue.set_index("id")["standin"].astype(bool)
    assert (catalogue == flags.reindex(catalogue.index)).all(), "catalogue flag != records' flag"
    layers = {k: bool(f["standin"].all()) for k, f in store.features.items()}
    assert layers == {
        "greenspace_sites": True,
        "flood_zones": True,
        "surface_water": True,
        "cycle_routes": True,
        **{
            f"services_{name}": False
            for name in (
                "pharmacies",
                "post_offices",
                "libraries",
                "food_banks",
                "dentists",
                "hospitals",
            )
        },
    }


def test_programme_areas_on_wards(store: Store) -> None:
    programmes = store.areas["ward"]["age_friendly_programmes"].fillna("")
    assert "Ageing in Place Pathfinder" in programmes.loc["E05015018"]
    assert "inferred" in programmes.loc["E05015033"]


# ---- bad input: each stops the build, names file/field/values, keeps the old store -----------


def rewrite_raster(
    path: Path, *, drop_crs: bool = False, transform: rasterio.Affine | None = None
) -> None:
    """Write the raster again without its CRS or with another transform."""
    with rasterio.open(path) as src:
        profile, data = src.profile, src.read(1)
    if drop_crs:
        profile.pop("crs")
    if transform is not None:
        profile["transform"] = transform
    path.unlink()
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)


def test_unknown_flood_zone_value(mirror_copy: Path, old_store: Path) -> None:
    path = replace_file(mirror_copy, "standin/flood_zones_standin.gpkg")
    frame = pyogrio.read_dataframe(path, layer="Flood_Zones_2_3_Rivers_and_Sea")
    frame.loc[0, "flood_zone"] = "FZ9"
    path.unlink()
    pyogrio.write_dataframe(frame, path, layer="Flood_Zones_2_3_Rivers_and_Sea")
    assert_refused(mirror_copy, old_store, path.name, "flood_zone", "FZ9")


def test_raster_without_crs(mirror_copy: Path, old_store: Path) -> None:
    path = replace_file(mirror_copy, "standin/tree_canopy_standin_10m.tif")
    rewrite_raster(path, drop_crs=True)
    assert_refused(mirror_copy, old_store, path.name, "no CRS")


def test_raster_not_overlapping_borough(mirror_copy: Path, old_store: Path) -> None:
    path = replace_file(mirror_copy, "standin/tree_canopy_standin_10m.tif")
    rewrite_raster(path, transform=rasterio.Affine(10, 0, 500_000, 0, -10, 200_000))  # Kent
    assert_refused(mirror_copy, old_store, path.name, "does not overlap")


def test_greenspace_missing_function(mirror_copy: Path, old_store: Path) -> None:
    path = replace_file(mirror_copy, "standin/greenspace_sites_standin.gpkg")
    frame = pyogrio.read_dataframe(path).drop(columns="function")
    path.unlink()
    pyogrio.write_dataframe(frame, path, layer="greenspace_site")
    assert_refused(mirror_copy, old_store, path.name, "function")


def test_lines_in_a_polygon_layer(mirror_copy: Path, old_store: Path) -> None:
    path = replace_file(mirror_copy, "standin/greenspace_sites_standin.gpkg")
    frame = pyogrio.read_dataframe(path)
    frame.loc[0, "geometry"] = frame.geometry.iloc[0].boundary
    path.unlink()
    pyogrio.write_dataframe(frame, path, layer="greenspace_site", geometry_type="Unknown")
    assert_refused(mirror_copy, old_store, path.name, "geometry types", "LineString")
