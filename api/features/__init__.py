"""OGC API - Features helpers: bbox semantics and GeoJSON/CSV/GeoPackage encoding.

Protocol code, free of FastAPI imports, so it can be tested and reused on its own.
"""
