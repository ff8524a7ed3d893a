// Logistics mode. A KPPS phone receives its TPS's kit: the shipments bound
// for the TPS are read with a signed request and kept on the phone, so
// that the arrival and the proof of delivery (BTTB: counted, damaged,
// wrong dapil per line, the receiver's name, photos) can be recorded with
// no signal; after voting it hands the sealed boxes over to the PPS. Each
// record is signed with the phone's key over "siaga-logistics\n" + its JSON
// text exactly as sent and waits in the same outbox as the count forms.
//
// The staff mode is for escorts (aparat) and logistics officers, who have
// accounts, not enrolled phones: signed in once on the web, the app lists
// the shipments of their scope that are not delivered and records status
// events offline, sent later with the session cookie and its CSRF token.
import { el, STATE_LABEL, when } from "./dom.js";
import * as db from "./db.js";
import * as outbox from "./outbox.js";
import { signLogistics } from "./device.js";
import { compress, blobKey, Refused } from "./photos.js";

const ITEMS = {
  surat_suara_ppwp: "Surat suara Presiden · PPWP ballots",
  surat_suara_dpr: "Surat suara DPR RI · DPR ballots",
  surat_suara_dpd: "Surat suara DPD RI · DPD ballots",
  surat_suara_dprd_prov: "Surat suara DPRD Provinsi · Provincial DPRD ballots",
  surat_suara_dprd_kab: "Surat suara DPRD Kab/Kota · Regency DPRD ballots",
  kotak_suara: "Kotak suara · Ballot boxes",
  bilik_suara: "Bilik suara · Voting booths",
  tinta: "Tinta · Ink",
  segel: "Segel · Seals",
  formulir_c_hasil: "Formulir C.Hasil · C.Hasil forms",
  formulir_c_salinan: "Formulir C.Salinan · C.Salinan forms",
  salinan_dpt: "Salinan DPT/DPTb/DCT · Voter list copies",
  alat_tulis: "Alat tulis · Stationery",
};
const itemName = (i) => ITEMS[i] || i;

const STATUS = {
  direncanakan: "Direncanakan · Planned", berangkat: "Dalam perjalanan · On its way", tertahan: "Tertahan · Held",
  tiba: "Tiba, belum dihitung · Arrived, not counted", diterima: "Diterima (BTTB) · Delivered", dibatalkan: "Dibatalkan · Cancelled",
};
const MODES = { truk: "truk · truck", minibus: "minibus", kapal: "kapal · boat", motor: "motor · motorbike", jalan_kaki: "jalan kaki · on foot" };

const EVENTS = [
  ["berangkat", "Berangkat · Departed"], ["posisi", "Posisi · Position"], ["tertahan", "Tertahan · Held"],
  ["lanjut", "Lanjut · Resumed"], ["tiba", "Tiba · Arrived"],
];
const eventName = (k) => (EVENTS.find(([x]) => x === k) || [k, k])[1];

// Roles that record status events in the staff mode: the escorts and
// KPU's logistics officers (the server decides which shipments).
const STAFF_ROLES = ["aparat", "logistik", "ppk", "kpu_kab", "kpu_prov"];

const MAX_PHOTOS = 3;
const uuid = () => crypto.randomUUID();
const isoNow = () => new Date().toISOString();

// --- the signed read of the TPS's shipments ----------------------------------

// signedRead GETs path signed by the phone. The server refuses a read more
// than 15 minutes from its time and says its time: the phone keeps the
// difference and reads again once.
async function signedRead(device, path, retried = false) {
  const offset = (await db.get("kv", "logistik:clock")) || 0;
  const at = new Date(Date.now() + offset).toISOString().replace(/\.\d+Z$/, "Z");
  const sig = await signLogistics(device, "GET " + path + "\n" + at);
  const res = await fetch(path, {
    credentials: "omit", cache: "no-store", signal: AbortSignal.timeout(30000),
    headers: { "X-Siaga-Device": device.id, "X-Siaga-At": at, "X-Siaga-Signature": sig },
  });
  const body = await res.json().catch(() => null);
  const server = res.headers.get("X-Siaga-Server-Time");
  if (res.status === 401 && server && !retried && body && body.error && body.error.field === "at") {
    await db.put("kv", Date.parse(server) - Date.now(), "logistik:clock");
    return signedRead(device, path, true);
  }
  if (!res.ok) throw new Error((body && body.error && body.error.message) || `server ${res.status}`);
  return body;
}

