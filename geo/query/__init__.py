"""Query side: area lookup, locate, profiles, custom areas and collections, read from the store.

Runs at request time; never imports :mod:`geo.build` or :mod:`geo.sources`.
"""
