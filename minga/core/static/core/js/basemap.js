// The base map under Minga's interactive maps, from the portal itself (core/ui/basemap.py).
// A map island calls MingaBasemap.attach(map, element) once its Leaflet map exists; the
// element's data attributes say what to draw:
// - data-basemap-pmtiles: one PMTiles file of vector tiles. pmtiles.js and
//   protomaps-leaflet.js (data-basemap-scripts) load only then, after the page is usable;
// - data-basemap-geojson: the fallback, Ecuador's outline and coast, its neighbours, the
//   government's published boundaries and places with their names.
// The state ends in data-basemap ("vector", "outline" or "none") for tests and styles.
(function () {
  "use strict";
  var SEA = "#d5e6ef";
  var LAND = { color: "#8d9a9f", weight: 1, fillColor: "#f6f3ec", fillOpacity: 1, interactive: false };
  var ABROAD = { color: "#a5aeb2", weight: 1, fillColor: "#e7e5e0", fillOpacity: 1, interactive: false };
  var BOUNDARY = { color: "#7b6a8c", weight: 1.2, dashArray: "4 3", fill: false, interactive: false };
  // Which places are named at which zoom: rank 1 (large cities) always, rank 4 from zoom 11.
  var RANK_ZOOM = { 1: 0, 2: 8, 3: 9, 4: 11 };

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.async = true;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function pane(map, name, zIndex) {
    var found = map.getPane(name) || map.createPane(name);
    found.style.zIndex = String(zIndex);
    found.style.pointerEvents = "none";
    return name;
  }

  function vector(map, element) {
    var scripts = (element.getAttribute("data-basemap-scripts") || "").split(" ").filter(Boolean);
    return scripts.reduce(function (chain, src) {
      return chain.then(function () { return loadScript(src); });
    }, Promise.resolve()).then(function () {
      if (!window.pmtiles || !window.protomapsL) { throw new Error("renderer missing"); }
      var archive = new window.pmtiles.PMTiles(element.getAttribute("data-basemap-pmtiles"));
      return archive.getHeader().then(function (header) {
        var layer = window.protomapsL.leafletLayer({
          url: archive,
          flavor: "light",
          lang: element.getAttribute("data-basemap-language") || document.documentElement.lang || "es",
          maxDataZoom: header.maxZoom,
          attribution: element.getAttribute("data-basemap-attribution") || "",
          pane: pane(map, "basemap", 150)
        });
        layer.addTo(map);
        return "vector";
      });
    });
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function labelPlaces(map, groups) {
    var zoom = map.getZoom();
    var kept = [];
    Object.keys(groups).sort().forEach(function (rank) {
      var visible = zoom >= RANK_ZOOM[rank];
      if (visible && !map.hasLayer(groups[rank])) { groups[rank].addTo(map); }
      if (!visible && map.hasLayer(groups[rank])) { map.removeLayer(groups[rank]); }
      if (!visible) { return; }
      // Larger places first: a name that would cover one already shown stays hidden.
      groups[rank].eachLayer(function (dot) {
        var element = dot.getTooltip() && dot.getTooltip().getElement();
        if (!element) { return; }
        element.style.visibility = "";
        var box = element.getBoundingClientRect();
        if (kept.some(function (other) { return overlaps(box, other); })) {
          element.style.visibility = "hidden";
        } else {
          kept.push(box);
        }
      });
    });
  }

  function outline(map, element) {
    return fetch(element.getAttribute("data-basemap-geojson"), { headers: { Accept: "application/geo+json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (data) {
        map.getContainer().style.background = SEA;
        var areas = pane(map, "basemap", 150);
        var lines = pane(map, "basemapLines", 160);
        var names = pane(map, "basemapNames", 450); // names above the layers, below pop-ups
        var features = data.features || [];
        var kind = function (name) { return features.filter(function (f) { return (f.properties || {}).kind === name; }); };
        window.L.geoJSON({ type: "FeatureCollection", features: kind("country") }, {
          pane: areas,
          style: function (f) { return f.properties.home ? LAND : ABROAD; }
        }).addTo(map);
        window.L.geoJSON({ type: "FeatureCollection", features: kind("boundary") }, {
          pane: lines, style: function () { return BOUNDARY; }
        }).addTo(map);
        var groups = {};
        kind("place").forEach(function (place) {
          var rank = place.properties.rank || 4;
          var coords = place.geometry.coordinates;
          groups[rank] = groups[rank] || window.L.layerGroup();
          var dot = window.L.circleMarker([coords[1], coords[0]], {
            pane: names, radius: rank === 1 ? 3.5 : 2.5, color: "#ffffff", weight: 1,
            fillColor: "#3d4a50", fillOpacity: 1, interactive: false
          });
          dot.bindTooltip(place.properties.name, {
            permanent: true, direction: "right", offset: [3, 0], pane: names,
            className: "basemap-name basemap-rank-" + rank, interactive: false
          });
          groups[rank].addLayer(dot);
        });
        labelPlaces(map, groups);
        map.on("zoomend", function () { labelPlaces(map, groups); });
        if (map.attributionControl && data.attribution) { map.attributionControl.addAttribution(data.attribution); }
        return "outline";
      });
  }

  function attach(map, element) {
    if (!map || !element || !window.L) { return Promise.resolve("none"); }
    var started;
    if (element.getAttribute("data-basemap-pmtiles")) {
      started = vector(map, element).catch(function () {
        return element.getAttribute("data-basemap-geojson") ? outline(map, element) : "none";
      });
    } else if (element.getAttribute("data-basemap-geojson") && window.fetch) {
      started = outline(map, element);
    } else {
      started = Promise.resolve("none");
    }
    return started.catch(function () { return "none"; }).then(function (state) {
      element.setAttribute("data-basemap", state);
      return state;
    });
  }

  window.MingaBasemap = { attach: attach };
})();
