"""Read source files and validate them on ingest.

Every failure raises :class:`~geo.errors.SourceError` with a message that names the file, the
column and the offending values, so a planner can fix the input without reading code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.crs import BNG
from geo.errors import SourceError
from geo.sources.manifest import NUMBER_KINDS, Source

_MAX_LISTED = 10


def _listed(values: Iterable[object]) -> str:
    """Format offending values for a message, capped so a broken file gives a short error."""
    items = sorted({str(v) for v in values})
    head = ", ".join(items[:_MAX_LISTED])
    more = f" (and {len(items) - _MAX_LISTED} more)" if len(items) > _MAX_LISTED else ""
    return head + more


@dataclass
class IngestReport:
    """What ingest changed or noticed, for the build log."""

    messages: list[str] = field(default_factory=list)

    def note(self, message: str) -> None:
        """Record one line for the build log."""
        self.messages.append(message)


def read_vector(path: Path, source: Source, *, report: IngestReport) -> gpd.GeoDataFrame:
    """Read a vector layer, check it, repair invalid geometries and reproject to EPSG:27700.

    Refuses a layer without a CRS, with missing required columns, with geometries of another
    dimension than expected (points, lines or polygons), with a wrong row count or with codes
    that do not match the manifest's patterns.
    """
    try:
        frame = pyogrio.read_dataframe(path, layer=source.layer)
    except Exception as exc:  # pyogrio raises several types for truncated or foreign files
        msg = f"{path}: cannot read layer {source.layer!r} of {source.id}: {exc}"
        raise SourceError(msg) from exc
    if not isinstance(frame, gpd.GeoDataFrame):
        msg = f"{path}: layer {source.layer!r} has no geometry column"
        raise SourceError(msg)
    # GeoPackage srs_id -1/0 and shapefiles without .prj come back as None or an "undefined"
    # engineering CRS: both mean the file does not say where it is.
    if frame.crs is None or frame.crs.type_name == "Engineering CRS":
        msg = (
            f"{path}: layer {source.layer!r} has no CRS; refusing to guess (expected {source.crs})"
        )
        raise SourceError(msg)
    check_columns(frame, source, path=path)
    check_rows(frame, source, path=path)
    check_codes(frame, source, path=path)
    frame = frame.to_crs(BNG)
    empty = frame.geometry.isna() | frame.geometry.is_empty
    if empty.any():
        msg = f"{path}: {int(empty.sum())} empty or null geometries in layer {source.layer!r}"
        raise SourceError(msg)
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        frame.loc[invalid, "geometry"] = shapely.make_valid(frame.geometry[invalid].to_numpy())
        report.note(
            f"{source.id}: repaired {int(invalid.sum())} invalid geometries with make_valid"
        )
    return frame


def read_table(path: Path, source: Source) -> pd.DataFrame:
    """Read a CSV table with its key fields as text, and check columns, rows and codes."""
    try:
        # "(null)" is how the canopy tables write a missing figure (not zero).
        frame = pd.read_csv(
            path, dtype=dict.fromkeys(source.key_fields, "string"), na_values=["(null)"]
        )
    except Exception as exc:  # pandas raises several types for truncated or binary files
        msg = f"{path}: cannot read table {source.id}: {exc}"
        raise SourceError(msg) from exc
    check_columns(frame, source, path=path)
    check_rows(frame, source, path=path)
    check_codes(frame, source, path=path)
    declared = [c for c in source.numeric_columns if c in frame.columns]
    if declared:
        # The cells as written: pandas would read "n/a" or "NA" as a missing number silently.
        text = pd.read_csv(path, usecols=declared, dtype=str, keep_default_na=False)
        frame = check_numbers(frame, text, source, path=path)
    return frame


def check_numbers(
    frame: pd.DataFrame, text: pd.DataFrame, source: Source, *, path: Path
) -> pd.DataFrame:
    """The frame with each declared numeric column as numbers, checked against its cells as
    written (`text`); stop at the first cell that is not a number of its kind, naming the file,
    column, row (as in a spreadsheet: the header is row 1) and value. Empty cells (and
    "(null)") stay missing."""
    for column, kind_name in source.numeric_columns.items():
        if column not in text.columns:
            continue  # a missing required column is check_columns' message
        kind = NUMBER_KINDS[kind_name]
        raw = text[column].str.strip()
        numbers = pd.to_numeric(raw.where(~raw.isin(["", "(null)"])), errors="coerce")
        present = ~raw.isin(["", "(null)"])
        bad = present & (numbers.isna() | ~np.isfinite(numbers.astype(float)))
        outside = numbers.notna() & ((numbers < kind.low) | (numbers > kind.high))
        if kind.whole:
            outside |= numbers.notna() & (numbers != numbers.round())
        for problem, what in ((bad, "is not a number"), (outside, f"is not {kind.meaning}")):
            if problem.any():
                position = int(np.flatnonzero(problem.to_numpy())[0])
                msg = (
                    f"{path}: column {column}, row {position + 2}: '{raw.iloc[position]}' "
                    f"{what} ({source.id}; {int(problem.sum())} such cell(s))"
                )
                raise SourceError(msg)
        frame[column] = numbers.to_numpy(dtype=float)
    return frame


def check_columns(frame: pd.DataFrame, source: Source, *, path: Path) -> None:
    """Stop when a required column is missing."""
    missing = [c for c in source.required_columns if c not in frame.columns]
    if missing:
        msg = f"{path}: missing required column(s) {_listed(missing)} in {source.id}"
        raise SourceError(msg)


def check_rows(frame: pd.DataFrame, source: Source, *, path: Path) -> None:
    """Stop when the row count differs from the manifest's expectation (e.g. a truncated file)."""
    if source.expected_rows is not None and len(frame) != source.expected_rows:
        msg = (
            f"{path}: expected {source.expected_rows} rows in {source.id}, found {len(frame)} "
            "(truncated or wrong extract?)"
        )
        raise SourceError(msg)


