// Survey mode: a signal survey of this phone's TPS. The surveyor picks the
// operator and technology the phone shows and types the signal level if
// the phone shows it (a browser cannot read it); the app takes the
// coordinates, reads what the browser says of the link, and runs the data
// test itself: a timed round trip, download and upload to the server. The
// survey is signed and queued in the same outbox as the count forms: at a
// blank spot there is no signal by definition, so it waits for one.
import { el, STATE_LABEL, when } from "./dom.js";
import * as db from "./db.js";
import * as outbox from "./outbox.js";
import { signSurvey } from "./device.js";

export const OPERATORS = [
  ["telkomsel", "Telkomsel"], ["indosat", "Indosat Ooredoo"], ["xl", "XL Axiata"],
  ["smartfren", "Smartfren"], ["tri", "Tri (3)"], ["lainnya", "Lainnya · Other"],
];
export const TECHS = [
  ["4g", "4G / LTE"], ["5g", "5G"], ["3g", "3G"], ["2g", "2G / EDGE"], ["none", "Tidak ada layanan · No service"],
];

// THRESHOLDS are connectivity.DefaultThresholds; classify is
// Thresholds.Classify. TestSurveyClassifyMatchesGo compares them. The
// phone's class is an estimate shown at once; the server's answer, by the
// thresholds it is configured with, replaces it on receipt.
export const THRESHOLDS = { goodRSRP: -100, weakRSRP: -120, goodRSSI: -85, weakRSSI: -105, minKbps: 70, maxRTTms: 1400 };

export function classify(s, th = THRESHOLDS) {
  if (s.tech === "none" || s.data_ok === false) return "blank";
  const level = levelClass(s, th);
  const data = dataClass(s, th);
  if (level === "" && data === "") return "weak";
  if (level === "") return data;
  if (level === "blank" && data !== "") return "weak";
  if (level === "good" && data === "weak") return "weak";
  return level;
}

function levelClass(s, th) {
  let v, good, weak;
  if (s.tech === "4g" || s.tech === "5g") [v, good, weak] = [s.rsrp, th.goodRSRP, th.weakRSRP];
  else if (s.tech === "2g" || s.tech === "3g") [v, good, weak] = [s.rssi, th.goodRSSI, th.weakRSSI];
  if (v === undefined || v === null) return "";
  if (v >= good) return "good";
  if (v > weak) return "weak";
  return "blank";
}

function dataClass(s, th) {
  if (s.data_ok !== true) return "";
  const slow = (kbps) => kbps !== undefined && kbps !== null && kbps < th.minKbps;
  if (slow(s.down_kbps) || slow(s.up_kbps) || (s.rtt_ms !== undefined && s.rtt_ms !== null && s.rtt_ms >= th.maxRTTms)) return "weak";
  return "good";
}

export const CLASS_LABEL = {
  good: "Baik · Good",
  weak: "Lemah · Weak",
  blank: "Blank spot: tidak ada sinyal yang dapat dipakai · No usable signal",
};

// Bounds of a typed level, as the server checks them (connectivity/check.go).
const LEVELS = { rsrp: [-156, -31], rssi: [-120, 0] };

// --- the data test -----------------------------------------------------------

const TEST_TIMEOUT = 60000; // 16 KiB on a 9.6 kbit/s GPRS link takes about 15 s

// Busy is the server answering but not measuring (a 429 or a 5xx): the
// link worked, so it is no blank spot, and the test should be run again.
export class Busy extends Error {}

async function timed(url, init = {}) {
  const t0 = performance.now();
  const res = await fetch(url, { cache: "no-store", credentials: "omit", signal: AbortSignal.timeout(TEST_TIMEOUT), ...init });
  const body = await res.arrayBuffer();
  if (!res.ok) {
    throw new Busy(res.status === 429
      ? "Server sedang membatasi uji data; coba lagi sebentar lagi · The server is limiting data tests; try again shortly"
      : `Server menjawab ${res.status}; coba lagi · The server answered ${res.status}; try again`);
  }
  return { ms: performance.now() - t0, bytes: body.byteLength };
}

// bits per millisecond are kilobits per second
const kbps = (bytes, ms) => Math.round((bytes * 8 / Math.max(ms, 1)) * 10) / 10;