// tpsShipments returns the TPS's shipments, from the server when there is
// signal (kept on the phone), else as last read.
async function tpsShipments(device) {
  try {
    const body = await signedRead(device, `/api/v1/logistics/field/shipments/${device.tps}`);
    const cached = { items: body.items, total: body.total, fetched: Date.now() };
    await db.put("kv", cached, "logistik:shipments");
    return { ...cached, fresh: true };
  } catch (err) {
    const cached = (await db.get("kv", "logistik:shipments")) || { items: [], total: 0, fetched: 0 };
    return { ...cached, fresh: false, error: err.message };
  }
}

// --- photos ------------------------------------------------------------------

// photoPicker lets the officer take up to three photos, each shrunk as a
// form's page is (photos.js).
function photoPicker() {
  const taken = [];
  const list = el("ul", { class: "photos", id: "lg-photos" });
  const input = el("input", { type: "file", accept: "image/*", capture: "environment", id: "lg-photo", class: "visually-hidden" });
  const label = el("label", { class: "button small", for: "lg-photo" }, "Foto · Photo");
  const status = el("p", { class: "status", role: "status" });
  input.addEventListener("change", async () => {
    for (const f of input.files) {
      if (taken.length >= MAX_PHOTOS) {
        status.textContent = `Paling banyak ${MAX_PHOTOS} foto · At most ${MAX_PHOTOS} photos`;
        break;
      }
      status.textContent = "Mengecilkan foto… · Shrinking the photo…";
      const p = await compress(f);
      taken.push(p);
      list.append(el("li", { "data-sha": p.sha256 }, `${p.width}×${p.height}, ${Math.round(p.size / 1024)} KB`));
      status.textContent = "";
    }
    input.value = "";
  });
  return { node: el("fieldset", {}, el("legend", {}, `Foto (paling banyak ${MAX_PHOTOS}) · Photos (up to ${MAX_PHOTOS})`), list, input, label, status), taken };
}

// uploadPhoto sends one photo of an item, before the item (the server
// takes a BTTB only with its photos in): PUT with the bytes, the phone's
// signature of the request line. Registered with the outbox.
async function uploadPhoto(device, id, photo) {
  const blob = await db.get("photos", blobKey(id, photo.page));
  if (!blob) throw new Refused("Berkas foto hilang dari ponsel · The photo file is gone from the phone");
  const path = `/api/v1/logistics/field/photos/${device.tps}/${photo.sha256}`;
  const sig = await signLogistics(device, "PUT " + path);
  const res = await fetch(path, {
    method: "PUT", body: blob, credentials: "omit", signal: AbortSignal.timeout(120000),
    headers: { "Content-Type": "application/octet-stream", "X-Siaga-Device": device.id, "X-Siaga-Signature": sig },
  });
  if (res.ok) return;
  const body = await res.json().catch(() => null);
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    throw new Refused((body && body.error && body.error.message) || `Server menolak foto (${res.status})`);
  }
  throw new Error(`server ${res.status}`);
}
outbox.uploaders.logistik = uploadPhoto;

// queue signs an item of the phone's and puts it in the outbox with its
// photos, whose blobs are stored first.
async function queue(state, { what, url, field, item, summary, photos = [] }) {
  const text = JSON.stringify(item);
  const signature = await signLogistics(state.device, text);
  const wire = `{"${field}":${text},"signature":${JSON.stringify(signature)}}`;
  for (const [i, p] of photos.entries()) await db.put("photos", p.blob, blobKey(item.id, i + 1));
  await outbox.add({
    id: item.id, kind: "logistik", what, url, wire, summary, shipment: item.shipment || "", photosFirst: true,
    photos: photos.map((p, i) => ({ page: i + 1, pages: photos.length, sha256: p.sha256, size: p.size, state: "menunggu", sent: 0 })),
  });
  state.sync.now();
}

const mine = async (shipment) => (await outbox.items()).filter((it) => it.kind === "logistik" && it.shipment === shipment);

// --- screens -----------------------------------------------------------------

