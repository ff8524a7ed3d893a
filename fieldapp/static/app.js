// Siaga Lapangan: the screens and what ties them together.
import * as db from "./db.js";
import * as device from "./device.js";
import * as outbox from "./outbox.js";
import * as form from "./form.js";
import { el, CONTESTS, contestName, STATE_LABEL, when } from "./dom.js";
import { ruleIDs, DESCRIBE } from "./rules.js";
import { blobKey } from "./photos.js";
import * as relay from "./relay-ui.js";
import * as smsUI from "./sms-ui.js";
import * as survey from "./survey.js";
import * as logistics from "./logistics.js";
import * as incident from "./incident.js";

const main = document.getElementById("main");
const net = document.getElementById("net");
const state = { device: null, ballot: null, sync: null };

function showNet() {
  net.textContent = navigator.onLine ? "Daring" : "Luring";
  net.className = navigator.onLine ? "on" : "off";
}
addEventListener("online", showNet);
addEventListener("offline", showNet);

async function boot() {
  showNet();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/lapangan/sw.js", { scope: "/lapangan/" }).catch((err) => console.warn("service worker:", err));
  }
  // An enrolment sheet's QR code opens /lapangan/#daftar=CODE: the code
  // stays in the fragment, which the browser never sends to the server.
  const params = new URLSearchParams(location.hash.slice(1));
  const code = params.get("daftar") || params.get("code");
  state.device = await device.load();
  // An escort or a logistics officer has an account, not an enrolled
  // phone: the staff mode (logistics.js) once chosen.
  if (!state.device && !code && (await db.get("kv", "mode")) === "staf") return staffStarted();
  if (!state.device) return enrolScreen(code || "");
  if (code) history.replaceState(null, "", "/lapangan/");
  await started();
}

async function started() {
  state.ballot = await db.get("kv", "ballot");
  // Sync redraws the outbox only: redrawing a form would lose what is typed.
  state.sync = new outbox.Sync(state.device, () => onHome() && home());
  window.addEventListener("hashchange", route);
  await route();
  if (!state.ballot) await fetchBallot();
  state.sync.now();
}

async function fetchBallot() {
  try {
    const res = await fetch("/api/v1/ballot/" + state.device.tps);
    if (!res.ok) throw new Error(String(res.status));
    state.ballot = await res.json();
    await db.put("kv", state.ballot, "ballot");
    route();
  } catch {
    setTimeout(fetchBallot, 15000);
  }
}

async function staffStarted() {
  const onStaff = () => location.hash.startsWith("#/logistik/staf") || location.hash === "" || location.hash === "#/";
  state.sync = new outbox.Sync(null, () => onStaff() && !location.hash.startsWith("#/logistik/staf/") && route());
  window.addEventListener("hashchange", route);
  await route();
  state.sync.now();
}

function enrolScreen(code) {
  const msg = el("p", { class: "status", id: "enrol-status", role: "alert" });
  const input = el("input", { id: "code", type: "text", autocomplete: "off", autocapitalize: "characters", placeholder: "ABCD-EFGH-JK", value: code });
  const f = el("form", { id: "enrol", class: "card" },
    el("h2", {}, "Daftarkan ponsel ini"),
    el("p", {}, "Ketik kode sekali pakai dari operator, atau pindai QR pendaftaran dengan kamera ponsel."),
    el("label", { class: "row wide" }, el("span", {}, "Kode pendaftaran"), input),
    el("button", { class: "button primary", type: "submit", id: "enrol-send" }, "Daftarkan"), msg,
    el("p", { class: "muted" }, "Kunci tanda tangan dibuat di ponsel ini dan tidak pernah keluar darinya."),
    el("button", { type: "button", class: "button link", id: "staff-mode", onclick: () => staffStarted() },
      "Pengawal atau petugas logistik? Masuk dengan akun · Escort or logistics officer? Use your account"));
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    msg.textContent = "Mendaftarkan…";
    try {
      state.device = await device.enrol(input.value);
      history.replaceState(null, "", "/lapangan/");
      await started();
    } catch (err) {
      msg.textContent = err.message;
    }
  });
  main.replaceChildren(f);
}

