"""Map layers drawn once and reused: the same outlines and overlays appear on every map and
profile page, and folium spends most of a page's time turning each one into HTML and script
(it compiles every rendered piece as a Jinja template, GeoJSON data included)."""

from __future__ import annotations

import hashlib
import threading
from typing import Any

import folium
from branca.element import Element, Figure

KEPT_LIMIT = 256
"""Most rendered layers kept (a few per store file; old store files' layers are dropped first)."""

_KEPT: dict[tuple[Any, ...], list[tuple[str, str, str]]] = {}
_LOCK = threading.Lock()
SECTIONS = ("header", "html", "script")


class Literal(Element):
    """A finished piece of the page: its text is written as it is, never read as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **_kwargs: Any) -> str:
        return self._text


def literal(text: str) -> Literal:
    """:class:`Literal` of `text`."""
    return Literal(text)


class KeptGeoJson(folium.GeoJson):
    """A :class:`folium.GeoJson` whose rendered pieces are kept under `key` and reused.

    `key` must name everything the layer's output depends on besides the map it is drawn on
    (data version, properties, style, tooltip, shown or not); the layer's variable name is made
    from it so the kept script is the same on every page. Only safe for layers added directly
    to the map (not to a feature group).
    """

    def __init__(self, data: Any, *, key: tuple[Any, ...], **kwargs: Any) -> None:
        self._kept_key = key
        super().__init__(data, **kwargs)
        # The same name in every process, so pages are the same bytes from every worker.
        self._id = "kept_" + hashlib.sha1(repr(key).encode()).hexdigest()[:16]

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # folium's returns None
        figure = self.get_root()
        assert isinstance(figure, Figure) and self._parent is not None
        full_key = (self._kept_key, self._parent.get_name(), self.show)
        pieces = _KEPT.get(full_key)
        if pieces is None:
            before = {s: {id(e) for e in getattr(figure, s)._children.values()} for s in SECTIONS}
            super().render(**kwargs)  # type: ignore[no-untyped-call]
            pieces = [
                (section, name, element.render())
                for section in SECTIONS
                for name, element in getattr(figure, section)._children.items()
                if id(element) not in before[section]
            ]
            with _LOCK:
                if len(_KEPT) >= KEPT_LIMIT:
                    _KEPT.pop(next(iter(_KEPT)))
                _KEPT[full_key] = pieces
            return
        for section, name, text in pieces:
            getattr(figure, section).add_child(Literal(text), name=name)
