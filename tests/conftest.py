"""Shared fixtures: the real data mirror in ../shared and a store built from it once per run."""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from geo.build.pipeline import build_store
from geo.store import Store, load_store

REPO = Path(__file__).resolve().parents[1]
MIRROR = REPO.parent / "shared" / "data" / "stockport"


def require_mirror() -> Path:
    """The real-data mirror; fail (never skip) with a clear message when it is missing."""
    if not (MIRROR / "stockport_lsoa_2021.gpkg").is_file():
        pytest.fail(
            f"the real-data mirror is missing: expected {MIRROR} (the shared/ folder beside the "
            "repository). These tests check the service on Stockport's real data and cannot run "
            "without it.",
            pytrace=False,
        )
    return MIRROR


@pytest.fixture(scope="session")
def mirror() -> Path:
    """Path to ../shared/data/stockport."""
    return require_mirror()


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory, mirror: Path) -> Path:
    """A store built once from the real mirror."""
    path = tmp_path_factory.mktemp("store") / "stockport.gpkg"
    build_store(store_path=path, mirror=mirror)
    return path


@pytest.fixture(scope="session")
def store(store_path: Path) -> Store:
    """The loaded real store."""
    return load_store(store_path)


@pytest.fixture
def mirror_copy(tmp_path: Path, mirror: Path) -> Path:
    """A writable mirror: links to the real files, so a test can replace one of them."""
    target = tmp_path / "mirror"
    for path in mirror.rglob("*"):
        if path.is_file():
            link = target / path.relative_to(mirror)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(path)
    for sibling in ("england", "greater_manchester"):  # the manifest reads ../england/...
        if (mirror.parent / sibling).is_dir():
            (tmp_path / sibling).symlink_to(mirror.parent / sibling)
    return target


def digest(path: Path) -> str:
    """SHA-256 of a file."""
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def old_store(tmp_path: Path, store_path: Path) -> Path:
    """A copy of a good store that a failing build must leave byte-for-byte unchanged."""
    path = tmp_path / "store" / "stockport.gpkg"
    path.parent.mkdir()
    path.write_bytes(store_path.read_bytes())
    return path


def assert_refused(mirror: Path, store: Path, *fragments: str) -> None:
    """The build from `mirror` fails with every fragment in its message; `store` is untouched
    and no temporary file is left beside it."""
    from geo.errors import SourceError

    before = digest(store)
    with pytest.raises(SourceError) as caught:
        build_store(store_path=store, mirror=mirror)
    for fragment in fragments:
        assert fragment in str(caught.value)
    assert digest(store) == before
    assert sorted(p.name for p in store.parent.iterdir()) == [store.name]


def replace_file(mirror_copy: Path, name: str) -> Path:
    """Turn a linked mirror file into a private copy the test may damage."""
    path = mirror_copy / name
    real = path.resolve()
    path.unlink()
    shutil.copyfile(real, path)
    return path


@pytest.fixture(scope="session")
def api_settings(store_path: Path):
    """API settings over the real store (no environment variables read)."""
    from api.settings import ApiSettings

    return ApiSettings(store=store_path, cors_origins=["https://example.org"])


@pytest.fixture(scope="session")
def client(api_settings):
    """In-process client of the app built by the factory."""
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(api_settings)) as test_client:
        yield test_client


@contextlib.contextmanager
def http_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A threaded HTTP server on 127.0.0.1 answering with `handler`; yields its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(store_path: Path):
    """The API served by uvicorn on 127.0.0.1 (a real server for real clients)."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    env = {**os.environ, "STOCKPORT_GEO_STORE": str(store_path)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "api.main:create_app_from_env",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/conformance", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                process.kill()
                pytest.fail(f"the API did not start on {base}:\n{output}")
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)
    if process.stdout:
        process.stdout.close()
