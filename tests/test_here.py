"""What is at a point: /locate's report, and the borough map a person clicks in Chromium."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from pyproj import Transformer

from geo.store import Store
from tests.test_browser import browser, errors  # noqa: F401  (the browser fixture)

LSOAS = ("E01005743", "E01005834", "E01005924")  # three spread over the borough


def lon_lat_inside(store: Store, lsoa: str) -> tuple[float, float, str]:
    """A point inside an LSOA (lon, lat) and the ward polygon that holds it, found here."""
    point = store.areas["lsoa"].geometry.loc[lsoa].representative_point()
    wards = store.areas["ward"]
    ward = str(wards.index[wards.geometry.contains(point)][0])
    lon, lat = Transformer.from_crs(27700, 4326, always_xy=True).transform(point.x, point.y)
    return lon, lat, ward


@pytest.mark.parametrize("lsoa", LSOAS)
def test_locate_reports_the_right_areas_and_what_is_near(
    client: TestClient, store: Store, lsoa: str
) -> None:
    lon, lat, ward = lon_lat_inside(store, lsoa)
    body = client.get("/locate", params={"lon": lon, "lat": lat}).json()
    assert body["lsoa"]["code"] == lsoa
    assert body["ward"]["code"] == ward
    here = body["here"]
    kinds = [s["kind"] for s in here["nearest_services"]]
    assert set(kinds) == {"pharmacy", "post_office", "library", "food_bank", "dentist", "hospital"}
    distances = [s["distance_m"] for s in here["nearest_services"]]
    assert distances == sorted(distances)
    assert here["flood_zone"]["standin"] is True  # the flood layer here is synthetic: said so
    assert here["nearest_green_space"]["standin"] is True


def test_nearest_pharmacy_recomputed_by_hand(client: TestClient, store: Store) -> None:
    lon, lat, _ward = lon_lat_inside(store, LSOAS[0])
    x, y = Transformer.from_crs(4326, 27700, always_xy=True).transform(lon, lat)
    pharmacies = store.features["services_pharmacies"]
    gaps = ((pharmacies.geometry.x - x) ** 2 + (pharmacies.geometry.y - y) ** 2) ** 0.5
    body = client.get("/locate", params={"lon": lon, "lat": lat}).json()
    nearest = next(s for s in body["here"]["nearest_services"] if s["kind"] == "pharmacy")
    assert abs(nearest["distance_m"] - gaps.min()) <= 1
    assert nearest["name"] == pharmacies.loc[gaps.idxmin(), "name"]


def test_outside_the_borough_is_a_clear_404(client: TestClient) -> None:
    response = client.get("/locate", params={"lon": -0.1276, "lat": 51.5072})  # London
    assert response.status_code == 404
    assert "outside Stockport" in response.json()["description"]


@pytest.mark.browser
@pytest.mark.network_server
def test_clicking_the_borough_map_says_what_is_there(
    browser: object,  # noqa: F811
    live_server: str,
    store: Store,
) -> None:
    lon, lat, ward = lon_lat_inside(store, LSOAS[1])
    name = str(store.areas["ward"].at[ward, "name"])
    driver = browser
    driver.set_window_size(1280, 900)  # type: ignore[attr-defined]
    driver.get(f"{live_server}/maps/here?base=none")  # type: ignore[attr-defined]
    driver.execute_script(  # type: ignore[attr-defined]
        "const m = document.querySelector('.folium-map').id;"
        f"window[m].fire('click', {{latlng: L.latLng({lat}, {lon})}});"
    )
    text = ""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and name not in text:
        text = str(
            driver.execute_script(  # type: ignore[attr-defined]
                "const p = document.querySelector('.leaflet-popup-content');"
                "return p ? p.textContent : '';"
            )
        )
        time.sleep(0.2)
    assert name in text and "Nearest pharmacy" in text and "SYNTHETIC" in text
    assert errors(driver) == []
