"""CRS constants and helpers: compute in British National Grid, publish in CRS84."""

from __future__ import annotations

BNG = "EPSG:27700"
"""British National Grid: the CRS of every computation and of the store."""

CRS84 = "OGC:CRS84"
"""WGS 84 longitude/latitude axis order: the default CRS of OGC API - Features responses."""

WGS84 = "EPSG:4326"
"""WGS 84 with the EPSG axis order (latitude, longitude)."""
