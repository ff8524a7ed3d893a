// Incident reports. A KPPS or PTPS phone reports trouble at its own TPS
// (money politics, intimidation, a flood, a missing box…) with or without
// signal: the report is signed with the phone's key over
// "siaga-incident\n" + its JSON text exactly as sent and waits in the same
// outbox as the count forms; its id is the outbox item's, so a resend is
// the same report. Up to three photos, shrunk here as a form's pages are,
// follow the report once the server has given it a number. The phone
// reads where its own reports stand with a signed read.
import { el, STATE_LABEL, when } from "./dom.js";
import * as db from "./db.js";
import * as outbox from "./outbox.js";
import { signIncident } from "./device.js";
import { compress, blobKey, Refused } from "./photos.js";

// The categories and severities of the root contract (incident.go), in
// its order, with the words the officer reads.
const CATEGORIES = [
  ["kekerasan", "Kekerasan · Violence"],
  ["intimidasi", "Intimidasi · Intimidation"],
  ["politik_uang", "Politik uang · Vote buying"],
  ["logistik", "Logistik · Logistics"],
  ["bencana", "Bencana · Disaster"],
  ["jaringan", "Sinyal/listrik padam · Network or power outage"],
  ["hoaks", "Hoaks · Hoax"],
  ["netralitas", "Netralitas pejabat · Officials taking sides"],
  ["prosedur", "Prosedur dilanggar · Procedure broken"],
  ["lainnya", "Lainnya · Other"],
];
const SEVERITIES = [
  ["rendah", "Rendah · Low"], ["sedang", "Sedang · Medium"], ["tinggi", "Tinggi · High"], ["kritis", "Kritis · Critical"],
];
const STATUS = {
  baru: "Baru, menunggu verifikasi · New, awaiting review", terverifikasi: "Terverifikasi · Verified",
  ditolak: "Ditolak · Rejected", ditugaskan: "Ditugaskan · Assigned", ditangani: "Ditangani · In hand", selesai: "Selesai · Closed",
};
const AGENCY = {
  polri: "Polri", tni: "TNI", bawaslu: "Bawaslu/Gakkumdu", kejaksaan: "Kejaksaan", bpbd: "BPBD",
  diskominfo: "Diskominfo", kpu: "KPU", pemprov: "Pemprov",
};
const label = (list, k) => (list.find(([x]) => x === k) || [k, k])[1];

export const MAX_PHOTOS = 3;
const MAX_TEXT = 4000;
const KIND = "insiden";

// --- sending -----------------------------------------------------------------

// uploadPhoto sends one photo of a report after the report: POST with
// the bytes to the report's number the server gave, signed over the
// request line and the bytes' SHA-256. Registered with the outbox.
async function uploadPhoto(device, id, photo) {
  const it = await db.get("outbox", id);
  const blob = await db.get("photos", blobKey(id, photo.page));
  if (!blob) throw new Refused("Berkas foto hilang dari ponsel · The photo file is gone from the phone");
  if (!it || !it.receipt || !it.receipt.id) throw new Error("laporan belum bernomor");
  const path = `/api/v1/field/incidents/${it.receipt.id}/evidence`;
  const sig = await signIncident(device, "POST " + path + "\n" + photo.sha256);
  const res = await fetch(path, {
    method: "POST", body: blob, credentials: "omit", signal: AbortSignal.timeout(120000),
    headers: { "Content-Type": blob.type || "application/octet-stream", "X-Siaga-Device": device.id, "X-Siaga-SHA256": photo.sha256, "X-Siaga-Signature": sig },
  });
  if (res.ok) return;
  const body = await res.json().catch(() => null);
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    throw new Refused((body && body.error && body.error.message) || `Server menolak foto (${res.status})`);
  }
  throw new Error(`server ${res.status}`);
}
outbox.uploaders[KIND] = uploadPhoto;

// queue signs a report and puts it in the outbox with its photos, whose
// blobs are stored first.
async function queue(state, item, photos) {
  const text = JSON.stringify(item);
  const signature = await signIncident(state.device, text);
  for (const [i, p] of photos.entries()) await db.put("photos", p.blob, blobKey(item.id, i + 1));
  await outbox.add({
    id: item.id, kind: KIND, url: "/api/v1/field/incidents", wire: `{"incident":${text},"signature":${JSON.stringify(signature)}}`,
    summary: `${label(CATEGORIES, item.category)} · ${label(SEVERITIES, item.severity)}: ${item.text.slice(0, 80)}`,
    photos: photos.map((p, i) => ({ page: i + 1, pages: photos.length, sha256: p.sha256, size: p.size, state: "menunggu", sent: 0 })),
  });
  state.sync.now();
}