// dataTest times, against this server: a round trip (the second of two
// empty requests, the first having opened the connection), a download of
// 16 KiB (64 KiB when that took under a second, so that a fast link is
// not measured by its round trip alone) and an upload of the same size.
// Each time includes one round trip, as a real upload's does. A link
// that fails is the answer too: data_ok false, a blank spot.
export async function dataTest(onStep = () => {}) {
  try {
    onStep("Mengukur waktu bolak-balik · Timing the round trip…");
    await timed("/api/v1/datatest?kb=0");
    const rtt = (await timed("/api/v1/datatest?kb=0")).ms;
    onStep("Mengunduh · Downloading…");
    let down = await timed("/api/v1/datatest?kb=16");
    if (down.ms < 1000) down = await timed("/api/v1/datatest?kb=64");
    onStep("Mengunggah · Uploading…");
    const payload = crypto.getRandomValues(new Uint8Array(down.bytes));
    const up = await timed("/api/v1/datatest", { method: "POST", headers: { "Content-Type": "application/octet-stream" }, body: payload });
    return { data_ok: true, down_kbps: kbps(down.bytes, down.ms), up_kbps: kbps(down.bytes, up.ms), rtt_ms: Math.round(rtt) };
  } catch (err) {
    if (err instanceof Busy) throw err;
    return { data_ok: false };
  }
}

// link is what the browser says of the connection (Network Information
// API, Chrome on Android): its own estimate, kept beside the measurement.
export function link() {
  const c = navigator.connection;
  if (!c) return "";
  const parts = [];
  if (c.type) parts.push("type=" + c.type);
  if (c.effectiveType) parts.push("effectiveType=" + c.effectiveType);
  if (typeof c.downlink === "number") parts.push(`downlink=${c.downlink}Mbps`);
  if (typeof c.rtt === "number") parts.push(`rtt=${c.rtt}ms`);
  return parts.join("; ").slice(0, 200);
}

// --- where -------------------------------------------------------------------

const GEO_ERRORS = {
  1: "Izin lokasi ditolak. Izinkan Lokasi untuk situs ini di pengaturan peramban (ikon gembok di bilah alamat), lalu tekan Ambil lokasi lagi. Survei tetap dapat disimpan tanpa titik. · Location permission refused: allow Location for this site in the browser's settings (the padlock in the address bar), then press Take location again. The survey can still be saved without a point.",
  2: "Posisi belum didapat: nyalakan Lokasi/GPS ponsel dan coba di tempat terbuka. · Position unavailable: turn on the phone's Location/GPS and try in the open.",
  3: "GPS belum mengunci posisi dalam 60 detik; coba lagi di tempat terbuka. · GPS found no position within 60 s; try again in the open.",
};

function locate() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) {
      reject(new Error("Peramban ini tidak dapat membaca lokasi · This browser cannot read the location"));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: round6(p.coords.latitude), lon: round6(p.coords.longitude), accuracy: Math.round(p.coords.accuracy) }),
      (e) => reject(new Error(GEO_ERRORS[e.code] || e.message)),
      { enableHighAccuracy: true, timeout: 60000, maximumAge: 60000 });
  });
}

const round6 = (x) => Math.round(x * 1e6) / 1e6;

// --- the screen ----------------------------------------------------------------

function choice(name, options, label) {
  return el("fieldset", { class: "choice", id: name },
    el("legend", {}, label),
    ...options.map(([v, text]) => el("label", { class: "pick" },
      el("input", { type: "radio", name, value: v }), el("span", {}, text))));
}

function level(id, label) {
  return el("label", { class: "row" }, el("span", {}, label),
    el("input", { type: "text", id, inputmode: "decimal", autocomplete: "off", maxlength: 6, placeholder: "−95" }));
}

// dBm read as typed: the minus sign may be missing on a numeric keypad,
// and a level in dBm is never positive here, so 95 means −95.
function dBm(text) {
  const t = String(text || "").trim().replace(/[−–]/g, "-").replace(",", ".");
  if (t === "") return null;
  const v = Number(t);
  if (!Number.isFinite(v)) return NaN;
  return v > 0 ? -v : v;
}

