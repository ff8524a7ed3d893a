// The dispatch board, live: on every change event (as on the region page)
// and every 20 s, because relay sightings and runners sent by colleagues
// are not tally changes, it re-fetches this page's JSON and updates the
// rows and counts in place, so a note being typed is never wiped.
(function () {
  "use strict";
  var root = document.getElementById("dispatch");
  var body = document.getElementById("dispatch-rows");
  if (!root || !body) return;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  function relayCell(td, row) {
    td.textContent = "";
    if (!row.relays) { td.appendChild(el("span", { "class": "muted" }, "—")); return; }
    td.appendChild(el("span", { "class": "badge" }, row.relays + "×"));
    td.appendChild(document.createTextNode(" " + row.relay));
  }

  function runnerCell(td, row) {
    td.textContent = "";
    if (row.runner) td.textContent = row.runner;
    else td.appendChild(el("span", { "class": "muted" }, "—"));
  }

  // contestsText says which contests came to nothing and which came
  // without their vote page, as the template does.
  function contestsText(row) {
    var parts = [];
    if (row.contests) parts.push("belum masuk: " + row.contests);
    if (row.incomplete) parts.push("tanpa halaman suara: " + row.incomplete);
    return parts.join(" · ");
  }

  function cell(tr, name) { return tr.querySelector('[data-c="' + name + '"]'); }

  function update(tr, row) {
    tr.dataset.kind = row.kind;
    var kind = cell(tr, "kind");
    kind.textContent = "";
    kind.appendChild(el("span", { "class": "kind kind-" + row.kind }, row.kind_name));
    if (row.postponed) {
      kind.appendChild(document.createTextNode(" "));
      var small = el("small", { "data-c": "postponed" });
      // The postponement's page: its chain and letters (a path of ours).
      small.appendChild(row.postponed_url ? el("a", { href: row.postponed_url }, row.postponed) : document.createTextNode(row.postponed));
      kind.appendChild(small);
    }
    cell(tr, "contests").textContent = contestsText(row);
    var conn = cell(tr, "connectivity");
    conn.textContent = row.connectivity_name;
    conn.className = "conn conn-" + row.connectivity;
    cell(tr, "last_contact").textContent = row.last_contact;
    relayCell(cell(tr, "relay"), row);
    runnerCell(cell(tr, "runner"), row);
  }

  function newRow(row) {
    var tr = el("tr", { id: "tps-" + row.tps, "data-tps": row.tps });
    var th = el("th", { scope: "row" });
    th.appendChild(el("a", { href: "/tps/" + row.tps }, row.tps));
    tr.appendChild(th);
    tr.appendChild(el("td", {}, row.desa + " · TPS " + row.number));
    tr.appendChild(el("td", { "data-c": "kind" }));
    tr.appendChild(el("td", { "data-c": "contests" }));
    var conn = el("td");
    conn.appendChild(el("span", { "data-c": "connectivity" }));
    tr.appendChild(conn);
    ["last_contact", "relay", "runner"].forEach(function (c) { tr.appendChild(el("td", { "data-c": c })); });
    if (body.dataset.staff) {
      var td = el("td"), f = el("form", { method: "post", action: "/dispatch/runner", "class": "runner" });
      f.appendChild(el("input", { type: "hidden", name: "csrf", value: body.dataset.csrf }));
      f.appendChild(el("input", { type: "hidden", name: "tps", value: row.tps }));
      f.appendChild(el("input", { type: "hidden", name: "wilayah", value: body.dataset.wilayah }));
      f.appendChild(el("input", { type: "text", name: "note", maxlength: "200", placeholder: "catatan (opsional)" }));
      f.appendChild(el("button", { type: "submit" }, "Kirim kurir"));
      td.appendChild(f);
      tr.appendChild(td);
    }
    update(tr, row);
    return tr;
  }

  function setCount(name, n) {
    var e = root.querySelector('[data-d="' + name + '"]');
    if (e) e.textContent = n.toLocaleString("id-ID");
  }

  // show puts this page's rows in place: a TPS that reported since goes,
  // one that moved onto this page comes, counts follow the server's.
  function show(board) {
    var want = {};
    board.items.forEach(function (row) { want[row.tps] = row; });
    Array.prototype.slice.call(body.querySelectorAll("tr[data-tps]")).forEach(function (tr) {
      var row = want[tr.dataset.tps];
      if (row) { update(tr, row); delete want[tr.dataset.tps]; }
      else tr.remove();
    });
    board.items.forEach(function (row) { if (want[row.tps]) body.appendChild(newRow(row)); });
    ["total", "missing", "incomplete", "postponed", "relayed", "runners"].forEach(function (k) { setCount(k, board[k]); });
    var empty = document.getElementById("dispatch-empty");
    if (empty) empty.hidden = board.items.length > 0;
    root.dataset.updated = String(Date.now());
  }

  var busy = false, again = false;
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(root.dataset.api, { cache: "no-store", credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(show)
      .catch(function (e) { console.warn("siaga: dispatch", e); })
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  if (window.EventSource) {
    var es = new EventSource("/events");
    es.addEventListener("change", refresh);
  }
  setInterval(refresh, 20000);
})();
