"""Serve an ASGI app factory in N worker processes that each bind the port with SO_REUSEPORT.

With one shared listening socket (`uvicorn --workers`), keep-alive clients were seen to land on
a single worker; a socket per worker with SO_REUSEPORT lets the kernel spread connections
across workers (measured: an even CPU split in benchmarks/bench_api.py).
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import logging
import os
import signal
import socket
import time
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


class ServeError(RuntimeError):
    """`serve` cannot start: a bad host or port, or the port is in use (one line, no trace)."""


def claim_port(host: str, port: int) -> socket.socket:
    """Check `host` and `port` and hold the port for this server's life.

    A probe bind *without* SO_REUSEPORT fails when anything else listens there, so a second
    `serve` on a busy port is refused instead of silently sharing its traffic. The socket
    returned is bound with SO_REUSEPORT but never listens (it receives no connections): it keeps
    the port claimed, so later probes fail too, while the workers bind beside it.
    """
    if not 1 <= port <= 65_535:
        msg = f"--port must be between 1 and 65535; got {port}"
        raise ServeError(msg)
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        msg = f"--host {host!r} cannot be resolved ({exc})"
        raise ServeError(msg) from None
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    probe = socket.socket(family, socket.SOCK_STREAM)
    try:
        probe.bind((host, port))
    except OSError as exc:
        probe.close()
        reason = "is in use by another server" if exc.errno == errno.EADDRINUSE else exc.strerror
        msg = f"cannot listen on {host}:{port}: the port {reason}"
        raise ServeError(msg) from None
    probe.close()
    guard = socket.socket(family, socket.SOCK_STREAM)
    guard.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    guard.bind((host, port))
    return guard


def serve_worker(factory: AppFactory, host: str, port: int, log_level: str = "info") -> None:
    """Run one uvicorn server for the app `factory` builds, on its own SO_REUSEPORT socket.
    SIGTERM lets in-flight requests finish (up to :data:`DRAIN_SECONDS`)."""
    import uvicorn

    app = factory()
    config = uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=DRAIN_SECONDS,
        timeout_keep_alive=5,
    )
    uvicorn.Server(config).run(sockets=[listening_socket(host, port)])


DRAIN_SECONDS = 20
"""How long a stopping worker lets in-flight requests finish."""
RESTART_LIMIT = 5
"""Workers that die within :data:`QUICK_DEATH_SECONDS` of starting, in a row, before giving up."""
QUICK_DEATH_SECONDS = 2.0


STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def _fork_worker(
    factory: AppFactory, host: str, port: int, log_level: str, started: dict[int, float]
) -> None:
    """Fork one worker and record it in `started`. The stop signals are blocked meanwhile: a
    stop arriving between the fork and the record would miss the new worker (it would run on,
    and the server never exit), and the child must not run the parent's handler."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    pid = -1
    try:
        pid = os.fork()
        if pid != 0:
            started[pid] = time.monotonic()
    finally:
        if pid != 0:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    if pid == 0:
        code = 0
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
            serve_worker(factory, host, port, log_level)
        except BaseException:  # the worker's own error is logged by uvicorn or printed here
            logging.getLogger("stockport_geo.serve").exception("worker failed")
            code = 1
        os._exit(code)


def serve_workers(
    factory: AppFactory, *, host: str, port: int, workers: int, log_level: str = "info"
) -> None:
    """Serve `factory()` in `workers` processes, supervised: a worker that dies is restarted
    (and logged); SIGTERM or SIGINT stops them all, letting requests finish; raises
    :class:`ServeError` when the server cannot start or its workers keep dying at once."""
    if workers < 1:
        msg = f"--workers must be at least 1; got {workers}"
        raise ServeError(msg)
    guard = claim_port(host, port)
    log = logging.getLogger("stockport_geo.serve")
    started: dict[int, float] = {}
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True
        for child in list(started):
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    quick_deaths = 0
    try:
        for _ in range(workers):
            _fork_worker(factory, host, port, log_level, started)
        while started:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            began = started.pop(pid, None)
            if began is None or stopping:
                continue
            lived = time.monotonic() - began
            quick_deaths = quick_deaths + 1 if lived < QUICK_DEATH_SECONDS else 0
            log.warning(
                "worker %d exited (%s) after %.1f s; starting another", pid, _status(status), lived
            )
            if quick_deaths >= RESTART_LIMIT:
                stop()
                msg = f"workers keep exiting at start ({quick_deaths} in a row); see the log"
                raise ServeError(msg)
            _fork_worker(factory, host, port, log_level, started)
    finally:
        guard.close()


def _status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit code {os.WEXITSTATUS(status)}"


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
