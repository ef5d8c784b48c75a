// Proposals on an interactive map (the SVG drawn on the server stays when JavaScript or
// Leaflet is missing), and the point picker of the proposal form, which fills the latitude
// and longitude fields a person can also type. Both use the portal's own base map.
(function () {
  "use strict";
  var COLOURS = { published: "#1f4e99", evaluating: "#b24a12", feasible: "#2e6b30", not_feasible: "#a4161a" };

  function base(map, island) {
    if (window.MingaBasemap) { window.MingaBasemap.attach(map, island); }
  }

  function popup(feature, island) {
    var p = feature.properties || {};
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = p.titulo || "";
    box.appendChild(title);
    var line = document.createElement("p");
    line.textContent = (p.estado_nombre || "") + " · " + island.dataset.labelSupports + ": " + (p.apoyos || 0);
    box.appendChild(line);
    if (p.url) {
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = island.dataset.labelOpen;
      box.appendChild(link);
    }
    return box;
  }

  function showMap(island) {
    if (!window.L || !window.fetch) { return; }
    fetch(island.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var svg = island.querySelector("svg");
        var map = L.map(island, { scrollWheelZoom: false });
        base(map, island);
        var layer = L.geoJSON(data, {
          pointToLayer: function (f, latlng) {
            var colour = COLOURS[(f.properties || {}).estado] || "#6b7b82";
            return L.circleMarker(latlng, { radius: 8, color: "#ffffff", weight: 2, fillColor: colour, fillOpacity: 1 });
          },
          onEachFeature: function (f, item) { item.bindPopup(popup(f, island)); }
        }).addTo(map);
        var bounds = layer.getBounds();
        if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 13 }); }
        else { map.setView([-1.05, -80.45], 9); }
        if (svg) { svg.remove(); }
      })
      .catch(function () { /* the SVG map stays */ });
  }

  function picker(box) {
    if (!window.L) { return; }
    var lat = document.getElementById(box.dataset.lat);
    var lon = document.getElementById(box.dataset.lon);
    if (!lat || !lon) { return; }
    box.hidden = false;
    var element = document.getElementById("proposal-picker-map");
    var map = L.map(element, { scrollWheelZoom: false });
    base(map, element);
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    }
    var start = [parseFloat(lat.value), parseFloat(lon.value)];
    if (isFinite(start[0]) && isFinite(start[1])) { place(start); map.setView(start, 14); }
    else { map.setView([-1.05, -80.45], 9); }
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      place(event.latlng);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var island = document.getElementById("proposals-map");
    if (island) { showMap(island); }
    var box = document.getElementById("proposal-picker");
    if (box) { picker(box); }
  });
})();
