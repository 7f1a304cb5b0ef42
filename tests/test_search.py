"""Finding an area or a service by name: the index on a hand fixture, the API, friendly 404
pages, and the front door in headless Chromium."""

from __future__ import annotations

import time

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from geo.query.search import SearchIndex, clear_winner, normalise
from tests.test_browser import browser, errors  # noqa: F401  (the browser fixture)

HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def fixture_index() -> SearchIndex:
    rows = [
        ("ward", "W1", "Brinnington & Stockport Central"),
        ("ward", "W2", "Heatons North"),
        ("ward", "W3", "Heatons South"),
        ("ward", "W4", "Edgeley"),
        ("service", "S1", "Edgeley Library"),
        ("service", "S2", "Brinnington Library"),
    ]
    frame = pd.DataFrame(rows, columns=["kind", "code", "name"])
    frame["label"] = frame["kind"]
    frame["path"] = "/x/" + frame["code"]
    return SearchIndex(frame)


def test_normalise_forgives_case_apostrophes_and_ampersands() -> None:
    assert normalise("Heaton's  NORTH") == "heatons north"
    assert normalise("Brinnington & Stockport-Central") == "brinnington and stockport central"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("brinington", "W1"),  # one letter missing: the ward, not its library
        ("Heaton's North", "W2"),
        ("heatons nrth", "W2"),
        ("edgeley", "W4"),  # the ward before "Edgeley Library"
        ("edgeley library", "S1"),
        ("edgly libary", "S1"),  # the only result, though a weak one
        ("w3", "W3"),  # codes, any case
    ],
)
def test_index_finds_what_a_person_means(query: str, code: str) -> None:
    winner = clear_winner(fixture_index().search(query))
    assert winner is not None and winner.code == code


def test_index_has_no_winner_when_two_names_fit_and_none_for_nonsense() -> None:
    index = fixture_index()
    assert clear_winner(index.search("heatons")) is None
    assert {h.code for h in index.search("heatons")} == {"W2", "W3"}
    assert index.search("xyzzy") == []


@pytest.mark.parametrize(
    ("query", "target"),
    [
        ("Edgeley", "/profiles/ward/E05015023?f=html"),
        ("brinington", "/profiles/ward/E05015018?f=html"),
        ("E05015023", "/profiles/ward/E05015023?f=html"),
        ("heaton's north", "/profiles/ward/E05015026?f=html"),
        ("Bramhall Library", "/collections/services_libraries/items/"),
    ],
)
def test_search_opens_the_right_page(client: TestClient, query: str, target: str) -> None:
    response = client.get("/search", params={"q": query}, headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith(target)
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    if "services_libraries" in target:
        assert "Bramhall Library" in page.text


def test_unknown_name_gets_a_page_of_suggestions(client: TestClient) -> None:
    response = client.get("/search", params={"q": "Egdley"}, headers=HTML)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Did you mean" in response.text
    assert '<a href="/profiles/ward/E05015023?f=html">Edgeley</a>' in response.text
    assert 'name="q"' in response.text  # the search box, to try again


def test_search_json_lists_results_and_a_missing_query_is_a_400(client: TestClient) -> None:
    body = client.get("/search", params={"q": "bramhall"}).json()
    names = [r["name"] for r in body["results"]]
    assert names[:2] == ["Bramhall North", "Bramhall South & Woodford"]
    assert all(r["score"] >= 75 for r in body["results"])
    missing = client.get("/search")
    assert missing.status_code == 400 and "give q" in missing.json()["description"]
    assert client.get("/search", params={"q": "x" * 201}).status_code == 400
    assert client.get("/search", params={"q": "a", "limit": "0"}).status_code == 400


def test_a_ward_name_in_a_profile_url_redirects_and_a_typo_gets_suggestions(
    client: TestClient,
) -> None:
    moved = client.get("/profiles/ward/heatons-north?f=html", follow_redirects=False)
    assert moved.status_code == 307
    assert moved.headers["location"] == "/profiles/ward/E05015026?f=html"
    typo = client.get("/profiles/ward/Edgly", headers=HTML)
    assert typo.status_code == 404 and "text/html" in typo.headers["content-type"]
    assert "/profiles/ward/E05015023?f=html" in typo.text
    as_json = client.get("/profiles/ward/Edgly")  # clients keep the one JSON error shape
    assert as_json.status_code == 404
    assert as_json.json()["code"] == "NotFound"
    page = client.get("/no-such-page", headers=HTML)
    assert page.status_code == 404 and "Not found" in page.text


def test_front_door_for_people_landing_for_clients(client: TestClient) -> None:
    door = client.get("/", headers=HTML)
    assert door.status_code == 200
    assert 'role="search"' in door.text and "Heatons North" in door.text
    assert door.text.count('href="/profiles/ward/') == 21
    landing = client.get("/", headers={"accept": "application/json"}).json()
    assert any(link["rel"] == "conformance" for link in landing["links"])


@pytest.mark.browser
@pytest.mark.network_server
def test_front_door_search_in_a_browser(browser: object, live_server: str) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.get(f"{live_server}/")  # type: ignore[attr-defined]
    box = browser.find_element(By.ID, "q")  # type: ignore[attr-defined]
    box.send_keys("brinington")
    box.submit()
    deadline = time.monotonic() + 20
    while "E05015018" not in browser.current_url and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.2)
    assert "/profiles/ward/E05015018" in browser.current_url  # type: ignore[attr-defined]
    assert "Brinnington" in browser.title  # type: ignore[attr-defined]
    errors(browser)  # reading the log empties it: the profile's tiles fail offline
    browser.set_window_size(400, 900)  # type: ignore[attr-defined]
    browser.get(f"{live_server}/")  # type: ignore[attr-defined]
    width = browser.execute_script("return document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert width <= 400
    assert errors(browser) == []