// screen routes #/logistik/…: the menu, the TPS's shipments, one shipment,
// the boxes' handover, the staff mode.
export async function screen(main, state, parts) {
  const [sub, arg] = parts;
  if (sub === "staf") return staffScreen(main, state, arg);
  if (!state.device) return staffScreen(main, state);
  if (sub === "terima" && arg) return shipmentScreen(main, state, arg);
  if (sub === "terima") return receiveScreen(main, state);
  if (sub === "kotak") return handoverScreen(main, state);
  return menu(main, state);
}

function menu(main, state) {
  const d = state.device;
  main.replaceChildren(el("section", { class: "card", id: "lg-menu" },
    el("h2", {}, "Logistik · Logistics"),
    el("p", { class: "muted" }, `TPS ${d.tps}`),
    d.role && d.role !== "kpps" ? el("p", { class: "warn" }, "Hanya ponsel KPPS yang mencatat logistik TPS · Only a KPPS phone records a TPS's logistics") : null,
    el("div", { class: "contests" },
      el("a", { class: "button contest", href: "#/logistik/terima", id: "lg-receive" }, "Terima logistik · Receive logistics",
        el("small", {}, "Kedatangan dan BTTB · Arrival and proof of delivery")),
      el("a", { class: "button contest", href: "#/logistik/kotak", id: "lg-handover-open" }, "Serah terima kotak · Hand over the boxes",
        el("small", {}, "Setelah pemungutan suara, ke PPS · After voting, to the PPS"))),
    el("a", { class: "button secondary", href: "#/" }, "Kembali · Back")));
}

function shipmentFacts(sh) {
  const sea = sh.sea ? ` · ${sh.sea.vessel} dari · from ${sh.sea.port}` : "";
  return `${sh.waybill} · dari · from ${sh.from} · ${MODES[sh.mode] || sh.mode}${sea}${sh.escort ? " · " + sh.escort : ""}`;
}

async function receiveScreen(main, state) {
  const card = el("section", { class: "card", id: "lg-list" }, el("h2", {}, "Terima logistik · Receive logistics"),
    el("p", { class: "muted" }, "Memuat… · Loading…"));
  main.replaceChildren(card, el("a", { class: "button secondary", href: "#/logistik" }, "Kembali · Back"));
  const got = await tpsShipments(state.device);
  const note = got.fresh
    ? el("p", { class: "muted", id: "lg-fresh" }, `${got.items.length} dari ${got.total} kiriman · ${got.items.length} of ${got.total} shipments`)
    : el("p", { class: "warn", id: "lg-fresh" }, got.fetched
      ? `Tanpa sinyal: daftar per ${when(got.fetched)} · No signal: the list as of ${when(got.fetched)}`
      : "Daftar kiriman belum pernah terunduh; perlu sinyal sekali · The list has never been downloaded; it needs signal once");
  const queued = (await outbox.items()).filter((it) => it.kind === "logistik");
  card.replaceChildren(card.firstChild, note, el("ul", { class: "outbox" }, ...got.items.map((sh) => {
    const local = queued.filter((it) => it.shipment === sh.id);
    const bttb = local.find((it) => it.what === "delivery" && it.state !== "ditolak");
    return el("li", { class: "item", "data-shipment": sh.id, "data-status": sh.status },
      el("div", { class: "head" }, el("b", {}, sh.follow_up_of ? "Susulan · Follow-up " + sh.waybill : sh.waybill),
        el("span", { class: "badge" }, bttb ? "BTTB: " + STATE_LABEL[bttb.state] : STATUS[sh.status] || sh.status)),
      el("p", {}, shipmentFacts(sh)),
      el("small", {}, `Rencana tiba · Planned arrival ${when(Date.parse(sh.planned_arrival))}`),
      el("div", { class: "actions" }, el("a", { class: "button small primary", href: "#/logistik/terima/" + sh.id }, "Buka · Open")));
  })));
}

function numberInput(attrs, value) {
  return el("input", { type: "text", inputmode: "numeric", autocomplete: "off", maxlength: 7, "data-f": "1", value: String(value), ...attrs });
}

// count reads a typed count: digits only, blank is 0.
function count(input) {
  const t = input.value.trim();
  if (t === "") return 0;
  return /^\d+$/.test(t) ? Number(t) : NaN;
}

