"""HTTP layer: OGC API - Features, profiles, exports and maps over the store."""
