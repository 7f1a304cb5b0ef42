"""Build side, first step: the source manifest, fetching, and reading each input as published.

Everything here runs at build time only; nothing on the query side imports it.
"""
