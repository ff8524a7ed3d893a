// The map of one early-warning alert (peringatan_dini_sinyal.html): the
// alert's circle and its reports, read from the page's own data attributes
// (no tiles: no CDN, and the desk may be on a slow link). Text goes in as
// text, never as HTML. data-drawn counts the reports drawn, for tests.
(function () {
  "use strict";
  var el = document.getElementById("sinyal-map");
  if (!el || !window.L) return;
  var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
  var radius = Math.max(100, (parseFloat(el.dataset.radiusKm) || 0) * 1000);
  if (!isFinite(lat) || !isFinite(lon)) return;
  var map = L.map(el, { scrollWheelZoom: false });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  // The view first: a circle's bounds need a projected map.
  map.fitBounds(L.latLng(lat, lon).toBounds(2.4 * radius), { padding: [10, 10] });
  L.circle([lat, lon], { radius: radius, color: "#b42318", weight: 2, fillOpacity: 0.12, className: "sinyal-lingkar" }).addTo(map);
  var n = 0;
  document.querySelectorAll("#sinyal-reports tr[data-lat]").forEach(function (tr) {
    var p = [parseFloat(tr.dataset.lat), parseFloat(tr.dataset.lon)];
    if (!isFinite(p[0]) || !isFinite(p[1])) return;
    var tip = document.createElement("span");
    tip.textContent = "#" + tr.dataset.id + " " + (tr.dataset.title || "");
    L.circleMarker(p, { radius: 6, color: "#fff", weight: 1, fillColor: "#b42318", fillOpacity: 1, className: "sinyal-laporan" })
      .bindTooltip(tip).addTo(map);
    n++;
  });
  el.dataset.drawn = String(n);
})();
