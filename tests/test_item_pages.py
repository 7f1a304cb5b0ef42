"""HTML item pages: a small map of the feature and every property with its unit."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from geo.store import Store


def cells(html: str, prop: str) -> list[str]:
    row = re.search(rf"<tr><td>{re.escape(prop)}</td>(.*?)</tr>", html, re.S)
    assert row, f"no row for {prop}"
    return re.findall(r"<td>(.*?)</td>", row.group(1), re.S)


def test_ward_item_page_has_a_map_and_units(client: TestClient, store: Store) -> None:
    response = client.get("/collections/ward/items/E05015023", params={"f": "html"})
    assert response.status_code == 200
    html = response.text
    assert '<figure class="feature-map"><svg' in html and 'role="img"' in html
    assert re.search(r'<path d="M[0-9.]+,[0-9.]+ ', html)  # the ward drawn
    assert re.search(r">(\d+ m|\d+ km)</text>", html)  # a scale bar
    ward = store.areas["ward"].loc["E05015023"]
    assert cells(html, "area_ha")[1:3] == [f"{ward['area_ha']:,.1f} ha", "ha"]
    what, value, unit, data = cells(html, "tree_canopy_share")
    assert what == "Tree canopy cover (share of land)"
    assert value == f"{ward['tree_canopy_share']:.1%}" and unit == "proportion"
    assert data == "real"
    assert cells(html, "greenspace_ha")[3] == "SYNTHETIC stand-in"
    assert cells(html, "population")[1:3] == [f"{round(ward['population']):,}", "persons"]


def test_service_item_page_shows_the_point(client: TestClient, store: Store) -> None:
    libraries = store.features["services_libraries"]
    feature_id = str(libraries["feature_id"].iloc[0])
    response = client.get(f"/collections/services_libraries/items/{feature_id}?f=html")
    assert response.status_code == 200
    # one dot, at the centre of the 320 x 220 px view (the view is centred on the point)
    assert response.text.count('<circle cx="') == 1
    assert '<circle cx="160.0" cy="110.0"' in response.text
    assert str(libraries["name"].iloc[0]) in response.text