async function shipmentScreen(main, state, id) {
  const cached = (await db.get("kv", "logistik:shipments")) || { items: [] };
  const sh = cached.items.find((x) => x.id === id);
  if (!sh) return receiveScreen(main, state);
  const d = state.device;
  const local = await mine(sh.id);
  const arrival = local.find((it) => it.what === "event" && it.state !== "ditolak");
  const bttb = local.find((it) => it.what === "delivery" && it.state !== "ditolak");
  const head = el("section", { class: "card", id: "lg-shipment", "data-shipment": sh.id },
    el("h2", {}, "Kiriman · Shipment " + sh.waybill),
    el("p", {}, shipmentFacts(sh)),
    el("p", {}, "Status: ", el("b", {}, STATUS[sh.status] || sh.status)),
    el("ul", {}, ...sh.lines.map((l) => el("li", {}, `${itemName(l.item)}${l.dapil ? " (" + l.dapil + ")" : ""}: ${l.qty}`))));
  const back = el("a", { class: "button secondary", href: "#/logistik/terima" }, "Kembali · Back");
  if (bttb) {
    main.replaceChildren(head, el("section", { class: "card" },
      el("p", {}, "BTTB sudah disimpan · The proof of delivery is saved: ", el("b", {}, STATE_LABEL[bttb.state])),
      bttb.receipt ? el("p", { class: "lg-message" }, bttb.receipt.message) : null), back);
    return;
  }
  const arriveBtn = el("button", { type: "button", class: "button secondary", id: "lg-arrive" }, "Catat tiba · Record arrival");
  arriveBtn.addEventListener("click", async () => {
    arriveBtn.disabled = true;
    const item = { id: uuid(), device: d.id, tps: d.tps, shipment: sh.id, kind: "tiba", at: isoNow() };
    await queue(state, { what: "event", url: "/api/v1/logistics/field/events", field: "event", item,
      summary: `Tiba · Arrived: ${sh.waybill}` });
    shipmentScreen(main, state, id);
  });
  const arrived = arrival || sh.status === "tiba" || sh.status === "diterima";

  const rows = sh.lines.map((l, i) => el("fieldset", { class: "lg-line", "data-line": i },
    el("legend", {}, `${itemName(l.item)}${l.dapil ? " · " + l.dapil : ""}`),
    el("p", { class: "muted" }, `Menurut surat jalan · On the waybill: ${l.qty}`),
    el("label", { class: "row" }, el("span", {}, "Baik, dihitung · Counted good"), numberInput({ "data-k": "counted" }, l.qty)),
    el("label", { class: "row" }, el("span", {}, "Rusak · Damaged"), numberInput({ "data-k": "damaged" }, 0)),
    el("label", { class: "row" }, el("span", {}, "Salah dapil · Wrong dapil"), numberInput({ "data-k": "wrong_dapil" }, 0))));
  const receiver = el("input", { type: "text", id: "lg-receiver", autocomplete: "name", maxlength: 200, value: (await db.get("kv", "logistik:receiver")) || "" });
  const note = el("input", { type: "text", id: "lg-note", maxlength: 500 });
  const photos = photoPicker();
  const msg = el("p", { class: "status error", id: "lg-status", role: "alert" });
  const f = el("form", { id: "lg-bttb", class: "card" },
    el("h2", {}, "Bukti tanda terima (BTTB) · Proof of delivery"),
    el("p", { class: "muted" }, "Hitung setiap barang. Isian sudah berisi jumlah di surat jalan; ubah yang berbeda. · Count every item. The boxes hold the waybill's quantities; change what differs."),
    ...rows,
    el("label", { class: "row wide" }, el("span", {}, "Nama penerima · Receiver's name"), receiver),
    photos.node,
    el("label", { class: "row wide" }, el("span", {}, "Catatan · Note"), note),
    msg,
    el("div", { class: "sendbar" }, el("button", { type: "submit", class: "button primary", id: "lg-bttb-send" }, "Simpan dan kirim BTTB · Save and send")));
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const lines = [];
    for (const [i, l] of sh.lines.entries()) {
      const v = Object.fromEntries([...f.querySelectorAll(`[data-line="${i}"] input`)].map((x) => [x.dataset.k, count(x)]));
      if (Object.values(v).some((n) => !Number.isInteger(n))) {
        msg.textContent = `${itemName(l.item)}: isi dengan angka · fill in numbers`;
        return;
      }
      lines.push({ item: l.item, ...(l.dapil ? { dapil: l.dapil } : {}), ...v });
    }
    if (!receiver.value.trim()) {
      msg.textContent = "Isi nama penerima · Fill in the receiver's name";
      return;
    }
    await db.put("kv", receiver.value.trim(), "logistik:receiver");
    const item = { id: uuid(), device: d.id, tps: d.tps, shipment: sh.id, receiver: receiver.value.trim(), received_at: isoNow(), lines };
    if (photos.taken.length) item.photos = photos.taken.map((p) => p.sha256);
    if (note.value.trim()) item.note = note.value.trim();
    const short = sh.lines.reduce((n, l, i) => n + Math.max(0, l.qty - lines[i].counted), 0);
    await queue(state, { what: "delivery", url: "/api/v1/logistics/field/deliveries", field: "delivery", item, photos: photos.taken,
      summary: `BTTB ${sh.waybill}` + (short ? ` · kurang ${short} · ${short} short` : " · lengkap · complete") });
    location.hash = "#/logistik/terima";
  });
  main.replaceChildren(head,
    arrived ? el("p", { class: "muted", id: "lg-arrived" }, arrival ? `Tiba dicatat · Arrival recorded: ${STATE_LABEL[arrival.state]}` : "Sudah tiba · Arrived")
      : el("section", { class: "card" }, el("p", {}, "Kiriman sampai di TPS? · Has the shipment reached the TPS?"), arriveBtn),
    f, back);
}

