"""Folium rendering of choropleths, area profiles and the index (no HTTP, no data reading
beyond the store content handed in)."""

from maps.choropleth import choropleth_page
from maps.index_page import index_page
from maps.profile_page import profile_page

__all__ = ["choropleth_page", "index_page", "profile_page"]
