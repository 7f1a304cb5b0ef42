"""The `stockport-geo` command line: fetch, build, serve, sources, profile, map."""
