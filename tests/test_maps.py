"""Map pages at the HTML level: legend, every area, attributions, stand-in badges, numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import shapely
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.main import app as cli
from geo.store import Store
from maps.choropleth import choropleth_page
from maps.classify import classify
from maps.format import format_value
from maps.index_page import index_page
from maps.profile_page import profile_page
from maps.simplify import simplify_coverage, to_display


def legend(html: str) -> str:
    # The legend runs up to the (collapsible) sources caption that follows it.
    match = re.search(r'<details class="map-legend".*?(?=<details class="map-caption")', html, re.S)
    assert match, "no legend"
    return match.group(0)


@pytest.mark.parametrize("area_type", ["lsoa", "ward", "neighbourhood"])
def test_choropleth_has_every_area_legend_and_attribution(store: Store, area_type: str) -> None:
    html = choropleth_page(store, area_type, "income_deprivation_rate")
    for code in store.areas[area_type].index:
        assert f'"code": "{code}"' in html or f'"code":"{code}"' in html, code
    box = legend(html)
    assert "Unit: proportion" in box and "darker = more concern" in box
    classes = box.split('<details class="overlay-key">')[0]
    assert classes.count("<i style") == 6  # five classes and no-data (then the layers' key)
    assert "SYNTHETIC STAND-IN" not in box  # a real indicator
    assert "Office for National Statistics" in html and "MHCLG" in html
    assert "cdn." not in html and "https://code.jquery" not in html  # no CDN: works offline


def test_standin_indicator_carries_the_badge(store: Store) -> None:
    html = choropleth_page(store, "ward", "greenspace_share_of_land")
    assert "SYNTHETIC STAND-IN" in legend(html)
    assert "Green space sites (SYNTHETIC STAND-IN)" in html


def test_overlay_tooltips_say_what_a_feature_is(store: Store) -> None:
    html = choropleth_page(store, "ward", "imd2025_score_pop_weighted")
    assert "Flood Zone 2 only: 0.1-1%" in html
    assert "Surface water risk High: more than 3.3% chance each year (SYNTHETIC stand-in)" in html
    assert "Golf Course: not counted as accessible" in html
    assert "Cycle route: off road path (SYNTHETIC stand-in)" in html
    assert "(pharmacy; data: quarterly list, copy of 2023-24)" in html
    key = html[html.index('<details class="overlay-key">') :].split("</details>")[0]
    for layer in ("Green space sites (SYNTHETIC stand-in)", "Flood zones 2 and 3", "Pharmacies"):
        assert layer in key, layer


def test_lsoa_choropleth_is_small(store: Store) -> None:
    html = choropleth_page(store, "lsoa", "imd2025_score")
    assert len(html.encode()) < 1_500_000


def test_palette_respects_polarity() -> None:
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    worse = classify(values, polarity="higher_is_worse", unit="score")
    better = classify(values, polarity="higher_is_better", unit="score")
    assert worse.colour(6.0) == better.colour(1.0)  # the darkest goes to the most concern
    assert worse.colour(1.0) == better.colour(6.0)
    assert worse.scheme == "quantiles"
    skewed = classify(
        pd.Series([1.0] * 20 + [2.0, 3.0, 50.0, 90.0, 100.0]),
        polarity="higher_is_worse",
        unit="score",
    )
    assert skewed.scheme.startswith("natural breaks")


@pytest.mark.parametrize("area_type", ["lsoa", "ward", "neighbourhood"])
def test_simplified_areas_keep_a_valid_coverage(store: Store, area_type: str) -> None:
    simplified = simplify_coverage(store.areas[area_type])
    assert shapely.coverage_is_valid(simplified.to_numpy())
    assert shapely.coverage_is_valid(to_display(simplified).to_numpy())
    assert len(shapely.coverage_invalid_edges(to_display(simplified).to_numpy())) == len(simplified)
    assert (
        shapely.get_num_coordinates(simplified.to_numpy()).sum()
        <= shapely.get_num_coordinates(store.areas[area_type].geometry.to_numpy()).sum()
    )


def test_profile_numbers_equal_the_store(store: Store) -> None:
    html = profile_page(store, "ward", "E05015023")
    v = store.values
    for indicator in ("residents", "imd2025_score_pop_weighted", "income_deprivation_rate"):
        row = v[
            (v.indicator_id == indicator)
            & (v.area_type == "ward")
            & (v.method == "best_fit")
            & (v.area_code == "E05015023")
        ].iloc[0]
        cell = f'">{format_value(row["value"], row["unit"])}</td>'
        # once in the key figures (headed by the area's name), once in its theme's table
        assert f'<td class="num" data-label="Edgeley{cell}' in html, indicator
        assert f'<td class="num" data-label="Value{cell}' in html, indicator
    assert "Edgeley is home to 12,382 residents" in html
    assert "SYNTHETIC STAND-IN" in html  # environmental rows come from stand-ins
    assert "Ministry of Housing, Communities and Local Government" in html
    assert "@media print" in html and 'role="img"' in html


def test_index_lists_every_area_and_indicator(store: Store) -> None:
    html = index_page(store)
    for area_type, frame in store.areas.items():
        for code in frame.index:
            assert f"/profiles/{area_type}/{code}?f=html" in html
    for indicator in store.catalogue["id"]:
        assert indicator in html
    # LSOAs are listed under their (best-fit) ward, by name.
    edgeley = html[html.index("<strong>Edgeley</strong>: ") :].split("</li>")[0]
    lsoas = store.areas["lsoa"]
    members = lsoas.index[lsoas["ward_code_best_fit"] == "E05015023"]
    assert sorted(members) == sorted(set(re.findall(r"/profiles/lsoa/(E01\d+)", edgeley)))


def test_api_serves_pages_with_etags(client: TestClient) -> None:
    page = client.get("/maps/ward/imd2025_score_pop_weighted")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    again = client.get(
        "/maps/ward/imd2025_score_pop_weighted", headers={"If-None-Match": page.headers["etag"]}
    )
    assert again.status_code == 304
    profile = client.get("/profiles/ward/E05015023", params={"f": "html", "base": "none"})
    assert "Edgeley – Ward (May 2023) profile" in profile.text
    assert "tile.openstreetmap.org" not in profile.text
    assert client.get("/static/leaflet/leaflet.js").status_code == 200
    assert "maps and area profiles" in client.get("/maps").text
    assert client.get("/maps/borough/residents").status_code == 404
    assert client.get("/maps/ward/nope").status_code == 404
    assert client.get("/maps/ward/residents", params={"base": "satellite"}).status_code == 400


def test_cli_writes_a_self_contained_page(tmp_path: Path, store_path: Path) -> None:
    out = tmp_path / "map.html"
    result = CliRunner().invoke(
        cli,
        [
            "map",
            "lsoa",
            "imd2025_score",
            "-o",
            str(out),
            "--store",
            str(store_path),
            "--base",
            "none",
        ],
    )
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "L.map(" in html and "Leaflet" in html and 'src="http' not in html
    profile = tmp_path / "profile.html"
    result = CliRunner().invoke(
        cli, ["map", "--profile", "Edgeley", "-o", str(profile), "--store", str(store_path)]
    )
    assert result.exit_code == 0, result.output
    assert "Edgeley – Ward (May 2023) profile" in profile.read_text()


def test_kept_layers_draw_the_same_page(store: Store) -> None:
    # Outlines and overlays are drawn once and reused (maps.kept_layer): a page made from kept
    # pieces must be the page drawn from scratch.
    from maps import kept_layer

    kept_layer._KEPT.clear()
    fresh = profile_page(store, "ward", "E05015023", base="none")
    assert len(kept_layer._KEPT) >= 10  # ward and neighbourhood outlines, overlays, services
    again = profile_page(store, "ward", "E05015023", base="none")
    assert again == fresh  # the same bytes: folium's random ids are numbered in order
    assert not re.search(r"_[0-9a-f]{32}(?![0-9a-f])", again)
    # every overlay is still in the layer menu, under the name its kept script defines
    for title in ("Flood zones 2 and 3", "Pharmacies", "Neighbourhood outlines"):
        assert title in again
    menu = re.search(r"overlays\s*:\s*\{(.*?)\}", again, re.S)
    assert menu is not None
    kept_names = re.findall(r'"[^"]+"\s*:\s*(geo_json_kept_[0-9a-f]{16})', menu.group(1))
    assert len(kept_names) >= 10
    for variable in kept_names:
        assert f"var {variable} = L.geoJson(" in again
