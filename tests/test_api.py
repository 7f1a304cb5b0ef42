"""The API in process: OGC semantics, CRS, profiles, exports, caching and every error case."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from fastapi.testclient import TestClient

from geo.store import Store

LOCATION_LEAKS = ("/work", "/tmp", "Traceback", "site-packages", ".py")


def assert_error(response, status: int, code: str, fragment: str = "") -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "description"}
    assert body["code"] == code
    assert fragment in body["description"]
    assert not any(leak in body["description"] for leak in LOCATION_LEAKS)


def test_landing_links(client: TestClient) -> None:
    links = {link["rel"]: link for link in client.get("/").json()["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= set(links)
    assert all("type" in link for link in links.values())


def test_conformance(client: TestClient) -> None:
    classes = client.get("/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in classes


def test_collection_metadata(client: TestClient) -> None:
    collections = {c["id"]: c for c in client.get("/collections").json()["collections"]}
    assert {"lsoa", "ward", "neighbourhood", "borough"} <= set(collections)
    ward = client.get("/collections/ward").json()
    assert ward["storageCrs"] == "http://www.opengis.net/def/crs/EPSG/0/27700"
    assert "http://www.opengis.net/def/crs/EPSG/0/27700" in ward["crs"]
    minx, miny, maxx, maxy = ward["extent"]["spatial"]["bbox"][0]
    assert -2.3 < minx < maxx < -1.9 and 53.3 < miny < maxy < 53.5
    assert "OGL-UK-3.0" in ward["license"]
    assert any("Office for National Statistics" in a for a in ward["attribution"])
    assert ward["vintage"]
    # the ward layer mixes real and stand-in based properties: it says which are stand-in
    assert ward["standin"] is True
    assert "greenspace_ha" in ward["standinProperties"]
    assert "residents" not in ward["standinProperties"]
    hood = client.get("/collections/neighbourhood").json()
    assert "working definition" in hood["description"]


def test_items_paging_and_links(client: TestClient) -> None:
    body = client.get("/collections/lsoa/items").json()
    assert body["numberMatched"] == 191 and body["numberReturned"] == 10
    rels = {link["rel"] for link in body["links"]}
    assert {"self", "alternate", "next", "collection"} <= rels
    assert "prev" not in rels and all(link["type"] for link in body["links"])
    nxt = next(link["href"] for link in body["links"] if link["rel"] == "next")
    page2 = client.get(nxt.replace("http://testserver", "")).json()
    assert page2["features"][0]["id"] != body["features"][0]["id"]
    assert any(link["rel"] == "prev" for link in page2["links"])
    everything = client.get("/collections/lsoa/items", params={"limit": 20000}).json()
    assert everything["numberReturned"] == 191  # capped to 10,000, not refused
    ids = [f["id"] for f in everything["features"]]
    assert len(set(ids)) == 191


def test_bbox_matches_geopandas(client: TestClient, store: Store) -> None:
    bbox = (-2.2, 53.39, -2.15, 53.42)
    body = client.get(
        "/collections/lsoa/items", params={"bbox": ",".join(map(str, bbox)), "limit": 1000}
    ).json()
    lsoa = store.areas["lsoa"].to_crs("OGC:CRS84")
    expected = set(lsoa.index[lsoa.intersects(shapely.box(*bbox))])
    got = {f["id"] for f in body["features"]}
    assert body["numberMatched"] == len(expected)
    assert abs(len(got ^ expected)) <= 1  # the box's edges are densified in BNG, not straight
    lat_lon = client.get(
        "/collections/lsoa/items",
        params={
            "bbox": "53.39,-2.2,53.42,-2.15",
            "bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/4326",
            "limit": 1000,
        },
    ).json()
    assert {f["id"] for f in lat_lon["features"]} == got


def test_bbox_in_british_national_grid(client: TestClient, store: Store) -> None:
    box = (388000, 389000, 390000, 391000)
    body = client.get(
        "/collections/lsoa/items",
        params={"bbox": ",".join(map(str, box)), "bbox-crs": "EPSG:27700", "limit": 1000},
    ).json()
    lsoa = store.areas["lsoa"]
    expected = set(lsoa.index[lsoa.intersects(shapely.box(*box))])
    assert {f["id"] for f in body["features"]} == expected


def test_output_crs(client: TestClient) -> None:
    bng = client.get(
        "/collections/ward/items/E05015023",
        params={"crs": "http://www.opengis.net/def/crs/EPSG/0/27700"},
    )
    assert bng.headers["content-crs"] == "<http://www.opengis.net/def/crs/EPSG/0/27700>"
    x, y = bng.json()["geometry"]["coordinates"][0][0][0]
    assert 380_000 < x < 402_000 and 380_000 < y < 397_000
    wgs = client.get("/collections/ward/items/E05015023", params={"crs": "EPSG:4326"}).json()
    lat, lon = wgs["geometry"]["coordinates"][0][0][0]
    assert 53.3 < lat < 53.5 and -2.3 < lon < -1.9
    default = client.get("/collections/ward/items/E05015023")
    assert default.headers["content-crs"] == "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"


def test_queryable_filter(client: TestClient) -> None:
    body = client.get(
        "/collections/ward/items", params={"neighbourhood_id": "central-stockport"}
    ).json()
    assert sorted(f["properties"]["name"] for f in body["features"]) == [
        "Brinnington & Stockport Central",
        "Davenport & Cale Green",
        "Edgeley",
        "Manor",
    ]
    shouted = client.get("/collections/ward/items", params={"name": "EDGELEY"}).json()
    assert [f["id"] for f in shouted["features"]] == ["E05015023"]  # text ignores case
    schema = client.get("/collections/ward/queryables")
    assert schema.headers["content-type"].startswith("application/schema+json")
    assert "neighbourhood_id" in schema.json()["properties"]


def test_item_properties_equal_store(client: TestClient, store: Store) -> None:
    feature = client.get("/collections/ward/items/E05015023").json()
    expected = store.areas["ward"].at["E05015023", "imd2025_score_pop_weighted"]
    assert feature["properties"]["imd2025_score_pop_weighted"] == pytest.approx(expected)
    assert any(link["rel"] == "collection" for link in feature["links"])


def read_gpkg(content: bytes, tmp_path: Path, layer: str | None = None) -> gpd.GeoDataFrame:
    path = tmp_path / "download.gpkg"
    path.write_bytes(content)
    return pyogrio.read_dataframe(path, layer=layer)


def test_formats(client: TestClient, tmp_path: Path) -> None:
    csv = client.get("/collections/ward/items", params={"f": "csv", "limit": 100})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.count("\n") == 22 and "geometry_wkt" in csv.text.splitlines()[0]
    html = client.get("/collections/ward/items", params={"f": "html"})
    assert html.headers["content-type"].startswith("text/html") and "Edgeley" in html.text
    negotiated = client.get("/collections/ward", headers={"Accept": "text/html"})
    assert negotiated.headers["content-type"].startswith("text/html")
    gpkg = client.get("/collections/ward/items", params={"f": "gpkg", "limit": 100})
    assert gpkg.headers["content-type"] == "application/geopackage+sqlite3"
    assert "attachment" in gpkg.headers["content-disposition"]
    frame = read_gpkg(gpkg.content, tmp_path, layer="ward")
    assert len(frame) == 21 and frame.crs.to_epsg() == 27700  # GIS downloads: BNG by default
    asked = client.get("/collections/ward/items", params={"f": "gpkg", "crs": "EPSG:4326"})
    assert read_gpkg(asked.content, tmp_path, layer="ward").crs.to_epsg() == 4326


def test_downloads_are_the_whole_selection_and_say_so(client: TestClient) -> None:
    csv = client.get("/collections/lsoa/items", params={"f": "csv"})  # no limit given
    assert csv.text.count("\n") == 191 + 1  # every LSOA, not a first page of 10
    page = client.get("/collections/lsoa/items")
    assert len(page.json()["features"]) == 10  # pages keep the default limit
    links = {link["title"]: link for link in client.get("/collections/lsoa").json()["links"]}
    assert "all 191 features as CSV (geometry as WKT, CRS84)" in links
    assert "all 191 features as a GeoPackage (EPSG:27700)" in links


def test_etag_revalidation_and_gzip(client: TestClient) -> None:
    first = client.get("/collections/lsoa/items", params={"limit": 191})
    etag = first.headers["etag"]
    assert first.headers["last-modified"] and "max-age" in first.headers["cache-control"]
    again = client.get(
        "/collections/lsoa/items", params={"limit": 191}, headers={"If-None-Match": etag}
    )
    assert again.status_code == 304 and again.content == b""
    zipped = client.get(
        "/collections/lsoa/items", params={"limit": 191}, headers={"Accept-Encoding": "gzip"}
    )
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.json() == first.json()  # the client decompresses transparently
    assert int(zipped.headers["content-length"]) < len(first.content) / 3
    assert "accept-encoding" in zipped.headers["vary"].lower()


def test_cors(client: TestClient) -> None:
    response = client.get("/collections", headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "https://example.org"


@pytest.mark.parametrize(
    ("path", "params", "status", "code", "fragment"),
    [
        ("/collections/nope", {}, 404, "NotFound", "nope"),
        ("/collections/nope/items", {}, 404, "NotFound", "nope"),
        ("/collections/ward/items/E99999999", {}, 404, "NotFound", "E99999999"),
        ("/profiles/ward/E99999999", {}, 404, "NotFound", "E99999999"),
        ("/profiles/county/E1", {}, 404, "NotFound", "county"),
        ("/indicators/nope", {}, 404, "NotFound", "nope"),
        ("/locate", {"lon": "-1.5", "lat": "52.0"}, 404, "NotFound", "outside Stockport"),
        ("/collections/ward/items", {"bbox": "1,2,3"}, 400, "InvalidParameterValue", "4 numbers"),
        ("/collections/ward/items", {"bbox": "a,b,c,d"}, 400, "InvalidParameterValue", "numbers"),
        ("/collections/ward/items", {"bbox": "1,2,3,inf"}, 400, "InvalidParameterValue", "numbers"),
        ("/collections/ward/items", {"limit": "0"}, 400, "InvalidParameterValue", "limit"),
        ("/collections/ward/items", {"limit": "ten"}, 400, "InvalidParameterValue", "limit"),
        ("/collections/ward/items", {"offset": "-1"}, 400, "InvalidParameterValue", "offset"),
        ("/collections/ward/items", {"crs": "EPSG:3857"}, 400, "InvalidParameterValue", "CRS"),
        ("/collections/ward/items", {"bbox-crs": "foo"}, 400, "InvalidParameterValue", "CRS"),
        ("/collections/ward/items", {"colour": "red"}, 400, "InvalidParameterValue", "colour"),
        ("/collections/ward/items", {"f": "xml"}, 400, "InvalidParameterValue", "f must be"),
        ("/collections", {"bbox": "1,2,3,4"}, 400, "InvalidParameterValue", "bbox"),
        ("/profiles/ward/E05015023", {"method": "guess"}, 400, "InvalidParameterValue", "method"),
        ("/locate", {"lon": "x", "lat": "1"}, 400, "InvalidParameterValue", "lon"),
        ("/locate", {"lon": "1"}, 400, "InvalidParameterValue", "lon and lat"),
        ("/locate", {"lon": "1", "lat": "2", "x": "3"}, 400, "InvalidParameterValue", "x"),
        ("/locate/bng", {"x": "1"}, 400, "InvalidParameterValue", "x and y"),
        ("/collections/ward/items", {"bbox": ""}, 400, "InvalidParameterValue", "bbox"),
        ("/no/such/path", {}, 404, "NotFound", ""),
    ],
)
def test_errors(
    client: TestClient, path: str, params: dict[str, str], status: int, code: str, fragment: str
) -> None:
    assert_error(client.get(path, params=params), status, code, fragment)


def test_oversized_body_is_413(client: TestClient) -> None:
    body = b'{"type":"Polygon","coordinates":[[' + b"[0,0]," * 400_000 + b"[0,0]]]}"
    assert_error(
        client.post("/profiles/custom", content=body, headers={"Content-Type": "application/json"}),
        413,
        "PayloadTooLarge",
        "larger than",
    )


def test_bad_polygon_is_400(client: TestClient) -> None:
    assert_error(
        client.post("/profiles/custom", content=b"not json"),
        400,
        "InvalidParameterValue",
        "GeoJSON",
    )
    assert_error(
        client.post("/profiles/custom", json={"type": "Point", "coordinates": [0, 0]}),
        400,
        "InvalidParameterValue",
        "Polygon",
    )


def test_read_only(client: TestClient) -> None:
    assert client.delete("/collections/ward").status_code == 405
    assert client.post("/collections/ward/items", json={}).status_code == 405


def test_ward_profile_matches_store(client: TestClient, store: Store) -> None:
    doc = client.get("/profiles/ward/E05015023").json()
    assert doc["area"]["name"] == "Edgeley" and doc["method"] == "best_fit"
    rows = {i["indicator_id"]: i for i in doc["indicators"]}
    v = store.values
    for indicator in ("residents", "imd2025_score_pop_weighted", "income_deprivation_rate"):
        expected = v[
            (v.indicator_id == indicator)
            & (v.area_type == "ward")
            & (v.method == "best_fit")
            & (v.area_code == "E05015023")
        ]["value"].item()
        assert rows[indicator]["value"] == pytest.approx(expected)
    assert rows["residents"]["borough_value"] == 294_774
    assert rows["income_deprivation_rate"]["ci_low"] < rows["income_deprivation_rate"]["value"]
    assert rows["imd2025_score_pop_weighted"]["rank_of"] == 21
    assert any("Office for National Statistics" in a for a in doc["attribution"])
    weighted = client.get("/profiles/ward/E05015023", params={"method": "area_weighted"}).json()
    assert weighted["method"] == "area_weighted"


def test_lsoa_profile_has_national_decile(client: TestClient) -> None:
    doc = client.get("/profiles/lsoa/E01005744").json()
    rows = {i["indicator_id"]: i for i in doc["indicators"]}
    assert rows["imd2025_score"]["national_decile"] == 3
    assert "NOT directly comparable" in " ".join(doc["warnings"])


def test_profile_exports(client: TestClient, tmp_path: Path) -> None:
    csv = client.get("/profiles/neighbourhood/central-stockport", params={"f": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and "residents" in csv.text
    gpkg = client.get("/profiles/neighbourhood/central-stockport", params={"f": "gpkg"})
    read_gpkg(gpkg.content, tmp_path, "area")
    feature = client.get("/profiles/neighbourhood/central-stockport", params={"f": "geojson"})
    assert feature.headers["content-type"].startswith("application/geo+json")
    body = feature.json()
    assert body["type"] == "Feature" and body["geometry"]["type"] == "MultiPolygon"
    assert body["properties"]["area"]["name"] == "Central Stockport"
    layers = {name for name, _ in pyogrio.list_layers(tmp_path / "download.gpkg")}
    assert layers == {"area", "profile"}


def test_custom_profile_of_a_ward_polygon(client: TestClient, store: Store) -> None:
    ward = store.areas["ward"].loc[["E05015023"]].to_crs("OGC:CRS84")
    geometry = shapely.geometry.mapping(ward.geometry.iloc[0])
    doc = client.post("/profiles/custom", json=geometry).json()
    rows = {i["indicator_id"]: i for i in doc["indicators"]}
    v = store.values
    area_weighted = v[
        (v.indicator_id == "residents")
        & (v.area_type == "ward")
        & (v.method == "area_weighted")
        & (v.area_code == "E05015023")
    ]["value"]
    assert rows["residents"]["value"] == pytest.approx(area_weighted.item(), rel=0.01)
    assert doc["coverage"]["share_inside_borough"] > 0.99
    assert doc["coverage"]["lsoas_touched"] >= 8
    assert "area-weighted" in doc["method_label"]


def test_custom_profile_outside_stockport_is_empty(client: TestClient) -> None:
    square = shapely.geometry.mapping(shapely.box(-0.2, 51.4, -0.1, 51.5))  # London
    doc = client.post("/profiles/custom", json=square).json()
    assert doc["coverage"]["lsoas_touched"] == 0 and doc["indicators"] == []


def test_custom_profile_in_bng(client: TestClient, store: Store) -> None:
    lsoa = store.areas["lsoa"].loc["E01005744"].geometry
    doc = client.post(
        "/profiles/custom", params={"crs": "EPSG:27700"}, json=shapely.geometry.mapping(lsoa)
    ).json()
    rows = {i["indicator_id"]: i for i in doc["indicators"]}
    assert rows["residents"]["value"] == pytest.approx(1554, rel=1e-6)


def test_locate(client: TestClient, store: Store) -> None:
    point = store.areas["ward"].loc["E05015023"].geometry.representative_point()
    body = client.get("/locate/bng", params={"x": point.x, "y": point.y}).json()
    assert body["ward"]["code"] == "E05015023"
    assert body["neighbourhood"]["code"] == "central-stockport"
    lsoa = store.areas["lsoa"].loc[body["lsoa"]["code"]].geometry
    assert lsoa.covers(point)
    lon, lat = gpd.GeoSeries([point], crs=27700).to_crs("OGC:CRS84").iloc[0].coords[0]
    assert (
        client.get("/locate", params={"lon": lon, "lat": lat}).json()["ward"]["code"] == "E05015023"
    )


def test_indicator_catalogue(client: TestClient) -> None:
    catalogue = client.get("/indicators").json()
    by_id = {i["id"]: i for i in catalogue["indicators"]}
    rate = by_id["income_deprivation_rate"]
    assert rate["unit"] == "proportion" and rate["polarity"] == "higher_is_worse"
    assert {s["id"] for s in rate["sources"]} == {"iod2025", "census2021_age"}
    assert all(s["attribution"] for s in rate["sources"])
    one = client.get("/indicators/residents").json()
    assert len(one["values"]) > 191


def test_feature_layers_are_collections_flagged_standin(client: TestClient) -> None:
    for layer in ("greenspace_sites", "flood_zones", "surface_water", "cycle_routes"):
        meta = client.get(f"/collections/{layer}").json()
        assert meta["standin"] is True and "SYNTHETIC STAND-IN" in meta["description"]
        items = client.get(f"/collections/{layer}/items", params={"limit": 1}).json()
        assert items["standin"] is True and items["attribution"]
    fz3 = client.get("/collections/flood_zones/items", params={"zone": "FZ3"}).json()
    assert fz3["numberMatched"] == 1


def test_openapi_limits_follow_the_settings(store_path: Path) -> None:
    from api.app import create_app
    from api.settings import ApiSettings

    app = create_app(ApiSettings(store=store_path, default_limit=25, max_limit=500))
    spec = TestClient(app).get("/openapi.json").json()
    params = spec["paths"]["/collections/ward/items"]["get"]["parameters"]
    limit = next(p for p in params if p["name"] == "limit")
    assert limit["schema"]["default"] == 25
    assert "500" in limit["description"]
