"""This API against pygeoapi (and a bare-ASGI ceiling), side by side, with wrk.

Serves the same ward and LSOA layers from
- this API (2 uvicorn workers on SO_REUSEPORT sockets: `stockport-geo serve --workers 2`),
- pygeoapi (OGR provider over a GeoPackage, gunicorn with 2 sync Flask workers, as its Docker
  image runs it), installed only for the benchmark in its own virtual environment, and
- a bare ASGI app returning the very bytes this API returned (the ceiling),
then drives each with the same query mix (wrk, 16 connections, fixed duration), servers
interleaved over rounds, and prints requests/s and p50/p95/p99 per query type with the ratios.
`--synthetic` repeats it with 33,755 synthetic LSOA-sized polygons.

Needs: Debian's wrk; pygeoapi + gunicorn in a venv whose Python has GDAL's bindings, e.g.
  apt-get install wrk python3-gdal && /usr/bin/python3 -m venv --system-site-packages /tmp/pg &&
  /tmp/pg/bin/pip install pygeoapi gunicorn
Run: .venv/bin/python -m benchmarks.bench_api --pygeoapi-python /tmp/pg/bin/python
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from benchmarks.common import MIRROR, REPO, free_port, start_api, wait_for
from geo.build.pipeline import build_store
from geo.store import load_store, write_store

LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.1f %.1f %.1f %d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def fetch(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.headers.get("Content-Type", ""), response.read()


def synthetic_layer(n: int) -> gpd.GeoDataFrame:
    """`n` Voronoi polygons over England's extent in EPSG:27700 (about LSOA size on average)."""
    rng = np.random.default_rng(20261122)
    box = (140_000.0, 20_000.0, 650_000.0, 660_000.0)
    points = shapely.points(rng.uniform(box[0], box[2], n), rng.uniform(box[1], box[3], n))
    cells = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=shapely.box(*box))
    geoms = shapely.intersection(shapely.get_parts(cells), shapely.box(*box))
    frame = gpd.GeoDataFrame(
        {
            "feature_id": [f"S{i:05d}" for i in range(len(geoms))],
            "code": [f"S{i:05d}" for i in range(len(geoms))],
            "name": [f"Synthetic {i}" for i in range(len(geoms))],
            "score": rng.uniform(0, 80, len(geoms)).round(3),
            "source_id": "synthetic",
            "standin": True,
        },
        geometry=geoms,
        crs="EPSG:27700",
    )
    return frame


def bbox_matching(frame: gpd.GeoDataFrame, *, target: int) -> tuple[str, int]:
    """A CRS84 bbox around the layer's middle that intersects about `target` features."""
    centre = frame.geometry.union_all().centroid
    order = frame.geometry.distance(centre).sort_values().index
    lonlat = frame.to_crs(4326)
    best = ("", 0)
    for k in range(target, 0, -5):
        west, south, east, north = lonlat.loc[order[:k]].total_bounds
        matched = int(lonlat.intersects(shapely.box(west, south, east, north)).sum())
        best = (f"{west:.5f},{south:.5f},{east:.5f},{north:.5f}", matched)
        if matched <= target * 1.1:
            break
    return best


def pygeoapi_config(path: Path, gpkg: Path, port: int, layers: dict[str, str]) -> None:
    resources = {}
    for name, layer in layers.items():
        resources[name] = {
            "type": "collection",
            "title": name,
            "description": name,
            "keywords": [name],
            "extents": {
                "spatial": {
                    "bbox": [-180, -90, 180, 90],
                    "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                }
            },
            "providers": [
                {
                    "type": "feature",
                    "name": "OGR",
                    "data": {
                        "source_type": "GPKG",
                        "source": str(gpkg),
                        "source_srs": "EPSG:4326",
                        "target_srs": "EPSG:4326",
                        "source_capabilities": {"paging": True},
                        "gdal_ogr_options": {"OGR_GEOJSON_MAX_OBJ_SIZE": 0},
                    },
                    "id_field": "code",
                    "layer": layer,
                }
            ],
        }
    config = {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port},
            "url": f"http://127.0.0.1:{port}",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "language": "en-GB",
            "cors": False,
            "pretty_print": False,
            "limits": {"default_items": 10, "max_items": 10000},
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": "OSM"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "bench",
                "description": "bench",
                "keywords": ["bench"],
                "keywords_type": "theme",
                "terms_of_service": "",
                "url": "http://example.org",
            },
            "license": {"name": "OGL", "url": "http://example.org"},
            "provider": {"name": "bench", "url": "http://example.org"},
            "contact": {"name": "bench"},
        },
        "resources": resources,
    }
    path.write_text(json.dumps(config), encoding="utf-8")  # YAML is a superset of JSON


