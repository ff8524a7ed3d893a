// The planning page's map (/rencana/{code}): the plan's GeoJSON, drawn
// with Leaflet: target TPS covered or not, the chosen sites and their
// coverage circles. No tiles: the desk's 2G link carries points only.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("plan-map");
    if (!el || !window.L) return;
    fetch(el.dataset.geojson, { headers: { Accept: "application/geo+json" } }).then(function (r) {
      if (!r.ok) throw new Error("plan " + r.status);
      return r.json();
    }).then(function (fc) {
      var map = L.map(el, { zoomSnap: 0.25, scrollWheelZoom: false });
      map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
      // Vector layers need the map's view first: fit the points, then draw.
      var bounds = L.latLngBounds(fc.features.map(function (f) { return [f.geometry.coordinates[1], f.geometry.coordinates[0]]; }));
      if (bounds.isValid()) map.fitBounds(bounds.pad(0.2), { maxZoom: 15 });
      else map.setView([-6.4, 106.1], 8);
      var group = L.featureGroup().addTo(map);
      fc.features.forEach(function (f) {
        var p = f.properties, ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        if (p.layer === "tps") {
          L.circleMarker(ll, { radius: 4, weight: 1, color: "#344054", fillOpacity: 0.9,
            fillColor: p.tercakup ? "#12b76a" : "#d92d20", className: p.tercakup ? "plan-tps plan-covered" : "plan-tps plan-uncovered" })
            .bindTooltip(p.tps + (p.tercakup ? " — tercakup" : " — belum tercakup"))
            .addTo(group);
          return;
        }
        var reach = p.radius_m > 0 ? p.radius_m : 150; // a VSAT serves the TPS it stands at
        L.circle(ll, { radius: reach, weight: 1, color: "#1570ef", fillOpacity: 0.08, className: "plan-radius" }).addTo(group);
        L.circleMarker(ll, { radius: 7, weight: 2, color: "#1570ef", fillColor: "#ffffff", fillOpacity: 1, className: "plan-site" })
          .bindTooltip(p.urutan + ". " + p.kode + " " + p.nama + " (+" + p.tambah_tps + " TPS)")
          .addTo(group);
      });
      if (group.getLayers().length) map.fitBounds(group.getBounds(), { padding: [20, 20], maxZoom: 15 });
      el.dataset.drawn = String(group.getLayers().length);
    }).catch(function (e) { console.warn("siaga: plan map", e); });
  }
  // The "draw a candidate" map: the region's TPS as they stand are not
  // needed to place a point, so it starts on the plan's points (or the
  // province) and a click fills the form's lat/lon.
  function candidate() {
    var el = document.getElementById("candidate-map"), form = document.getElementById("candidate-form");
    if (!el || !form || !window.L) return;
    var map = L.map(el, { zoomSnap: 0.25, scrollWheelZoom: false });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    var lat = form.elements.lat, lon = form.elements.lon, marker = null;
    function place(ll) {
      if (marker) marker.setLatLng(ll);
      else marker = L.circleMarker(ll, { radius: 7, weight: 2, color: "#1570ef", className: "candidate-point" }).addTo(map);
    }
    if (lat.value && lon.value && !isNaN(+lat.value) && !isNaN(+lon.value)) {
      map.setView([+lat.value, +lon.value], 13);
      place([+lat.value, +lon.value]);
    } else {
      map.setView([-6.4, 106.1], 8);
    }
    var plan = document.getElementById("plan-map");
    if (plan && plan.dataset.geojson) {
      fetch(plan.dataset.geojson).then(function (r) { return r.ok ? r.json() : null; }).then(function (fc) {
        if (!fc || !fc.features.length) return;
        var g = L.featureGroup(fc.features.map(function (f) {
          return L.circleMarker([f.geometry.coordinates[1], f.geometry.coordinates[0]], { radius: 3, weight: 1, color: "#667085" });
        })).addTo(map);
        if (!marker) map.fitBounds(g.getBounds(), { padding: [20, 20], maxZoom: 14 });
      }).catch(function () {});
    }
    map.on("click", function (e) {
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
      place(e.latlng);
    });
  }
  function start() { draw(); candidate(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
