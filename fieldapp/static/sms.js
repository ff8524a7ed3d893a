// The SMS fallback on the phone: a form written in the grammar of
// docs/sms.md, authenticated with the code computed here from the
// enrolment secret, opened in the phone's SMS app. A port of Go's
// sms.Compose, sms.Code and sms.SubmissionOf; TestSMSMatchesGo checks it
// against sms/testdata/vectors.json, which the Go side checks too.

export const MAX_LEN = 160;
const MAX_PARTS = 20;
const CODE_LEN = 8;
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CONTEXT = "siaga-sms-1\n";
// The namespace of sms.SubmissionOf's UUID v5.
const NAMESPACE = "a3f0c8e2-5b6d-4e1f-9c7a-2d8b4f6e1a90";
export const CORRECTION_REASON = "Koreksi lewat SMS";

// The administrative block, in the order of the paper form.
export const ADMIN_ORDER = [
  "pemilih_dpt_j", "pengguna_dpt_j", "pengguna_dptb_j", "pengguna_non_dpt_j",
  "pengguna_total_j", "suara_sah", "suara_tidak_sah", "suara_total",
];
const TOKEN = { ppwp: "P", dpr: "DPR", dpd: "DPD", dprd_prov: "PROV", dprd_kab: "KAB" };
const legislative = (c) => c === "dpr" || c === "dprd_prov" || c === "dprd_kab";

const utf8 = new TextEncoder();

// Code is the authentication code of a canonical text: the first 40 bits
// of HMAC-SHA256(secret, "siaga-sms-1\n" + text) in Crockford base32.
export async function code(secret, text) {
  const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sum = new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8.encode(CONTEXT + text)));
  let bits = 0; // 40 bits fit a double exactly
  for (const b of sum.subarray(0, 5)) bits = bits * 256 + b;
  let out = "";
  for (let i = 0; i < CODE_LEN; i++) {
    out = CROCKFORD[bits % 32] + out;
    bits = Math.floor(bits / 32);
  }
  return out;
}

// secretBytes decodes the enrolment secret as the server sends it (base64).
export const secretBytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

// ballotOf is the order in which an SMS lists a contest's numbers (Go's
// sms.NewBallot), from the TPS's ballot as the app downloaded it.
export function ballotOf(app, contest) {
  if (contest === "ppwp") return { options: app.tickets.map((t) => t.number) };
  const d = (app.dapil || []).find((x) => x.contest === contest);
  const cands = [...((d && d.candidates) || [])].sort((a, b) => (a.party || 0) - (b.party || 0) || a.number - b.number);
  if (!legislative(contest)) return { options: cands.map((c) => c.id) };
  const lists = {};
  for (const p of app.parties) lists[p.number] = [];
  for (const c of cands) (lists[c.party] ||= []).push(c.id);
  return { lists };
}

// SMSError is a form that the grammar cannot carry; its message is for the
// officer.
export class SMSError extends Error {}

// bodyTokens writes the form in the order the server reads it.
function bodyTokens(sub, b) {
  const f = sub.form || {};
  const a = f.administrasi || {};
  const out = ADMIN_ORDER.map((k) => (k in a ? String(a[k]) : "-"));
  const s = f.suara;
  if (!s) throw new SMSError("Perolehan suara belum diisi; SMS harus memuat suara.");
  if (!legislative(sub.contest)) {
    for (const o of b.options) {
      const n = (s.pilihan || {})[o];
      if (n === undefined) throw new SMSError(`Suara ${o} belum diisi; SMS memuat suara setiap pilihan (tulis 0 bila tidak ada).`);
      out.push(String(n));
    }
    return out;
  }
  const keys = Object.keys(s.partai || {}).map(Number).sort((x, y) => x - y);
  if (!keys.length) throw new SMSError("Belum ada suara partai; SMS harus memuat suara.");
  for (const k of keys) {
    const p = s.partai[String(k)];
    const caleg = p.caleg || {};
    out.push("P" + k, String(p.suara_partai || 0));
    const list = b.lists[k] || [];
    let last = -1;
    list.forEach((id, i) => { if (id in caleg) last = i; });
    // A blank candidate before the last one written is written as 0.
    for (const id of list.slice(0, last + 1)) out.push(String(caleg[id] || 0));
    if (p.jumlah !== undefined && p.jumlah !== null) out.push("=" + p.jumlah);
  }
  return out;
}

const header = (sub) => `SGA ${sub.tps} ${TOKEN[sub.contest]}` + (sub.replaces > 0 ? ` R${sub.replaces}` : "");
const join = (tokens) => tokens.map((t) => " " + t).join("");