def wrk(url: str, *, seconds: int, connections: int, lua: Path) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(lua),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    match = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", out.stdout)
    if not match:
        raise RuntimeError(out.stdout + out.stderr)
    requests, duration_us, p50, p95, p99, errors = match.groups()
    return {
        "rps": int(requests) / (int(duration_us) / 1e6),
        "p50": float(p50) / 1000,
        "p95": float(p95) / 1000,
        "p99": float(p99) / 1000,
        "errors": int(errors),
    }


def feature_count(document: dict[str, object]) -> int:
    """Features in a response: a FeatureCollection's length, else 1."""
    features = document.get("features")
    return len(features) if isinstance(features, list) else 1


def cpu_ticks(pids: list[int]) -> list[int]:
    ticks = []
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks.append(int(fields[11]) + int(fields[12]))
    return ticks


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(p) for p in out.stdout.split()]


def run(args: argparse.Namespace, folder: Path, *, synthetic: bool) -> None:
    store_path = folder / "store.gpkg"
    build_store(store_path=store_path, mirror=args.mirror)
    layers = {"ward": "ward", "lsoa": "lsoa"}
    if synthetic:
        store = load_store(store_path)
        store.features["synthetic_lsoa"] = synthetic_layer(args.polygons)
        write_store(store, store_path)
        layers = {"synthetic_lsoa": "synthetic_lsoa"}
    store = load_store(store_path)
    gpkg = folder / "pygeoapi.gpkg"
    for name in layers:
        frame = store.features[name] if synthetic else store.areas[name]
        pyogrio.write_dataframe(frame.to_crs(4326), gpkg, layer=name)

    main = "synthetic_lsoa" if synthetic else "lsoa"
    frame = store.features[main] if synthetic else store.areas[main]
    bbox, matched = bbox_matching(frame, target=100)
    one = str(frame.iloc[len(frame) // 2]["code"])
    queries = {
        "items?limit=10": f"/collections/{main}/items?f=json&limit=10",
        f"bbox ({matched})": f"/collections/{main}/items?f=json&limit=1000&bbox={bbox}",
        "by id": f"/collections/{main}/items/{one}?f=json",
    }
    if not synthetic:
        queries["whole layer (191)"] = f"/collections/{main}/items?f=json&limit=191"

    servers: dict[str, tuple[str, subprocess.Popen[bytes]]] = {}
    port = free_port()
    process = start_api(store_path, port, workers=2)
    started = wait_for(f"http://127.0.0.1:{port}/conformance", process)
    servers["this API"] = (f"http://127.0.0.1:{port}", process)
    print(f"this API started in {started:.1f} s (store load, indexes, pre-encoding included)")

    ceiling_file = folder / "ceiling.json"
    table = {}
    for path in queries.values():
        ctype, body = fetch(servers["this API"][0] + path)
        table[path] = [ctype, base64.b64encode(body).decode()]
    ceiling_file.write_text(json.dumps(table), encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cli.serve",
            "benchmarks.ceiling_app:create",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        cwd=REPO,
        env={**os.environ, "BENCH_CEILING_FILE": str(ceiling_file)},
    )
    wait_for(f"http://127.0.0.1:{port}{next(iter(queries.values()))}", process)
    servers["bare ASGI ceiling"] = (f"http://127.0.0.1:{port}", process)

    if args.pygeoapi_python:
        port = free_port()
        config, openapi = folder / "pygeoapi.yml", folder / "pygeoapi-openapi.yml"
        pygeoapi_config(config, gpkg, port, layers)
        bindir = Path(args.pygeoapi_python).parent
        penv = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
        subprocess.run(
            [
                str(bindir / "pygeoapi"),
                "openapi",
                "generate",
                str(config),
                "--output-file",
                str(openapi),
            ],
            env=penv,
            check=True,
            capture_output=True,
        )
        process = subprocess.Popen(
            [
                str(bindir / "gunicorn"),
                "-w",
                "2",
                "-k",
                "sync",
                "-b",
                f"127.0.0.1:{port}",
                "pygeoapi.flask_app:APP",
            ],
            env=penv,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started = wait_for(f"http://127.0.0.1:{port}/conformance?f=json", process)
        servers["pygeoapi"] = (f"http://127.0.0.1:{port}", process)
        print(f"pygeoapi started in {started:.1f} s")
        for path in queries.values():  # same answers?
            ours = json.loads(fetch(servers["this API"][0] + path)[1])
            theirs = json.loads(fetch(servers["pygeoapi"][0] + path)[1])
            print(
                f"  {path[:60]:<60} features: this API {feature_count(ours)}, "
                f"pygeoapi {feature_count(theirs)}"
            )

    lua = folder / "report.lua"
    lua.write_text(LUA, encoding="utf-8")
    results: dict[tuple[str, str], list[dict[str, float]]] = defaultdict(list)
    api_pids = children(servers["this API"][1].pid)
    split = [0] * len(api_pids)
    for _round in range(args.rounds):
        for label, path in queries.items():
            for name, (base, _process) in servers.items():
                before = cpu_ticks(api_pids) if name == "this API" else []
                results[(label, name)].append(
                    wrk(base + path, seconds=args.seconds, connections=args.connections, lua=lua)
                )
                if before:
                    after = cpu_ticks(api_pids)
                    split = [s + a - b for s, a, b in zip(split, after, before, strict=True)]

    title = "33,755 synthetic polygons" if synthetic else "Stockport wards and LSOAs"
    print(
        f"\n== {title}: wrk -c{args.connections}, {args.seconds} s x {args.rounds} rounds, "
        "servers interleaved (median of rounds) =="
    )
    print(
        f"{'query':<20}{'server':<20}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}"
    )
    for label in queries:
        med = {}
        for name in servers:
            runs = results[(label, name)]
            med[name] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            m = med[name]
            print(
                f"{label:<20}{name:<20}{m['rps']:9.0f}{m['p50']:9.1f}{m['p95']:9.1f}"
                f"{m['p99']:9.1f}{m['errors']:8.0f}"
            )
        ours = med["this API"]["rps"]
        line = f"{'':<20}ratios: this API / ceiling {ours / med['bare ASGI ceiling']['rps']:.2f}"
        if "pygeoapi" in med:
            line += f"; this API / pygeoapi {ours / med['pygeoapi']['rps']:.1f}x"
        print(line)
    total = sum(split) or 1
    print(
        "CPU split across this API's workers: "
        + ", ".join(f"{100 * s / total:.0f}%" for s in split)
    )
    if synthetic:
        for name in ("this API", "pygeoapi"):
            if name in servers:
                start = time.perf_counter()
                read = pyogrio.read_dataframe(f"OAPIF:{servers[name][0]}/collections/{main}")
                print(
                    f"GDAL OAPIF full read via {name}: {len(read):,} features in "
                    f"{time.perf_counter() - start:.1f} s"
                )
    for _base, process in servers.values():
        process.terminate()
        process.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mirror", type=Path, default=MIRROR)
    parser.add_argument("--pygeoapi-python", help="python of a venv with pygeoapi + gunicorn")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--polygons", type=int, default=33_755)
    parser.add_argument("--synthetic", action="store_true", help="also run the 33,755 case")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    with tempfile.TemporaryDirectory() as folder:
        run(args, Path(folder), synthetic=False)
    if args.synthetic:
        with tempfile.TemporaryDirectory() as folder:
            run(args, Path(folder), synthetic=True)


if __name__ == "__main__":
    main()
