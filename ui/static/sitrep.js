// Siaga situation report (/laporan-situasi/{code}): the map of the
// report's points (incidents, alerts, TPS at risk), read from the JSON the
// page carries, so the map shows exactly the snapshot the charts count.
// Titles come from reporters: they are set as text, never as HTML.
(function () {
  "use strict";
  var el = document.getElementById("sitrep-map");
  if (!el || !window.L) return;
  function read(id) {
    var s = document.getElementById(id);
    try { return s ? JSON.parse(s.textContent) : null; } catch (e) { return null; }
  }
  var points = read("sitrep-points") || [], box = read("sitrep-box");
  var style = {
    insiden: { color: "#cc0000", radius: 5 },
    berat: { color: "#78005a", radius: 7 },
    peringatan: { color: "#f57900", radius: 11 },
    tps: { color: "#737373", radius: 2 }
  };
  var map = L.map(el, { zoomSnap: 0.25, scrollWheelZoom: false });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  var bounds = [];
  ["tps", "insiden", "peringatan"].forEach(function (kind) {
    points.forEach(function (p) {
      if (p.kind !== kind) return;
      var s = style[kind];
      if (kind === "insiden" && (p.severity === "tinggi" || p.severity === "kritis")) s = style.berat;
      var m = L.circleMarker([p.lat, p.lon], { radius: s.radius, color: s.color, fillColor: s.color, fillOpacity: 0.7, weight: 1 });
      var tip = document.createElement("span");
      tip.textContent = p.label + (p.category ? " (" + p.category + ")" : "");
      m.bindTooltip(tip);
      if (p.url) m.on("click", function () { window.location.href = p.url; });
      m.addTo(map);
      bounds.push([p.lat, p.lon]);
    });
  });
  el.dataset.points = String(points.length);
  if (box) map.fitBounds([[box.min_lat, box.min_lon], [box.max_lat, box.max_lon]]);
  else if (bounds.length) map.fitBounds(bounds, { maxZoom: 13 });
  else map.setView([-6.4, 106.1], 8);
})();
