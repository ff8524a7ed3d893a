// Siaga readiness map: the "Peringatan dini" layer (staff only). Loaded
// after Leaflet and before readiness.js: it catches the map readiness.js
// makes (a Leaflet init hook) and draws the early-warning alerts of
// /kesiapan/{code}/peringatan-dini.geojson as circles of their radius when
// the box is ticked. A 401/403 (no right, out of scope) just leaves the
// box off. Text goes in as text, never as HTML.
(function () {
  "use strict";
  if (!window.L) return;
  var box = document.querySelector('input[name="lapisan-peringatan"]');
  if (!box) return;
  var layer = null;
  function tip(p) {
    var d = document.createElement("div");
    var b = document.createElement("b");
    b.textContent = p.kategori + " · " + p.status;
    d.appendChild(b);
    [p.penjelasan, p.explanation, p.dari + " – " + p.sampai].forEach(function (t) {
      d.appendChild(document.createElement("br"));
      d.appendChild(document.createTextNode(t));
    });
    return d;
  }
  function load(map) {
    return fetch(box.getAttribute("data-geojson"), { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (fc) {
      var g = L.layerGroup();
      (fc.features || []).forEach(function (f) {
        var c = f.geometry.coordinates, p = f.properties || {};
        L.circle([c[1], c[0]], { radius: Math.max(100, (p.radius_km || 0) * 1000), color: "#b42318", weight: 2, fillOpacity: 0.15 })
          .bindTooltip(tip(p), { className: "map-tip" }).addTo(g);
      });
      return g;
    });
  }
  L.Map.addInitHook(function () {
    var map = this;
    if (map.getContainer().id !== "readiness-map") return;
    function sync() {
      if (!box.checked) { if (layer) layer.then(function (g) { map.removeLayer(g); }); return; }
      if (!layer) layer = load(map);
      layer.then(function (g) { if (box.checked) g.addTo(map); }).catch(function (e) {
        box.checked = false; box.disabled = true; layer = null;
        console.warn("siaga: peringatan dini", e);
      });
    }
    box.addEventListener("change", sync);
    sync();
  });
})();

// The "Insiden" layer (staff only): the incidents of the region that
// happened (verified or later, one per duplicate group) from
// /kesiapan/{code}/insiden.geojson as points coloured by category, drawn
// when the box is ticked. As above: a refusal leaves the box off, text
// goes in as text. data-drawn on the box counts the points, for tests.
(function () {
  "use strict";
  if (!window.L) return;
  var box = document.querySelector('input[name="lapisan-insiden"]');
  if (!box) return;
  var colors = {
    kekerasan: "#b42318", intimidasi: "#c4320a", politik_uang: "#7a5af8", logistik: "#0086c9", bencana: "#027a48",
    jaringan: "#475467", hoaks: "#dd2590", netralitas: "#b54708", prosedur: "#155eef", lainnya: "#98a2b3"
  };
  var layer = null;
  function tip(p) {
    var d = document.createElement("div");
    var b = document.createElement("b");
    b.textContent = "#" + p.id + " " + p.kategori + " · " + p.tingkat + " · " + p.status;
    d.appendChild(b);
    [p.judul, p.waktu + (p.tps ? " · TPS " + p.tps : " · " + p.wilayah)].forEach(function (t) {
      d.appendChild(document.createElement("br"));
      d.appendChild(document.createTextNode(t));
    });
    return d;
  }
  function load() {
    return fetch(box.getAttribute("data-geojson"), { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (fc) {
      var g = L.layerGroup();
      (fc.features || []).forEach(function (f) {
        var c = f.geometry.coordinates, p = f.properties || {};
        L.circleMarker([c[1], c[0]], { radius: 5, color: "#fff", weight: 1, fillColor: colors[p.kategori] || "#98a2b3",
          fillOpacity: 0.9, className: "insiden-titik" }).bindTooltip(tip(p), { className: "map-tip" }).addTo(g);
      });
      box.setAttribute("data-drawn", String((fc.features || []).length));
      return g;
    });
  }
  L.Map.addInitHook(function () {
    var map = this;
    if (map.getContainer().id !== "readiness-map") return;
    function sync() {
      if (!box.checked) { if (layer) layer.then(function (g) { map.removeLayer(g); }); return; }
      if (!layer) layer = load();
      layer.then(function (g) { if (box.checked) g.addTo(map); }).catch(function (e) {
        box.checked = false; box.disabled = true; layer = null;
        console.warn("siaga: insiden", e);
      });
    }
    box.addEventListener("change", sync);
    sync();
  });
})();
