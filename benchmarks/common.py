"""Helpers shared by the benchmarks: free ports, servers on 127.0.0.1, waiting for them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MIRROR = REPO.parent / "shared/data/stockport"


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_api(store: Path, port: int, *, workers: int = 1) -> subprocess.Popen[bytes]:
    """This API over `store` on 127.0.0.1:`port` (uvicorn; SO_REUSEPORT workers when > 1)."""
    env = {**os.environ, "STOCKPORT_GEO_STORE": str(store)}
    if workers > 1:
        command = [
            sys.executable,
            "-m",
            "cli.serve",
            "api.main:create_app_from_env",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
    else:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "api.main:create_app_from_env",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ]
    return subprocess.Popen(command, env=env, cwd=REPO)


def wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 180) -> float:
    """Seconds until `url` answers; raises if the server exits or never answers."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return time.monotonic() - start
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {url}") from None
            time.sleep(0.05)
    raise RuntimeError(f"server did not start: {url}")