// INCIDENT_ROLES are the phones that report incidents (auth.VerifyIncident).
const INCIDENT_ROLES = ["kpps", "ptps"];

async function route() {
  const [, screen, arg, ...rest] = location.hash.split("/");
  if (!state.device) return logistics.screen(main, state, ["staf", screen === "logistik" && arg === "staf" ? rest[0] : undefined]);
  if (screen === "logistik") return logistics.screen(main, state, [arg, ...rest]);
  if (screen === "insiden" && INCIDENT_ROLES.includes(state.device.role)) return incident.screen(main, state, [arg, ...rest]);
  if (screen === "form" && state.ballot) return formScreen(arg);
  if (screen === "relay") return relay.scanScreen(main, state);
  if (screen === "survei") return survey.screen(main, state);
  if (screen === "sms" && state.ballot) return smsUI.screen(main, state, arg, () => state.sync.now());
  if (screen === "koreksi" && state.ballot) return correctionScreen(arg);
  return home();
}

const onHome = () => location.hash === "" || location.hash === "#/";

let drawing = null;
async function home() {
  // Sync calls this on every change: draw one at a time, and never over
  // a form the officer has opened meanwhile.
  if (drawing) return drawing.then(home);
  drawing = (async () => {
    const parts = await homeParts();
    if (onHome()) main.replaceChildren(...parts);
  })().finally(() => (drawing = null));
  return drawing;
}

async function homeParts() {
  const all = await outbox.items();
  const d = state.device;
  const parts = [el("section", { class: "card" },
    el("p", {}, el("b", {}, "TPS " + d.tps), ` · ${d.source.toUpperCase()} · perangkat `, el("code", {}, d.id.slice(0, 8))),
    state.ballot ? null : el("p", { class: "warn" }, "Daftar calon belum terunduh; perlu sinyal sekali."))];
  if (state.ballot) {
    const available = CONTESTS.filter(([c]) => c === "ppwp" || form.dapilOf(state.ballot, c));
    parts.push(el("nav", { class: "contests" }, ...available.map(([c, name]) => {
      const last = all.find((it) => it.contest === c && !it.relay);
      return el("a", { class: "button contest", href: "#/form/" + c, "data-contest": c }, name,
        el("small", {}, last ? (last.sms && !last.receipt ? "Dikirim lewat SMS" : STATE_LABEL[last.state]) : "Belum diisi"));
    })));
  }
  parts.push(el("h2", {}, "Kotak keluar"),
    el("div", { class: "actions" },
      el("button", { class: "button secondary", id: "sync-now", onclick: () => state.sync.now() }, "Kirim sekarang"),
      el("a", { class: "button secondary", href: "#/relay", id: "relay-open" }, "Pindai QR / Buka berkas"),
      el("a", { class: "button secondary", href: "#/survei", id: "survey-open" }, "Survei sinyal · Signal survey"),
      el("a", { class: "button secondary", href: "#/logistik", id: "logistics-open" }, "Logistik · Logistics"),
      INCIDENT_ROLES.includes(d.role) ? el("a", { class: "button secondary", href: "#/insiden", id: "incident-open" }, "Insiden · Incidents") : null));
  if (!all.length) parts.push(el("p", { class: "muted" }, "Belum ada kiriman."));
  parts.push(el("ul", { class: "outbox", id: "outbox" }, ...all.map(itemView)));
  return parts;
}

// refusedAsRecorded says whether the server refused an item because
// another report of the TPS is recorded: a correction can replace it.
const refusedAsRecorded = (it) => it.state === "ditolak" && it.error && it.error.status === 409 && it.error.field === "replaces" && !it.corrected;