function textarea(id, placeholder) {
  return el("textarea", { id, rows: 3, placeholder, style: "width:100%;font:inherit;font-size:18px" });
}

const sealList = (text) => [...new Set(String(text).split(/[\n,;]+/).map((s) => s.trim()).filter(Boolean))];

async function handoverScreen(main, state) {
  const d = state.device;
  const boxes = numberInput({ id: "lg-boxes" }, 5);
  const envelopes = numberInput({ id: "lg-envelopes" }, 5);
  const seals = textarea("lg-seals", "Satu nomor per baris · One number per line");
  const broken = el("div", { id: "lg-broken" });
  const given = el("input", { type: "text", id: "lg-given", autocomplete: "name", maxlength: 200, value: (await db.get("kv", "logistik:receiver")) || "" });
  const received = el("input", { type: "text", id: "lg-received", maxlength: 200 });
  const note = el("input", { type: "text", id: "lg-note", maxlength: 500 });
  const photos = photoPicker();
  const msg = el("p", { class: "status error", id: "lg-status", role: "alert" });
  // The broken ones are picked among the numbers typed.
  const drawBroken = () => {
    const was = new Set([...broken.querySelectorAll("input:checked")].map((x) => x.value));
    broken.replaceChildren(...sealList(seals.value).map((s) => el("label", { class: "pick" },
      el("input", { type: "checkbox", name: "broken", value: s, checked: was.has(s) }), el("span", {}, s))));
  };
  seals.addEventListener("input", drawBroken);
  const f = el("form", { id: "lg-handover", class: "card" },
    el("h2", {}, "Serah terima kotak · Hand over the boxes"),
    el("p", { class: "muted" }, `Dari TPS ${d.tps} ke PPS desa ${d.tps.slice(0, 10)} · From TPS ${d.tps} to the PPS of its desa`),
    el("label", { class: "row" }, el("span", {}, "Kotak suara tersegel · Sealed ballot boxes"), boxes),
    el("label", { class: "row" }, el("span", {}, "Sampul C.Hasil · C.Hasil envelopes"), envelopes),
    el("fieldset", { class: "choice" }, el("legend", {}, "Nomor segel · Seal numbers"), seals,
      el("p", { class: "muted" }, "Centang segel yang rusak · Tick the broken seals"), broken),
    el("label", { class: "row wide" }, el("span", {}, "Yang menyerahkan (KPPS) · Given by"), given),
    el("label", { class: "row wide" }, el("span", {}, "Yang menerima (PPS) · Received by"), received),
    photos.node,
    el("label", { class: "row wide" }, el("span", {}, "Catatan · Note"), note),
    msg,
    el("div", { class: "sendbar" }, el("button", { type: "submit", class: "button primary", id: "lg-handover-send" }, "Simpan dan kirim · Save and send")),
    el("a", { class: "button secondary", href: "#/logistik" }, "Kembali · Back"));
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const nb = count(boxes), ne = count(envelopes), ss = sealList(seals.value);
    const problem = !Number.isInteger(nb) || nb < 1 ? "Jumlah kotak minimal 1 · At least one box"
      : !Number.isInteger(ne) ? "Jumlah sampul: isi dengan angka · Envelopes: fill in a number"
        : !ss.length ? "Isi nomor segel · Fill in the seal numbers"
          : !given.value.trim() || !received.value.trim() ? "Isi nama yang menyerahkan dan yang menerima · Fill in both names" : "";
    if (problem) {
      msg.textContent = problem;
      return;
    }
    const brokenSeals = [...broken.querySelectorAll("input:checked")].map((x) => x.value);
    const item = { id: uuid(), device: d.id, tps: d.tps, boxes: nb, envelopes: ne, seals: ss, given_by: given.value.trim(),
      received_by: received.value.trim(), at: isoNow() };
    if (brokenSeals.length) item.broken_seals = brokenSeals;
    if (photos.taken.length) item.photos = photos.taken.map((p) => p.sha256);
    if (note.value.trim()) item.note = note.value.trim();
    await queue(state, { what: "handover", url: "/api/v1/logistics/field/handovers", field: "handover", item, photos: photos.taken,
      summary: `${nb} kotak · boxes, ${ss.length} segel · seals` + (brokenSeals.length ? `, rusak · broken: ${brokenSeals.join(", ")}` : "") });
    location.hash = "#/";
  });
  main.replaceChildren(f);
}

