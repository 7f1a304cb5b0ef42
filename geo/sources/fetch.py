"""Download official datasets into a cache folder (for deployments with internet access).

Each download is retried with back-off, has a timeout, is refused when the server sends an HTML
page instead of data (a common failure of portals that answer errors with HTTP 200), is written
atomically, and is recorded with its size and SHA-256 in ``fetch_log.json``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from geo.errors import FetchError, NoNetworkError
from geo.sources.convert import CONVERTER_VERSION, CONVERTERS, download_name
from geo.sources.manifest import Source

LOG_NAME = "fetch_log.json"
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body")


@dataclass(frozen=True)
class FetchRecord:
    """One completed download."""

    source_id: str
    url: str
    path: str
    bytes: int
    sha256: str
    fetched_at: str
    converted_to: str = ""
    """The file the build reads, when the download is converted (:mod:`geo.sources.convert`)."""
    converter_version: str = ""


def is_downloadable(source: Source) -> bool:
    """True when the manifest URL is a plain http(s) URL (not a description of where to look)."""
    return source.url.startswith(("http://", "https://")) and " " not in source.url


def looks_like_html(head: bytes, content_type: str) -> bool:
    """True when a response is an HTML page rather than a dataset."""
    if "text/html" in content_type.lower():
        return True
    start = head.lstrip()[:256].lower()
    return any(start.startswith(marker) for marker in _HTML_MARKERS)


def fetch_source(
    source: Source,
    cache: Path,
    *,
    retries: int = 3,
    timeout: float = 60.0,
    backoff: float = 2.0,
    connect_timeout: float = 5.0,
    on_bytes: Callable[[int, int | None], None] | None = None,
) -> FetchRecord:
    """Download one source into ``cache / source.file`` and log it.

    Raises
    ------
    NoNetworkError
        At once (within `connect_timeout` seconds) when the host cannot be reached at all.
    FetchError
        After `retries` failed attempts, or at once when the server sends HTML.
    """
    if not is_downloadable(source):
        msg = f"{source.id}: no direct download URL ({source.url}); fetch it by hand"
        raise FetchError(msg)
    reach(source.url, timeout=connect_timeout)
    convert = CONVERTERS.get(source.id)
    target = Path(cache) / (download_name(source) if convert else source.file)
    target.parent.mkdir(parents=True, exist_ok=True)
    last_error: Exception | None = None
    for attempt in range(1, retries + 1):
        try:
            record = _download(source, target, timeout=timeout, on_bytes=on_bytes)
            if convert is not None:
                converted = Path(cache) / source.file
                convert(target, source, converted)
                record = replace(
                    record, converted_to=str(converted), converter_version=CONVERTER_VERSION
                )
            _append_log(Path(cache), record)
            return record
        except FetchError:
            raise
        except urllib.error.HTTPError as exc:
            exc.close()  # the error holds the open response
            last_error = exc
            if attempt < retries:
                time.sleep(backoff * attempt)
        except (OSError, urllib.error.URLError) as exc:
            last_error = exc
            if attempt < retries:
                time.sleep(backoff * attempt)
    msg = f"{source.id}: download failed after {retries} attempts from {source.url}: {last_error}"
    raise FetchError(msg)


def reach(url: str, *, timeout: float) -> None:
    """Check that the URL's host answers a TCP connection (a DNS lookup and a connect, no
    request): with no network, fail in seconds instead of after every retry's timeout."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except (OSError, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        msg = (
            f"no network: cannot reach {host}:{port} ({reason or 'timed out'}); "
            "nothing was downloaded"
        )
        raise NoNetworkError(msg) from None


def _download(
    source: Source,
    target: Path,
    *,
    timeout: float,
    on_bytes: Callable[[int, int | None], None] | None,
) -> FetchRecord:
    request = urllib.request.Request(source.url, headers={"User-Agent": "stockport-geo/0.1"})
    digest = hashlib.sha256()
    size = 0
    handle, temporary = tempfile.mkstemp(
        prefix=target.name + ".", suffix=".part", dir=target.parent
    )
    try:
        with (
            os.fdopen(handle, "wb") as out,
            urllib.request.urlopen(request, timeout=timeout) as response,
        ):
            total = response.headers.get("Content-Length")
            content_type = response.headers.get("Content-Type", "")
            first = True
            while chunk := response.read(1 << 16):
                if first and looks_like_html(chunk, content_type):
                    msg = (
                        f"{source.id}: {source.url} returned an HTML page (Content-Type "
                        f"{content_type or 'unknown'}), not data; nothing was saved"
                    )
                    raise FetchError(msg)
                first = False
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
                if on_bytes:
                    on_bytes(size, int(total) if total else None)
        if size == 0:
            msg = f"{source.id}: {source.url} returned an empty body; nothing was saved"
            raise FetchError(msg)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    record = FetchRecord(
        source_id=source.id,
        url=source.url,
        path=str(target),
        bytes=size,
        sha256=digest.hexdigest(),
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    return record


def _append_log(cache: Path, record: FetchRecord) -> None:
    log_path = cache / LOG_NAME
    entries: dict[str, dict[str, object]] = {}
    if log_path.is_file():
        with contextlib.suppress(json.JSONDecodeError):
            entries = json.loads(log_path.read_text(encoding="utf-8"))
    entries[record.source_id] = asdict(record)
    log_path.write_text(json.dumps(entries, indent=2), encoding="utf-8")