function itemView(it) {
  if (it.kind === "survey") return survey.itemView(it);
  if (it.kind === "logistik") return logistics.itemView(it);
  if (it.kind === "insiden") return incident.itemView(it);
  const photosDone = it.photos.filter((p) => p.state === "diterima").length;
  const r = it.receipt;
  const viaSMS = it.sms && !r;
  return el("li", { class: "item " + it.state, "data-id": it.id, "data-state": it.state, "data-contest": it.contest, "data-sms": it.sms ? "1" : null },
    el("div", { class: "head" }, el("b", {}, contestName(it.contest)), el("span", { class: "badge" }, STATE_LABEL[it.state])),
    viaSMS ? el("p", { class: "sms-state" }, it.sms.opened.length ? "Dikirim lewat SMS; menunggu tanda terima" : "SMS siap; belum dibuka di aplikasi SMS") : null,
    el("small", {}, `${when(it.created)}${it.relay ? " · titipan perangkat lain" : ""}${it.replaces ? ` · koreksi versi ${it.replaces}` : ""}`),
    r ? el("p", { class: "receipt" }, `Tanda terima: versi `, el("b", { "data-v": "version" }, String(r.version)),
      " · ", el("code", { "data-v": "hash" }, r.hash.slice(0, 12)),
      r.rules && r.rules.length ? el("span", { class: "warn" }, " · aturan: " + r.rules.join(", ")) : null) : null,
    it.rules && it.rules.length && !r ? el("p", { class: "warn" }, "Dikirim dengan catatan: " + it.rules.map((x) => `${x} (${DESCRIBE[x]})`).join("; ")) : null,
    it.photos.length ? el("p", { class: "photos-state", "data-done": photosDone, "data-total": it.photos.length },
      `Foto: ${photosDone} dari ${it.photos.length} terkirim`,
      ...it.photos.filter((p) => p.state === "ditolak").map((p) => el("span", { class: "warn" }, ` · halaman ${p.page} ditolak: ${p.error}`))) : null,
    it.state === "ditolak" && it.error ? el("p", { class: "error" }, "Alasan: " + it.error.message) : null,
    it.corrected ? el("p", { class: "muted" }, "Dikirim ulang sebagai koreksi.") : null,
    it.state === "menunggu" && it.error && it.attempts ? el("small", { class: "muted" }, `${it.error.message}; dicoba lagi otomatis`) : null,
    el("div", { class: "actions" },
      refusedAsRecorded(it) ? el("a", { class: "button small primary correct", href: "#/koreksi/" + it.id }, "Kirim sebagai koreksi") : null,
      smsUI.offered(it, state.device) ? el("a", { class: "button small primary sms-send", href: "#/sms/" + it.id }, it.sms ? "Lihat SMS" : "Kirim lewat SMS") : null,
      el("button", { class: "button small", onclick: () => relay.showQR(it) }, "Tampilkan QR"),
      el("button", { class: "button small", onclick: () => relay.saveFile(it) }, "Simpan berkas")));
}

async function formScreen(contest) {
  if (!CONTESTS.some(([c]) => c === contest)) return home();
  const all = await outbox.items();
  const latest = all.find((it) => it.contest === contest && !it.relay);
  // Refused because another phone's report is recorded: the typed numbers
  // go again as a correction of it.
  if (latest && refusedAsRecorded(latest)) return correctionScreen(latest.id);
  const previous = all.find((it) => it.contest === contest && !it.relay && it.state !== "ditolak");
  if (previous && !previous.receipt) {
    main.replaceChildren(el("section", { class: "card" }, el("h2", {}, contestName(contest)),
      el("p", {}, "Formulir ini sudah disimpan dan menunggu dikirim. Koreksi dapat dibuat setelah server memberi tanda terima."),
      el("a", { class: "button secondary", href: "#/" }, "Kembali")));
    return;
  }
  const draft = (await db.get("kv", "draft:" + contest)) || (previous ? { form: previous.form } : {});
  form.render(main, {
    contest, ballot: state.ballot, draft, previous,
    confirm: confirmRules,
    onSend: (v) => send(contest, previous, v),
  });
}

