"""Leaflet's files, shipped as a Python package so pages need no CDN or internet."""

from __future__ import annotations

import base64
import re
from functools import cache
from importlib import resources
from pathlib import Path

LEAFLET_URL_PREFIX = "/static/leaflet"


def leaflet_dir() -> Path:
    """Folder holding leaflet.js, leaflet.css and images/ (Leaflet 1.9.4, BSD-2-Clause)."""
    return Path(str(resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"))


@cache
def leaflet_inline() -> tuple[str, str]:
    """leaflet.js and leaflet.css as text, for self-contained files written by the CLI."""
    folder = leaflet_dir()
    script = (folder / "leaflet.js").read_text(encoding="utf-8")
    # drop the source-map comment: the map file is not shipped inside a standalone page
    script = script.replace("//# sourceMappingURL=leaflet.js.map", "")
    css = (folder / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        image = folder / match.group(1)
        encoded = base64.b64encode(image.read_bytes()).decode()
        return f"url(data:image/png;base64,{encoded})"

    # the control icons are files next to the CSS: embed them so the page needs nothing else
    return script, re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, css)
