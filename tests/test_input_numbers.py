"""Build input checks (issue 13): each declared numeric column is a number of its kind; a bad
cell is refused naming the file, column, row and value, and the old store is kept intact."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.errors import SourceError
from geo.sources.manifest import NUMBER_KINDS, Source, load_manifest
from tests.conftest import assert_refused, replace_file

CENSUS = "stockport_population_census2021_lsoa21.csv"
IOD = "stockport_iod2025_lsoa21.csv"


def damage(mirror_copy: Path, name: str, column: str, row: int, value: str) -> None:
    path = replace_file(mirror_copy, name)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    frame.to_csv(path, index=False)


@pytest.mark.parametrize(
    ("name", "column", "value", "says"),
    [
        (CENSUS, "total_usual_residents", "n/a", "'n/a' is not a number"),
        (CENSUS, "age_65_plus", "-50", "'-50' is not a count (0 or more)"),
        (IOD, "imd_decile", "11", "'11' is not a decile (whole, 1 to 10)"),
        (IOD, "imd_rank", "3.5", "'3.5' is not a rank (whole, 1 or more)"),
        (IOD, "imd_score", "inf", "'inf' is not a number"),
    ],
)
def test_a_bad_number_is_refused_by_file_column_row_and_value(
    mirror_copy: Path, old_store: Path, name: str, column: str, value: str, says: str
) -> None:
    damage(mirror_copy, name, column, 6, value)
    assert_refused(mirror_copy, old_store, name, f"column {column}, row 8: {says}")


def test_the_manifest_declares_the_numbers_it_checks() -> None:
    manifest = load_manifest()
    assert manifest["census2021_age"].numeric_columns["total_usual_residents"] == "count"
    assert manifest["iod2025"].numeric_columns["health_score"] == "score"  # scores may be < 0
    assert manifest["greenspace_access_lsoa"].numeric_columns["all_gs_access_pct"] == "share"
    declared = {k for s in manifest.values() for k in s.numeric_columns.values()}
    assert declared <= set(NUMBER_KINDS)


def test_an_unknown_number_kind_in_the_manifest_is_refused(tmp_path: Path) -> None:
    raw = {
        "id": "x",
        "title": "x",
        "publisher": "x",
        "licence": "x",
        "attribution": "x",
        "vintage": "x",
        "kind": "table",
        "file": "x.csv",
        "url": "",
        "url_confidence": "",
        "standin": False,
        "numeric_columns": {"a": "percentish"},
    }
    with pytest.raises(SourceError, match=r"unknown number kind\(s\) \['percentish'\]"):
        Source.from_mapping(raw, manifest=tmp_path / "sources.toml")
