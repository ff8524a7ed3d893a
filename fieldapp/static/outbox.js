// The outbox: every signed submission, every signal survey and every
// logistics record (logistics.js), waits here, in IndexedDB, until the
// server has acknowledged it. Sync runs on opening, on the online event, on
// a timer, and when the officer asks; failures back off exponentially with
// jitter so that a thousand phones regaining signal together do not
// arrive together.
import * as db from "./db.js";
import { upload, Refused, blobKey } from "./photos.js";

export const WAITING = "menunggu", SENDING = "mengirim", RECEIVED = "diterima", REFUSED = "ditolak";

const BASE_DELAY = 2000;
// retryMax may be lowered on a test bench (localStorage "lapangan.retryMaxMs").
const retryMax = () => Number(localStorage.getItem("lapangan.retryMaxMs")) || 60000;
const TIMEOUT = 120000; // a form on 2G with a slow handshake still fits

// A 4xx other than 408 and 429 is the server's final word.
const final = (status) => status >= 400 && status < 500 && status !== 408 && status !== 429;

// uploaders send the photos of an item kind that is not a count form
// (logistics.js registers its own); a count form's pages use photos.js.
export const uploaders = {};

// sessionLost is a staff item refused because the session ended or its
// CSRF token changed: not final, the item waits until the officer signs in
// again (logistics.js, staff mode).
const sessionLost = (it, status, e) => it.staff && (status === 401 || (status === 403 && e.field === "csrf"));

export const items = async () => (await db.all("outbox")).sort((a, b) => b.created - a.created);

export async function add(item) {
  const now = Date.now();
  await db.put("outbox", { state: WAITING, attempts: 0, nextAt: now, created: now, photos: [], ...item });
}

// rekey replaces the waiting item id with next (a new id, wire and form:
// the report as an SMS carries it) in one transaction, its photos and its
// draft's link following. It refuses an item no longer waiting: one being
// sent may be stored under its old id.
export async function rekey(id, next) {
  return db.atomic(["outbox", "photos", "kv"], async (s, done) => {
    const it = await done(s.outbox.get(id));
    if (!it || it.state !== WAITING) throw new Error("Kiriman ini sedang dikirim atau sudah diterima; SMS tidak diperlukan.");
    for (const p of it.photos) {
      const blob = await done(s.photos.get(blobKey(id, p.page)));
      if (blob !== undefined) {
        s.photos.put(blob, blobKey(next.id, p.page));
        s.photos.delete(blobKey(id, p.page));
      }
    }
    const key = "draft:" + it.contest;
    const draft = await done(s.kv.get(key));
    if (draft && draft.sent === id) s.kv.put({ ...draft, sent: next.id }, key);
    const out = { ...it, ...next, nextAt: 0 };
    s.outbox.delete(id);
    s.outbox.put(out);
    return out;
  });
}

// settled forgets the draft of a form once the server holds it: until
// then the officer's typed numbers stay on the phone, to be corrected
// rather than typed again if the server refuses them.
async function settled(it) {
  if (!it.contest) return; // a survey has no draft
  const key = "draft:" + it.contest;
  await db.atomic(["kv"], async (s, done) => {
    const draft = await done(s.kv.get(key));
    if (draft && draft.sent === it.id) s.kv.delete(key);
  });
}

const pending = (it) => it.state === WAITING || it.state === SENDING ||
  (it.state === RECEIVED && it.photos.some((p) => p.state !== RECEIVED && p.state !== REFUSED));

function backoff(attempts) {
  const d = Math.min(retryMax(), BASE_DELAY * 2 ** attempts);
  return d / 2 + Math.random() * (d / 2);
}

