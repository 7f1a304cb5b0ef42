"""Bounded work per request (issue 13): posted polygons are checked for size while they are
read, repaired before they are measured, and malformed JSON is a 400, never a 500."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
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


def test_distinct_huge_accept_headers_share_one_cache_entry() -> None:
    import asyncio

    from api.cache import ResponseCache
    from api.params import accept_key

    async def app(scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"x" * 2000})

    cache = ResponseCache(app, max_bytes=100_000, last_modified=0)

    async def get(accept: bytes) -> None:
        scope = {
            "type": "http",
            "method": "GET",
            "path": "/conformance",
            "query_string": b"",
            "headers": [(b"host", b"127.0.0.1"), (b"accept", accept)],
        }
        sent: list[object] = []

        async def send(message) -> None:
            sent.append(message)

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b""}

        await cache(scope, receive, send)

    for n in range(300):  # 300 distinct 60 KB headers, as a hostile client sends them
        junk = b",".join(b"x-junk/%d-%d" % (n, i) for i in range(6_000))
        asyncio.run(get(b"application/json," + junk))
    assert len(cache.entries) == 1 and cache.used < 5_000
    assert accept_key("text/html;q=0.9, application/json, x/y") == "application/json,text/html"
    assert accept_key("x/unknown, */*;q=0.1, text/csv;q=0.01") == "*/*"


def test_pages_are_drawn_off_the_event_loop(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Renders run in worker threads (Service.off_loop): no event loop runs where the page is
    # drawn, so cached answers on the loop are not held up behind it.
    import asyncio

    import maps.choropleth

    on_loop: list[bool] = []
    real = maps.choropleth.choropleth_page

    def spy(*args: object, **kwargs: object) -> str:
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(maps.choropleth, "choropleth_page", spy)
    client = TestClient(create_app(ApiSettings(store=store_path, cache_bytes=0)))
    response = client.get("/maps/neighbourhood/tree_canopy_share?base=none")
    assert response.status_code == 200
    assert on_loop == [False]


def test_security_headers_on_every_kind_of_response(client: TestClient) -> None:
    for path in ("/conformance", "/maps/ward/tree_canopy_share?base=none", "/nowhere"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "SAMEORIGIN"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        policy = headers["content-security-policy"]
        assert "default-src 'self'" in policy and "https://tile.openstreetmap.org" in policy


def test_a_page_is_the_same_bytes_each_time(store_path: Path) -> None:
    # Two apps (as two workers would be) give one ETag for the same page.
    tags = {
        TestClient(create_app(ApiSettings(store=store_path)))
        .get("/profiles/ward/E05015023?f=html&base=none")
        .headers["etag"]
        for _ in range(2)
    }
    assert len(tags) == 1
