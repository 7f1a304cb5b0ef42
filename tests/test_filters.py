"""Numeric comparisons and sorting on queryables: CQL2 text `filter` and `sortby`."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from geo.errors import InvalidParameterError
from geo.query.cql2 import evaluate, parse_filter
from geo.store import Store

QUERYABLES = {"name": "string", "score": "number"}
NAMES = np.array(["edgeley", "heaton mersey", None, "bramhall"], dtype=object)  # case-folded
SCORES = np.array([29.7, 8.0, np.nan, 4.5])


def matches(text: str) -> list[int]:
    columns = {"name": NAMES, "score": SCORES}
    return list(np.flatnonzero(evaluate(parse_filter(text, QUERYABLES), columns.__getitem__, 4)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("score > 5", [0, 1]),
        ("score >= 8", [0, 1]),
        ("score <> 8", [0, 3]),  # a missing score never matches a comparison
        ("score BETWEEN 4 AND 10", [1, 3]),
        ("score NOT BETWEEN 4 AND 10", [0, 2]),
        ("score IS NULL", [2]),
        ("name IS NOT NULL AND score < 10", [1, 3]),
        ("name = 'EDGELEY'", [0]),  # text ignores case
        ("name IN ('Bramhall', 'edgeley')", [0, 3]),
        ("NOT (name = 'edgeley' OR score < 5)", [1, 2]),
        ("name < 'c'", [3]),
        ('"score" > 20', [0]),
        ("score > -1e1 and score < 1e1", [1, 3]),  # keywords in any case, exponents
    ],
)
def test_filters_match_by_hand(text: str, expected: list[int]) -> None:
    assert matches(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("score >> 3", "expected a number, 'text', TRUE or FALSE at character 8"),
        (
            "scor > 3",
            "'scor' is not a queryable of this collection (see /queryables). Did you mean score?",
        ),
        ("name > 3", "name is compared with 'quoted text' (character 8)"),
        ("score > 'x'", "score is compared with a number (character 9)"),
        ("name = 'edgeley", 'cannot read "\'edgeley" at character 8'),
        ("score > 3 AND", "expected a property name at the end of the filter"),
        ("(score > 3", "expected ) at the end of the filter"),
        ("score > 3 score", "expected AND, OR or the end at character 11"),
        ("name LIKE 'E%'", "LIKE is not supported"),
        ("", "filter: empty"),
        ("(" * 40 + "score > 1" + ")" * 40, "nested more than 32 deep"),
        ("score > 1 OR " * 400 + "score > 1", "longer than 4,000 characters"),
    ],
)
def test_bad_filters_say_what_and_where(text: str, message: str) -> None:
    with pytest.raises(InvalidParameterError) as raised:
        parse_filter(text, QUERYABLES)
    assert message in str(raised.value)


def test_numeric_filter_and_sort_recomputed_by_hand(client: TestClient, store: Store) -> None:
    column = "imd2025_score_pop_weighted"
    response = client.get(
        "/collections/ward/items",
        params={"filter": f"{column} > 20", "sortby": f"-{column}", "limit": 100},
    )
    assert response.status_code == 200
    body = response.json()
    wards = store.areas["ward"]
    expected = wards.loc[wards[column] > 20, column].sort_values(ascending=False)
    assert body["numberMatched"] == len(expected) > 3
    assert [f["id"] for f in body["features"]] == list(expected.index)
    assert [f["properties"][column] for f in body["features"]] == pytest.approx(list(expected))


def test_sort_by_text_then_paging(client: TestClient, store: Store) -> None:
    names = sorted(store.areas["ward"]["name"], key=str.casefold)
    first = client.get("/collections/ward/items", params={"sortby": "name", "limit": 5}).json()
    second = client.get(
        "/collections/ward/items", params={"sortby": "+name", "limit": 5, "offset": 5}
    ).json()
    shown = [f["properties"]["name"] for f in first["features"] + second["features"]]
    assert shown == names[:10]
    last = client.get("/collections/ward/items", params={"sortby": "-name", "limit": 1}).json()
    assert last["features"][0]["properties"]["name"] == names[-1]


def test_csv_download_is_the_whole_filtered_selection(client: TestClient, store: Store) -> None:
    response = client.get(
        "/collections/lsoa/items",
        params={"f": "csv", "filter": "tree_canopy_share < 0.1", "sortby": "tree_canopy_share"},
    )
    assert response.status_code == 200
    table = pd.read_csv(io.StringIO(response.text))
    lsoas = store.areas["lsoa"]
    expected = lsoas.loc[lsoas["tree_canopy_share"] < 0.1, "tree_canopy_share"].sort_values(
        kind="stable"
    )
    assert len(table) == len(expected) > 0
    assert list(table["tree_canopy_share"]) == pytest.approx(list(expected))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"filter": "imd2025_score = 3"}, "Did you mean imd2025_score_pop_weighted?"),
        ({"sortby": "name,-name"}, "'name' is given twice"),
        ({"sortby": "-nosuch"}, "sortby: 'nosuch' is not a queryable"),
        ({"filter": "name = 'x'", "filter-lang": "cql2-json"}, "filter-lang must be cql2-text"),
        ({"limit": "٥"}, "digits 0-9"),
        ({"offset": "9" * 5000}, "at most 15"),
    ],
)
def test_bad_filter_parameters_are_400s(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    response = client.get("/collections/ward/items", params=params)
    assert response.status_code == 400
    assert message in response.json()["description"]
    assert len(response.json()["description"]) < 300


def test_conformance_and_queryables_declare_filtering(client: TestClient) -> None:
    conforms = client.get("/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2" in conforms
    assert "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter" in conforms
    queryables = client.get("/collections/ward/queryables").json()["properties"]
    assert queryables["tree_canopy_share"] == {
        "type": "number",
        "title": "Tree canopy cover (share of land)",
        "x-unit": "proportion",
    }
    assert queryables["greenspace_ha"]["x-standin"] is True


def test_html_list_shows_what_it_is_sorted_and_filtered_by(
    client: TestClient, store: Store
) -> None:
    column = "tree_canopy_share"
    response = client.get(
        "/collections/ward/items",
        params={"f": "html", "sortby": f"-{column}", "filter": "population > 0", "limit": 3},
    )
    assert response.status_code == 200
    html = response.text
    assert f'<th scope="col">{column}</th>' in html and '<th scope="col">population</th>' in html
    top = store.areas["ward"][column].sort_values(ascending=False).iloc[0]
    assert f"<td>{top:.1%}</td>" in html  # the value in its unit, not a raw float