export class Sync {
  constructor(device, onChange) {
    this.device = device;
    this.onChange = onChange;
    this.running = null;
    this.timer = 0;
    this.lastError = "";
    addEventListener("online", () => this.now());
    document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && this.now());
  }

  // now forgets every back-off and syncs at once: a link has appeared.
  async now() {
    for (const it of await db.all("outbox")) {
      if (pending(it)) await db.update("outbox", it.id, (x) => ({ ...x, nextAt: 0, photoNextAt: 0 }));
    }
    return this.run();
  }

  run() {
    if (!this.running) {
      this.running = this.pass().finally(() => {
        this.running = null;
        this.schedule();
      });
    }
    return this.running;
  }

  async schedule() {
    clearTimeout(this.timer);
    const waiting = (await db.all("outbox")).filter(pending);
    if (!waiting.length) return;
    const next = Math.min(...waiting.map((it) => (it.state === RECEIVED ? it.photoNextAt : it.nextAt) || 0));
    this.timer = setTimeout(() => this.run(), Math.max(250, next - Date.now()));
  }

  async pass() {
    // Numbers first, all of them, then photos: the count is what the desk
    // waits for, and it is a few hundred bytes. Oldest first: an arrival
    // goes before the proof of delivery recorded after it.
    for (const it of (await db.all("outbox")).sort((a, b) => a.created - b.created)) {
      if ((it.state === WAITING || it.state === SENDING) && (it.nextAt || 0) <= Date.now()) {
        const ok = await this.send(it);
        if (!ok) return; // no link: leave the rest for the next try
      }
    }
    for (const it of await db.all("outbox")) {
      if (it.state === RECEIVED && (it.photoNextAt || 0) <= Date.now()) {
        if (!(await this.sendPhotos(it))) return;
      }
    }
  }

  async change(id, fn) {
    const it = await db.update("outbox", id, fn);
    this.onChange && this.onChange(it);
    return it;
  }

  // send posts one submission; false means the link failed.
  async send(it) {
    // Read again in the transaction that marks it: the officer may have
    // turned it into an SMS report (rekey) since the pass listed it.
    it = await this.change(it.id, (x) => (x.state === WAITING || x.state === SENDING ? { ...x, state: SENDING } : undefined));
    if (!it) return true;
    // A logistics record names its photos, which the server must hold
    // before it takes the record: they go first.
    if (it.photosFirst && it.photos.some((p) => p.state !== RECEIVED && p.state !== REFUSED)) {
      if (!(await this.sendPhotos(it))) return this.retry(it, "Tidak ada sambungan");
    }
    const headers = { "Content-Type": "application/json" };
    if (it.relay) headers["X-Siaga-Relay"] = this.device.id;
    if (it.staff) {
      // The session's token as it is now: a new login changes it.
      const sess = await db.get("kv", "session");
      if (sess && sess.csrf) headers["X-CSRF-Token"] = sess.csrf;
    }
    let res, body;
    try {
      // A survey names its endpoint (survey.js); the count forms are the rest.
      res = await fetch(it.url || "/api/v1/submissions", { method: "POST", headers, body: it.wire, signal: AbortSignal.timeout(TIMEOUT) });
      body = await res.json().catch(() => null);
    } catch (err) {
      return this.retry(it, "Tidak ada sambungan");
    }
    if (res.status === 200 || res.status === 201) {
      await settled(it);
      await this.change(it.id, (x) => ({ ...x, state: RECEIVED, receipt: body, error: null, photoNextAt: 0 }));
      return true;
    }
    const e = (body && body.error) || {};
    if (sessionLost(it, res.status, e)) {
      await this.change(it.id, (x) => ({ ...x, state: WAITING, nextAt: Date.now() + retryMax(), error: { status: res.status, login: true,
        message: "Sesi berakhir; masuk lagi dengan akun Anda · Session ended; sign in again" } }));
      return true;
    }
    if (final(res.status)) {
      const message = e.message || `Server menolak (${res.status})`;
      await this.change(it.id, (x) => ({ ...x, state: REFUSED, error: { status: res.status, message, field: e.field || "" } }));
      return true;
    }
    return this.retry(it, `Server sibuk (${res.status})`);
  }

  async retry(it, why) {
    this.lastError = why;
    await this.change(it.id, (x) => ({
      ...x, state: WAITING, attempts: x.attempts + 1, nextAt: Date.now() + backoff(x.attempts), error: { message: why },
    }));
    return false;
  }

  async sendPhotos(it) {
    for (const p of it.photos) {
      if (p.state === RECEIVED || p.state === REFUSED) continue;
      try {
        const send = uploaders[it.kind] || upload;
        await send(this.device, it.id, p, {
          onProgress: (sent) => this.photoState(it.id, p.page, { sent }),
          // Kept with the item: a restart resumes under the same token.
          onToken: (token) => this.photoState(it.id, p.page, { token }),
        });
        await this.photoState(it.id, p.page, { state: RECEIVED, sent: p.size, error: "" });
      } catch (err) {
        if (err instanceof Refused) {
          await this.photoState(it.id, p.page, { state: REFUSED, error: err.message });
          continue;
        }
        const n = (it.photoAttempts || 0) + 1;
        await this.change(it.id, (x) => ({ ...x, photoAttempts: n, photoNextAt: Date.now() + backoff(n - 1) }));
        return false;
      }
    }
    await this.change(it.id, (x) => ({ ...x, photoAttempts: 0 }));
    return true;
  }

  photoState(id, page, patch) {
    return this.change(id, (x) => ({ ...x, photos: x.photos.map((p) => (p.page === page ? { ...p, ...patch } : p)) }));
  }
}

// mark changes an item outside a sync (what the officer did with it).
export const mark = (id, fn) => db.update("outbox", id, fn);
