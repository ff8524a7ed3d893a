// Siaga dashboard: the page is complete without this script; with it the
// map is drawn and numbers follow the live feed (/events) without reloads.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live) return;

  var nf = new Intl.NumberFormat("id-ID");
  function num(n) { return nf.format(n || 0); }
  function pct(x) {
    return ((x || 0) * 100).toLocaleString("id-ID", { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + "%";
  }
  function width(x) { return Math.max(0, Math.min(1, x || 0)) * 100 + "%"; }
  function share(a, b) { return b > 0 ? a / b : 0; }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function getJSON(url) {
    return fetch(url, { cache: "no-cache", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }
  function setText(sel, text) {
    var el = live.querySelector(sel);
    if (el && el.textContent !== text) el.textContent = text;
  }

  // --- tally -------------------------------------------------------------
  function showTally(t) {
    setText('[data-k="tps_reported"]', num(t.tps_reported));
    setText('[data-k="tps_total"]', num(t.tps_total));
    var rep = share(t.tps_reported, t.tps_total);
    setText('[data-k="reported_pct"]', pct(rep));
    var bar = live.querySelector('[data-k="reported_bar"]');
    if (bar) bar.style.width = width(rep);
    setText('[data-k="suara_sah"]', num(t.suara_sah));
    setText('[data-k="suara_tidak_sah"]', num(t.suara_tidak_sah));
    setText('[data-k="pengguna_total"]', num(t.pengguna_total));
    setText('[data-k="dpt"]', num(t.dpt));
    showTurnout(t);
    var votes = t.votes || {}, total = 0, best = 0;
    Object.keys(votes).forEach(function (k) { total += votes[k]; best = Math.max(best, votes[k]); });
    showFlags(t.flagged);
    live.querySelectorAll("#votes tr[data-option]").forEach(function (tr) {
      var v = votes[tr.dataset.option] || 0, s = share(v, total);
      tr.querySelector('[data-v="votes"]').textContent = num(v);
      tr.querySelector('[data-v="share"]').textContent = pct(s);
      tr.querySelector('[data-v="bar"]').style.width = width(s);
      tr.classList.toggle("leader", v > 0 && v === best);
    });
  }

  // Turnout over the counted TPS' voter list, and the gap between voters
  // and ballots with the explanation its sign calls for (served in the page).
  function showTurnout(t) {
    setText('[data-k="turnout"]', t.dpt_pengguna > 0 ? pct(share(t.pengguna_total, t.dpt_pengguna)) : "—");
    setText('[data-k="dpt_pengguna"]', num(t.dpt_pengguna));
    var gap = (t.pengguna_total || 0) - (t.suara_sah || 0) - (t.suara_tidak_sah || 0);
    var el = document.getElementById("gap");
    if (!el) return;
    el.hidden = gap === 0;
    el.dataset.gap = String(gap);
    setText('[data-k="gap_voters"]', num(t.pengguna_total));
    setText('[data-k="gap_ballots"]', num((t.suara_sah || 0) + (t.suara_tidak_sah || 0)));
    setText('[data-k="gap"]', num(gap));
    el.querySelector(".gap-more").hidden = gap <= 0;
    el.querySelector(".gap-less").hidden = gap >= 0;
  }

  var ruleTexts = {};
  try { ruleTexts = JSON.parse(document.getElementById("rule-texts").textContent); } catch (e) { /* flags stay as served */ }
  function showFlags(flagged) {
    var el = document.getElementById("flags");
    if (!el) return;
    var ids = Object.keys(flagged || {}).filter(function (id) { return flagged[id] > 0; })
      .sort(function (a, b) { return a.slice(1) - b.slice(1); });
    if (!ids.length) { el.innerHTML = '<p class="muted">Belum ada TPS yang melanggar aturan.</p>'; return; }
    el.innerHTML = '<ul class="flags">' + ids.map(function (id) {
      var url = "/anomali?wilayah=" + encodeURIComponent(live.dataset.region) + "&kontes=" +
        encodeURIComponent(live.dataset.contest) + "&aturan=" + encodeURIComponent(id);
      return '<li><a href="' + esc(url) + '"><b>' + esc(id) + '</b> <span class="count">' + num(flagged[id]) +
        ' TPS</span></a> <span class="muted">' + esc(ruleTexts[id] || "") + "</span></li>";
    }).join("") + "</ul>";
  }

  // --- children table ----------------------------------------------------
  function showChildren(d) {
    var color = {};
    (d.options || []).forEach(function (o) { color[o.key] = o.color; });
    (d.children || []).forEach(function (c) {
      var tr = live.querySelector('#children tr[data-code="' + c.code + '"]');
      if (!tr) return;
      tr.querySelector('[data-c="reported"]').textContent = num(c.tps_reported);
      tr.querySelector('[data-c="bar"]').style.width = width(share(c.tps_reported, c.tps_total));
      tr.querySelector('[data-c="leader"]').innerHTML = c.leader
        ? '<span class="swatch" style="background:' + esc(color[c.leader] || "#999") + '"></span>' +
          esc(c.leader_label || c.leader) + ' <span class="muted">' + pct(c.leader_share) + "</span>"
        : '<span class="muted">—</span>';
      tr.querySelectorAll("[data-share]").forEach(function (td) {
        if (c.leader) td.textContent = pct((c.shares || {})[td.dataset.share]);
        else td.innerHTML = '<span class="muted">—</span>';
      });
      tr.querySelector('[data-c="flagged"]').innerHTML = c.flagged ? '<span class="badge">' + num(c.flagged) + "</span>" : "";
    });
  }

  // --- map ---------------------------------------------------------------
  var map = null, layer = null, data = null, geoCache = {};
  var mode = "progress";
  var steps = [[0, "#d0d5dd", "0%"], [0.25, "#c7e9c0", "< 25%"], [0.5, "#74c476", "< 50%"],
    [0.75, "#31a354", "< 75%"], [1, "#006d2c", "< 100%"], [2, "#00441b", "100%"]];
  function progressColor(c) {
    var s = share(c.tps_reported, c.tps_total);
    if (s <= 0) return steps[0][1];
    if (s >= 1) return steps[5][1];
    for (var i = 1; i < 5; i++) if (s < steps[i][0]) return steps[i][1];
    return steps[4][1];
  }
  function colorOf(c) {
    if (mode === "progress") return progressColor(c);
    var o = (data.options || []).filter(function (o) { return o.key === c.leader; })[0];
    return o ? o.color : "#d0d5dd";
  }
  function styleOf(c) {
    var op = mode === "leader" && c.leader ? strength(c.leader_share) : 0.75;
    return { color: "#ffffff", weight: 1, fillColor: colorOf(c), fillOpacity: op };
  }
  function popup(c) {
    var s = '<b><a href="' + esc(c.url) + '">' + esc(c.name) + "</a></b><br>" +
      num(c.tps_reported) + " / " + num(c.tps_total) + " TPS melapor (" + pct(share(c.tps_reported, c.tps_total)) + ")";
    if (c.leader) s += "<br>Unggul: " + esc(c.leader_label || c.leader) + " " + pct(c.leader_share);
    if (c.synthetic) s += '<br><i>lokasi sintetis</i>';
    return s;
  }
  // tooltip is what hovering a region shows: its name, reported TPS and
  // who leads by how much.
  function tooltip(c) {
    var s = "<b>" + esc(c.name) + "</b><br>" + num(c.tps_reported) + " dari " + num(c.tps_total) +
      " TPS melapor (" + pct(share(c.tps_reported, c.tps_total)) + ")";
    s += c.leader ? "<br>Unggul: " + esc(c.leader_label || c.leader) + " " + pct(c.leader_share)
      : "<br>Belum ada suara / no votes yet";
    return s;
  }
  // strength is the fill opacity of a leading option's colour: the wider
  // the lead's share, the stronger.
  function strength(sh) { return 0.35 + 0.6 * Math.min(1, sh); }
  var strengthSteps = [[0.35, "35%"], [0.5, "50%"], [0.65, "65%"], [0.8, "80%+"]];
  function legend() {
    var el = document.getElementById("legend");
    if (!el || !data) return;
    var sw = function (color, op) {
      return '<span class="swatch" style="background:' + esc(color) + (op ? ";opacity:" + op : "") + '"></span>';
    };
    if (mode === "progress") {
      el.innerHTML = steps.map(function (s) {
        return "<span>" + sw(s[1]) + esc(s[2] + " TPS melapor") + "</span>";
      }).join("");
      return;
    }
    var leading = {};
    (data.children || []).forEach(function (c) { if (c.leader) leading[c.leader] = true; });
    var opts = (data.options || []).filter(function (o) { return leading[o.key] || data.options.length <= 6; });
    el.innerHTML = '<table class="legend-table"><caption>Unggul: warna pilihan, makin pekat makin besar bagiannya / ' +
      "leading option, darker for a larger share</caption><thead><tr><th scope=\"col\">Pilihan</th>" +
      strengthSteps.map(function (s) { return '<th scope="col">' + esc(s[1]) + "</th>"; }).join("") +
      "</tr></thead><tbody>" + opts.map(function (o) {
        return '<tr data-option="' + esc(o.key) + '"><th scope="row">' + esc(o.label) + "</th>" +
          strengthSteps.map(function (s) { return "<td>" + sw(o.color, strength(s[0])) + "</td>"; }).join("") + "</tr>";
      }).join("") + "</tbody></table>" +
      "<span>" + sw("#d0d5dd") + "belum ada suara / no votes</span>";
  }
  function loadGeo(url) {
    if (!url) return Promise.resolve(null);
    if (!geoCache[url]) geoCache[url] = getJSON(url).catch(function () { return null; });
    return geoCache[url];
  }
  function draw(d, geo) {
    data = d;
    var byCode = {};
    d.children.forEach(function (c) { byCode[c.code] = c; });
    if (layer) layer.remove();
    layer = L.featureGroup();
    var drawn = {};
    if (geo) {
      var feats = geo.features.filter(function (f) { return byCode[f.properties.kode_bps]; });
      L.geoJSON({ type: "FeatureCollection", features: feats }, {
        style: function (f) { return styleOf(byCode[f.properties.kode_bps]); },
        onEachFeature: function (f, l) {
          var c = byCode[f.properties.kode_bps];
          drawn[c.code] = true;
          l.feature.code = c.code;
          l.bindPopup(function () { return popup(byCodeNow(c.code) || c); });
          l.bindTooltip(function () { return tooltip(byCodeNow(c.code) || c); }, { sticky: true, className: "map-tip" });
        }
      }).eachLayer(function (l) { layer.addLayer(l); });
    }
    d.children.forEach(function (c) {
      if (drawn[c.code] || !(c.lat || c.lon)) return;
      var m = L.circleMarker([c.lat, c.lon], Object.assign({ radius: 7 }, styleOf(c), { color: "#344054" }));
      m.feature = { code: c.code };
      m.bindPopup(function () { return popup(byCodeNow(c.code) || c); });
      m.bindTooltip(function () { return tooltip(byCodeNow(c.code) || c); }, { className: "map-tip" });
      layer.addLayer(m);
    });
    layer.addTo(map);
    var b = layer.getBounds();
    if (b.isValid()) map.fitBounds(b, { padding: [10, 10] });
    else if (d.center) map.setView(d.center, 11);
    legend();
  }
  // outline draws the enclosing region as quiet context for point layers.
  function outline(geo, code) {
    if (!geo || !code) return;
    var feats = geo.features.filter(function (f) { return f.properties.kode_bps === code; });
    if (!feats.length) return;
    L.geoJSON({ type: "FeatureCollection", features: feats }, {
      interactive: false,
      style: { color: "#667085", weight: 1.5, fillColor: "#ffffff", fillOpacity: 0.6, dashArray: "4 3" }
    }).addTo(map);
  }
  function byCodeNow(code) {
    return (data.children || []).filter(function (x) { return x.code === code; })[0];
  }
  function restyle(d) {
    data = d;
    if (!layer) return;
    var byCode = {};
    d.children.forEach(function (c) { byCode[c.code] = c; });
    layer.eachLayer(function (l) {
      var c = l.feature && byCode[l.feature.code];
      if (!c) return;
      var st = styleOf(c);
      if (l instanceof L.CircleMarker) st.color = "#344054";
      l.setStyle(st);
    });
    legend();
  }
  function mapData() {
    return getJSON(live.dataset.map).then(function (d) {
      showChildren(d);
      if (!map) return d;
      if (!layer) {
        return Promise.all([loadGeo(d.geo), loadGeo(d.outline)]).then(function (g) {
          outline(g[1], d.outline_code);
          draw(d, g[0]);
          return d;
        });
      }
      restyle(d);
      return d;
    });
  }
  function initMap() {
    var el = document.getElementById("map");
    if (!el || !window.L) return;
    map = L.map(el, { zoomSnap: 0.25, scrollWheelZoom: false, attributionControl: true });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    map.attributionControl.addAttribution("Batas: cahyadsn/wilayah_boundaries (MIT)");
    map.setView([-6.4, 106.1], 8);
    document.querySelectorAll('input[name="mapmode"]').forEach(function (r) {
      r.addEventListener("change", function () { mode = r.value; if (data) restyle(data); });
    });
  }

  // --- chart -------------------------------------------------------------
  function chart() {
    return fetch(live.dataset.chart, { cache: "no-cache" }).then(function (r) {
      if (!r.ok) throw new Error("chart " + r.status);
      return r.text();
    }).then(function (svg) {
      var el = document.getElementById("chart");
      if (el && svg.indexOf("<svg") >= 0) el.innerHTML = svg;
    });
  }

  // --- live feed ---------------------------------------------------------
  var busy = false, again = false;
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    Promise.all([
      getJSON(live.dataset.tally).then(showTally),
      mapData(),
      chart()
    ]).catch(function (e) { console.warn("siaga: refresh", e); }).then(function () {
      busy = false;
      live.dataset.updated = String(Date.now());
      if (again) { again = false; refresh(); }
    });
  }
  function listen() {
    if (!window.EventSource) return;
    var status = document.getElementById("live-status");
    var es = new EventSource("/events");
    es.onopen = function () { if (status) status.hidden = false; };
    es.onerror = function () { if (status) status.hidden = true; };
    es.addEventListener("change", function (ev) {
      try { live.dataset.seq = JSON.parse(ev.data).seq; } catch (e) { /* keep the old seq */ }
      refresh();
    });
  }

  function start() {
    initMap();
    mapData().catch(function (e) { console.warn("siaga: map", e); });
    listen();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// A page's print button (the staffing page) prints it; the print style
// sheet leaves the menus and forms out.
(function () {
  function bind() {
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bind);
  else bind();
})();