async function sign(text, secret) {
  return text + " K" + (await code(secret, text));
}

// chunk splits tokens into runs of at most room characters, counting the
// space before each; null when a token alone does not fit.
function chunk(tokens, room) {
  const out = [];
  let cur = [], used = 0;
  for (const t of tokens) {
    if (t.length + 1 > room) return null;
    if (used + t.length + 1 > room) {
      out.push(cur);
      cur = [];
      used = 0;
    }
    cur.push(t);
    used += t.length + 1;
  }
  if (cur.length) out.push(cur);
  return out;
}

// compose writes sub as the SMS texts to send: one when it fits in 160
// characters, else as few parts as fit, each marked i/n/id and with its
// own code.
export async function compose(sub, b, secret, id) {
  const body = bodyTokens(sub, b);
  const head = header(sub);
  const one = await sign(head + join(body), secret);
  if (one.length <= MAX_LEN) return [one];
  id = String(id || "").toUpperCase().replace(/-/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (!/^[0-9A-HJKMNP-TV-Z]{1,4}$/.test(id)) throw new Error(`part id ${id} must be 1 to 4 Crockford base32 characters`);
  for (let parts = 2; parts <= MAX_PARTS; parts++) {
    const room = MAX_LEN - head.length - ` ${parts}/${parts}/${id}`.length - " K".length - CODE_LEN;
    const chunks = chunk(body, room);
    if (!chunks || chunks.length > parts) continue;
    return Promise.all(chunks.map((c, i) => sign(`${head} ${i + 1}/${chunks.length}/${id}${join(c)}`, secret)));
  }
  throw new SMSError(`Formulir ini tidak muat dalam ${MAX_PARTS} SMS.`);
}

// partID picks the id that ties the parts of one report together.
export function partID() {
  const r = crypto.getRandomValues(new Uint8Array(2));
  return CROCKFORD[r[0] % 32] + CROCKFORD[r[1] % 32];
}

// carried is the form as the server reads it back from the SMS: the eight
// totals of the administrative block (the L/P columns and the ballot stock
// do not travel), every option, and each party's candidates up to the
// last one written, blanks before it as 0.
export function carried(sub, b) {
  const f = sub.form || {};
  const a = f.administrasi || {};
  bodyTokens(sub, b); // refuses what the grammar cannot carry
  const admin = {};
  for (const k of ADMIN_ORDER) if (k in a) admin[k] = a[k];
  const out = {};
  if (Object.keys(admin).length) out.administrasi = admin;
  if (!legislative(sub.contest)) {
    out.suara = { pilihan: Object.fromEntries(b.options.map((o) => [o, f.suara.pilihan[o]])) };
    return out;
  }
  const partai = {};
  for (const [k, p] of Object.entries(f.suara.partai)) {
    const caleg = p.caleg || {};
    const list = b.lists[Number(k)] || [];
    let last = -1;
    list.forEach((id, i) => { if (id in caleg) last = i; });
    const q = { suara_partai: p.suara_partai || 0 };
    if (last >= 0) q.caleg = Object.fromEntries(list.slice(0, last + 1).map((id) => [id, caleg[id] || 0]));
    if (p.jumlah !== undefined && p.jumlah !== null) q.jumlah = p.jumlah;
    partai[String(Number(k))] = q;
  }
  out.suara = { partai };
  return out;
}

// uuid5 is RFC 4122's name-based UUID (SHA-1), as Go's uuid.NewSHA1.
async function uuid5(namespace, name) {
  const ns = Uint8Array.from(namespace.replace(/-/g, "").match(/../g), (h) => parseInt(h, 16));
  const data = new Uint8Array([...ns, ...utf8.encode(name)]);
  const h = new Uint8Array(await crypto.subtle.digest("SHA-1", data)).subarray(0, 16);
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = [...h].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// submission is the submission the server makes of the SMS of sub from
// device (sms.SubmissionOf): its id is a function of the device and the
// report, its form what the SMS carries, and a correction's reason the
// fixed one. Sent over HTTP later it is the same submission, so the
// server answers it with the SMS's receipt and stores the form once.
export async function submission(device, sub, b) {
  const out = {
    contest: sub.contest, device: device.id, form: carried(sub, b), source: device.source, tps: sub.tps,
    id: await uuid5(NAMESPACE, device.id + "\n" + header(sub) + join(bodyTokens(sub, b))),
  };
  if (sub.replaces > 0) Object.assign(out, { replaces: sub.replaces, reason: CORRECTION_REASON });
  return out;
}

// uri opens the phone's SMS app with the text filled in.
export const uri = (number, text) => `sms:${number}?body=${encodeURIComponent(text)}`;
