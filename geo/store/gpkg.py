"""The GeoPackage store: one file holding areas, indicator records, the catalogue and provenance.

Written atomically (a temporary file in the same folder, then a rename), so a failed build
leaves the previous store byte-for-byte unchanged. The API, maps and CLI read only the store.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd
import pyogrio

from geo.errors import StoreError
from geo.store.model import Store, StoreContent
from geo.store.schema import AREA_LAYER_PREFIX, FEATURE_LAYER_PREFIX, STORE_VERSION, TABLES
from geo.vocabulary import AREA_TYPES


def write_store(content: StoreContent, path: Path) -> None:
    """Write `content` to `path` atomically (temporary file + rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=path.name + ".", suffix=".tmp.gpkg", dir=path.parent
    )
    os.close(handle)
    os.unlink(temporary)  # GDAL must create the GeoPackage itself
    try:
        for area_type, frame in content.areas.items():
            pyogrio.write_dataframe(
                frame,
                temporary,
                layer=AREA_LAYER_PREFIX + area_type,
                driver="GPKG",
                promote_to_multi=True,
            )
        for layer_id, frame in content.features.items():
            pyogrio.write_dataframe(
                frame, temporary, layer=FEATURE_LAYER_PREFIX + layer_id, driver="GPKG"
            )
        info = pd.DataFrame({"key": list(content.info), "value": list(content.info.values())})
        tables = {
            "indicator_values": content.values,
            "indicator_catalogue": content.catalogue,
            "provenance": content.provenance,
            "apportionment_weights": content.weights,
            "lsoa_inputs": content.lsoa_inputs.rename_axis("lsoa_code").reset_index(),
            "build_info": info,
            "comparators": content.comparators,
            "official_standing": content.official_standing,
        }
        for name, table in tables.items():
            pyogrio.write_dataframe(table, temporary, layer=name, driver="GPKG")
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def check_store(path: Path) -> dict[str, str]:
    """Check a store cheaply (its layers and version, not its contents); return its build info."""
    return _checked(Path(path))[1]


def _checked(path: Path) -> tuple[set[str], dict[str, str]]:
    """The store's layer names and build info, after checking both."""
    if not path.is_file():
        msg = f"no store at {path}: run `stockport-geo build` first"
        raise StoreError(msg)
    try:
        layers = {str(name) for name, _ in pyogrio.list_layers(path)}
        missing = [t for t in TABLES if t not in layers] + [
            AREA_LAYER_PREFIX + a for a in AREA_TYPES if AREA_LAYER_PREFIX + a not in layers
        ]
        if missing:
            msg = f"store {path} lacks layer(s) {missing}: rebuild it with `stockport-geo build`"
            raise StoreError(msg)
        table = pyogrio.read_dataframe(path, layer="build_info")
    except StoreError:
        raise
    except Exception as exc:  # sqlite/GDAL errors on a damaged file
        msg = f"cannot read the store {path}: {exc}"
        raise StoreError(msg) from exc
    info = dict(zip(table["key"], table["value"], strict=True))
    if info.get("store_version") != STORE_VERSION:
        msg = f"store {path} has version {info.get('store_version')!r}, expected {STORE_VERSION}"
        raise StoreError(msg)
    return layers, info


def load_store(path: Path) -> Store:
    """Read a whole store into memory (a few MB for Stockport), after :func:`check_store`."""
    path = Path(path)
    layers, info = _checked(path)
    try:
        areas = {}
        for area_type in AREA_TYPES:
            frame = pyogrio.read_dataframe(path, layer=AREA_LAYER_PREFIX + area_type)
            areas[area_type] = frame.set_index("code", drop=False).rename_axis(None)
        features = {
            name.removeprefix(FEATURE_LAYER_PREFIX): pyogrio.read_dataframe(path, layer=name)
            for name in sorted(layers)
            if name.startswith(FEATURE_LAYER_PREFIX)
        }
        tables = {
            t: pd.DataFrame(pyogrio.read_dataframe(path, layer=t))
            for t in TABLES
            if t != "build_info"  # read by _checked
        }
    except Exception as exc:  # sqlite/GDAL errors on a damaged file
        msg = f"cannot read the store {path}: {exc}"
        raise StoreError(msg) from exc
    values = tables["indicator_values"]
    values["standin"] = values["standin"].astype(bool)
    values["rank_tied"] = values["rank_tied"].astype(bool)
    return Store(
        areas=areas,
        values=values,
        catalogue=tables["indicator_catalogue"],
        provenance=tables["provenance"],
        weights=tables["apportionment_weights"],
        lsoa_inputs=tables["lsoa_inputs"].set_index("lsoa_code").rename_axis(None),
        info=info,
        features=features,
        comparators=tables["comparators"],
        official_standing=tables["official_standing"],
        path=path,
        modified=path.stat().st_mtime,
    )


def info_json(value: object) -> str:
    """Serialise a build-info value (lists, dicts) as JSON text."""
    return json.dumps(value, ensure_ascii=False)
