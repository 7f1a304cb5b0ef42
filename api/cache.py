"""Response cache, ETag/Last-Modified revalidation and gzip, as one pure ASGI middleware.

The store is read-only while the app runs, so a GET response is a pure function of its URL, host
and negotiated headers. The first response for a key is kept (within a byte budget, least
recently used out first) with its ETag and a gzip variant; later requests are answered from
memory without touching the router, and a matching If-None-Match gets 304.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import BodyTooLargeError, domain_error_response
from api.params import accept_key

_COMPRESSIBLE = (b"application/json", b"application/geo+json", b"text/", b"application/vnd.oai")
_MIN_GZIP = 1024
_VARY = b"Accept, Accept-Encoding"
MAX_HOST_BYTES = 256
"""A Host header is at most a name and port; a longer one is cut in the key."""


@dataclass
class _Entry:
    headers: list[tuple[bytes, bytes]]
    body: bytes
    gzipped: bytes | None
    etag: bytes
    key_bytes: int = 0

    @property
    def size(self) -> int:
        """Bytes charged to the budget: bodies, key and a fixed overhead."""
        return len(self.body) + len(self.gzipped or b"") + self.key_bytes + 512


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return b""


class ResponseCache:
    """Cache GET responses with status 200; answer revalidations with 304."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, last_modified: float, max_age: int = 300
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple[bytes, ...], _Entry] = OrderedDict()
        self.used = 0
        self.last_modified = formatdate(last_modified, usegmt=True).encode()
        self.last_modified_ts = int(last_modified)
        self.cache_control = f"public, max-age={max_age}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        key = (
            scope["path"].encode(),
            scope.get("query_string", b""),
            _header(scope, b"host")[:MAX_HOST_BYTES],
            accept_key(_header(scope, b"accept").decode("latin-1")).encode(),
        )
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        else:
            entry = await self._render(scope, receive, send)
            if entry is None:
                return  # not cacheable: already sent as it was
            self._remember(key, entry)
        await self._send(scope, send, entry)

    async def _render(self, scope: Scope, receive: Receive, send: Send) -> _Entry | None:
        start: Message | None = None
        chunks: list[bytes] = []
        passthrough = False

        async def capture(message: Message) -> None:
            nonlocal start, passthrough
            if message["type"] == "http.response.start":
                start = message
                passthrough = message["status"] != 200
                if passthrough:
                    await send(message)
            elif passthrough:
                await send(message)
            else:
                chunks.append(message.get("body", b""))

        await self.app({**scope, "method": "GET"}, receive, capture)
        if passthrough or start is None:
            return None
        body = b"".join(chunks)
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
        gzipped = None
        if len(body) >= _MIN_GZIP and content_type.startswith(_COMPRESSIBLE):
            gzipped = gzip.compress(body, compresslevel=6, mtime=0)
        etag = b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'
        return _Entry(headers=headers, body=body, gzipped=gzipped, etag=etag)

    def _remember(self, key: tuple[bytes, ...], entry: _Entry) -> None:
        entry.key_bytes = sum(len(part) for part in key)  # keys are charged too
        if entry.size > self.max_bytes:
            return
        previous = self.entries.pop(key, None)
        if previous is not None:
            self.used -= previous.size
        self.entries[key] = entry
        self.used += entry.size
        while self.used > self.max_bytes and self.entries:
            _, old = self.entries.popitem(last=False)
            self.used -= old.size

    def _not_modified(self, scope: Scope, entry: _Entry) -> bool:
        match = _header(scope, b"if-none-match")
        if match:
            tags = {t.strip().removeprefix(b"W/") for t in match.split(b",")}
            return entry.etag in tags or b"*" in tags
        since = _header(scope, b"if-modified-since")
        if since:
            try:
                return parsedate_to_datetime(since.decode()).timestamp() >= self.last_modified_ts
            except (TypeError, ValueError):
                return False
        return False

    async def _send(self, scope: Scope, send: Send, entry: _Entry) -> None:
        common = [
            (b"etag", entry.etag),
            (b"last-modified", self.last_modified),
            (b"cache-control", self.cache_control),
            (b"vary", _VARY),
        ]
        if self._not_modified(scope, entry):
            await send({"type": "http.response.start", "status": 304, "headers": common})
            await send({"type": "http.response.body", "body": b""})
            return
        body = entry.body
        headers = entry.headers + common
        if entry.gzipped is not None and b"gzip" in _header(scope, b"accept-encoding"):
            body = entry.gzipped
            headers = [*headers, (b"content-encoding", b"gzip")]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )


class BodyLimit:
    """Refuse request bodies over `max_bytes` with 413 before the app reads them."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        if length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        # Read the (small) body up front, so an oversized one is refused before the app runs.
        chunks: list[bytes] = []
        received = 0
        more = scope["method"] not in ("GET", "HEAD", "OPTIONS", "DELETE")
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Middleware runs outside FastAPI's exception handlers: build the one error shape here.
        await domain_error_response(
            BodyTooLargeError(f"request body larger than {self.max_bytes} bytes")
        )(scope, receive, send)
