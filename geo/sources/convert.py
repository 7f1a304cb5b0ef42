"""From a national download, as published, to the file the build reads (clipped to Stockport).

`fetch` keeps each download under ``downloads/`` in the cache and, for the products listed in
:data:`CONVERTERS`, writes the manifest's file from it. Each converter reads only what
Stockport needs (a zip member by name, or a bounding-box read through pyogrio) and never
loads a national file whole. A download that is not laid out as the product is published is
refused with the product, the file inside the archive and what is missing.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pyogrio

from geo.errors import SourceError
from geo.sources.manifest import Source

CONVERTER_VERSION = "1"
"""Recorded with each converted file (a change in what a converter writes bumps it)."""

STOCKPORT_BNG_BBOX = (382_684.0, 380_155.0, 401_606.0, 396_365.0)
"""The borough's bounds in British National Grid metres (west, south, east, north)."""

STREET_MARGIN_M = 2_000.0
"""Streets kept beyond the borough: walks to a service just over the boundary use them."""

OPEN_NAMES_TILES = ("SJ88", "SJ89", "SJ98", "SJ99")
"""The 10 km OS grid squares that cover Stockport (OS Open Names ships one CSV per square)."""

Converter = Callable[[Path, Source, Path], None]
"""(the downloaded file, its manifest entry, the file to write)."""


def _write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=target.name + ".", suffix=target.suffix, dir=target.parent
    )
    os.close(handle)
    os.unlink(temporary)  # the writers create the file themselves
    try:
        write(Path(temporary))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _open_zip(archive: Path, source: Source) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(archive)
    except zipfile.BadZipFile as exc:
        msg = f"{archive}: the {source.title} download is not a zip archive ({exc})"
        raise SourceError(msg) from exc


def open_names_from_zip(
    archive: Path, source: Source, target: Path, *, tiles: tuple[str, ...] = OPEN_NAMES_TILES
) -> None:
    """OS Open Names CSV zip (``Data/<TILE>.csv``, no header rows) -> one CSV of `tiles`."""
    with _open_zip(archive, source) as zipped:
        members = {
            Path(n).stem.upper(): n
            for n in zipped.namelist()
            if n.lower().endswith(".csv") and "/data/" in f"/{n.lower()}"
        }
        missing = [t for t in tiles if t not in members]
        if missing:
            msg = (
                f"{archive}: {source.title} has no Data/{missing[0]}.csv (of the tiles "
                f"{', '.join(tiles)} that cover Stockport); the archive holds "
                f"{len(members)} Data/*.csv files"
            )
            raise SourceError(msg)

        def write(path: Path) -> None:
            with path.open("wb") as out:
                for tile in tiles:
                    data = zipped.read(members[tile])
                    out.write(data if data.endswith(b"\n") or not data else data + b"\n")

        _write_atomically(target, write)


def open_roads_from_zip(
    archive: Path,
    source: Source,
    target: Path,
    *,
    bbox: tuple[float, float, float, float] = STOCKPORT_BNG_BBOX,
    margin: float = STREET_MARGIN_M,
) -> None:
    """OS Open Roads GeoPackage zip (a ``.gpkg`` holding layer `source.layer`) -> the road
    links within `margin` metres of `bbox` (EPSG:27700), read with a spatial filter."""
    with _open_zip(archive, source) as zipped:
        packages = [n for n in zipped.namelist() if n.lower().endswith(".gpkg")]
    if not packages:
        msg = f"{archive}: {source.title} holds no .gpkg file"
        raise SourceError(msg)
    inside = f"/vsizip/{archive}/{packages[0]}"
    layers = [str(name) for name, _kind in pyogrio.list_layers(inside)]
    if source.layer not in layers:
        msg = (
            f"{archive}: {packages[0]} has no layer {source.layer!r} "
            f"(layers: {', '.join(layers) or 'none'})"
        )
        raise SourceError(msg)
    west, south, east, north = bbox
    frame = pyogrio.read_dataframe(
        inside,
        layer=source.layer,
        bbox=(west - margin, south - margin, east + margin, north + margin),
    )
    if frame.crs is None or frame.crs.to_epsg() != 27700:
        msg = f"{archive}: {packages[0]} layer {source.layer} is not in EPSG:27700 ({frame.crs})"
        raise SourceError(msg)
    _write_atomically(target, lambda path: pyogrio.write_dataframe(frame, path, layer=source.layer))


CONVERTERS: dict[str, Converter] = {
    "os_open_names": open_names_from_zip,
    "os_open_roads": open_roads_from_zip,
}
"""Manifest ids whose official download is converted (others are saved as the build reads
them). The remaining national products are issue 10's."""


def download_name(source: Source) -> str:
    """Where a download that needs converting is kept in the cache."""
    return f"downloads/{source.id}.zip"
