"""Local services near residents: the six real layers as collections, the reach figures
recomputed by hand from the service files and the residents grid, and the profile's list."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from fastapi.testclient import TestClient

from geo.build.grid import make_grid, population_cells
from geo.build.services import service_cell_counts
from geo.errors import SourceError
from geo.indicators.services import SERVICE_SOURCE_IDS
from geo.sources.ingest import IngestReport
from geo.sources.manifest import load_manifest
from geo.sources.services import load_services
from geo.store import Store
from tests.test_numbers import shown

WARD = "E05015023"  # Edgeley
SERVICE_FILES = {
    "services_pharmacies": "stockport_pharmacies.gpkg",
    "services_post_offices": "stockport_post_offices.gpkg",
    "services_libraries": "stockport_libraries.gpkg",
    "services_food_banks": "stockport_food_banks.gpkg",
    "services_dentists": "stockport_dentists.gpkg",
    "services_hospitals": "stockport_hospitals.gpkg",
}


def real_grid(store: Store, mirror: Path) -> pd.DataFrame:
    """The services residents grid rebuilt from the files: Census residents over the 25 m
    cells, none on rivers and canals (buffered 10 m), farmland weighted 0.05."""
    census = pd.read_csv(mirror / "stockport_population_census2021_lsoa21.csv")
    counts = census.set_index("lsoa21cd")[["total_usual_residents", "age_65_plus"]]
    counts = counts.rename(columns={"total_usual_residents": "residents"})
    lsoa = store.areas["lsoa"]
    rivers = gpd.read_file(mirror / "env" / "os_open_rivers_watercourses.gpkg").to_crs(27700)
    water = rivers.loc[rivers["form"].isin(["inland river", "canal"]), "geometry"]
    alc = gpd.read_file(mirror / "env" / "natural_england_agricultural_land_classification.gpkg")
    farmland = alc.to_crs(27700).loc[alc["grade"].str.match(r"Grade [1-5]$"), "geometry"]
    grid = make_grid(tuple(float(b) for b in store.areas["borough"].total_bounds), cell=25.0)  # type: ignore[arg-type]
    return population_cells(
        lsoa,
        counts.reindex(lsoa.index),
        grid=grid,
        greenspace=gpd.GeoSeries([], crs=27700),
        water=water,
        agricultural=farmland,
    )


@pytest.fixture(scope="module")
def grid(store: Store, mirror: Path) -> pd.DataFrame:
    return real_grid(store, mirror)


def service_points(mirror: Path, name: str) -> np.ndarray:
    frame = gpd.read_file(mirror / "services" / name).to_crs(27700)
    return np.column_stack([frame.geometry.x, frame.geometry.y])


@pytest.mark.parametrize("kind_file", ["stockport_pharmacies.gpkg", "stockport_food_banks.gpkg"])
def test_reach_of_a_ward_recomputed_by_hand(
    store: Store, mirror: Path, grid: pd.DataFrame, kind_file: str
) -> None:
    kind = {"stockport_pharmacies.gpkg": "pharmacy", "stockport_food_banks.gpkg": "food_bank"}[
        kind_file
    ]
    ward = store.areas["ward"].geometry.loc[WARD]
    inside = shapely.contains_xy(ward, grid["x"].to_numpy(), grid["y"].to_numpy())
    cells = grid[inside]
    points = service_points(mirror, kind_file)
    # Brute force: every cell against every service (a few hundred cells x < 100 points).
    gaps = np.hypot(
        cells["x"].to_numpy()[:, None] - points[None, :, 0],
        cells["y"].to_numpy()[:, None] - points[None, :, 1],
    ).min(axis=1)
    population = shown(store, "residents", "ward", WARD)
    older = shown(store, "residents_age_65_plus", "ward", WARD)
    for distance in (400, 800):
        near = gaps <= distance
        share = cells["residents"][near].sum() / cells["residents"].sum()
        share_65 = cells["age_65_plus"][near].sum() / cells["age_65_plus"].sum()
        stored = shown(store, f"share_residents_within_{distance}m_{kind}", "ward", WARD)
        assert stored == pytest.approx(share, abs=0.002)
        assert shown(
            store, f"share_aged_65_plus_within_{distance}m_{kind}", "ward", WARD
        ) == pytest.approx(share_65, abs=0.002)
        record = store.values.query(
            "area_type == 'ward' and area_code == @WARD and "
            f"indicator_id == 'share_residents_within_{distance}m_{kind}'"
        ).iloc[0]
        # One population: the count behind the share is share x the ward's headline residents.
        assert record["denominator"] == population
        assert record["numerator"] == pytest.approx(stored * population)
        assert not record["standin"]
    assert older > 0
    weights = cells["residents"].to_numpy()
    cx = (cells["x"].to_numpy() * weights).sum() / weights.sum()
    cy = (cells["y"].to_numpy() * weights).sum() / weights.sum()
    nearest = np.hypot(points[:, 0] - cx, points[:, 1] - cy).min()
    assert shown(store, f"distance_to_nearest_{kind}_m", "ward", WARD) == pytest.approx(
        nearest, abs=15
    )


def test_cell_counts_on_a_hand_fixture() -> None:
    """Three cells, one pharmacy: a cell 300 m away is within 400 m, one 600 m away only
    within 800 m, one 900 m away in neither."""
    cells = pd.DataFrame(
        {"x": [300.0, 600.0, 900.0], "y": [0.0, 0.0, 0.0], "residents": [10.0, 20.0, 30.0]}
    )
    cells["age_65_plus"] = [1.0, 2.0, 3.0]
    pharmacy = gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)], crs=27700)
    far = gpd.GeoDataFrame(geometry=[shapely.Point(10_000, 0)], crs=27700)
    services = dict.fromkeys(("post_office", "library", "food_bank", "dentist"), far)
    counts = service_cell_counts(cells, {**services, "pharmacy": pharmacy})
    assert counts["services_residents_pharmacy_400m"].tolist() == [10.0, 0.0, 0.0]
    assert counts["services_residents_pharmacy_800m"].tolist() == [10.0, 20.0, 0.0]
    assert counts["services_aged_65_plus_pharmacy_800m"].sum() == 3.0
    assert counts["services_residents_library_800m"].sum() == 0.0
    assert counts["residents_services_grid"].sum() == 60.0


def test_service_collections_have_every_feature_of_their_files(
    client: TestClient, mirror: Path
) -> None:
    for layer_id, name in SERVICE_FILES.items():
        published = gpd.read_file(mirror / "services" / name)
        body = client.get(f"/collections/{layer_id}/items", params={"limit": 1}).json()
        assert body["numberMatched"] == len(published), layer_id
        full = client.get(f"/collections/{layer_id}/items", params={"limit": 1000}).json()
        in_borough = sum(f["properties"]["in_borough"] for f in full["features"])
        assert in_borough == int(published["in_borough"].sum()), layer_id
        meta = client.get(f"/collections/{layer_id}").json()
        assert "Open Government Licence" in " ".join(meta.get("attribution", [])) or (
            "Open Government Licence" in str(meta)
        )
        assert "SYNTHETIC" not in meta["title"] + meta["description"]


def test_profile_lists_the_services_inside_the_area(client: TestClient) -> None:
    body = client.get(f"/profiles/ward/{WARD}").json()
    listed = pd.DataFrame(body["services_in_area"])
    assert "Edgeley Library" in set(listed["name"])
    assert set(listed["kind"]) >= {"pharmacy", "library", "dentist"}
    html = client.get(f"/profiles/ward/{WARD}", params={"f": "html"}).text
    assert "Where to get help in this area" in html
    assert "Edgeley Library" in html
    assert "may have opened, moved or closed" in html
    indicators = {r["indicator_id"]: r for r in body["indicators"]}
    row = indicators["share_residents_within_800m_pharmacy"]
    assert row["standin"] is False
    assert "understates" in client.get(
        "/indicators/share_residents_within_800m_pharmacy"
    ).text or "Straight-line" in str(row)


def test_a_renamed_service_column_is_a_clear_error(tmp_path: Path, mirror: Path) -> None:
    source = load_manifest()["services_libraries"]
    path = tmp_path / "stockport_libraries.gpkg"
    shutil.copy(mirror / "services" / "stockport_libraries.gpkg", path)
    frame = gpd.read_file(path).rename(columns={"Name": "Library name"})
    pyogrio.write_dataframe(frame, path, layer="libraries")
    with pytest.raises(SourceError, match=r"stockport_libraries.gpkg.*Name.*services_libraries"):
        load_services(path, source, report=IngestReport())


def test_every_service_kind_has_a_manifest_source() -> None:
    manifest = load_manifest()
    assert set(SERVICE_SOURCE_IDS.values()) == set(SERVICE_FILES)
    for source_id in SERVICE_FILES:
        source = manifest[source_id]
        assert not source.standin
        assert source.licence == "OGL-UK-3.0"
        assert source.file == f"services/{SERVICE_FILES[source_id]}"
