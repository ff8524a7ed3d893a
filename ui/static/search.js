// Siaga search box: the header's form works without this script (GET
// /cari); with it, suggestions from /api/v1/search appear as one types,
// and the arrow keys and Enter pick one.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var list = form.querySelector(".suggestions");
  var contest = form.querySelector("input[name=kontes]");
  var timer = 0, asked = "", active = -1, hits = [];

  // urlOf keeps the ballot the visitor is looking at, as the page's links do.
  function urlOf(h) {
    return contest && contest.value && contest.value !== "ppwp" ? h.url + "?kontes=" + encodeURIComponent(contest.value) : h.url;
  }

  function close() {
    list.hidden = true;
    list.textContent = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
    hits = [];
  }

  function show(res) {
    list.textContent = "";
    hits = res.hits || [];
    active = -1;
    hits.forEach(function (h, i) {
      var li = document.createElement("li");
      li.id = "cari-saran-" + i;
      li.setAttribute("role", "option");
      var a = document.createElement("a");
      a.href = urlOf(h);
      var name = document.createElement("b");
      name.textContent = h.name;
      var kind = document.createElement("small");
      kind.className = "kind";
      kind.textContent = " " + h.level_name;
      var path = document.createElement("small");
      path.className = "path";
      path.textContent = h.path || h.code;
      a.appendChild(name);
      a.appendChild(kind);
      a.appendChild(document.createElement("br"));
      a.appendChild(path);
      li.appendChild(a);
      list.appendChild(li);
    });
    var more = document.createElement("li");
    more.className = "count";
    more.setAttribute("role", "presentation");
    more.textContent = hits.length
      ? hits.length + " dari " + res.total.toLocaleString("id-ID") + " hasil · Enter untuk semua"
      : "Tidak ada yang cocok / nothing matches";
    list.appendChild(more);
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function ask() {
    var q = input.value.trim();
    if (q === asked) return;
    asked = q;
    if (!q) { close(); return; }
    fetch("/api/v1/search?" + new URLSearchParams({ q: q, limit: "8" }), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (res) { if (res && input.value.trim() === q) show(res); })
      .catch(function () { /* the form still works without suggestions */ });
  }

  function pick(i) {
    var items = list.querySelectorAll("li[role=option]");
    if (!items.length) return;
    active = (i + items.length) % items.length;
    items.forEach(function (li, k) { li.setAttribute("aria-selected", k === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", items[active].id);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden) return;
    if (e.key === "ArrowDown") { e.preventDefault(); pick(active + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); pick(active - 1); }
    else if (e.key === "Escape") { close(); }
    else if (e.key === "Enter" && active >= 0 && hits[active]) { e.preventDefault(); location.href = urlOf(hits[active]); }
  });
  // Enter submits the form unless a suggestion is chosen: then it goes there.
  form.addEventListener("submit", function (e) {
    if (!list.hidden && active >= 0 && hits[active]) {
      e.preventDefault();
      location.href = urlOf(hits[active]);
    }
  });
  document.addEventListener("click", function (e) { if (!form.contains(e.target)) close(); });
})();
