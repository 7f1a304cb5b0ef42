"""`fetch` of the coordinators' optional OS products from a local server (127.0.0.1) serving
zips laid out as published, converted to the files the build reads, clipped to Stockport."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

from geo.errors import SourceError
from geo.sources.convert import OPEN_NAMES_TILES, STOCKPORT_BNG_BBOX, open_names_from_zip
from geo.sources.fetch import LOG_NAME, fetch_source
from geo.sources.manifest import load_manifest
from geo.sources.open_names import read_open_names
from geo.store import Store
from tests.conftest import http_server
from tests.test_open_names import name_row

FILES: dict[str, bytes] = {}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = FILES.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with http_server(Handler) as url:
        yield url


def csv_bytes(rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue().encode()


def open_names_zip(store: Store, tiles: tuple[str, ...] = OPEN_NAMES_TILES) -> bytes:
    """The product's layout: Doc/ with the header file, Data/<TILE>.csv with no header."""
    edgeley = store.areas["ward"].geometry.loc["E05015023"].representative_point()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("Doc/OS_Open_Names_Header.csv", "ID,NAMES_URI,NAME1\n")
        for n, tile in enumerate(tiles):
            rows = [name_row(f"Test Street {tile}", "Named Road", edgeley.x + n, edgeley.y)]
            zipped.writestr(f"Data/{tile}.csv", csv_bytes(rows))
        zipped.writestr(
            "Data/TQ38.csv", csv_bytes([name_row("Whitehall", "Named Road", 530_000, 180_000)])
        )
    return buffer.getvalue()


def test_open_names_zip_becomes_the_search_file(server: str, store: Store, tmp_path: Path) -> None:
    FILES["/OpenNames.zip"] = open_names_zip(store)
    source = replace(load_manifest()["os_open_names"], url=f"{server}/OpenNames.zip")
    record = fetch_source(source, tmp_path, retries=1)
    converted = tmp_path / source.file
    assert record.converted_to == str(converted) and record.converter_version == "1"
    assert Path(record.path) == tmp_path / "downloads" / "os_open_names.zip"
    names = read_open_names(converted, source, within=store.areas["borough"].geometry.iloc[0])
    assert sorted(names["name"]) == [f"Test Street {t}" for t in OPEN_NAMES_TILES]
    assert "Whitehall" not in converted.read_text()  # only Stockport's tiles are copied
    log = json.loads((tmp_path / LOG_NAME).read_text())
    assert log["os_open_names"]["converted_to"] == str(converted)


def test_open_names_zip_without_a_tile_is_refused(store: Store, tmp_path: Path) -> None:
    archive = tmp_path / "names.zip"
    archive.write_bytes(open_names_zip(store, tiles=("SJ88", "SJ89", "SJ98")))
    source = load_manifest()["os_open_names"]
    with pytest.raises(SourceError, match=r"has no Data/SJ99\.csv"):
        open_names_from_zip(archive, source, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


def test_open_roads_zip_is_read_with_a_spatial_filter(server: str, tmp_path: Path) -> None:
    west, south = STOCKPORT_BNG_BBOX[:2]
    inside = shapely.LineString([(west + 1000, south + 1000), (west + 1500, south + 1200)])
    near = shapely.LineString([(west - 1500, south), (west - 1200, south)])  # in the margin
    far = shapely.LineString([(530_000, 180_000), (530_500, 180_000)])  # London
    links = gpd.GeoDataFrame(
        {
            "id": ["a", "b", "c"],
            "road_function": ["Local Road"] * 3,
            "length": [510.0, 300.0, 500.0],
        },
        geometry=[inside, near, far],
        crs="EPSG:27700",
    )
    package = tmp_path / "oproad_gb.gpkg"
    pyogrio.write_dataframe(links, package, layer="road_link")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.write(package, "Data/oproad_gb.gpkg")
        zipped.writestr("Doc/licence.txt", "OGL")
    FILES["/OpenRoads.zip"] = buffer.getvalue()
    source = replace(load_manifest()["os_open_roads"], url=f"{server}/OpenRoads.zip")
    cache = tmp_path / "cache"
    record = fetch_source(source, cache, retries=1)
    kept = pyogrio.read_dataframe(record.converted_to, layer="road_link")
    assert sorted(kept["id"]) == ["a", "b"]
    assert kept.crs.to_epsg() == 27700


def test_open_roads_zip_without_the_layer_is_refused(server: str, tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.Point(390_000, 388_000)], crs=27700)
    package = tmp_path / "roads.gpkg"
    pyogrio.write_dataframe(frame, package, layer="road_node")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.write(package, "Data/oproad_gb.gpkg")
    FILES["/WrongRoads.zip"] = buffer.getvalue()
    source = replace(load_manifest()["os_open_roads"], url=f"{server}/WrongRoads.zip")
    with pytest.raises(SourceError, match=r"has no layer 'road_link' \(layers: road_node\)"):
        fetch_source(source, tmp_path / "cache", retries=1)
    assert not (tmp_path / "cache" / source.file).exists()
