"""The ceiling: a bare ASGI app answering from precomputed bytes (no routing, no framework).

`create()` reads BENCH_CEILING_FILE: a JSON object {"/path?query": [content_type, base64 body]}.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Awaitable, Callable
from typing import Any

Send = Callable[[dict[str, Any]], Awaitable[None]]


def create() -> Callable[..., Awaitable[None]]:
    with open(os.environ["BENCH_CEILING_FILE"], encoding="utf-8") as handle:
        raw = json.load(handle)
    table = {
        key.encode(): (ctype.encode(), base64.b64decode(body)) for key, (ctype, body) in raw.items()
    }

    async def app(scope: dict[str, Any], _receive: object, send: Send) -> None:
        key = scope["raw_path"] + (b"?" + scope["query_string"] if scope["query_string"] else b"")
        content_type, body = table.get(key, (b"text/plain", b"not found"))
        await send(
            {
                "type": "http.response.start",
                "status": 200 if key in table else 404,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return app
