// The relocation page's map (relokasi.html): the TPS, the hazard zones
// around it, its walking radius and the safe candidate sites, drawn from
// the page's own data (no tiles: the desk may be on a 2G link and no CDN
// is used).
(function () {
  "use strict";
  var el = document.getElementById("relokasi-map");
  if (!el || !window.L) return;
  var d;
  try { d = JSON.parse(el.dataset.map); } catch (e) { return; }
  if (!d.tps || (!d.tps.lat && !d.tps.lon)) return;
  var classColor = { rendah: "#fdb022", sedang: "#f79009", tinggi: "#d92d20" };
  var map = L.map(el, { scrollWheelZoom: false });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  var here = [d.tps.lat, d.tps.lon];
  // The view first: a circle's bounds need a projected map.
  map.fitBounds(L.latLng(here).toBounds(2 * d.walk_m), { padding: [10, 10] });
  L.geoJSON(d.zones, {
    style: function (f) {
      var c = classColor[f.properties["class"]] || "#667085";
      return { color: c, weight: 1, fillColor: c, fillOpacity: 0.3, className: "zona zona-" + f.properties["class"] };
    },
    onEachFeature: function (f, l) { l.bindTooltip(f.properties.type + " " + f.properties["class"] + " — " + (f.properties.layer || "")); }
  }).addTo(map);
  L.circle(here, { radius: d.walk_m, color: "#344054", weight: 1, dashArray: "4 4", fill: false, className: "jarak" }).addTo(map);
  L.circleMarker(here, { radius: 8, color: "#fff", weight: 2, fillColor: "#d92d20", fillOpacity: 1, className: "tps-titik" })
    .bindTooltip(d.tps.label + (d.tps.synthetic ? " (titik sintetis)" : "")).addTo(map);
  d.candidates.forEach(function (c) {
    L.circleMarker([c.Lat, c.Lon], { radius: 6, color: "#fff", weight: 1, fillColor: c.Fits ? "#12b76a" : "#98a2b3", fillOpacity: 1, className: "kandidat" })
      .bindTooltip(c.Name + " · " + c.Kind + " · " + c.DistanceM + " m").addTo(map);
  });
  el.dataset.drawn = String(d.candidates.length);
})();
