"""Time the England and Greater Manchester comparator step on all 33,755 English LSOAs.

Prints the median seconds of each part over several runs (target: seconds, not minutes):
reading the England tables, building the LSOA inputs (IoD, Census, the real environment tables
moved to 2021 LSOAs), the England/GM/borough aggregates, and the England percentiles of every
stored record.

Run: .venv/bin/python -m benchmarks.bench_comparators [--mirror ../shared/data/stockport] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pandas as pd

from geo.build.pipeline import ENGLAND_ENVIRONMENT
from geo.indicators.comparators import (
    comparator_table,
    england_percentiles,
    lsoa_inputs_from_tables,
    lsoa_values,
)
from geo.indicators.real_environment import postcode_weights
from geo.sources.ingest import read_table
from geo.sources.manifest import load_manifest, locate
from geo.store import load_store

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mirror", type=Path, default=REPO.parent / "shared/data/stockport")
    parser.add_argument("--store", type=Path, default=REPO / "var/stockport.gpkg")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    manifest = load_manifest()
    store = load_store(args.store)
    defs = list(store.definitions.values())

    def read(source_id: str) -> pd.DataFrame:
        source = manifest[source_id]
        return read_table(locate(source, mirror=args.mirror, cache=None), source)

    parts: dict[str, list[float]] = {}
    rows = 0
    for _ in range(args.runs):
        clock = time.perf_counter()
        census, iod = read("census2021_england"), read("iod2025_england")
        environment = {sid: read(eng) for sid, eng in ENGLAND_ENVIRONMENT.items()}
        lookup = read("lsoa11_to_lsoa21_postcodes_england")
        gm = read("gm_lsoa21_lookup").set_index("LSOA21CD")["LAD22CD"].astype(str)
        t_read = time.perf_counter()
        inputs = lsoa_inputs_from_tables(
            census=census,
            iod2025=iod,
            environment=environment,
            environment_weights=postcode_weights(lookup),
        )
        t_inputs = time.perf_counter()
        comparator_table(defs, inputs, borough_of_gm_lsoa=gm, borough_code="E08000007")
        t_table = time.perf_counter()
        england_percentiles(store.values, lsoa_values(defs, inputs))
        t_done = time.perf_counter()
        rows = len(inputs)
        for name, seconds in (
            ("read England and GM tables", t_read - clock),
            ("LSOA inputs", t_inputs - t_read),
            ("England, GM and borough values", t_table - t_inputs),
            ("England percentiles of every record", t_done - t_table),
            ("total", t_done - clock),
        ):
            parts.setdefault(name, []).append(seconds)
    print(f"comparator step over {rows:,} English LSOAs, {args.runs} runs (median seconds)")
    for name, values in parts.items():
        print(f"  {name:<38} {statistics.median(values):7.3f}  (max {max(values):.3f})")


if __name__ == "__main__":
    main()
