"""The borough map a person clicks: what is at a point (areas, flood zone, nearest green space
and services), read from /locate."""

from __future__ import annotations

from html import escape

import folium

from geo.store import StoreContent
from maps.kept_layer import literal
from maps.render import (
    FOLD_ON_PHONES,
    Assets,
    Base,
    add_outlines,
    add_overlays,
    caption_html,
    map_header,
    new_map,
    overlay_key_html,
    page_root,
    render_page,
)

CLICK_SCRIPT = """
// folium defines the map further down this script: wire the click once the page has loaded.
window.addEventListener('load', function () {
  var map = %(map)s;
  function esc(t) {
    var d = document.createElement('div'); d.textContent = String(t); return d.innerHTML;
  }
  function area(d, t, label) {
    if (!d[t]) return '';
    return '<div>' + label + ': <a href="/profiles/' + t + '/'
      + encodeURIComponent(d[t].code) + '?f=html">' + esc(d[t].name) + '</a></div>';
  }
  function synthetic(x) { return x && x.standin ? ' <em>(SYNTHETIC stand-in)</em>' : ''; }
  map.on('click', function (e) {
    var where = '/locate?lon=' + e.latlng.lng.toFixed(6) + '&lat=' + e.latlng.lat.toFixed(6);
    fetch(where).then(function (r) { return r.json().then(function (d) { return [r.ok, d]; }); })
      .then(function (res) {
        var ok = res[0], d = res[1], html;
        if (!ok) { html = esc(d.description || 'nothing here'); }
        else {
          var h = d.here || {};
          html = '<div class="here">' + area(d, 'ward', 'Ward')
            + area(d, 'neighbourhood', 'Neighbourhood') + area(d, 'lsoa', 'LSOA');
          if (h.flood_zone) {
            html += '<div>' + esc(h.flood_zone.meaning) + synthetic(h.flood_zone) + '</div>';
          }
          if (h.nearest_green_space) html += '<div>Nearest accessible green space: '
            + esc(h.nearest_green_space.name) + ', ' + h.nearest_green_space.distance_m + ' m'
            + synthetic(h.nearest_green_space) + '</div>';
          (h.nearest_services || []).forEach(function (s) {
            html += '<div>Nearest ' + esc(s.kind.replace('_', ' ')) + ': <a href="' + s.feature
              + '?f=html">' + esc(s.name) + '</a>, ' + s.distance_m + ' m</div>';
          });
          html += '<div><small>Distances in a straight line.</small></div></div>';
        }
        L.popup({maxWidth: 320, maxHeight: 300, autoPanPaddingTopLeft: L.point(10, 90)})
          .setLatLng(e.latlng).setContent(html).openOn(map);
      });
  });
});
"""


def here_page(store: StoreContent, *, assets: Assets = "url", base: Base = "osm") -> str:
    """A whole HTML page: the borough with ward and neighbourhood outlines and the service
    layers; clicking anywhere says what is there."""
    fmap = new_map(assets=assets, base=base, height="100%")
    add_outlines(fmap, store, "ward", show=True, weight=1.5)
    add_outlines(fmap, store, "neighbourhood", show=False, weight=3)
    overlay_lines = add_overlays(fmap, store)
    folium.LayerControl(collapsed=True).add_to(fmap)
    west, south, east, north = store.areas["borough"].to_crs(4326).total_bounds
    fmap.fit_bounds([[south, west], [north, east]])
    root = page_root(fmap)
    title = "What is here? Click the map of Stockport"
    root.header.add_child(literal(f"<title>{escape(title)}</title>"))
    attributions = store.attribution_for(set())
    if base == "osm":
        attributions.append("Base map © OpenStreetMap contributors (ODbL)")
    header = map_header(
        title, "(areas, flood zone, nearest green space and services; straight-line distances)"
    )
    root.html.add_child(literal(header), name="here_header", index=0)
    root.html.add_child(
        literal(
            '<details class="map-legend" open><summary><strong>Legend</strong></summary>'
            f"{overlay_key_html(store)}</details>{FOLD_ON_PHONES}"
        ),
        name="here_key",
    )
    root.html.add_child(
        literal(caption_html([*attributions, *overlay_lines], standin=True)),
        name="here_caption",
    )
    root.script.add_child(literal(CLICK_SCRIPT % {"map": fmap.get_name()}))
    return render_page(root)