export async function screen(main, state) {
  const d = state.device;
  const surveyor = el("input", { type: "text", id: "surveyor", autocomplete: "name", maxlength: 200, value: (await db.get("kv", "surveyor")) || "" });
  const where = el("p", { class: "status", id: "where", role: "status" }, "Mengambil lokasi… · Taking the location…");
  const linkText = link();
  const result = el("div", { id: "test-result", class: "status", role: "status" }, "Uji data belum dijalankan · Data test not run yet");
  const msg = el("p", { class: "status", id: "survey-status", role: "alert" });
  const runBtn = el("button", { type: "button", class: "button secondary", id: "test-run" }, "Uji data · Run data test");
  const locBtn = el("button", { type: "button", class: "button small", id: "locate" }, "Ambil lokasi · Take location");
  const saveBtn = el("button", { type: "submit", class: "button primary", id: "survey-save" }, "Simpan dan kirim · Save and send");
  const f = el("form", { id: "survey", class: "card" },
    el("h2", {}, "Survei sinyal · Signal survey"),
    el("p", { class: "muted" }, `TPS ${d.tps}. Pilih operator dan jaringan yang tampil di ponsel, lalu jalankan uji data. · Pick the operator and network the phone shows, then run the data test.`),
    el("label", { class: "row wide" }, el("span", {}, "Nama surveyor · Surveyor's name"), surveyor),
    choice("operator", OPERATORS, "Operator seluler · Mobile operator"),
    choice("tech", TECHS, "Jaringan di ponsel · Network the phone shows"),
    el("fieldset", {},
      el("legend", {}, "Kuat sinyal (jika ponsel menampilkannya) · Signal level (if the phone shows it)"),
      el("p", { class: "muted" }, "Lihat Setelan › Tentang ponsel › Status SIM. Ketik angkanya; tanda minus boleh dilewati. · See Settings › About phone › SIM status. Type the number; the minus sign may be left out."),
      level("rsrp", "RSRP, dBm (4G/5G)"), level("rssi", "RSSI / kekuatan sinyal, dBm (2G/3G)")),
    el("fieldset", {}, el("legend", {}, "Lokasi · Location"), where, locBtn),
    el("fieldset", {}, el("legend", {}, "Uji data · Data test"),
      el("p", { class: "muted", id: "link" }, linkText ? "Menurut peramban · The browser says: " + linkText : "Peramban ini tidak melaporkan jenis jaringan · This browser does not report the network type"),
      result, runBtn),
    msg,
    el("div", { class: "sendbar" }, saveBtn),
    el("a", { class: "button secondary", href: "#/" }, "Kembali · Back"));
  main.replaceChildren(f);

  let loc = null, test = null, testedAt = 0;
  const takeLocation = async () => {
    where.textContent = "Mengambil lokasi… · Taking the location…";
    where.className = "status";
    try {
      loc = await locate();
      where.textContent = `${loc.lat.toFixed(6)}, ${loc.lon.toFixed(6)} (±${loc.accuracy} m)`;
    } catch (err) {
      loc = null;
      where.textContent = err.message;
      where.className = "status error";
    }
  };
  locBtn.addEventListener("click", takeLocation);
  takeLocation();

  const read = () => {
    const get = (name) => (f.querySelector(`input[name=${name}]:checked`) || {}).value || "";
    return { operator: get("operator"), tech: get("tech"), rsrp: dBm(f.querySelector("#rsrp").value), rssi: dBm(f.querySelector("#rssi").value) };
  };
  const show = () => {
    if (!test) return;
    const v = read();
    const cls = classify({ tech: v.tech, rsrp: v.rsrp ?? undefined, rssi: v.rssi ?? undefined, ...test });
    result.replaceChildren(
      test.data_ok
        ? el("p", { "data-ok": "1" }, `Unduh · Down `, el("b", { id: "down" }, String(test.down_kbps)), ` kbps · Unggah · Up `,
          el("b", { id: "up" }, String(test.up_kbps)), ` kbps · Bolak-balik · Round trip `, el("b", { id: "rtt" }, String(test.rtt_ms)), " ms")
        : el("p", { class: "error", "data-ok": "0" }, "Data tidak sampai ke server: tidak ada sambungan. · No data reached the server: no connection."),
      v.tech ? el("p", {}, "Kelas (perkiraan) · Class (estimate): ", el("b", { id: "class", "data-class": cls }, CLASS_LABEL[cls])) : null);
  };
  f.addEventListener("change", show);
  f.addEventListener("input", show);

  const runTest = async () => {
    runBtn.disabled = saveBtn.disabled = true;
    try {
      test = await dataTest((step) => (result.textContent = step));
      testedAt = Date.now();
      show();
    } catch (err) {
      result.textContent = err.message;
    } finally {
      runBtn.disabled = saveBtn.disabled = false;
    }
  };
  runBtn.addEventListener("click", runTest);

  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const v = read();
    const problem = check(v, surveyor.value.trim());
    if (problem) {
      msg.textContent = problem;
      return;
    }
    if (!test) await runTest();
    if (!test) return; // the server was busy: the message says so
    msg.textContent = "";
    const s = { device: d.id, tps: d.tps, operator: v.operator, tech: v.tech, surveyor: surveyor.value.trim(), at: new Date(testedAt).toISOString() };
    if (v.rsrp !== null && v.tech !== "none") s.rsrp = v.rsrp;
    if (v.rssi !== null && v.tech !== "none") s.rssi = v.rssi;
    Object.assign(s, test);
    if (linkText) s.link = linkText;
    if (loc) Object.assign(s, { lat: loc.lat, lon: loc.lon });
    await db.put("kv", s.surveyor, "surveyor");
    await send(state, s);
  });
}

