// Siaga readiness map (/kesiapan/{code}). The page's tables hold every
// number without this script; with it the map is drawn from
// /api/v1/readiness/map/{region}: child regions shaded by their share of
// TPS at risk above kecamatan level, TPS points below, and the layers the
// checkboxes switch on. The hazard zones are fetched only when asked for.
(function () {
  "use strict";
  var el = document.getElementById("readiness-map");
  var form = document.getElementById("kesiapan-pilih");
  if (form) {
    form.querySelectorAll("select[data-picker]").forEach(function (s) {
      s.addEventListener("change", function () {
        var kec = form.querySelector("select[data-kec]");
        if (kec && !s.hasAttribute("data-kec")) kec.value = "";
        form.submit();
      });
    });
  }
  if (!el || !window.L) return;

  var nf = new Intl.NumberFormat("id-ID");
  function num(n) { return nf.format(n || 0); }
  function pct(x) { return ((x || 0) * 100).toLocaleString("id-ID", { maximumFractionDigits: 1 }) + "%"; }
  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  var levelColor = { ditunda: "#6b21a8", rawan: "#d92d20", waspada: "#f79009", siap: "#12b76a" };
  var signalColor = { good: "#12b76a", weak: "#f79009", blank: "#d92d20", titik: "#fdb022", "": "#98a2b3" };
  var signalName = { good: "baik", weak: "lemah", blank: "blank spot", titik: "titik sinyal", "": "belum disurvei" };
  // Shares of TPS at risk (rawan or ditunda), and of blank spots, as the
  // choropleth's steps.
  var steps = [[0, "#e4f4ea", "0%"], [1e-9, "#fde8c8", "> 0%"], [0.05, "#fbb46b", "≥ 5%"], [0.15, "#f0703a", "≥ 15%"], [0.3, "#b42318", "≥ 30%"]];
  function stepColor(s) {
    var c = steps[0][1];
    steps.forEach(function (st) { if (s >= st[0]) c = st[1]; });
    return c;
  }
  var mode = "level", data = null, geoFC = null, map, base = null, overlays = {};

  function share(c) {
    var n = c.counts, t = n.tps || 0;
    if (!t) return 0;
    return mode === "signal" ? (n.signal.blank || 0) / t : (n.levels.rawan + n.levels.ditunda) / t;
  }
  function childTip(c) {
    var n = c.counts, l = n.levels;
    return "<b>" + esc(c.name) + "</b><br>" + num(n.tps) + " TPS · berisiko / at risk " + pct(c.at_risk_share) +
      "<br>ditunda " + num(l.ditunda) + " · rawan " + num(l.rawan) + " · waspada " + num(l.waspada) + " · siap " + num(l.siap) +
      "<br>sinyal: blank " + num(n.signal.blank) + " · lemah " + num(n.signal.weak) + " · belum disurvei " + num(n.signal.unknown) +
      "<br>bahaya tinggi " + num(n.hazard.tinggi) + " · sedang " + num(n.hazard.sedang);
  }
  function pointColor(p) { return mode === "signal" ? signalColor[p.s || ""] : levelColor[p.l]; }
  function pointTip(p) {
    var s = "<b>TPS " + esc(p.n) + "</b> " + esc(p.c) + "<br>" + esc(p.l) + " · sinyal " + esc(signalName[p.s || ""] || p.s);
    (p.r || []).forEach(function (i) { s += "<br>• " + esc((data.reasons || [])[i]); });
    if (p.syn) s += "<br><i>lokasi sintetis / synthetic point</i>";
    return s;
  }

  // tag names a drawn shape by its code, for the table's readers and tests.
  function tag(l, code) {
    l.on("add", function () { var e = l.getElement && l.getElement(); if (e) e.setAttribute("data-code", code); });
  }
  function drawBase(geo) {
    if (base) base.remove();
    base = L.featureGroup();
    if (data.geo && geo) {
      var byCode = {};
      data.children.forEach(function (c) { byCode[c.code] = c; });
      L.geoJSON({ type: "FeatureCollection", features: geo.features.filter(function (f) { return byCode[f.properties.kode_bps]; }) }, {
        style: function (f) { return { className: "region-poly", color: "#fff", weight: 1, fillOpacity: 0.8, fillColor: stepColor(share(byCode[f.properties.kode_bps])) }; },
        onEachFeature: function (f, l) {
          var c = byCode[f.properties.kode_bps];
          l.child = c;
          tag(l, c.code);
          l.bindTooltip(function () { return childTip(c); }, { sticky: true, className: "map-tip" });
          l.on("click", function () { location.href = c.url; });
        }
      }).eachLayer(function (l) { base.addLayer(l); });
    }
    (data.tps || []).forEach(function (p) {
      var m = L.circleMarker([p.y, p.x], { radius: 5, weight: 1, color: "#344054", fillOpacity: 0.9, fillColor: pointColor(p), className: "tps-point level-" + p.l });
      m.point = p;
      tag(m, p.c);
      m.bindTooltip(function () { return pointTip(p); }, { className: "map-tip" });
      m.on("click", function () { location.href = "/tps/" + p.c; });
      base.addLayer(m);
    });
    base.addTo(map);
    var b = base.getBounds();
    if (b.isValid()) map.fitBounds(b, { padding: [10, 10] });
    else if (data.center) map.setView(data.center, 11);
  }
  function restyle() {
    if (!base) return;
    base.eachLayer(function (l) {
      if (l.child) l.setStyle({ fillColor: stepColor(share(l.child)) });
      if (l.point) l.setStyle({ fillColor: pointColor(l.point) });
    });
    legend();
  }
  function legend() {
    var el = document.getElementById("readiness-legend");
    if (!el) return;
    var sw = function (c) { return '<span class="swatch" style="background:' + c + '"></span>'; };
    var parts = [];
    if (data.geo) {
      var what = mode === "signal" ? "blank spot" : "TPS rawan/ditunda (at risk)";
      parts = steps.map(function (s) { return "<span>" + sw(s[1]) + esc(s[2]) + "</span>"; });
      parts.unshift("<span>" + esc(what) + ":</span>");
    } else if (mode === "signal") {
      parts = Object.keys(signalColor).map(function (k) { return "<span>" + sw(signalColor[k]) + esc(signalName[k]) + "</span>"; });
    } else {
      parts = Object.keys(levelColor).map(function (k) { return "<span>" + sw(levelColor[k]) + esc(k) + "</span>"; });
    }
    el.innerHTML = parts.join("");
  }

  // The point layers come with the map's data; the hazard zones are
  // fetched the first time their box is ticked.
  var build = {
    interventions: function () {
      var g = L.featureGroup();
      (data.interventions ? data.interventions.items : []).forEach(function (iv) {
        var col = iv.working ? "#1570ef" : "#667085";
        if (iv.radius_m) L.circle([iv.lat, iv.lon], { radius: iv.radius_m, color: col, weight: 1, fillOpacity: 0.08, dashArray: iv.working ? null : "4 3", className: "iv-cover" }).addTo(g);
        L.circleMarker([iv.lat, iv.lon], { radius: 6, color: "#fff", weight: 2, fillColor: col, fillOpacity: 1, className: "iv-point" })
          .bindTooltip(esc(iv.kind) + " · " + esc(iv.status) + (iv.late ? " · terlambat / late" : "") + "<br>" + esc(iv.owner) +
            "<br>mencakup / covers " + num(iv.covers) + " TPS", { className: "map-tip" }).addTo(g);
      });
      return Promise.resolve(g);
    },
    relocations: function () {
      var g = L.featureGroup();
      (data.relocations ? data.relocations.items : []).forEach(function (r) {
        L.polyline([[r.from_lat, r.from_lon], [r.to_lat, r.to_lon]], { color: "#0e9384", weight: 3, className: "relocation" })
          .bindTooltip("TPS " + esc(r.tps) + " → " + esc(r.to_address) + "<br>" + esc(r.office) + " " + esc(r.letter), { className: "map-tip" }).addTo(g);
        L.circleMarker([r.to_lat, r.to_lon], { radius: 5, color: "#0e9384", fillColor: "#fff", fillOpacity: 1 }).addTo(g);
      });
      return Promise.resolve(g);
    },
    postponed: function () {
      var g = L.featureGroup();
      (data.postponed ? data.postponed.items : []).forEach(function (p) {
        L.circleMarker([p.lat, p.lon], { radius: 8, color: "#6b21a8", weight: 3, fill: false, className: "postponed" })
          .bindTooltip("TPS " + esc(p.tps) + " ditunda: " + esc(p.kind.toUpperCase()) + " · " + esc(p.status) +
            (p.new_date ? " · " + esc(p.new_date) : "") + "<br>" + esc(p.reason), { className: "map-tip" }).addTo(g);
      });
      return Promise.resolve(g);
    },
    // The Logistik layer (staff only: the page offers its box to them
    // alone, and its data comes from a staff route): child regions shaded
    // by their share of TPS with a complete kit, or TPS points coloured by
    // kit status, and the shipments on their way as lines from where they
    // left to where they go, dashed by sea, held ones in another colour.
    logistics: function (box) {
      return getJSON(box.dataset.api).then(function (d) {
        var g = L.featureGroup(), st = d.statuses || [];
        var shade = function (s) {
          var c = d.steps[0].color;
          d.steps.forEach(function (x) { if (s >= x.from) c = x.color; });
          return c;
        };
        if (d.children && geoFC) {
          var byCode = {};
          d.children.forEach(function (c) { byCode[c.code] = c; });
          L.geoJSON({ type: "FeatureCollection", features: geoFC.features.filter(function (f) { return byCode[f.properties.kode_bps]; }) }, {
            style: function (f) { return { className: "kit-region", color: "#fff", weight: 1, fillOpacity: 0.85, fillColor: shade(byCode[f.properties.kode_bps].share) }; },
            onEachFeature: function (f, l) {
              var c = byCode[f.properties.kode_bps];
              tag(l, c.code);
              var tip = "<b>" + esc(c.name) + "</b><br>kit lengkap / complete " + num(c.complete) + " dari " + num(c.tps) + " TPS (" + pct(c.share) + ")";
              c.counts.forEach(function (n, i) { if (n) tip += "<br>" + esc(st[i].name) + " " + num(n); });
              l.bindTooltip(tip, { sticky: true, className: "map-tip" });
              l.on("click", function () {
                // Down a level with the layer on and the same moment and filters.
                var q = new URLSearchParams(location.search);
                q.set("lapisan", "logistik");
                location.href = "/kesiapan/" + c.code + "?" + q.toString();
              });
            }
          }).eachLayer(function (l) { g.addLayer(l); });
        }
        (d.points || []).forEach(function (p) {
          var s = st[p.k] || { key: "", name: "?", color: "#999" };
          var m = L.circleMarker([p.y, p.x], { radius: 6, weight: 2, color: "#fff", fillOpacity: 1, fillColor: s.color, className: "kit-point kit-" + s.key });
          tag(m, p.c);
          m.bindTooltip("<b>TPS " + esc(p.n) + "</b> " + esc(p.c) + "<br>logistik: " + esc(s.name) + " / " + esc(s.en) +
            (p.syn ? "<br><i>lokasi sintetis / synthetic point</i>" : ""), { className: "map-tip" });
          m.on("click", function () { location.href = "/tps/" + p.c; });
          g.addLayer(m);
        });
        (d.moving ? d.moving.items : []).forEach(function (l) {
          var held = l.status === "tertahan";
          var line = L.polyline([[l.from_lat, l.from_lon], [l.to_lat, l.to_lon]], {
            color: held ? "#6b21a8" : "#1570ef", weight: l.late || l.stalled ? 4 : 3, opacity: 0.9, dashArray: l.boat ? "8 6" : null,
            className: "moving-leg" + (l.boat ? " boat" : "") + (held ? " held" : "")
          });
          tag(line, l.id);
          line.bindPopup("<b>" + esc(l.waybill) + "</b><br>" + esc(l.from) + " → " + esc(l.to) +
            "<br>" + esc(l.mode) + (l.vessel ? " · " + esc(l.vessel) : "") + (l.escort ? " · pengawal / escort " + esc(l.escort) : "") +
            "<br>" + (held ? "tertahan / held" + (l.reason ? ": " + esc(l.reason) : "") : "dalam perjalanan / on its way") +
            (l.late ? " · terlambat / late" : "") + (l.stalled ? " · macet / stalled" : "") +
            '<br><a href="' + esc(l.url) + '">Buka kiriman / open the shipment</a>', { className: "moving-popup" });
          g.addLayer(line);
        });
        var note = document.getElementById("logistics-note");
        if (note && d.moving) {
          note.textContent = "Kiriman di jalan / shipments on their way: " + num(d.moving.items.length) + " dari " + num(d.moving.total + d.unplaced) +
            (d.unplaced ? " (" + num(d.unplaced) + " tanpa titik asal/tujuan di peta / without both ends on the map)" : "") + ".";
        }
        return g;
      });
    },
    hazards: function () {
      var hc = { tinggi: "#912018", sedang: "#dc6803", rendah: "#fedf89" };
      return getJSON(data.hazards).then(function (fc) {
        var note = document.getElementById("readiness-note");
        if (note && fc.sent < fc.total) note.textContent += " Zona bahaya: " + num(fc.sent) + " dari " + num(fc.total) + " (batas " + num(fc.cap_bytes / 1024) + " KiB).";
        return L.geoJSON(fc, {
          style: function (f) { return { className: "hazard-zone", color: hc[f.properties.class] || "#999", weight: 1, fillOpacity: 0.35 }; },
          onEachFeature: function (f, l) {
            var p = f.properties;
            l.bindTooltip(esc(p.type) + " · " + esc(p.class) + "<br>" + esc(p.layer_name) + (p.synthetic ? " <i>(sintetis)</i>" : ""), { className: "map-tip" });
          }
        });
      });
    }
  };
  function toggle(box) {
    var key = box.value;
    if (!box.checked) { if (overlays[key]) overlays[key].then(function (g) { g.remove(); }); return; }
    // Layers of their own files (readiness_vulnerability.js) register in
    // window.siagaLayers before this file runs.
    if (!overlays[key]) overlays[key] = (build[key] || (window.siagaLayers || {})[key])(box, map);
    overlays[key].then(function (g) { if (box.checked) g.addTo(map); }).catch(function (e) { console.warn("siaga: layer", key, e); });
  }

  map = L.map(el, { zoomSnap: 0.25, scrollWheelZoom: false });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution("Batas: cahyadsn/wilayah_boundaries (MIT)");
  map.setView([-6.4, 106.1], 8);
  getJSON(el.dataset.api).then(function (d) {
    data = d;
    return Promise.all([d.geo ? getJSON(d.geo) : null, d.outline ? getJSON(d.outline) : null]);
  }).then(function (g) {
    if (g[1] && data.outline_code) {
      L.geoJSON({ type: "FeatureCollection", features: g[1].features.filter(function (f) { return f.properties.kode_bps === data.outline_code; }) },
        { interactive: false, style: { color: "#667085", weight: 1.5, fillColor: "#fff", fillOpacity: 0.5, dashArray: "4 3" } }).addTo(map);
    }
    geoFC = g[0];
    drawBase(g[0]);
    legend();
    document.querySelectorAll('input[name="warna"]').forEach(function (r) {
      r.addEventListener("change", function () { mode = r.value; restyle(); });
    });
    document.querySelectorAll('input[name="lapisan"]').forEach(function (b) {
      b.addEventListener("change", function () { toggle(b); });
      if (b.checked && !b.disabled) toggle(b);
    });
    el.dataset.ready = "1";
  }).catch(function (e) { console.warn("siaga: readiness map", e); });
})();
