"""OS Open Names in the search: read in the official format (34 columns, no header row) from a
small hand-made fixture, clipped to the borough, and found by name."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from geo.build.pipeline import build_store
from geo.errors import SourceError
from geo.sources.manifest import load_manifest
from geo.sources.open_names import OPEN_NAMES_COLUMNS, read_open_names
from geo.store import Store


def name_row(name: str, local_type: str, x: float, y: float, district: str = "") -> list[str]:
    """One record laid out as the product's CSV files are (values by column name)."""
    kind = {"Named Road": "transportNetwork", "Postcode": "other"}.get(local_type, "populatedPlace")
    values = dict.fromkeys(OPEN_NAMES_COLUMNS, "")
    values.update(
        ID=f"osgb{abs(hash(name)) % 10**13}",
        NAME1=name,
        TYPE=kind,
        LOCAL_TYPE=local_type,
        GEOMETRY_X=f"{x:.0f}",
        GEOMETRY_Y=f"{y:.0f}",
        POSTCODE_DISTRICT=district,
        COUNTRY="England",
    )
    return [values[c] for c in OPEN_NAMES_COLUMNS]


def write_fixture(path: Path, store: Store) -> None:
    edgeley = store.areas["ward"].geometry.loc["E05015023"].representative_point()
    heatons = store.areas["ward"].geometry.loc["E05015026"].representative_point()
    rows = [
        name_row("Castle Street", "Named Road", edgeley.x, edgeley.y, "SK3"),
        name_row("SK3", "Postcode", edgeley.x + 50, edgeley.y, "SK3"),
        name_row("Heaton Mersey", "Suburban Area", heatons.x, heatons.y, "SK4"),
        name_row("Piccadilly Gardens", "Named Road", 384_300, 398_300, "M1"),  # Manchester
        name_row("Edgeley Park", "Football Ground", edgeley.x, edgeley.y, "SK3"),  # not searched
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)  # no header row, as published


def test_reads_the_official_layout_and_clips_to_the_borough(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    write_fixture(path, store)
    source = load_manifest()["os_open_names"]
    names = read_open_names(path, source, within=store.areas["borough"].geometry.iloc[0])
    assert sorted(names["name"]) == ["Castle Street", "Heaton Mersey", "SK3"]
    assert dict(zip(names["name"], names["kind"], strict=True))["SK3"] == "postcode district"
    assert names.crs.to_epsg() == 27700


def test_a_file_of_another_layout_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("NAME1,LOCAL_TYPE\nCastle Street,Named Road\n", encoding="utf-8")
    source = load_manifest()["os_open_names"]
    with pytest.raises(SourceError, match=r"names.csv: os_open_names has 2 columns.*34"):
        read_open_names(path, source, within=None)  # type: ignore[arg-type]


def test_search_finds_places_roads_and_postcode_districts(
    mirror_copy: Path, tmp_path: Path, store: Store
) -> None:
    write_fixture(mirror_copy / "names" / "os_open_names.csv", store)
    path = tmp_path / "named.gpkg"
    build_store(store_path=path, mirror=mirror_copy)
    with TestClient(create_app(ApiSettings(store=path))) as client:
        html = {"accept": "text/html"}
        for query, ward in (("castle street", "E05015023"), ("Heaton Mersey", "E05015026")):
            found = client.get("/search", params={"q": query}, headers=html, follow_redirects=False)
            assert found.status_code == 303, query
            assert found.headers["location"] == f"/profiles/ward/{ward}?f=html"
        body = client.get("/search", params={"q": "SK3"}).json()
        assert body["results"][0]["label"] == "Postcode in Edgeley ward"
        outside = client.get("/search", params={"q": "Piccadilly Gardens"}).json()
        assert all(r["name"] != "Piccadilly Gardens" for r in outside["results"])
        collection = client.get("/collections/os_open_names/items").json()
        assert collection["numberMatched"] == 3
