"""Bounded work per request (issue 13): posted polygons are checked for size while they are
read, repaired before they are measured, and malformed JSON is a 400, never a 500."""

from __future__ import annotations

import json
import threading
import time

from fastapi.testclient import TestClient

from geo.crs import BNG_URI, CRS84_URI, transformer

CENTRE_X, CENTRE_Y = 390_000, 389_000  # British National Grid metres, inside Stockport


def post(client: TestClient, body: str, **params: str):
    return client.post(
        "/profiles/custom",
        content=body,
        params=params,
        headers={"Content-Type": "application/geo+json"},
    )


def test_a_60000_vertex_polygon_is_refused_at_once(client: TestClient) -> None:
    # Whole metres keep it under the 1 MB body limit: the vertex cap, not the size, refuses it.
    ring = [[CENTRE_X + i % 1000, CENTRE_Y + (i // 1000) * 3 + (i % 2)] for i in range(60_000)]
    body = json.dumps({"type": "Polygon", "coordinates": [[*ring, ring[0]]]}, separators=(",", ":"))
    assert len(body.encode()) < 1_000_000
    started = time.perf_counter()
    response = post(client, body, crs=BNG_URI)
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 413
    assert response.json() == {
        "code": "TooComplex",
        "description": "the polygon has more than 10,000 vertices (the limit for a drawn "
        "area); simplify it, e.g. with ogr2ogr -simplify 5",
    }


def test_a_bow_tie_is_repaired_before_it_is_measured(client: TestClient) -> None:
    # A self-intersecting 1 km square "bow tie" has zero signed area; repaired it is two
    # triangles, each a quarter of the square: 50 ha in all.
    x, y = CENTRE_X, CENTRE_Y
    bow_tie = [[x, y], [x + 1000, y + 1000], [x + 1000, y], [x, y + 1000], [x, y]]
    response = post(client, json.dumps({"type": "Polygon", "coordinates": [bow_tie]}), crs=BNG_URI)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["area"]["area_ha"] == 50.0
    assert body["coverage"]["lsoas_touched"] >= 1 and body["indicators"]


def test_malformed_json_bodies_are_400s(client: TestClient) -> None:
    deep = "[" * 200_000 + "]" * 200_000
    response = post(client, deep)
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["description"]
    huge = '{"type":"Polygon","coordinates":[[[1' + "1" * 5000 + ",2],[1,2],[1,3],[1,2]]]}"
    response = post(client, huge)
    assert response.status_code == 400
    assert "4300 digits" in response.json()["description"]
    response = post(client, '{"type":"Polygon","coordinates":[[[1e999,2],[1,2],[1,3],[1,2]]]}')
    assert response.status_code == 400
    assert "not finite" in response.json()["description"]


def test_transformers_are_made_once_per_thread() -> None:
    first = transformer(CRS84_URI, BNG_URI)
    assert transformer(CRS84_URI, BNG_URI) is first
    x, y = first.transform(-2.1575, 53.4083)  # Stockport town hall, about
    assert abs(x - 389_500) < 1_000 and abs(y - 390_000) < 1_000
    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(transformer(CRS84_URI, BNG_URI)))
    thread.start()
    thread.join()
    assert other and other[0] is not first  # pyproj transformers are not shared by threads