// --- staff mode -----------------------------------------------------------------

// session asks the server who is signed in (GET /api/v1/session) and keeps
// the answer, its CSRF token included, for the outbox; offline it is the
// last answer. null: nobody is signed in.
async function session() {
  try {
    const res = await fetch("/api/v1/session", { cache: "no-store", signal: AbortSignal.timeout(30000) });
    if (res.status === 401) {
      await db.del("kv", "session");
      return null;
    }
    if (!res.ok) throw new Error(`server ${res.status}`);
    const s = await res.json();
    await db.put("kv", s, "session");
    return { ...s, fresh: true };
  } catch {
    const s = await db.get("kv", "session");
    return s ? { ...s, fresh: false } : undefined;
  }
}

// staffShipments pages the shipments of the account's scope that are not
// delivered (the server keeps to an escort's escorted ones), kept on the
// phone for the road.
async function staffShipments(sess) {
  try {
    const items = [];
    let total = 0, after = "";
    do {
      const q = after ? "?after=" + encodeURIComponent(after) : "";
      const res = await fetch(`/api/v1/logistics/field/staff/${sess.scope}/shipments${q}`, { cache: "no-store", signal: AbortSignal.timeout(30000) });
      if (!res.ok) throw new Error(`server ${res.status}`);
      const page = await res.json();
      items.push(...page.items);
      total = page.total;
      after = page.next || "";
    } while (after && items.length < 1000);
    const cached = { items, total, fetched: Date.now() };
    await db.put("kv", cached, "logistik:staf");
    return { ...cached, fresh: true };
  } catch (err) {
    const cached = (await db.get("kv", "logistik:staf")) || { items: [], total: 0, fetched: 0 };
    return { ...cached, fresh: false, error: err.message };
  }
}

const loginLink = () => el("a", { class: "button primary lg-login", href: "/masuk?next=" + encodeURIComponent("/lapangan/") }, "Masuk · Sign in");

