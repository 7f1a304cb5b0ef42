"""What a coordinator waits for: search, profile pages (uncached and cached) and map sizes.

Two servers side by side over the same store, one with the response cache on and one with it
off, each asked the same seeded random mix: searches are area and service names with a typo
or a case change (a new query each time, as people type), profile pages are every ward and
neighbourhood and 40 random LSOAs. Targets (issue 12): search p95 under 20 ms, an uncached
profile page under 150 ms, a cached one under 5 ms, the borough map page under 1.5 MB.

Run: .venv/bin/python -m benchmarks.bench_coordinators [--store PATH]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.common import MIRROR, free_port, start_api, wait_for
from geo.build.pipeline import build_store
from geo.store import load_store

SEED = 20261203


def typo(name: str, rng: random.Random) -> str:
    """The name as a person might type it: a letter dropped or doubled, or lower case."""
    choice = rng.randrange(3)
    if choice == 0 or len(name) < 4:
        return name.lower()
    at = rng.randrange(1, len(name) - 1)
    return name[:at] + name[at + 1 :] if choice == 1 else name[:at] + name[at] + name[at:]


def timed(url: str) -> tuple[float, int, int]:
    """Milliseconds to the whole body, its status and size."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            body, status = response.read(), response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return (time.perf_counter() - start) * 1000, status, len(body)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(label: str, values: list[float], target: float | None = None) -> None:
    p50, p95 = statistics.median(values), percentile(values, 0.95)
    line = f"{label:<46}{len(values):>6}{p50:>10.1f}{p95:>10.1f}"
    if target is not None:
        line += f"{target:>10.0f}{p95 / target:>8.2f}"
    print(line)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, help="an existing store (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store_path = args.store or Path(folder) / "store.gpkg"
        if args.store is None:
            build_store(store_path=store_path, mirror=MIRROR)
        store = load_store(store_path)
        rng = random.Random(SEED)
        names = [str(n) for frame in store.areas.values() for n in frame["name"]]
        names += [
            str(n)
            for layer, frame in store.features.items()
            if layer.startswith("services_")
            for n in frame["name"]
        ]
        queries = [typo(rng.choice(names), rng) for _ in range(400)]
        pages = [f"/profiles/ward/{c}?f=html&base=none" for c in store.areas["ward"].index]
        pages += [
            f"/profiles/neighbourhood/{c}?f=html&base=none"
            for c in store.areas["neighbourhood"].index
        ]
        pages += [
            f"/profiles/lsoa/{c}?f=html&base=none"
            for c in rng.sample(list(store.areas["lsoa"].index), 40)
        ]
        rng.shuffle(pages)

        servers = {}
        try:
            for cache in ("on", "off"):
                port = free_port()
                os.environ["STOCKPORT_GEO_CACHE_BYTES"] = "256000000" if cache == "on" else "0"
                servers[cache] = (start_api(store_path, port), f"http://127.0.0.1:{port}")
            os.environ.pop("STOCKPORT_GEO_CACHE_BYTES")
            for process, base in servers.values():
                wait_for(base + "/conformance", process)
                timed(base + pages[0])  # folium loads with the first page, once per process
            print(f"{'measure':<46}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'target':>10}{'ratio':>8}")
            for cache, (_process, base) in servers.items():
                search = [
                    timed(base + "/search?" + urllib.parse.urlencode({"q": q}))[0] for q in queries
                ]
                report(f"search, random typed names (cache {cache})", search, 20)
            _p, off = servers["off"]
            report(
                "profile page, first request (cache off)",
                [timed(off + p)[0] for p in pages],
                150,
            )
            _p, on = servers["on"]
            for page in pages:
                timed(on + page)  # fill the cache
            report("profile page, cached (cache on)", [timed(on + p)[0] for p in pages], 5)
            print()
            for path in (
                "/maps/here?base=none",
                "/maps/lsoa/imd2025_score?base=none",
                "/maps/ward/imd2025_score_pop_weighted?base=none",
            ):
                _ms, status, size = timed(on + path)
                print(f"{path:<52} {status}  {size / 1e6:.2f} MB (target 1.5 MB)")
        finally:
            for process, _base in servers.values():
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
