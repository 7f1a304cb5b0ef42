"""API settings, from `STOCKPORT_GEO_*` environment variables or built directly in tests."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    """How the API serves the store.

    Environment variables (prefix ``STOCKPORT_GEO_``): ``STORE``, ``CORS_ORIGINS`` (JSON list,
    e.g. ``["https://maps.example.org"]``), ``MAX_BODY_BYTES``, ``DEFAULT_LIMIT``,
    ``MAX_LIMIT``, ``RENDER_THREADS`` and ``CACHE_BYTES``. The API is read-only by design: it has no
    write operations (GET, HEAD, OPTIONS and the profile POST only).
    """

    model_config = SettingsConfigDict(env_prefix="STOCKPORT_GEO_", extra="ignore")

    store: Path = Path("var/stockport.gpkg")
    cors_origins: list[str] = Field(default_factory=list)
    max_body_bytes: int = Field(default=1_000_000, ge=1_000)
    default_limit: int = Field(default=10, ge=1)
    max_limit: int = Field(default=10_000, ge=1)
    render_threads: int = Field(default=2, ge=1, le=64)
    """Pages and drawn-area profiles computed at once per process (in threads, off the event
    loop); more wait their turn while cached answers go on being served."""
    cache_bytes: int = Field(default=256_000_000, ge=0)
    """Memory for cached responses (rendered bytes, gzip variants); 0 disables the cache."""
