"""Folium rendering of choropleths, area profiles and the index (no HTTP).

Submodules: `maps.choropleth`, `maps.profile_page`, `maps.index_page`. They are not imported
here, so importing `maps` (e.g. for `maps.assets`) does not load folium.
"""

MAP_AREA_TYPES = ("lsoa", "ward", "neighbourhood")
"""Area types drawn as choropleths (the borough is a single area)."""
