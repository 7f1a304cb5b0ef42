"""The app factory: `create_app(settings)` loads the store and wires routes, errors and caching."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.cache import BodyLimit, ResponseCache
from api.errors import add_exception_handlers
from api.routes import (
    age_friendly,
    collections,
    custom_profiles,
    docs,
    indicators,
    landing,
    locate,
    maps,
    profiles,
    search,
)
from api.security import SecurityHeaders
from api.service import Service
from api.settings import ApiSettings
from geo.store import load_store

logger = logging.getLogger("api")


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    """Build the API over the store named in `settings` (read once, at creation)."""
    settings = settings or ApiSettings()
    store = load_store(settings.store)
    service = Service.start(settings, store)
    app = FastAPI(
        title="One Stockport Local geo service",
        version="0.1.0",
        description=(
            "OGC API - Features (Parts 1-2, Part 3 queryables) over Stockport's LSOAs, wards, "
            "neighbourhoods and borough with their indicators, plus area profiles, custom-area "
            "profiles and maps. Errors are JSON objects with `code` and `description`."
        ),
        openapi_url="/openapi.json",
        docs_url=None,  # served from local files below: the docs work with no internet
        redoc_url=None,
    )
    add_exception_handlers(app, suggest=service.search_index.suggestions)
    docs.register(app)
    landing.register(app, service)
    collections.register(app, service)
    indicators.register(app, service)
    age_friendly.register(app, service)
    custom_profiles.register(app, service)
    profiles.register(app, service)
    locate.register(app, service)
    search.register(app, service)
    maps.register(app, service)
    if settings.cache_bytes:
        app.add_middleware(
            ResponseCache, max_bytes=settings.cache_bytes, last_modified=service.last_modified
        )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    if settings.cors_origins:  # outermost, so cached responses get CORS headers too
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=["ETag", "Content-Crs", "Last-Modified"],
        )
    logger.info("serving %s (%d collections)", settings.store, len(service.collections))
    return app
