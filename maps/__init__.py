"""Folium rendering of area layers and profiles (no HTTP, no data reading)."""
