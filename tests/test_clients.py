"""Real clients against the API served by uvicorn on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pyogrio
import pytest

from geo.store import Store

pytestmark = pytest.mark.network_server


def test_owslib_lists_collections_and_reads_a_bbox(live_server: str, store: Store) -> None:
    from owslib.ogcapi.features import Features

    api = Features(live_server)
    ids = {c["id"] for c in api.collections()["collections"]}
    assert {"lsoa", "ward", "neighbourhood", "borough"} <= ids
    items = api.collection_items("lsoa", bbox=[-2.2, 53.39, -2.15, 53.42], limit=500)
    assert 0 < items["numberReturned"] == items["numberMatched"] < 191
    assert all(f["id"] in store.areas["lsoa"].index for f in items["features"])


@pytest.mark.parametrize("collection", ["lsoa", "ward", "neighbourhood"])
def test_gdal_oapif_reads_whole_collection(live_server: str, store: Store, collection: str) -> None:
    frame = pyogrio.read_dataframe(f"OAPIF:{live_server}/collections/{collection}")
    assert len(frame) == len(store.areas[collection])
    assert set(frame["code"]) == set(store.areas[collection].index)


def grammar_parameters_config(live_server: str) -> str:
    """schemathesis.toml giving each collection's `filter` (CQL2 text) and `sortby` a valid
    value: their grammars are beyond what an OpenAPI schema states, so a generated string is
    rarely valid; tests/test_filters.py tests both, good and bad, by hand."""
    with urllib.request.urlopen(f"{live_server}/collections?f=json", timeout=30) as response:
        ids = [c["id"] for c in json.load(response)["collections"]]
    blocks = []
    for collection_id in ids:
        url = f"{live_server}/collections/{collection_id}/queryables"
        with urllib.request.urlopen(url, timeout=30) as response:
            first = next(iter(json.load(response)["properties"]))
        blocks.append(
            "[[operations]]\n"
            f'include-path = "/collections/{collection_id}/items"\n'
            f'parameters = {{ "query.filter" = "{first} IS NOT NULL", '
            f'"query.sortby" = "-{first}" }}\n'
        )
    return "\n".join(blocks)


def test_schemathesis_finds_nothing(live_server: str, tmp_path: Path) -> None:
    st = shutil.which("st", path=str(Path(sys.executable).parent)) or shutil.which("st")
    if st is None:
        pytest.fail("schemathesis is not installed: install the project with its [test] extra")
    config = tmp_path / "schemathesis.toml"
    config.write_text(grammar_parameters_config(live_server), encoding="utf-8")
    result = subprocess.run(
        [
            st,
            "--config-file",
            str(config),
            "run",
            f"{live_server}/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            "12",
            "--seed",
            "20261122",
            "--phases",
            "examples,coverage,fuzzing",
            "--request-timeout",
            "20",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=1200,
        cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
