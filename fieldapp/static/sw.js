// The service worker makes the field app work with no signal from the
// moment it is installed: the shell is cached on install and served from
// the cache; the API is never cached (its requests are not even seen here).
const VERSION = "{{VERSION}}";
const BASE = "{{BASE}}";
const PRECACHE = ["{{PRECACHE}}"];
const CACHE = "lapangan-" + VERSION;
const SHELL = "/lapangan/";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("lapangan-") && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  // Network only for the API and everything outside the app.
  if (req.method !== "GET" || url.origin !== location.origin || !url.pathname.startsWith(SHELL)) return;
  if (req.mode === "navigate" || url.pathname === SHELL || url.pathname === SHELL + "enrol") {
    event.respondWith(caches.open(CACHE).then((c) => c.match(SHELL)).then((hit) => hit || fetch(req)));
    return;
  }
  event.respondWith(caches.open(CACHE).then(async (c) => {
    const hit = await c.match(req);
    if (hit) return hit;
    const res = await fetch(req);
    // Lazily loaded assets (the QR scanner) are kept once fetched.
    if (res.ok && url.pathname.startsWith(BASE)) c.put(req, res.clone());
    return res;
  }));
});