// correctionScreen reopens a report the server refused because another
// report of the TPS is recorded: the typed numbers, the recorded version
// beside them with every difference marked, and a reason, sent as a
// correction of that version.
async function correctionScreen(id) {
  const it = (await outbox.items()).find((x) => x.id === id);
  if (!it || !refusedAsRecorded(it)) return home();
  const card = el("section", { class: "card" }, el("h2", {}, contestName(it.contest)), el("p", { class: "muted" }, "Mengambil versi yang tercatat di server…"));
  main.replaceChildren(card);
  let recorded;
  try {
    recorded = await recordedVersion(it.contest);
  } catch (err) {
    card.replaceChildren(el("h2", {}, contestName(it.contest)),
      el("p", { class: "error", role: "alert" }, "Versi yang tercatat tidak dapat diambil (" + err.message + "). Koreksi perlu sinyal untuk melihatnya; angka Anda tetap tersimpan di ponsel ini."),
      el("a", { class: "button secondary", href: "#/" }, "Kembali"));
    return;
  }
  if (!recorded) return home();
  // The numbers as sent, or as the officer has changed them since.
  const saved = await db.get("kv", "draft:" + it.contest);
  const draft = saved && !saved.sent ? saved : { form: it.form, photos: (saved && saved.sent === it.id && saved.photos) || [], reason: "" };
  form.render(main, {
    contest: it.contest, ballot: state.ballot, draft,
    previous: { receipt: { version: recorded.version } },
    replaced: recorded,
    confirm: confirmRules,
    onSend: async (v) => {
      await outbox.mark(it.id, (x) => ({ ...x, corrected: true }));
      await send(it.contest, { receipt: { version: recorded.version } }, v);
    },
  });
}

// recordedVersion fetches the latest version of this TPS, contest and
// source from the public TPS endpoint, which names no device or person.
async function recordedVersion(contest) {
  const d = state.device;
  const res = await fetch("/api/v1/tps/" + d.tps, { credentials: "omit", signal: AbortSignal.timeout(30000) });
  if (!res.ok) throw new Error("server menjawab " + res.status);
  const body = await res.json();
  const mine = (body.versions || []).filter((v) => v.contest === contest && v.source === d.source);
  return mine.reduce((a, b) => (b.version > a.version ? b : a), mine[0]) || null;
}

async function send(contest, previous, { form: f, findings, photos, reason }) {
  const d = state.device;
  const sub = { contest, form: f, id: crypto.randomUUID(), source: d.source, tps: d.tps };
  if (previous && previous.receipt) Object.assign(sub, { replaces: previous.receipt.version, reason });
  const wire = await device.signSubmission(d, sub);
  const pages = photos.length;
  for (const [i, p] of photos.entries()) await db.put("photos", p.blob, blobKey(sub.id, i + 1));
  await outbox.add({
    id: sub.id, contest, wire, form: f, rules: ruleIDs(findings), replaces: sub.replaces || 0,
    photos: photos.map((p, i) => ({ page: i + 1, pages, sha256: p.sha256, size: p.size, state: "menunggu", sent: 0 })),
  });
  // The draft stays until the server holds the form (outbox.js, settled):
  // refused, it is reopened with the numbers typed.
  await db.put("kv", { form: f, photos, reason, sent: sub.id }, "draft:" + contest);
  location.hash = "#/";
  state.sync.now();
}

// confirmRules asks before a form that breaks rules is sent: the desk
// needs to see what the TPS wrote, mistakes included, but not by accident.
function confirmRules(findings) {
  const dlg = document.getElementById("confirm");
  dlg.querySelector("#confirm-list").replaceChildren(...findings.map((f) => el("li", {}, el("b", {}, f.rule + " "), f.message)));
  dlg.showModal();
  return new Promise((resolve) => dlg.addEventListener("close", () => resolve(dlg.returnValue === "kirim"), { once: true }));
}

boot().catch((err) => {
  main.replaceChildren(el("p", { class: "error" }, "Aplikasi gagal dimuat: " + err.message));
});
