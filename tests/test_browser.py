"""Map pages in a real headless Chromium, served by uvicorn on 127.0.0.1."""

from __future__ import annotations

import shutil
import struct
import time
import zlib
from collections.abc import Iterator

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.network_server]

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--window-size=1280,900",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.fail(
            "Debian's chromium and chromium-driver are needed for the browser tests: "
            "`apt-get install chromium chromium-driver` (bash .ci/run does it)",
            pytrace=False,
        )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def paths(driver: object, selector: str, *, expected: int, timeout: float = 20) -> int:
    deadline = time.monotonic() + timeout
    count = 0
    while time.monotonic() < deadline:
        count = driver.execute_script(  # type: ignore[attr-defined]
            f"return document.querySelectorAll('{selector}').length"
        )
        if count >= expected:
            return int(count)
        time.sleep(0.2)
    return int(count)


def distinct_bytes(png: bytes) -> int:
    """Distinct byte values in a PNG's image data: a blank screenshot has very few."""
    data, position = b"", 8
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        if kind == b"IDAT":
            data += png[position + 8 : position + 8 + length]
        position += 12 + length
    return len(set(zlib.decompress(data)))


def errors(driver: object) -> list[dict[str, object]]:
    logs = driver.get_log("browser")  # type: ignore[attr-defined]
    return [entry for entry in logs if entry["level"] == "SEVERE"]


def test_lsoa_choropleth_renders_every_area(browser: object, live_server: str) -> None:
    browser.get(f"{live_server}/maps/lsoa/imd2025_score?base=none")  # type: ignore[attr-defined]
    assert paths(browser, "path.area-path", expected=191) == 191
    assert errors(browser) == []
    assert "Leaflet" in browser.page_source  # type: ignore[attr-defined]
    assert distinct_bytes(browser.get_screenshot_as_png()) > 40  # type: ignore[attr-defined]


def test_profile_page_renders(browser: object, live_server: str) -> None:
    browser.get(f"{live_server}/profiles/neighbourhood/central-stockport?f=html&base=none")  # type: ignore[attr-defined]
    assert paths(browser, "path.area-path", expected=1) == 1
    assert errors(browser) == []
    text = browser.find_element("tag name", "body").text  # type: ignore[attr-defined]
    assert "Central Stockport" in text and "LSOAs among England" in text
    assert distinct_bytes(browser.get_screenshot_as_png()) > 40  # type: ignore[attr-defined]


def test_page_survives_missing_tiles(browser: object, live_server: str) -> None:
    # Base tiles need the internet, which this machine does not have: the map must still work.
    browser.get(f"{live_server}/maps/ward/imd2025_score_pop_weighted")  # type: ignore[attr-defined]
    assert paths(browser, "path.area-path", expected=21) == 21
    scripts = [e for e in errors(browser) if "Uncaught" in str(e.get("message"))]
    assert scripts == []


def test_offline_file_renders(browser: object, store_path: object, tmp_path: object) -> None:
    from pathlib import Path

    from typer.testing import CliRunner

    from cli.main import app as cli

    out = Path(str(tmp_path)) / "offline.html"
    result = CliRunner().invoke(
        cli,
        ["map", "ward", "residents", "-o", str(out), "--store", str(store_path), "--base", "none"],
    )
    assert result.exit_code == 0, result.output
    browser.get(out.as_uri())  # type: ignore[attr-defined]
    assert paths(browser, "path.area-path", expected=21) == 21
    assert errors(browser) == []


def test_legend_is_open_on_screens_and_folded_on_phones(browser: object, live_server: str) -> None:
    driver = browser
    url = f"{live_server}/maps/ward/imd2025_score_pop_weighted?base=none"
    is_open = "return document.querySelector('details.map-legend').open"
    height = "return document.querySelector('details.map-legend').getBoundingClientRect().height"
    try:
        driver.set_window_size(1280, 900)  # type: ignore[attr-defined]
        driver.get(url)  # type: ignore[attr-defined]
        assert driver.execute_script(is_open) is True  # type: ignore[attr-defined]
        driver.set_window_size(400, 800)  # type: ignore[attr-defined]
        driver.get(url)  # type: ignore[attr-defined]
        assert driver.execute_script(is_open) is False  # type: ignore[attr-defined]
        assert driver.execute_script(height) < 40  # type: ignore[attr-defined]  # one line
        driver.find_element("css selector", "details.map-legend > summary").click()  # type: ignore[attr-defined]
        assert driver.execute_script(is_open) is True  # type: ignore[attr-defined]
        assert driver.execute_script(height) > 100  # type: ignore[attr-defined]
        assert errors(driver) == []
    finally:
        driver.set_window_size(1280, 900)  # type: ignore[attr-defined]