async function staffScreen(main, state, id) {
  await db.put("kv", "staf", "mode");
  const card = el("section", { class: "card", id: "lg-staff" }, el("h2", {}, "Petugas logistik dan pengawal · Logistics and escorts"),
    el("p", { class: "muted" }, "Memuat… · Loading…"));
  main.replaceChildren(card);
  const sess = await session();
  const back = state.device ? el("a", { class: "button secondary", href: "#/logistik" }, "Kembali · Back")
    : el("button", { type: "button", class: "button link", id: "lg-enrol", onclick: async () => {
      await db.del("kv", "mode");
      location.replace("/lapangan/");
    } }, "Daftarkan ponsel KPPS · Enrol a KPPS phone");
  const queued = (await outbox.items()).filter((it) => it.staff);
  // What waits is shown whatever the session: an ended one keeps it.
  const outboxPart = () => [el("h2", {}, "Kotak keluar · Outbox"),
    el("button", { class: "button secondary", id: "sync-now", onclick: () => state.sync.now() }, "Kirim sekarang · Send now"),
    el("ul", { class: "outbox", id: "outbox" }, ...queued.map(itemView))];
  if (!sess) {
    card.replaceChildren(card.firstChild,
      el("p", {}, sess === null ? "Belum masuk. Masuk sekali dengan akun Anda saat ada sinyal. · Not signed in. Sign in once with your account while there is signal."
        : "Belum pernah masuk di ponsel ini; perlu sinyal sekali · Never signed in on this phone; it needs signal once"),
      loginLink(), ...(queued.length ? outboxPart() : []), back);
    return;
  }
  if (!STAFF_ROLES.includes(sess.role)) {
    card.replaceChildren(card.firstChild, el("p", { class: "error" },
      `Peran ${sess.role} tidak mencatat status kiriman · Role ${sess.role} does not record shipment status`), back);
    return;
  }
  const got = await staffShipments(sess);
  if (id) {
    const sh = got.items.find((x) => x.id === id);
    if (sh) return eventScreen(main, state, sh);
  }
  card.replaceChildren(card.firstChild,
    el("p", {}, el("b", {}, sess.name || sess.username), ` · ${sess.role} · wilayah · region ${sess.scope || "semua · all"}`),
    got.fresh ? el("p", { class: "muted", id: "lg-fresh" }, `${got.items.length} dari ${got.total} kiriman belum diterima · ${got.items.length} of ${got.total} shipments not delivered`)
      : el("p", { class: "warn", id: "lg-fresh" }, got.fetched ? `Tanpa sinyal: daftar per ${when(got.fetched)} · No signal: the list as of ${when(got.fetched)}`
        : "Daftar belum terunduh · The list is not downloaded yet"),
    queued.some((it) => it.error && it.error.login) ? el("p", { class: "warn" }, "Sesi berakhir: masuk lagi untuk mengirim · Session ended: sign in again to send", loginLink()) : null,
    el("ul", { class: "outbox", id: "lg-staff-list" }, ...got.items.map((sh) => el("li", { class: "item", "data-shipment": sh.id, "data-status": sh.status },
      el("div", { class: "head" }, el("b", {}, sh.waybill), el("span", { class: "badge" }, STATUS[sh.status] || sh.status)),
      el("p", {}, `${sh.from} → ${sh.to} · ${MODES[sh.mode] || sh.mode}${sh.sea ? " · " + sh.sea.vessel : ""}`),
      el("div", { class: "actions" }, el("a", { class: "button small primary", href: "#/logistik/staf/" + sh.id }, "Catat status · Record status"))))),
    ...outboxPart(), back);
}

function locate() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: Math.round(p.coords.latitude * 1e6) / 1e6, lon: Math.round(p.coords.longitude * 1e6) / 1e6 }),
      () => resolve(null), { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });
}

// localTime turns a datetime-local value (the phone's zone: WIB on the
// ground) into an instant.
const localTime = (v) => (v ? new Date(v).toISOString() : "");

