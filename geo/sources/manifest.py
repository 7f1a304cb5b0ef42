"""The source manifest (`data/sources.toml`) and where each dataset is found on disk."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from geo.errors import SourceError, SourceMissingError

SourceKind = Literal["vector", "table", "raster"]


def project_data_dir() -> Path:
    """Return the project's `data/` folder (the repository's, or the copy inside a wheel)."""
    package = Path(__file__).resolve().parents[1]  # geo/
    here = package
    for candidate in (package.parent / "data", package / "_project_data"):
        if (candidate / "sources.toml").is_file():
            return candidate
    msg = f"cannot find the project's data folder (sources.toml) near {here}"
    raise SourceError(msg)


@dataclass(frozen=True)
class NumberKind:
    """What a column's numbers may be: a closed range and, for some, whole numbers only."""

    low: float
    high: float
    whole: bool = False
    meaning: str = ""


NUMBER_KINDS: dict[str, NumberKind] = {
    "count": NumberKind(0, float("inf"), meaning="a count (0 or more)"),
    "share": NumberKind(0, 1, meaning="a share (0 to 1)"),
    "percent": NumberKind(0, 100, meaning="a percentage (0 to 100)"),
    "decile": NumberKind(1, 10, whole=True, meaning="a decile (whole, 1 to 10)"),
    "rank": NumberKind(1, float("inf"), whole=True, meaning="a rank (whole, 1 or more)"),
    "area": NumberKind(0, float("inf"), meaning="an area (0 or more)"),
    "score": NumberKind(float("-inf"), float("inf"), meaning="a finite number"),
    "celsius": NumberKind(-60, 60, meaning="a temperature (-60 to 60 °C)"),
}
"""The kinds of number a manifest may declare for a column (`numeric_columns`)."""


@dataclass(frozen=True)
class Source:
    """One dataset of the manifest: what it is, who publishes it, and how to check it."""

    id: str
    title: str
    publisher: str
    licence: str
    attribution: str
    vintage: str
    kind: SourceKind
    file: str
    url: str
    url_confidence: str
    standin: bool
    crs: str = ""
    layer: str | None = None
    key_fields: tuple[str, ...] = ()
    required_columns: tuple[str, ...] = ()
    expected_rows: int | None = None
    code_patterns: dict[str, str] = field(default_factory=dict)
    notes: str = ""
    optional: bool = False
    """An optional source: the build uses it when present and carries on without it."""
    reach_beyond_borough_m: float | None = None
    """How far beyond the borough a clipped extract holds features (None: no clip)."""
    numeric_columns: dict[str, str] = field(default_factory=dict)
    """Column -> kind of number (:data:`NUMBER_KINDS`), checked on ingest: every non-empty cell
    must be a number inside its kind's range."""

    @classmethod
    def from_mapping(cls, raw: dict[str, Any], *, manifest: Path) -> Source:
        """Build a source from one `[[source]]` table, naming the manifest on a bad entry."""
        try:
            source = cls(
                **{
                    **raw,
                    "key_fields": tuple(raw.get("key_fields", ())),
                    "required_columns": tuple(raw.get("required_columns", ())),
                    "code_patterns": dict(raw.get("code_patterns", {})),
                    "numeric_columns": dict(raw.get("numeric_columns", {})),
                }
            )
        except TypeError as exc:
            msg = f"{manifest}: bad source entry {raw.get('id', '?')!r}: {exc}"
            raise SourceError(msg) from exc
        unknown = sorted(set(source.numeric_columns.values()) - set(NUMBER_KINDS))
        if unknown:
            msg = (
                f"{manifest}: source {source.id!r} declares unknown number kind(s) "
                f"{unknown}; kinds: {', '.join(NUMBER_KINDS)}"
            )
            raise SourceError(msg)
        return source


def load_manifest(path: Path | None = None) -> dict[str, Source]:
    """Read the source manifest; keys are source ids in file order."""
    path = path or project_data_dir() / "sources.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        msg = f"{path}: cannot read the source manifest: {exc}"
        raise SourceError(msg) from exc
    sources = [Source.from_mapping(entry, manifest=path) for entry in raw.get("source", [])]
    ids = [s.id for s in sources]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        msg = f"{path}: duplicated source ids {duplicated}"
        raise SourceError(msg)
    return {s.id: s for s in sources}


def locate(source: Source, *, mirror: Path | None, cache: Path | None) -> Path:
    """Return the file to read for `source`: the fetch cache first, then the mirror folder.

    Raises
    ------
    SourceMissingError
        When the file is in neither place; the message lists where it looked.
    """
    looked: list[str] = []
    for folder in (cache, mirror):
        if folder is None:
            continue
        candidate = Path(folder) / source.file
        if candidate.is_file():
            return candidate
        looked.append(str(candidate))
    where = ", ".join(looked) or "nowhere (no mirror or cache folder given)"
    msg = (
        f"dataset {source.id!r} ({source.file}) not found; looked in {where}. "
        "Run `stockport-geo fetch` or pass `--mirror DIR`."
    )
    raise SourceMissingError(msg)
