// Relay without signal: a signed submission leaves this phone as QR codes
// or a file, and any enrolled phone with signal forwards it. The signature
// travels with it, so the carrier cannot change a number; the server
// answers a duplicate with the first receipt. relay.js (QR encoding and
// scanning) is loaded only when needed.
import { el } from "./dom.js";
import * as outbox from "./outbox.js";
import * as db from "./db.js";

const loadRelay = () => import("./relay.js");

function dialog(...children) {
  const dlg = el("dialog", { class: "sheet", id: "relay-dialog" }, ...children,
    el("form", { method: "dialog" }, el("button", { class: "button secondary" }, "Tutup")));
  dlg.addEventListener("close", () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
  return dlg;
}

export async function showQR(item) {
  const canvas = el("canvas", { id: "qr", width: 320, height: 320 });
  const caption = el("p", { class: "status", id: "qr-caption" }, "Menyiapkan QR…");
  const dlg = dialog(el("h2", {}, "Tunjukkan ke ponsel yang ada sinyal"), canvas, caption);
  let timer = 0;
  dlg.addEventListener("close", () => clearInterval(timer));
  try {
    const relay = await loadRelay();
    const texts = await relay.encodeChunks(item.wire);
    let i = 0;
    // The caption follows the drawing, which waits for the generator on
    // first use: it must never name a code the canvas does not show yet,
    // and a generator that cannot load must reach the catch below.
    const draw = async () => {
      await relay.drawQR(canvas, texts[i]);
      caption.textContent = `Kode ${i + 1} dari ${texts.length}`;
      i = (i + 1) % texts.length;
    };
    await draw();
    if (texts.length > 1 && dlg.open) timer = setInterval(() => draw().catch(() => {}), 1200);
  } catch (err) {
    caption.textContent = "QR belum dapat ditampilkan: " + err.message + ". Gunakan Simpan berkas.";
  }
}

export async function saveFile(item) {
  const sub = JSON.parse(item.wire);
  let text = item.wire;
  try {
    text = (await loadRelay()).relayFile([item.wire]);
  } catch {
    // Without relay.js the bare submission is a valid file too.
  }
  const a = el("a", {
    href: URL.createObjectURL(new Blob([text], { type: "application/json" })),
    download: `siaga-${sub.tps}-${sub.contest}-${sub.id.slice(0, 8)}.json`,
  });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

// fileSubmissions reads a relay file, or a bare signed submission.
async function fileSubmissions(text) {
  try {
    return (await loadRelay()).readRelayFile(text);
  } catch (err) {
    if (/^\s*\{\s*"contest"/.test(text)) return [text];
    throw err;
  }
}

// forward queues submissions signed by other phones in this phone's
// outbox: they are sent with X-Siaga-Relay naming this device.
export async function forward(texts) {
  let added = 0;
  for (const text of texts) {
    let subs;
    try {
      subs = JSON.parse(text);
    } catch {
      throw new Error("Isi berkas bukan kiriman Siaga");
    }
    for (const s of Array.isArray(subs) ? subs : [subs]) {
      if (!s || typeof s.id !== "string" || typeof s.signature !== "string" || typeof s.tps !== "string") {
        throw new Error("Isi berkas bukan kiriman Siaga yang ditandatangani");
      }
      if (await db.get("outbox", s.id)) continue;
      await outbox.add({ id: s.id, contest: s.contest, wire: JSON.stringify(s), form: s.form, relay: true, rules: [] });
      added++;
    }
  }
  return added;
}

export function scanScreen(main, state) {
  const status = el("p", { class: "status", id: "relay-status", "aria-live": "polite" });
  // Shown only while the camera is on: a dead camera is a black box.
  const video = el("video", { id: "scan-video", playsinline: true, muted: true, hidden: true });
  const done = async (texts) => {
    try {
      const n = await forward(texts);
      status.textContent = n ? `${n} kiriman dititipkan ke kotak keluar dan dikirim.` : "Kiriman ini sudah ada di kotak keluar.";
      state.sync.now();
    } catch (err) {
      status.textContent = err.message;
    }
  };
  const file = el("input", {
    type: "file", accept: ".json,application/json", id: "relay-file", class: "visually-hidden",
    onchange: async (ev) => {
      try {
        const texts = await Promise.all([...ev.target.files].map((f) => f.text()));
        done((await Promise.all(texts.map(fileSubmissions))).flat());
      } catch (err) {
        status.textContent = err.message;
      }
    },
  });
  const abort = new AbortController();
  addEventListener("hashchange", () => abort.abort(), { once: true });
  async function scan() {
    try {
      const relay = await loadRelay();
      status.textContent = "Arahkan kamera ke kode QR…";
      video.hidden = false;
      const json = await relay.scanMessage(video, {
        signal: abort.signal,
        onProgress: ({ have, total }) => (status.textContent = `${have} dari ${total} kode terbaca…`),
      });
      video.hidden = true;
      return done([json]);
    } catch (err) {
      video.hidden = true;
      if (!abort.signal.aborted) status.textContent = "Kamera atau pemindai tidak tersedia: " + err.message;
    }
  }
  main.replaceChildren(el("section", { class: "card" },
    el("h2", {}, "Titipan dari ponsel lain"),
    el("p", {}, "Pindai QR kiriman dari ponsel petugas yang tidak ada sinyal, atau buka berkas kirimannya. Tanda tangan petugas ikut terbawa, jadi angkanya tidak dapat diubah."),
    el("div", { class: "actions" },
      el("button", { class: "button primary", id: "scan-start", onclick: scan }, "Pindai QR"),
      el("label", { class: "button secondary" }, "Buka berkas", file)),
    video, status,
    el("a", { class: "button secondary", href: "#/" }, "Kembali")));
}
