"""The store: where the build side writes and the query side reads; the only place they meet.

:mod:`geo.store.schema` holds the layout, :mod:`geo.store.model` the typed read model and
:mod:`geo.store.gpkg` the GeoPackage reader and writer.
"""

from geo.store.gpkg import check_store, info_json, load_store, write_store
from geo.store.model import Store, StoreContent
from geo.store.schema import STORE_VERSION

__all__ = [
    "STORE_VERSION",
    "Store",
    "StoreContent",
    "check_store",
    "info_json",
    "load_store",
    "write_store",
]
