"""Serve an ASGI app factory in N worker processes that each bind the port with SO_REUSEPORT.

With one shared listening socket (`uvicorn --workers`), keep-alive clients were seen to land on
a single worker; a socket per worker with SO_REUSEPORT lets the kernel spread connections
across workers (measured: an even CPU split in benchmarks/bench_api.py).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import socket
import sys
from collections.abc import Callable
from typing import Any

AppFactory = Callable[[], Any]
"""Builds the ASGI app in each worker (after the fork, so no worker shares a parent's state)."""


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound with SO_REUSEPORT and TCP_NODELAY (inherited by accepted sockets)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    # Without TCP_NODELAY, responses written as headers then body waited ~40 ms for the
    # client's delayed ACK.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    return sock


def serve_worker(factory: AppFactory, host: str, port: int, log_level: str = "info") -> None:
    """Run one uvicorn server for the app `factory` builds, on its own SO_REUSEPORT socket."""
    import uvicorn

    app = factory()
    config = uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[listening_socket(host, port)])


def serve_workers(
    factory: AppFactory, *, host: str, port: int, workers: int, log_level: str = "info"
) -> None:
    """Fork `workers` processes serving `factory()`; stop them all on SIGTERM or SIGINT."""
    if workers <= 1:
        serve_worker(factory, host, port, log_level)
        return
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            serve_worker(factory, host, port, log_level)
            sys.exit(0)
        children.append(pid)

    def stop(*_: object) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        os.waitpid(child, 0)


def main() -> None:
    """`python -m cli.serve MODULE:FACTORY --port N --workers 2` (used by the benchmarks)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    module, _, name = args.target.partition(":")
    factory = getattr(importlib.import_module(module), name)
    serve_workers(
        factory, host=args.host, port=args.port, workers=args.workers, log_level="warning"
    )


if __name__ == "__main__":
    main()