// signedRead GETs the phone's own reports. The server refuses a read more
// than 15 minutes off its time and says its time: the phone keeps the
// difference (shared with logistics) and reads again once.
async function signedRead(device, retried = false) {
  const path = "/api/v1/field/incidents";
  const offset = (await db.get("kv", "logistik:clock")) || 0;
  const at = new Date(Date.now() + offset).toISOString().replace(/\.\d+Z$/, "Z");
  const sig = await signIncident(device, "GET " + path + "\n" + at);
  const res = await fetch(path, {
    credentials: "omit", cache: "no-store", signal: AbortSignal.timeout(30000),
    headers: { "X-Siaga-Device": device.id, "X-Siaga-At": at, "X-Siaga-Signature": sig },
  });
  const body = await res.json().catch(() => null);
  const server = res.headers.get("X-Siaga-Server-Time");
  if (res.status === 401 && server && !retried && body && body.error && body.error.field === "at") {
    await db.put("kv", Date.parse(server) - Date.now(), "logistik:clock");
    return signedRead(device, true);
  }
  if (!res.ok) throw new Error((body && body.error && body.error.message) || `server ${res.status}`);
  return body;
}

// --- screens -----------------------------------------------------------------

// screen routes #/insiden (the phone's reports) and #/insiden/baru (a new one).
export async function screen(main, state, [arg]) {
  if (arg === "baru") return newScreen(main, state);
  return listScreen(main, state);
}

async function listScreen(main, state) {
  const status = el("p", { class: "muted", id: "in-read", role: "status" }, "Membaca status… · Reading the status…");
  const list = el("ul", { class: "outbox", id: "in-list" });
  const queued = (await outbox.items()).filter((it) => it.kind === KIND);
  main.replaceChildren(
    el("section", { class: "card" }, el("h2", {}, "Laporan insiden · Incident reports"),
      el("p", { class: "muted" }, `TPS ${state.device.tps}. Laporkan kejadian di TPS Anda; laporan menunggu sinyal di kotak keluar. · Report trouble at your TPS; reports wait for signal in the outbox.`),
      el("a", { class: "button primary", href: "#/insiden/baru", id: "in-new" }, "Laporkan insiden · Report an incident")),
    el("h3", {}, "Di kotak keluar · In the outbox"),
    queued.length ? el("ul", { class: "outbox", id: "in-outbox" }, ...queued.map(itemView)) : el("p", { class: "muted" }, "Kosong · Empty"),
    el("h3", {}, "Status di server · Status on the server"), status, list,
    el("a", { class: "button secondary", href: "#/" }, "Kembali · Back"));
  let items = (await db.get("kv", "insiden:list")) || null;
  try {
    const body = await signedRead(state.device);
    items = body.items;
    await db.put("kv", items, "insiden:list");
    status.textContent = `${items.length} laporan · reports`;
  } catch (err) {
    status.textContent = items ? "Tanpa sinyal: status terakhir yang terbaca · No signal: the status last read"
      : "Tanpa sinyal; status dibaca saat ada sinyal · No signal; the status is read when there is signal";
  }
  list.replaceChildren(...(items || []).map((x) => el("li", { class: "item", "data-incident": x.id, "data-status": x.status },
    el("div", { class: "head" }, el("b", {}, `#${x.id} ${label(CATEGORIES, x.category)}`), el("span", { class: "badge" }, STATUS[x.status] || x.status)),
    el("p", {}, x.title),
    x.agency ? el("p", {}, "Instansi · Agency: ", AGENCY[x.agency] || x.agency) : null,
    el("small", {}, `${when(Date.parse(x.occurred_at))} · foto · photos: ${x.evidence}`))));
}

