"""The store's cheap check (used by `serve` before forking) and its read model."""

from __future__ import annotations

from pathlib import Path

import pyogrio
import pytest

from geo.errors import StoreError
from geo.store import STORE_VERSION, Store, check_store


def test_check_store_reads_only_the_build_info(store_path: Path, store: Store) -> None:
    info = check_store(store_path)
    assert info["store_version"] == STORE_VERSION
    assert info == store.info


def test_check_store_refuses_a_store_without_its_tables(tmp_path: Path, store_path: Path) -> None:
    partial = tmp_path / "partial.gpkg"
    frame = pyogrio.read_dataframe(store_path, layer="areas_ward")
    pyogrio.write_dataframe(frame, partial, layer="areas_ward", driver="GPKG")
    with pytest.raises(StoreError, match="lacks layer"):
        check_store(partial)


def test_check_store_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `stockport-geo build` first"):
        check_store(tmp_path / "nothing.gpkg")


def test_read_model_parses_lists_once(store: Store) -> None:
    residents = store.indicator("residents")
    assert residents.source_ids == ("census2021_age",)
    rows = store.values[store.values["indicator_id"] == "residents"]
    assert store.sources_of(rows) == {"census2021_age"}
    lines = store.attribution_for({"census2021_age"})
    # the boundary sources are always credited
    boundary = store.attribution_lines(["lsoa_2021", "wards_2023"])
    assert set(boundary) <= set(lines)
    assert float(store.borough_values["residents"]) == 294_774