def check_codes(frame: pd.DataFrame, source: Source, *, path: Path) -> None:
    """Stop on null codes, codes that break the pattern, or duplicated key codes."""
    for column, pattern in source.code_patterns.items():
        values = frame[column]
        if values.isna().any():
            msg = f"{path}: column {column} has {int(values.isna().sum())} empty codes"
            raise SourceError(msg)
        bad = [v for v in values.astype(str) if not re.fullmatch(pattern, v)]
        if bad:
            msg = f"{path}: column {column} has codes not matching {pattern}: {_listed(bad)}"
            raise SourceError(msg)
    if len(source.key_fields) == 1:
        key = source.key_fields[0]
        duplicated = frame.loc[frame[key].duplicated(), key]
        if len(duplicated):
            msg = f"{path}: duplicated {key} code(s): {_listed(duplicated)}"
            raise SourceError(msg)


def check_same_codes(
    expected: Iterable[str], found: Iterable[str], *, expected_name: str, found_name: str
) -> None:
    """Stop unless `found` holds exactly the codes of `expected`; name missing and extra codes."""
    expected_set, found_list = set(expected), list(found)
    found_set = set(found_list)
    duplicated = {c for c in found_list if found_list.count(c) > 1}
    missing = expected_set - found_set
    extra = found_set - expected_set
    problems = []
    if missing:
        problems.append(f"{len(missing)} code(s) of {expected_name} missing: {_listed(missing)}")
    if extra:
        problems.append(f"{len(extra)} code(s) not in {expected_name}: {_listed(extra)}")
    if duplicated:
        problems.append(f"duplicated code(s): {_listed(duplicated)}")
    if problems:
        msg = f"{found_name} does not join to {expected_name}: " + "; ".join(problems)
        raise SourceError(msg)


def check_geometry_types(frame: gpd.GeoDataFrame, allowed: set[str], *, path: Path) -> None:
    """Stop when a layer holds other geometry types than `allowed` (lines in a polygon layer)."""
    found = set(frame.geometry.geom_type.unique())
    wrong = found - allowed
    if wrong:
        msg = (
            f"{path}: geometry types {_listed(wrong)} found where only {_listed(allowed)} "
            "are allowed"
        )
        raise SourceError(msg)