// localNow is now as a datetime-local value in the phone's zone.
function localNow() {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

function newScreen(main, state) {
  const d = state.device;
  const category = el("select", { id: "in-category", required: true },
    el("option", { value: "" }, "Pilih · Choose"), ...CATEGORIES.map(([k, name]) => el("option", { value: k }, name)));
  const severity = el("fieldset", { class: "choice", id: "in-severity" }, el("legend", {}, "Tingkat · Severity"),
    ...SEVERITIES.map(([k, name]) => el("label", { class: "pick" },
      el("input", { type: "radio", name: "severity", value: k, checked: k === "sedang" }), el("span", {}, name))));
  const occurred = el("input", { type: "datetime-local", id: "in-time", value: localNow(), required: true });
  const text = el("textarea", { id: "in-text", rows: 5, maxlength: MAX_TEXT, required: true,
    placeholder: "Apa yang terjadi, siapa, berapa orang · What happened, who, how many" });
  const photos = photoPicker();
  const msg = el("p", { class: "status error", id: "in-status", role: "alert" });
  const f = el("form", { id: "in-form", class: "card" },
    el("h2", {}, "Laporkan insiden · Report an incident"),
    el("p", { class: "muted" }, `TPS ${d.tps}`),
    el("label", { class: "row wide" }, el("span", {}, "Kategori · Category"), category),
    severity,
    el("label", { class: "row wide" }, el("span", {}, "Waktu kejadian · When it happened"), occurred),
    el("label", { class: "row wide" }, el("span", {}, "Uraian · Description"), text),
    photos.node,
    msg,
    el("div", { class: "sendbar" }, el("button", { type: "submit", class: "button primary", id: "in-send" }, "Simpan dan kirim · Save and send")),
    el("a", { class: "button secondary", href: "#/insiden" }, "Kembali · Back"));
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const sev = (f.querySelector("input[name=severity]:checked") || {}).value;
    if (!category.value) return (msg.textContent = "Pilih kategori · Pick a category");
    if (!text.value.trim()) return (msg.textContent = "Tulis uraian kejadian · Write what happened");
    if (!occurred.value) return (msg.textContent = "Isi waktu kejadian · Fill in when it happened");
    const item = {
      id: crypto.randomUUID(), device: d.id, tps: d.tps, category: category.value, severity: sev || "sedang",
      occurred_at: new Date(occurred.value).toISOString(), text: text.value.trim(),
    };
    if (photos.taken.length) item.photos = photos.taken.length;
    f.querySelector("#in-send").disabled = true;
    await queue(state, item, photos.taken);
    location.hash = "#/insiden";
  });
  main.replaceChildren(f);
}

// photoPicker lets the officer take up to three photos, each shrunk as a
// form's page is (photos.js).
function photoPicker() {
  const taken = [];
  const list = el("ul", { class: "photos", id: "in-photos" });
  const input = el("input", { type: "file", accept: "image/*", capture: "environment", id: "in-photo", class: "visually-hidden" });
  const lbl = el("label", { class: "button small", for: "in-photo" }, "Foto · Photo");
  const status = el("p", { class: "status", role: "status" });
  input.addEventListener("change", async () => {
    for (const f of input.files) {
      if (taken.length >= MAX_PHOTOS) {
        status.textContent = `Paling banyak ${MAX_PHOTOS} foto · At most ${MAX_PHOTOS} photos`;
        break;
      }
      status.textContent = "Mengecilkan foto… · Shrinking the photo…";
      try {
        const p = await compress(f);
        taken.push(p);
        list.append(el("li", { "data-sha": p.sha256 }, `${p.width}×${p.height}, ${Math.round(p.size / 1024)} KB`));
        status.textContent = "";
      } catch {
        status.textContent = "Berkas ini bukan foto · This file is not a photo";
      }
    }
    input.value = "";
  });
  return { node: el("fieldset", {}, el("legend", {}, `Foto (paling banyak ${MAX_PHOTOS}) · Photos (up to ${MAX_PHOTOS})`), list, input, lbl, status), taken };
}

// --- in the outbox -----------------------------------------------------------

export function itemView(it) {
  const r = it.receipt;
  const photosDone = it.photos.filter((p) => p.state === "diterima").length;
  return el("li", { class: "item insiden " + it.state, "data-id": it.id, "data-state": it.state, "data-kind": KIND, "data-incident": r ? r.id : null },
    el("div", { class: "head" }, el("b", {}, "Insiden · Incident" + (r ? ` #${r.id}` : "")), el("span", { class: "badge" }, STATE_LABEL[it.state])),
    el("p", {}, it.summary),
    r && r.message ? el("p", { class: "in-message" }, r.message, el("br"), el("small", {}, r.en)) : null,
    it.photos.length ? el("p", { class: "photos-state", "data-done": photosDone, "data-total": it.photos.length },
      `Foto · Photos: ${photosDone} dari · of ${it.photos.length}`) : null,
    ...it.photos.filter((p) => p.state === "ditolak").map((p) => el("p", { class: "error" }, `Foto ${p.page}: ${p.error}`)),
    el("small", {}, when(it.created)),
    it.state === "ditolak" && it.error ? el("p", { class: "error" }, "Alasan · Reason: " + it.error.message) : null,
    it.state === "menunggu" && it.error && it.attempts ? el("p", { class: "muted" }, `${it.error.message}; dicoba lagi otomatis · retried automatically`) : null);
}
