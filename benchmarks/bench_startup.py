"""API start-up on the Stockport store (target: under 3 s).

Prints the in-process time of each start-up step and the wall time from starting a uvicorn
process to its first answer, median of several runs.

Run: .venv/bin/python -m benchmarks.bench_startup
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import MIRROR, free_port, start_api, wait_for


def main() -> None:
    from geo.build.pipeline import build_store

    with tempfile.TemporaryDirectory() as folder:
        store_path = Path(folder) / "store.gpkg"
        build_store(store_path=store_path, mirror=MIRROR)

        from api.app import create_app
        from api.service import Service
        from api.settings import ApiSettings
        from geo.store import load_store

        loads, starts, apps = [], [], []
        for _ in range(3):
            t0 = time.perf_counter()
            store = load_store(store_path)
            t1 = time.perf_counter()
            Service.start(ApiSettings(store=store_path), store)
            t2 = time.perf_counter()
            create_app(ApiSettings(store=store_path))
            t3 = time.perf_counter()
            loads.append(t1 - t0)
            starts.append(t2 - t1)
            apps.append(t3 - t2)
        print(
            f"in process (median of 3): load_store {statistics.median(loads):.2f} s, "
            f"collections + spatial indexes + pre-encoding {statistics.median(starts):.2f} s, "
            f"whole create_app {statistics.median(apps):.2f} s"
        )

        walls = []
        for _ in range(3):
            port = free_port()
            server = start_api(store_path, port)
            walls.append(wait_for(f"http://127.0.0.1:{port}/conformance", server))
            server.terminate()
            server.wait(timeout=20)
        print(
            f"uvicorn process start to first answer (median of 3, Python imports included): "
            f"{statistics.median(walls):.2f} s (target < 3 s; ratio "
            f"{statistics.median(walls) / 3:.2f})"
        )


if __name__ == "__main__":
    main()
