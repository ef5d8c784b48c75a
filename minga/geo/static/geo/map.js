// Geovisor map island. Without this file (or without Leaflet) the page shows the server-drawn
// SVG and the tables. With it:
// - Leaflet draws the same layers (over the government's tile server, if one is configured,
//   and the portal's own base map otherwise, core/js/basemap.js), each feature with a pop-up
//   of its attributes under their labels from the layer's data dictionary;
// - each row of the tables gets a "Show on the map" button that opens the feature's pop-up
//   and moves the focus into it, so keyboard and screen-reader users reach every pop-up;
//   Escape closes it and returns to the button.
(function () {
  "use strict";
  var spanish = document.documentElement.lang === "es";
  var showLabel = spanish ? "Mostrar en el mapa" : "Show on the map";
  var container = document.getElementById("geo-leaflet");
  var svgPopup = document.getElementById("geo-popup");
  var svg = document.getElementById("geo-svg");
  var features = {}; // DOM id -> {layer: Leaflet layer, data: feature, title: layer title}
  var map = null;
  var lastButton = null;

  function popupContent(feature, title) {
    var box = document.createElement("div");
    box.className = "geo-popup-box";
    box.setAttribute("tabindex", "-1");
    var heading = document.createElement("p");
    heading.className = "geo-popup-title";
    heading.textContent = feature.label;
    box.appendChild(heading);
    var layerName = document.createElement("p");
    layerName.className = "muted";
    layerName.textContent = title;
    box.appendChild(layerName);
    var list = document.createElement("dl");
    if (feature.value !== undefined) {
      var vt = document.createElement("dt");
      vt.textContent = spanish ? "Valor" : "Value";
      var vd = document.createElement("dd");
      vd.textContent = feature.value;
      list.appendChild(vt);
      list.appendChild(vd);
    }
    Object.keys(feature.properties || {}).forEach(function (key) {
      var dt = document.createElement("dt");
      dt.textContent = key;
      var dd = document.createElement("dd");
      dd.textContent = feature.properties[key];
      list.appendChild(dt);
      list.appendChild(dd);
    });
    box.appendChild(list);
    return box;
  }

  function styleOf(feature) {
    var kind = feature.geometry && feature.geometry.type;
    if (kind === "LineString" || kind === "MultiLineString") {
      return { color: feature.colour, weight: 3, opacity: 0.95 };
    }
    return { color: "#1d2327", weight: 1, fillColor: feature.colour, fillOpacity: feature.opacity };
  }

  function markActive(dom) {
    Array.prototype.forEach.call(document.querySelectorAll(".is-active"), function (el) {
      el.classList.remove("is-active");
    });
    if (!dom) { return; }
    Array.prototype.forEach.call(document.querySelectorAll('[data-feature="' + dom + '"]'), function (el) {
      el.classList.add("is-active");
    });
  }

  function drawLeaflet(data) {
    container.hidden = false;
    container.parentNode.classList.add("geo-has-leaflet");
    map = window.L.map(container, { attributionControl: true, zoomSnap: 0.25 });
    if (data.tiles && data.tiles.url) {
      var attribution = document.createElement("span");
      attribution.textContent = data.tiles.attribution || "";
      window.L.tileLayer(data.tiles.url, { attribution: attribution.innerHTML, maxZoom: 19 }).addTo(map);
    } else if (window.MingaBasemap) {
      window.MingaBasemap.attach(map, container);
    }
    var bounds = window.L.latLngBounds([]);
    data.layers.forEach(function (layer) {
      var group = window.L.geoJSON(
        { type: "FeatureCollection", features: layer.features },
        {
          style: styleOf,
          pointToLayer: function (feature, latlng) {
            return window.L.circleMarker(latlng, {
              radius: 7, color: "#1d2327", weight: 1.2, fillColor: feature.colour, fillOpacity: 0.9
            });
          },
          onEachFeature: function (feature, drawn) {
            drawn.bindPopup(function () { return popupContent(feature, layer.title); }, { maxWidth: 280 });
            drawn.on("popupopen", function () { markActive(feature.dom); });
            features[feature.dom] = { layer: drawn, data: feature, title: layer.title };
          }
        }
      ).addTo(map);
      if (group.getLayers().length) { bounds.extend(group.getBounds()); }
    });
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12] }); } else { map.setView([-1, -80.2], 8); }
    map.on("popupclose", function () { markActive(null); });
  }

  function openFeature(dom, button) {
    lastButton = button;
    var found = features[dom];
    if (map && found) {
      var target = found.layer;
      if (target.getBounds) { map.fitBounds(target.getBounds(), { maxZoom: map.getZoom() + 1, padding: [24, 24], animate: false }); }
      else if (target.getLatLng) { map.panTo(target.getLatLng(), { animate: false }); }
      target.openPopup();
      var element = target.getPopup().getElement();
      var box = element && element.querySelector(".geo-popup-box");
      if (box) { box.focus(); }
      return;
    }
    if (!svgPopup) { return; }
    markActive(dom);
    var row = button.closest("tr");
    svgPopup.textContent = "";
    var heading = document.createElement("p");
    heading.className = "geo-popup-title";
    heading.textContent = row.querySelector(".geo-label").textContent;
    svgPopup.appendChild(heading);
    svgPopup.hidden = false;
  }

  function addButtons() {
    Array.prototype.forEach.call(document.querySelectorAll(".geo-features tbody tr[data-feature]"), function (row) {
      var cell = row.querySelector("th");
      var name = row.querySelector(".geo-label").textContent.trim();
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link geo-show";
      button.textContent = showLabel;
      button.setAttribute("aria-label", showLabel + ": " + name);
      button.addEventListener("click", function () { openFeature(row.getAttribute("data-feature"), button); });
      cell.appendChild(button);
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    if (map) { map.closePopup(); }
    if (svgPopup) { svgPopup.hidden = true; }
    markActive(null);
    if (lastButton) { lastButton.focus(); lastButton = null; }
  });

  if (svg && svgPopup) {
    svg.addEventListener("click", function (event) {
      var shape = event.target.closest("[data-feature]");
      if (!shape) { return; }
      var row = document.querySelector('tr[data-feature="' + shape.getAttribute("data-feature") + '"] .geo-show');
      if (row) { openFeature(shape.getAttribute("data-feature"), row); }
    });
  }

  addButtons();
  if (!container || !window.L || !window.fetch) { return; }
  fetch(container.getAttribute("data-url"), { headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) { if (data) { drawLeaflet(data); } })
    .catch(function () { /* the SVG stays */ });
})();
