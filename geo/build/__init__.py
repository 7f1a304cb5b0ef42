"""Build side: areas, apportionment weights, the residents grid, zonal statistics, measures and
the pipeline that writes the store. Runs at build time only; meets the query side only in
:mod:`geo.store`.
"""
