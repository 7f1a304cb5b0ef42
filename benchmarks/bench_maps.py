"""Map pages: HTML size and build time, cached-page latency, and load time in Chromium.

Run: .venv/bin/python -m benchmarks.bench_maps   (needs wrk and Debian's chromium + driver)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.common import MIRROR, free_port, start_api, wait_for
from geo.build.pipeline import build_store
from geo.store import load_store
from maps.choropleth import choropleth_page
from maps.index_page import index_page
from maps.profile_page import profile_page

PAGES = [
    ("choropleth", "lsoa", "imd2025_score"),
    ("choropleth", "ward", "imd2025_score_pop_weighted"),
    ("choropleth", "neighbourhood", "share_residents_imd2025_most_deprived_10pct"),
    ("choropleth", "lsoa", "greenspace_share_of_land"),
    ("profile", "ward", "E05015023"),
    ("profile", "neighbourhood", "central-stockport"),
    ("profile", "lsoa", "E01005744"),
    ("profile", "borough", "E08000007"),
]
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %.3f %.3f %.3f\\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store_path = Path(folder) / "store.gpkg"
        build_store(store_path=store_path, mirror=MIRROR)
        store = load_store(store_path)
        print(f"{'page':<55}{'HTML MB':>9}{'build s':>9}")
        for kind, area_type, key in PAGES:
            start = time.perf_counter()
            html = (
                choropleth_page(store, area_type, key)
                if kind == "choropleth"
                else profile_page(store, area_type, key)
            )
            seconds = time.perf_counter() - start
            print(
                f"{kind + ' ' + area_type + ' ' + key:<55}{len(html.encode()) / 1e6:9.3f}"
                f"{seconds:9.2f}"
            )
        start = time.perf_counter()
        html = index_page(store)
        print(f"{'index':<55}{len(html.encode()) / 1e6:9.3f}{time.perf_counter() - start:9.2f}")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_api(store_path, port, workers=2)
        try:
            wait_for(base + "/conformance", server)
            page = "/maps/lsoa/imd2025_score?base=none"
            start = time.perf_counter()
            first = urllib.request.urlopen(base + page, timeout=60).read()
            print(
                f"\nfirst (uncached) request of {page}: {time.perf_counter() - start:.2f} s, "
                f"{len(first) / 1e6:.2f} MB (the first page also imports folium)"
            )
            # every worker renders and caches the page once before the timed runs
            for _ in range(8):
                urllib.request.urlopen(base + page, timeout=60).read()
            if shutil.which("wrk"):
                lua = Path(folder) / "r.lua"
                lua.write_text(LUA, encoding="utf-8")
                for connections in (1, 8):
                    out = subprocess.run(
                        [
                            "wrk",
                            "-t1",
                            f"-c{connections}",
                            "-d5s",
                            "-s",
                            str(lua),
                            "-H",
                            "Accept-Encoding: gzip",
                            base + page,
                        ],
                        capture_output=True,
                        text=True,
                        check=True,
                    ).stdout
                    match = re.search(r"RESULT (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", out)
                    if match:
                        print(
                            f"cached page, gzip, {connections} connection(s): "
                            f"{int(match.group(1)) / 5:.0f} req/s, p50 {match.group(2)} ms, "
                            f"p95 {match.group(3)} ms, p99 {match.group(4)} ms (target p95 < 5)"
                        )
            browser_load(base + page)
        finally:
            server.terminate()
            server.wait(timeout=20)


def browser_load(url: str) -> None:
    """Time until the LSOA choropleth's 191 paths are drawn in headless Chromium."""
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver_path:
        print("chromium/chromedriver not installed: browser timing skipped")
        return
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        times = []
        for _ in range(5):
            driver.get("about:blank")
            start = time.perf_counter()
            driver.get(url)
            while (
                driver.execute_script("return document.querySelectorAll('path.area-path').length")
                < 191
            ):
                time.sleep(0.01)
            drawn = time.perf_counter() - start
            load = driver.execute_script(
                "const t = performance.timing; return t.loadEventEnd - t.navigationStart"
            )
            times.append((drawn, load / 1000))
        best = sorted(times)[len(times) // 2]
        print(
            f"Chromium, LSOA choropleth (median of 5): load event {best[1]:.2f} s, all 191 "
            f"paths drawn {best[0]:.2f} s (target < 2 s)"
        )
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
