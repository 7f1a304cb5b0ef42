"""`fetch` against a local HTTP server on 127.0.0.1 (hermetic: no internet)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from geo.errors import FetchError
from geo.sources.fetch import fetch_source
from geo.sources.manifest import load_manifest
from tests.conftest import http_server

DATA = b"lsoa21cd,value\nE01005743,1\n"
calls = {"flaky": 0}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/data.csv":
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(DATA)))
            self.end_headers()
            self.wfile.write(DATA)
        elif self.path == "/error-page":
            body = b"<!DOCTYPE html><html><body>Service unavailable</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            self.wfile.write(body)
        else:
            calls["flaky"] += 1
            self.send_response(503)
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with http_server(Handler) as url:
        yield url


def source_at(url: str):
    from dataclasses import replace

    return replace(load_manifest()["iod2025"], url=url)


def test_download_records_size_and_sha256(server: str, tmp_path: Path) -> None:
    record = fetch_source(source_at(f"{server}/data.csv"), tmp_path)
    saved = tmp_path / "stockport_iod2025_lsoa21.csv"
    assert saved.read_bytes() == DATA
    assert record.sha256 == hashlib.sha256(DATA).hexdigest() and record.bytes == len(DATA)
    log = json.loads((tmp_path / "fetch_log.json").read_text())
    assert log["iod2025"]["sha256"] == record.sha256


def test_html_error_page_is_refused(server: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="HTML page"):
        fetch_source(source_at(f"{server}/error-page"), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_retries_then_fails_without_saving(server: str, tmp_path: Path) -> None:
    calls["flaky"] = 0
    with pytest.raises(FetchError, match="after 3 attempts"):
        fetch_source(source_at(f"{server}/flaky"), tmp_path, retries=3, backoff=0.01, timeout=5)
    assert calls["flaky"] == 3
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://no-such-host.invalid/data.csv", "no-such-host.invalid:443"),
        ("http://127.0.0.1:9/data.csv", "127.0.0.1:9 (Connection refused)"),  # nothing listens
    ],
)
def test_no_network_fails_fast_and_once(tmp_path: Path, url: str, reason: str) -> None:
    import time

    from geo.errors import NoNetworkError

    started = time.monotonic()
    with pytest.raises(NoNetworkError, match=rf"no network: cannot reach {re.escape(reason)}"):
        fetch_source(source_at(url), tmp_path, retries=3, backoff=5.0)
    assert time.monotonic() - started < 6  # not three retries with back-off
    assert not any(tmp_path.iterdir())


def test_fetch_command_refuses_an_unknown_id(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    runner = CliRunner()
    result = runner.invoke(
        app, ["fetch", "--only", "nosuch", "--cache", str(tmp_path)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 2 and "no source 'nosuch' in the manifest" in result.output
