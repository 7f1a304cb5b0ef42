"""Time a full `build` from the mirror, step by step (target: under 30 s on 2 cores).

Run: .venv/bin/python -m benchmarks.bench_build [--mirror ../shared/data/stockport] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from geo.build.pipeline import STEPS, build_store

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mirror", type=Path, default=REPO.parent / "shared/data/stockport")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.runs):
            report = build_store(store_path=Path(folder) / "s.gpkg", mirror=args.mirror)
            runs.append(report.timings)
    print(f"full build from {args.mirror}, {args.runs} runs (median seconds per step)")
    for step in STEPS:
        print(f"  {step:<16} {statistics.median(r[step] for r in runs):7.3f}")
    totals = [sum(r.values()) for r in runs]
    print(
        f"  {'total':<16} {statistics.median(totals):7.3f}  (min {min(totals):.3f}, "
        f"max {max(totals):.3f}; target < 30 s: ratio {statistics.median(totals) / 30:.3f})"
    )


if __name__ == "__main__":
    main()
