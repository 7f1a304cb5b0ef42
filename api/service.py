"""What the app holds in memory: the store, its collections and pre-encoded features."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

import anyio
import anyio.to_thread

from api.features.encode import feature_bytes
from api.settings import ApiSettings
from geo.crs import BNG_URI, CRS84_URI
from geo.query.collections import Collection, area_collections, feature_collections
from geo.query.search import SearchIndex
from geo.store import Store

T = TypeVar("T")


@dataclass
class Service:
    """The loaded store plus everything precomputed from it at start-up."""

    settings: ApiSettings
    store: Store
    collections: dict[str, Collection] = field(default_factory=dict)
    search_index: SearchIndex = field(default_factory=SearchIndex.empty)
    _encoded: dict[tuple[str, str], list[bytes]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _limiter: anyio.CapacityLimiter | None = None

    @classmethod
    def start(cls, settings: ApiSettings, store: Store) -> Service:
        """Build collections and spatial indexes, and encode every feature in CRS84 and BNG."""
        service = cls(settings=settings, store=store)
        service.collections = {**area_collections(store), **feature_collections(store)}
        service.search_index = SearchIndex.from_store(store)
        for collection_id, collection in service.collections.items():
            _ = collection.frame.sindex  # build the spatial index now, not on the first query
            for crs in (CRS84_URI, BNG_URI):
                service.encoded(collection_id, crs)
        return service

    def encoded(self, collection_id: str, crs: str) -> list[bytes]:
        """GeoJSON bytes of every feature of a collection in `crs` (computed once)."""
        key = (collection_id, crs)
        cached = self._encoded.get(key)
        if cached is None:
            with self._lock:
                cached = self._encoded.get(key)
                if cached is None:
                    cached = feature_bytes(self.collections[collection_id].frame, crs)
                    self._encoded[key] = cached
        return cached

    async def off_loop(self, work: Callable[[], T]) -> T:
        """Run CPU-heavy work (a page render, a drawn area's profile) in a worker thread, at
        most `render_threads` at once, so the event loop keeps answering cached and light
        requests while pages are drawn."""
        if self._limiter is None:  # made in the loop that uses it
            self._limiter = anyio.CapacityLimiter(self.settings.render_threads)
        return await anyio.to_thread.run_sync(work, limiter=self._limiter)

    @property
    def last_modified(self) -> float:
        """When the store was built (POSIX seconds)."""
        built = self.store.info.get("built_at")
        return datetime.fromisoformat(built).timestamp() if built else self.store.modified
