"""The one-minute profile: key figures, definitions, sources, print on two A4 pages, phones.

The browser tests print and measure pages in Debian's headless Chromium."""

from __future__ import annotations

import base64
import re
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cli.main import app as cli_app
from geo.build.pipeline import programme_status
from geo.query.profiles import area_profile
from geo.store import Store
from maps.profile_page import profile_page
from maps.profile_tables import KEY_FIGURES, headline_rows, scale_svg
from tests.test_browser import browser, errors  # noqa: F401  (the browser fixture)

WARD = "E05015023"  # Edgeley


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF: its page objects (not the /Pages tree node)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_key_figures_come_in_order_with_comparators(store: Store) -> None:
    profile = area_profile(store, "ward", WARD)
    rows = headline_rows(profile)
    assert 9 <= len(rows) <= len(KEY_FIGURES)
    assert list(rows["indicator_id"][:3]) == [
        "residents",
        "share_aged_65_plus",
        "imd2025_score_pop_weighted",
    ]
    lsoa = headline_rows(area_profile(store, "lsoa", "E01005743"))
    assert "imd2025_score" in set(lsoa["indicator_id"])  # an LSOA shows its published score
    html = profile_page(store, "ward", WARD, base="none")
    key = html[html.index("<h2>Key figures</h2>") : html.index('<div class="mapbox"')]
    assert key.count("<tr>") == len(rows) + 1
    assert "29.71" in key and "21.84" in key  # Edgeley's IMD score beside England's


def test_dot_on_a_line_is_placed_by_hand() -> None:
    # 0 to 30 drawn over x = 4..116: 15 sits at 60, 30 at 116, 10 at 4 + 112/3.
    row = pd.Series({"unit": "score", "value": 15.0, "borough_value": 10.0, "england_value": 30.0})
    svg = scale_svg(row, "Edgeley")
    assert 'cx="60.0"' in svg  # this area
    assert 'cx="41.3"' in svg  # Stockport
    assert 'x="114.5"' in svg  # England's bar, 3 wide, centred on 116
    assert "Edgeley 15.00, Stockport 10.00, England 30.00" in svg
    assert scale_svg(pd.Series({"unit": "persons", "value": 5.0}), "x") == ""


def test_every_figure_has_its_definition_and_numbered_sources(store: Store) -> None:
    profile = area_profile(store, "ward", WARD)
    html = profile_page(store, "ward", WARD, base="none")
    assert html.count('<details class="definition">') == len(profile)
    cited = set(re.findall(r'href="#src-([\w]+)"', html))
    listed = set(re.findall(r'<li id="src-([\w]+)"', html))
    assert cited and cited == listed  # every label points at one entry of the list
    assert "higher = more deprived" in html  # domain scores explained
    assert "older edition" in html  # IoD 2019 in its own block
    assert html.count('class="standin-legend"') == 1
    stand_ins = int(profile["standin"].astype(bool).sum())
    assert f"{stand_ins} of {len(profile)} figures" in html
    assert 'onclick="window.print()"' in html


def test_programmes_carry_their_dates() -> None:
    assert programme_status("Winter 2020 to 31 Dec 2021", year=2026).startswith("ended: ")
    assert programme_status("announced Oct 2023 (three-year programme)", year=2026) == (
        "announced Oct 2023 (three-year programme)"
    )


def edgeley_pdf(store_path: Path, folder: Path):
    """`stockport-geo map --profile Edgeley --pdf` into `folder` (page and PDF)."""
    return CliRunner().invoke(
        cli_app,
        [
            *("map", "--profile", "Edgeley", "--store", str(store_path)),
            *("-o", str(folder / "edgeley.html"), "--pdf", str(folder / "edgeley.pdf")),
            *("--base", "none"),
        ],
    )


def test_profile_pdf_from_the_command_line(store_path: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "edgeley.pdf"
    result = edgeley_pdf(store_path, tmp_path)
    assert result.exit_code == 0, result.output
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and 1 <= pdf_pages(data) <= 2


def _boxes_overlapping_map(driver: object) -> list[str]:
    script = """
    const map = document.querySelector('.mapbox').getBoundingClientRect();
    const hits = [];
    for (const el of document.querySelectorAll('.profile > *')) {
      if (el.classList.contains('mapbox')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const apart = r.bottom <= map.top + 0.5 || r.top >= map.bottom - 0.5 ||
                    r.right <= map.left || r.left >= map.right;
      if (!apart) hits.push(el.tagName + '.' + el.className);
    }
    return hits;"""
    return list(driver.execute_script(script))  # type: ignore[attr-defined]


@pytest.mark.browser
@pytest.mark.network_server
@pytest.mark.parametrize("area", ["ward/E05015018", "neighbourhood/central-stockport"])
def test_profile_prints_on_two_pages_and_fits_a_phone(
    browser: object,  # noqa: F811
    live_server: str,
    area: str,
) -> None:
    from selenium.webdriver.common.print_page_options import PrintOptions

    driver = browser
    driver.set_window_size(1280, 900)  # type: ignore[attr-defined]
    driver.get(f"{live_server}/profiles/{area}?f=html&base=none")  # type: ignore[attr-defined]
    time.sleep(0.5)
    assert _boxes_overlapping_map(driver) == []
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})  # type: ignore[attr-defined]
    assert _boxes_overlapping_map(driver) == []
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})  # type: ignore[attr-defined]
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7  # A4, cm
    pdf = base64.b64decode(driver.print_page(options))  # type: ignore[attr-defined]
    assert pdf_pages(pdf) <= 2
    driver.set_window_size(400, 900)  # type: ignore[attr-defined]
    driver.get(f"{live_server}/profiles/{area}?f=html&base=none")  # type: ignore[attr-defined]
    time.sleep(0.5)
    width = driver.execute_script("return document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert width <= 400
    viewports = driver.execute_script(  # type: ignore[attr-defined]
        "return [...document.querySelectorAll('meta[name=viewport]')].map(m => m.content)"
    )
    assert viewports == ["width=device-width, initial-scale=1"]  # pinch-zoom allowed
    assert errors(driver) == []


def test_pdf_without_chromium_is_a_clear_error(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no browser to be found
    pdf = tmp_path / "edgeley.pdf"
    result = edgeley_pdf(store_path, tmp_path)
    assert result.exit_code == 1
    assert "--pdf needs Chromium (e.g. `apt-get install chromium`); none found" in result.output
    assert "Traceback" not in result.output and not pdf.exists()
