"""Data and analysis for the One Stockport Local geo service.

Knows nothing of HTTP, folium or environment variables: everything comes in as arguments.
All computation is done in British National Grid (EPSG:27700).
"""

from geo.crs import BNG, CRS84

__all__ = ["BNG", "CRS84"]
