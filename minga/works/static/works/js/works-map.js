// Turns the server-drawn SVG map of works into an interactive Leaflet map when JavaScript and
// Leaflet are available. The SVG and the table stay the content; this only adds panning,
// zooming, pop-ups and the base map (the government's tile server, or the portal's own).
(function () {
  "use strict";
  var COLOURS = {
    identification: "#5b3f8c", preparation: "#1f4e99", implementation: "#b24a12",
    suspended: "#a4161a", completed: "#2e6b30", cancelled: "#444f55"
  };

  function text(tag, value, strong) {
    var node = document.createElement(tag);
    if (strong) { var b = document.createElement("strong"); b.textContent = value; node.appendChild(b); }
    else { node.textContent = value; }
    return node;
  }

  function popup(feature, island) {
    var p = feature.properties || {};
    var box = document.createElement("div");
    if (p.foto) {
      var photo = document.createElement("a");
      photo.href = p.foto;
      photo.textContent = island.dataset.labelPhoto + (p.descripcion ? ": " + p.descripcion : "");
      box.appendChild(photo);
      return box;
    }
    box.className = "works-popup";
    box.appendChild(text("p", p.titulo || "", true));
    box.appendChild(text("p", (p.estado_nombre || "") + (p.territorio ? " · " + p.territorio : "")));
    box.appendChild(text("p", island.dataset.labelPhysical + ": " + Math.round(p.avance_fisico || 0) + " %"));
    box.appendChild(text("p", island.dataset.labelFinancial + ": " + Math.round(p.avance_financiero || 0) + " %"));
    if (p.url && island.dataset.labelOpen) {
      var link = document.createElement("a");
      link.href = (island.dataset.base || "/").replace(/\/$/, "") + p.url;
      link.textContent = island.dataset.labelOpen;
      box.appendChild(link);
    }
    return box;
  }

  function start(island) {
    if (!window.L || !window.fetch) { return; }
    fetch(island.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var svg = island.querySelector("svg");
        var map = L.map(island, { scrollWheelZoom: false });
        if (island.dataset.tiles) {
          L.tileLayer(island.dataset.tiles, { maxZoom: 18, attribution: island.dataset.attribution || "" }).addTo(map);
        } else if (window.MingaBasemap) {
          // The portal's own base map: vector tiles, or Ecuador's outline, places and boundaries.
          window.MingaBasemap.attach(map, island).then(function (state) {
            if (state === "none") { island.classList.add("works-no-tiles"); }
          });
        } else if (svg) {
          // No base map: keep the drawing's plain background.
          island.classList.add("works-no-tiles");
        }
        var layer = L.geoJSON(data, {
          style: function (f) {
            var colour = COLOURS[(f.properties || {}).estado] || "#444f55";
            if ((f.properties || {}).foto) {
              return { color: "#1d2327", weight: 2, fillColor: "#ffffff", fillOpacity: 1 };
            }
            if (/Point$/.test((f.geometry || {}).type)) {
              return { color: "#ffffff", weight: 2, fillColor: colour, fillOpacity: 1 };
            }
            return { color: colour, weight: 4, fillColor: colour, fillOpacity: 0.4 };
          },
          pointToLayer: function (f, latlng) {
            if ((f.properties || {}).foto) {
              return L.circleMarker(latlng, { radius: 5, color: "#1d2327", weight: 2, fillColor: "#ffffff", fillOpacity: 1 });
            }
            var colour = COLOURS[(f.properties || {}).estado] || "#444f55";
            return L.circleMarker(latlng, { radius: 8, color: "#ffffff", weight: 2, fillColor: colour, fillOpacity: 1 });
          },
          onEachFeature: function (f, item) { item.bindPopup(popup(f, island)); }
        }).addTo(map);
        var bounds = layer.getBounds();
        // The fallback base map is drawn at about 400 m: closer than zoom 11 it shows only land.
        var closest = island.dataset.tiles || island.dataset.basemapPmtiles ? 15 : 11;
        if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: closest }); }
        else { map.setView([-1.05, -80.45], 9); }
        if (svg) { svg.remove(); }
      })
      .catch(function () { /* the SVG map stays */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var island = document.getElementById("works-map");
    if (island) { start(island); }
  });
})();
