"""Build settings, read from `STOCKPORT_GEO_*` environment variables (CLI options win)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_STORE = Path("var/stockport.gpkg")
DEFAULT_CACHE = Path("var/cache")


class BuildSettings(BaseSettings):
    """Where the build reads sources and writes the store.

    Environment variables: ``STOCKPORT_GEO_MIRROR`` (a folder holding the source files, e.g.
    ``../shared/data/stockport``), ``STOCKPORT_GEO_CACHE`` (fetch cache, default
    ``var/cache``), ``STOCKPORT_GEO_STORE`` (default ``var/stockport.gpkg``) and
    ``STOCKPORT_GEO_NEIGHBOURHOODS`` (a grouping CSV of wards or LSOAs).
    """

    model_config = SettingsConfigDict(env_prefix="STOCKPORT_GEO_", extra="ignore")

    mirror: Path | None = None
    cache: Path = DEFAULT_CACHE
    store: Path = DEFAULT_STORE
    neighbourhoods: Path | None = None
