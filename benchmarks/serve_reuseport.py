"""Run an ASGI app in N worker processes that each bind the same port with SO_REUSEPORT.

With one shared listening socket (uvicorn --workers), keep-alive clients were seen to land on a
single worker; separate SO_REUSEPORT sockets let the kernel spread connections across workers.

Run: python benchmarks/serve_reuseport.py MODULE:FACTORY --port 8000 --workers 2
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import socket
import sys


def serve(target: str, port: int) -> None:
    import uvicorn

    module, _, name = target.partition(":")
    app = getattr(importlib.import_module(module), name)()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    # Accepted connections inherit TCP_NODELAY from the listener; without it small responses
    # (written as headers, then body) waited ~40 ms for the client's delayed ACK.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", port))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    children = []
    for _ in range(args.workers):
        pid = os.fork()
        if pid == 0:
            serve(args.target, args.port)
            sys.exit(0)
        children.append(pid)
    signal.signal(signal.SIGTERM, lambda *_: [os.kill(c, signal.SIGTERM) for c in children])
    for child in children:
        os.waitpid(child, 0)


if __name__ == "__main__":
    main()
