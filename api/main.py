"""Entry point for uvicorn: `uvicorn --factory api.main:create_app_from_env`."""

from __future__ import annotations

from fastapi import FastAPI

from api.app import create_app
from api.settings import ApiSettings


def create_app_from_env() -> FastAPI:
    """The app with settings from `STOCKPORT_GEO_*` environment variables."""
    return create_app(ApiSettings())
