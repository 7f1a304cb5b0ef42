"""`serve` supervised (issue 13): bad arguments and busy ports refused with one line and a
non-zero exit, a killed worker replaced while the service answers, SIGTERM a clean stop."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port


def exe() -> str:
    found = shutil.which("stockport-geo", path=str(Path(sys.executable).parent))
    assert found, "the stockport-geo entry point is not installed"
    return found


def serve(store_path: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [exe(), "serve", "--store", str(store_path), "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )


def run_serve(store_path: Path, port: int, *extra: str) -> subprocess.CompletedProcess[str]:
    """`serve` run to its end (for the cases that must not start)."""
    return subprocess.run(
        [exe(), "serve", "--store", str(store_path), "--port", str(port), *extra],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
    )


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/conformance", timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


def wait_until(check, *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def workers_of(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(p) for p in out.stdout.split()]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "99999"], "--port must be between 1 and 65535; got 99999"),
        (["--host", "no-such-host.invalid"], "--host 'no-such-host.invalid' cannot be resolved"),
        (["--workers", "0"], "--workers must be at least 1; got 0"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_1(
    store_path: Path, args: list[str], message: str
) -> None:
    result = run_serve(store_path, free_port(), *args)
    assert result.returncode == 1
    assert message in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_busy_port_is_refused(store_path: Path) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = run_serve(store_path, port)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}: the port is in use" in result.stdout


def test_killed_worker_is_replaced_and_a_second_serve_is_refused(store_path: Path) -> None:
    port = free_port()
    server = serve(store_path, port, "--workers", "2")
    try:
        wait_until(lambda: answers(port))
        wait_until(lambda: len(workers_of(server.pid)) == 2)
        second = run_serve(store_path, port)
        assert second.returncode == 1 and "is in use" in second.stdout
        first, other = workers_of(server.pid)
        os.kill(first, signal.SIGKILL)
        # Connections queued at the killed worker are lost with it; once it is gone, the other
        # worker answers every request while the replacement starts.
        wait_until(lambda: first not in workers_of(server.pid))
        assert all(answers(port) for _ in range(10))
        wait_until(lambda: len(workers_of(server.pid)) == 2)
        assert other in workers_of(server.pid)
        assert all(answers(port) for _ in range(10))
        assert server.poll() is None
    finally:
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=40)
    assert server.returncode == 0
    assert f"worker {first} exited (killed by SIGKILL)" in err