function eventScreen(main, state, sh) {
  const kinds = el("fieldset", { class: "choice", id: "lg-kind" }, el("legend", {}, "Apa yang terjadi · What happened"),
    ...EVENTS.map(([k, name]) => el("label", { class: "pick" }, el("input", { type: "radio", name: "kind", value: k }), el("span", {}, name))));
  const place = el("input", { type: "text", id: "lg-place", maxlength: 200, placeholder: "Pelabuhan Karangantu" });
  const geo = el("input", { type: "checkbox", id: "lg-geo" });
  const reason = el("input", { type: "text", id: "lg-reason", maxlength: 300, placeholder: "Gelombang 2,5 m" });
  const newDep = el("input", { type: "datetime-local", id: "lg-new-dep" });
  const newArr = el("input", { type: "datetime-local", id: "lg-new-arr" });
  const note = el("input", { type: "text", id: "lg-note", maxlength: 500 });
  const hold = el("fieldset", { id: "lg-hold", hidden: true }, el("legend", {}, "Tertahan · Held"),
    el("label", { class: "row wide" }, el("span", {}, "Alasan · Reason"), reason),
    el("label", { class: "row wide" }, el("span", {}, "Rencana berangkat baru · New departure"), newDep),
    el("label", { class: "row wide" }, el("span", {}, "Rencana tiba baru · New arrival"), newArr));
  const msg = el("p", { class: "status error", id: "lg-status", role: "alert" });
  const f = el("form", { id: "lg-event", class: "card" },
    el("h2", {}, "Status kiriman · Shipment status " + sh.waybill),
    el("p", {}, `${sh.from} → ${sh.to} · ${STATUS[sh.status] || sh.status}`),
    kinds,
    el("label", { class: "row wide" }, el("span", {}, "Tempat · Place"), place),
    el("label", { class: "pick" }, geo, el("span", {}, "Sertakan lokasi ponsel · Include the phone's location")),
    hold,
    el("label", { class: "row wide" }, el("span", {}, "Catatan · Note"), note),
    msg,
    el("div", { class: "sendbar" }, el("button", { type: "submit", class: "button primary", id: "lg-event-send" }, "Simpan dan kirim · Save and send")),
    el("a", { class: "button secondary", href: "#/logistik/staf" }, "Kembali · Back"));
  f.addEventListener("change", () => {
    hold.hidden = (f.querySelector("input[name=kind]:checked") || {}).value !== "tertahan";
  });
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const kind = (f.querySelector("input[name=kind]:checked") || {}).value;
    if (!kind) return (msg.textContent = "Pilih apa yang terjadi · Pick what happened");
    if (kind === "tertahan" && (!reason.value.trim() || !(newDep.value || newArr.value))) {
      return (msg.textContent = "Tertahan: isi alasan dan rencana baru · Held: fill in the reason and the new plan");
    }
    // The ID is the phone's: a resend after a lost answer is the same event.
    const e = { id: uuid(), kind, at: isoNow(), source: "lapangan" };
    if (place.value.trim()) e.place = place.value.trim();
    if (geo.checked) {
      msg.textContent = "Mengambil lokasi… · Taking the location…";
      const p = await locate();
      if (p) Object.assign(e, p);
      msg.textContent = "";
    }
    if (kind === "tertahan") {
      e.reason = reason.value.trim();
      if (newDep.value) e.new_departure = localTime(newDep.value);
      if (newArr.value) e.new_arrival = localTime(newArr.value);
    }
    if (note.value.trim()) e.note = note.value.trim();
    await outbox.add({ id: e.id, kind: "logistik", what: "status", staff: true, shipment: sh.id,
      url: `/api/v1/logistics/shipments/${sh.id}/events`, wire: JSON.stringify(e),
      summary: `${sh.waybill}: ${eventName(kind)}${e.place ? " · " + e.place : ""}${e.reason ? " · " + e.reason : ""}` });
    state.sync.now();
    location.hash = "#/logistik/staf";
  });
  main.replaceChildren(f);
}

// --- in the outbox -----------------------------------------------------------

const WHAT = {
  event: "Kedatangan · Arrival", delivery: "BTTB · Proof of delivery", handover: "Serah terima kotak · Box handover",
  status: "Status kiriman · Shipment status",
};

export function itemView(it) {
  const r = it.receipt;
  const photosDone = it.photos.filter((p) => p.state === "diterima").length;
  return el("li", { class: "item logistik " + it.state, "data-id": it.id, "data-state": it.state, "data-kind": "logistik", "data-what": it.what },
    el("div", { class: "head" }, el("b", {}, WHAT[it.what] || it.what), el("span", { class: "badge" }, STATE_LABEL[it.state])),
    el("p", {}, it.summary),
    r && r.message ? el("p", { class: "lg-message", "data-followups": (r.follow_ups || []).length }, r.message, el("br"), el("small", {}, r.en)) : null,
    it.photos.length ? el("p", { class: "photos-state", "data-done": photosDone, "data-total": it.photos.length },
      `Foto · Photos: ${photosDone} dari · of ${it.photos.length}`) : null,
    el("small", {}, when(it.created)),
    it.state === "ditolak" && it.error ? el("p", { class: "error" }, "Alasan · Reason: " + it.error.message) : null,
    it.error && it.error.login ? el("p", { class: "warn" }, it.error.message, " ", loginLink()) : null,
    it.state === "menunggu" && it.error && it.attempts && !it.error.login ? el("p", { class: "muted" }, `${it.error.message}; dicoba lagi otomatis · retried automatically`) : null);
}
