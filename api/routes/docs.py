"""API documentation (Swagger UI) from local copies of its files: /docs works offline."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles

DOCS_ASSETS = "/static/docs"
"""Where Swagger UI's script, stylesheet and icon are served from."""


def assets_dir() -> Path:
    """Swagger UI's files as shipped by the fastapi-offline package (no CDN)."""
    return Path(fastapi_offline.__file__).parent / "static"


def register(app: FastAPI) -> None:
    """Add /docs and mount its assets."""
    app.mount(DOCS_ASSETS, StaticFiles(directory=assets_dir()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> Response:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} – API documentation",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
        )
