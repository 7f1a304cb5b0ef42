"""Bad input stops the build with a clear message and leaves the existing store untouched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from geo.build.pipeline import build_store
from geo.errors import SourceError
from tests.conftest import assert_refused, digest, replace_file


def test_missing_column(mirror_copy: Path, old_store: Path) -> None:
    path = replace_file(mirror_copy, "stockport_population_census2021_lsoa21.csv")
    pd.read_csv(path).drop(columns="age_65_plus").to_csv(path, index=False)
    assert_refused(mirror_copy, old_store, path.name, "age_65_plus", "missing required column")


def test_layer_without_crs(mirror_copy: Path, old_store: Path) -> None:
    path = replace_file(mirror_copy, "stockport_wards_2023.gpkg")
    with sqlite3.connect(path) as db:  # declare the layer's SRS as "undefined" (srs_id -1)
        db.execute("UPDATE gpkg_geometry_columns SET srs_id = -1")
        db.execute("UPDATE gpkg_contents SET srs_id = -1")
    assert_refused(mirror_copy, old_store, path.name, "no CRS")


def test_duplicated_lsoa_code(mirror_copy: Path, old_store: Path) -> None:
    path = replace_file(mirror_copy, "stockport_iod2025_lsoa21.csv")
    table = pd.read_csv(path)
    table.loc[1, "lsoa21cd"] = table.loc[0, "lsoa21cd"]
    table.to_csv(path, index=False)
    assert_refused(mirror_copy, old_store, path.name, "duplicated lsoa21cd", "E01005743")


def test_missing_lsoa_in_join(mirror_copy: Path, old_store: Path) -> None:
    path = replace_file(mirror_copy, "stockport_iod2025_lsoa21.csv")
    table = pd.read_csv(path)
    table.loc[5, "lsoa21cd"] = "E01999999"
    table.to_csv(path, index=False)
    assert_refused(
        mirror_copy, old_store, "does not join", "E01999999", str(table.loc[4, "lsoa21cd"])[:3]
    )


def test_truncated_csv(mirror_copy: Path, old_store: Path) -> None:
    path = replace_file(mirror_copy, "stockport_iod2025_lsoa21.csv")
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    assert_refused(mirror_copy, old_store, path.name)


def test_truncated_geopackage(mirror_copy: Path, old_store: Path) -> None:
    path = replace_file(mirror_copy, "stockport_lsoa_2021.gpkg")
    path.write_bytes(path.read_bytes()[:50_000])
    assert_refused(mirror_copy, old_store, path.name, "cannot read")


def test_bad_code_pattern(mirror_copy: Path, old_store: Path) -> None:
    path = replace_file(mirror_copy, "stockport_population_census2021_lsoa21.csv")
    table = pd.read_csv(path)
    table.loc[3, "lsoa21cd"] = "W01000001x"
    table.to_csv(path, index=False)
    assert_refused(mirror_copy, old_store, "lsoa21cd", "W01000001x")


def test_missing_source_file(mirror_copy: Path, old_store: Path) -> None:
    (mirror_copy / "stockport_iod2019_lsoa11.csv").unlink()
    assert_refused(mirror_copy, old_store, "iod2019", "not found", "stockport-geo fetch")


def test_grouping_missing_a_ward(tmp_path: Path, mirror: Path, old_store: Path) -> None:
    grouping = pd.read_csv(
        Path(__file__).parents[1] / "data/boundaries/neighbourhoods_working_definition.csv"
    )
    path = tmp_path / "grouping.csv"
    grouping.iloc[1:].to_csv(path, index=False)
    before = digest(old_store)
    with pytest.raises(SourceError, match=r"E05015014"):
        build_store(store_path=old_store, mirror=mirror, grouping_path=path)
    assert digest(old_store) == before


def test_grouping_of_lsoas(tmp_path: Path, mirror: Path) -> None:
    lookup = pd.read_csv(mirror / "stockport_lsoa21_lookup.csv")
    grouping = pd.DataFrame(
        {"lsoa_code": lookup["LSOA21CD"], "neighbourhood_name": "MSOA " + lookup["MSOA21NM"]}
    )
    path = tmp_path / "by_lsoa.csv"
    grouping.to_csv(path, index=False)
    store = tmp_path / "s.gpkg"
    build_store(store_path=store, mirror=mirror, grouping_path=path)
    from geo.store import load_store

    loaded = load_store(store)
    hoods = loaded.values[
        (loaded.values.area_type == "neighbourhood") & (loaded.values.indicator_id == "residents")
    ]
    assert set(hoods["method"]) == {"lsoa_grouping"}
    assert len(hoods) == 42 and hoods["value"].sum() == 294_774
