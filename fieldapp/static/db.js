// IndexedDB, the phone's durable store: the device key, the ballot, the
// outbox and the photos. Everything the officer records is written here
// before anything is sent, so a closed tab or a dead battery loses nothing.

const NAME = "siaga-lapangan";
let opened = null;

function open() {
  if (opened) return opened;
  opened = new Promise((resolve, reject) => {
    const req = indexedDB.open(NAME, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore("kv");
      db.createObjectStore("outbox", { keyPath: "id" });
      db.createObjectStore("photos");
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opened;
}

const done = (req) => new Promise((resolve, reject) => {
  req.onsuccess = () => resolve(req.result);
  req.onerror = () => reject(req.error);
});

async function tx(store, mode, fn) {
  const db = await open();
  const t = db.transaction(store, mode);
  const result = fn(t.objectStore(store));
  await new Promise((resolve, reject) => {
    t.oncomplete = resolve;
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error || new Error("transaksi dibatalkan"));
  });
  return result instanceof IDBRequest ? result.result : result;
}

export const get = (store, key) => tx(store, "readonly", (s) => s.get(key));
export const put = (store, value, key) => tx(store, "readwrite", (s) => (key === undefined ? s.put(value) : s.put(value, key)));
export const del = (store, key) => tx(store, "readwrite", (s) => s.delete(key));
export const all = (store) => tx(store, "readonly", (s) => s.getAll());

// update reads, changes and writes one record in one transaction, so that
// two tabs or a sync racing the officer cannot lose a change.
export async function update(store, key, fn) {
  const db = await open();
  const t = db.transaction(store, "readwrite");
  const s = t.objectStore(store);
  const cur = await done(s.get(key));
  const next = cur === undefined ? undefined : fn(cur);
  if (next !== undefined) s.put(next);
  await new Promise((resolve, reject) => {
    t.oncomplete = resolve;
    t.onerror = () => reject(t.error);
  });
  return next;
}

// atomic runs fn over several stores in one transaction, so that what it
// writes lands together or not at all. fn gets the stores by name and
// done, which turns a request into a promise; it must await only those.
export async function atomic(stores, fn) {
  const db = await open();
  const t = db.transaction(stores, "readwrite");
  const finished = new Promise((resolve, reject) => {
    t.oncomplete = resolve;
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error || new Error("transaksi dibatalkan"));
  });
  let result;
  try {
    result = await fn(Object.fromEntries(stores.map((n) => [n, t.objectStore(n)])), done);
  } catch (err) {
    t.abort();
    finished.catch(() => {});
    throw err;
  }
  await finished;
  return result;
}