// check refuses what the server would refuse, before it is signed.
function check(v, surveyor) {
  if (!surveyor) return "Isi nama surveyor · Fill in the surveyor's name";
  if (!v.operator) return "Pilih operator · Pick the operator";
  if (!v.tech) return "Pilih jaringan yang tampil di ponsel · Pick the network the phone shows";
  for (const [name, [lo, hi]] of Object.entries(LEVELS)) {
    const x = v[name];
    if (x !== null && !(x >= lo && x <= hi)) {
      return `${name.toUpperCase()} harus antara ${lo} dan ${hi} dBm · ${name.toUpperCase()} must lie between ${lo} and ${hi} dBm`;
    }
  }
  return "";
}

// send signs the survey's exact text and queues it with the count forms.
async function send(state, s) {
  const text = JSON.stringify(s);
  const signature = await signSurvey(state.device, text);
  const wire = '{"survey":' + text + ',"signature":' + JSON.stringify(signature) + "}";
  await outbox.add({ id: crypto.randomUUID(), kind: "survey", url: "/api/v1/surveys", wire, survey: s, estimate: classify(s) });
  location.hash = "#/";
  state.sync.now();
}

// --- in the outbox -----------------------------------------------------------

const opName = (op) => (OPERATORS.find(([k]) => k === op) || [op, op])[1];
const techName = (t) => (TECHS.find(([k]) => k === t) || [t, t])[1];

export function itemView(it) {
  const s = it.survey;
  const r = it.receipt;
  const facts = [`${opName(s.operator)} ${techName(s.tech)}`];
  if (s.rsrp !== undefined) facts.push(`RSRP ${s.rsrp} dBm`);
  if (s.rssi !== undefined) facts.push(`RSSI ${s.rssi} dBm`);
  facts.push(s.data_ok ? `↓ ${s.down_kbps} kbps ↑ ${s.up_kbps} kbps · ${s.rtt_ms} ms` : "uji data gagal · data test failed");
  const cls = r ? r.class : it.estimate;
  return el("li", { class: "item survey " + it.state, "data-id": it.id, "data-state": it.state, "data-kind": "survey" },
    el("div", { class: "head" }, el("b", {}, "Survei sinyal · Signal survey"), el("span", { class: "badge" }, STATE_LABEL[it.state])),
    el("p", {}, facts.join(" · ")),
    el("p", {}, r ? "Kelas · Class: " : "Kelas (perkiraan) · Class (estimate): ", el("b", { "data-class": cls }, CLASS_LABEL[cls] || cls)),
    el("small", {}, when(it.created) + (r ? ` · nomor survei · survey no. ${r.survey.id}` : "")),
    it.state === "ditolak" && it.error ? el("p", { class: "error" }, "Alasan · Reason: " + it.error.message) : null,
    it.state === "menunggu" && it.error && it.attempts ? el("p", { class: "muted" }, `${it.error.message}; dicoba lagi otomatis · retried automatically`) : null);
}
