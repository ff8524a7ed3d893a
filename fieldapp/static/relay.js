// Relay without signal: a signed submission travels as QR codes from a
// phone with no signal to one that has it, or as a file. The format is
// documented in docs/relay.md and decoded on the server by package relay;
// this module and the Go code must stay byte-compatible.
//
// The QR libraries are loaded only when a code is drawn or scanned, so the
// app's first load stays small; a service worker that wants relay to work
// offline precaches `assets`.

const PREFIX = "SGA1:";
export const CHUNK_BYTES = 420; // relay.ChunkBytes: a version-14 QR code at level L
export const MAX_CHUNKS = 64;
export const MAX_MESSAGE = 64 << 10;
const MAX_CHUNK_LEN = PREFIX.length + "12345678:64/64:".length + (CHUNK_BYTES / 2) * 3;
const B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

const QRCODE_URL = new URL("./vendor/qrcode-generator/qrcode.mjs", import.meta.url).href;
const JSQR_URL = new URL("./vendor/jsqr/jsQR.js", import.meta.url).href;
export const assets = [QRCODE_URL, JSQR_URL];

// RelayError carries a message for the officer (Indonesian) and one in
// English for logs.
export class RelayError extends Error {
  constructor(message, messageEN) {
    super(message);
    this.name = "RelayError";
    this.messageEN = messageEN || message;
  }
}

// --- base45 (RFC 9285) ------------------------------------------------------

function base45Encode(bytes) {
  let out = "";
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const n = bytes[i] * 256 + bytes[i + 1];
    out += B45[n % 45] + B45[Math.floor(n / 45) % 45] + B45[Math.floor(n / 2025)];
  }
  if (bytes.length % 2 === 1) {
    const n = bytes[bytes.length - 1];
    out += B45[n % 45] + B45[Math.floor(n / 45)];
  }
  return out;
}

function base45Decode(s) {
  if (s.length % 3 === 1) return null;
  const out = [];
  for (let i = 0; i < s.length; i += 3) {
    const group = s.slice(i, i + 3);
    let n = 0;
    for (let j = group.length - 1; j >= 0; j--) {
      const d = B45.indexOf(group[j]);
      if (d < 0) return null;
      n = n * 45 + d;
    }
    if (group.length === 3) {
      if (n > 0xffff) return null;
      out.push(n >> 8, n & 0xff);
    } else {
      if (n > 0xff) return null;
      out.push(n);
    }
  }
  return new Uint8Array(out);
}

// --- CRC-32 (IEEE), the message id -----------------------------------------

let crcTable;
function crc32(bytes) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ((c ^ 0xffffffff) >>> 0).toString(16).toUpperCase().padStart(8, "0");
}

// --- raw DEFLATE ------------------------------------------------------------

async function deflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// inflate stops reading past MAX_MESSAGE: a hostile code must not fill the
// phone's memory.
async function inflate(bytes) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_MESSAGE) {
      reader.cancel().catch(() => {});
      throw new RelayError(`Kiriman terlalu besar (maksimal ${MAX_MESSAGE} byte)`, `message too large (at most ${MAX_MESSAGE} bytes)`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// --- chunks -----------------------------------------------------------------

// encodeChunks turns a signed submission's JSON into the texts of its QR
// codes, of about equal size.
export async function encodeChunks(signedSubmissionJSON) {
  const msg = new TextEncoder().encode(signedSubmissionJSON);
  if (msg.length === 0) throw new RelayError("Pesan kosong", "empty message");
  if (msg.length > MAX_MESSAGE) {
    throw new RelayError(`Pesan terlalu besar (maksimal ${MAX_MESSAGE} byte)`, `message too large (at most ${MAX_MESSAGE} bytes)`);
  }
  const packed = await deflate(msg);
  const n = Math.ceil(packed.length / CHUNK_BYTES);
  if (n > MAX_CHUNKS) {
    throw new RelayError(`Pesan butuh lebih dari ${MAX_CHUNKS} kode QR`, `message needs more than ${MAX_CHUNKS} QR codes`);
  }
  let size = Math.ceil(packed.length / n);
  size += size % 2;
  const id = crc32(packed);
  const chunks = [];
  for (let i = 0; i < n; i++) {
    chunks.push(`${PREFIX}${id}:${i + 1}/${n}:${base45Encode(packed.subarray(i * size, (i + 1) * size))}`);
  }
  return chunks;
}

function number(s) {
  if (!/^(0|[1-9][0-9]?)$/.test(s)) return -1;
  return Number(s);
}

// parseChunk reads one scanned text; it throws a RelayError when the text
// is not a valid chunk.
function parseChunk(text) {
  text = String(text).replace(/^[\r\n\t]+|[\r\n\t]+$/g, "");
  if (text.length > MAX_CHUNK_LEN) throw new RelayError("Kode terlalu panjang untuk kode relay", "text too long for a relay chunk");
  if (!text.startsWith(PREFIX)) {
    throw new RelayError(`Bukan kode relay Siaga (harus diawali ${PREFIX})`, `not a Siaga relay chunk (must start with ${PREFIX})`);
  }
  const rest = text.slice(PREFIX.length);
  const a = rest.indexOf(":");
  const b = a < 0 ? -1 : rest.indexOf(":", a + 1);
  const id = rest.slice(0, a);
  if (b < 0 || !/^[0-9A-F]{8}$/.test(id)) throw new RelayError("Kepala kode relay rusak", "malformed relay chunk header");
  const numbers = rest.slice(a + 1, b);
  const slash = numbers.indexOf("/");
  const index = slash < 0 ? -1 : number(numbers.slice(0, slash));
  const total = slash < 0 ? -1 : number(numbers.slice(slash + 1));
  if (total < 1 || total > MAX_CHUNKS || index < 1 || index > total) {
    throw new RelayError(`Nomor bagian kode relay tidak sah: "${numbers}"`, `invalid relay chunk number: "${numbers}"`);
  }
  const data = base45Decode(rest.slice(b + 1));
  if (!data || data.length === 0 || data.length > CHUNK_BYTES) {
    throw new RelayError(`Isi kode relay ${index}/${total} rusak`, `relay chunk ${index}/${total} is corrupted`);
  }
  return { id, index, total, data };
}

// chunkInfo tells a scanning screen what a text is: {id, index, total} of
// a relay chunk, or null for anything else, so it can show "2 of 3" and
// ignore a neighbour's code.
export function chunkInfo(text) {
  try {
    const { id, index, total } = parseChunk(text);
    return { id, index, total };
  } catch {
    return null;
  }
}

// decodeChunks assembles the chunks of one message, in any order and with
// duplicates, into the original JSON. Chunks of two messages, a missing or
// a corrupted chunk throw a RelayError saying which.
export async function decodeChunks(texts) {
  if (!texts || texts.length === 0) throw new RelayError("Tidak ada kode relay", "no relay chunks");
  let msg = null;
  for (const text of texts) {
    const c = parseChunk(text);
    if (!msg) msg = { id: c.id, total: c.total, parts: new Map() };
    if (c.id !== msg.id) {
      throw new RelayError("Kode berasal dari lebih dari satu kiriman; pindai satu kiriman saja",
        "the chunks belong to more than one message; scan one message at a time");
    }
    if (c.total !== msg.total) {
      throw new RelayError(`Jumlah bagian kiriman ${c.id} tidak cocok (${msg.total} dan ${c.total})`,
        `message ${c.id} has chunks of ${msg.total} and of ${c.total} parts`);
    }
    const old = msg.parts.get(c.index);
    if (old && (old.length !== c.data.length || old.some((v, i) => v !== c.data[i]))) {
      throw new RelayError(`Dua isi berbeda untuk bagian ${c.index}/${c.total} kiriman ${c.id}`,
        `two different chunks ${c.index}/${c.total} of message ${c.id}`);
    }
    msg.parts.set(c.index, c.data);
  }
  let size = 0;
  for (let i = 1; i <= msg.total; i++) {
    const part = msg.parts.get(i);
    if (!part) {
      throw new RelayError(`Bagian ${i} dari ${msg.total} kiriman ${msg.id} belum dipindai`,
        `chunk ${i} of ${msg.total} of message ${msg.id} is missing`);
    }
    size += part.length;
  }
  const packed = new Uint8Array(size);
  for (let i = 1, at = 0; i <= msg.total; i++) {
    packed.set(msg.parts.get(i), at);
    at += msg.parts.get(i).length;
  }
  if (crc32(packed) !== msg.id) {
    throw new RelayError(`Kiriman ${msg.id} rusak (checksum tidak cocok)`, `message ${msg.id} is corrupted (checksum mismatch)`);
  }
  let out;
  try {
    out = await inflate(packed);
  } catch (e) {
    if (e instanceof RelayError) throw e;
    throw new RelayError(`Kiriman ${msg.id} tidak dapat dibuka`, `message ${msg.id} cannot be decompressed`);
  }
  if (out.length === 0) throw new RelayError(`Kiriman ${msg.id} kosong`, `message ${msg.id} is empty`);
  return new TextDecoder("utf-8", { fatal: true }).decode(out);
}

// --- relay file ---------------------------------------------------------------

// relayFile is the text of a relay file holding signed submissions (each
// a JSON string), for export by share sheet, Bluetooth or memory card.
export function relayFile(submissionJSONs) {
  return JSON.stringify({ siaga_relay: 1, submissions: submissionJSONs.map((s) => JSON.parse(s)) });
}

// readRelayFile returns the JSON of each submission in a relay file.
export function readRelayFile(text) {
  let f;
  try {
    f = JSON.parse(text);
  } catch {
    throw new RelayError("Berkas relay tidak dapat dibaca", "cannot read the relay file");
  }
  if (!f || f.siaga_relay !== 1 || !Array.isArray(f.submissions) || f.submissions.length === 0) {
    throw new RelayError("Bukan berkas relay Siaga", "not a Siaga relay file");
  }
  return f.submissions.map((s) => JSON.stringify(s));
}

// --- drawing --------------------------------------------------------------------

let qrcodeModule;
const loadQRCode = () => (qrcodeModule ||= import(QRCODE_URL).catch((e) => {
  qrcodeModule = null;
  throw new RelayError("Pustaka kode QR belum tersedia; buka aplikasi sekali saat ada sinyal", `cannot load the QR generator: ${e}`);
}));

const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]*$/;

// drawQR draws text as a QR code filling the canvas's width, with the
// quiet zone scanners need. It returns a promise (the generator is loaded
// on first use) of {version, modules}.
export async function drawQR(canvas, text) {
  const { qrcode } = await loadQRCode();
  const qr = qrcode(0, "L");
  qr.addData(text, ALPHANUMERIC.test(text) ? "Alphanumeric" : "Byte");
  qr.make();
  const modules = qr.getModuleCount();
  const quiet = 4;
  const want = canvas.width || 320;
  const cell = Math.max(2, Math.floor(want / (modules + 2 * quiet)));
  const side = cell * (modules + 2 * quiet);
  canvas.width = side;
  canvas.height = side;
  const g = canvas.getContext("2d");
  g.fillStyle = "#fff";
  g.fillRect(0, 0, side, side);
  g.fillStyle = "#000";
  for (let r = 0; r < modules; r++) {
    for (let c = 0; c < modules; c++) {
      if (qr.isDark(r, c)) g.fillRect((c + quiet) * cell, (r + quiet) * cell, cell, cell);
    }
  }
  return { version: (modules - 17) / 4, modules };
}

// --- scanning -------------------------------------------------------------------

let jsqrScript;
function loadJsQR() {
  if (globalThis.jsQR) return Promise.resolve(globalThis.jsQR);
  return (jsqrScript ||= new Promise((resolve, reject) => {
    // jsQR is a UMD script, not a module: it defines window.jsQR.
    const s = document.createElement("script");
    s.src = JSQR_URL;
    s.async = true;
    s.onload = () => (globalThis.jsQR ? resolve(globalThis.jsQR) : reject(new RelayError("Pustaka pemindai rusak", "jsQR did not load")));
    s.onerror = () => {
      jsqrScript = null;
      reject(new RelayError("Pustaka pemindai belum tersedia; buka aplikasi sekali saat ada sinyal", "cannot load jsQR"));
    };
    document.head.appendChild(s);
  }));
}

// decodeImage reads a QR code from ImageData (a camera frame or a photo
// of a screen); it resolves to the text or null.
export async function decodeImage(imageData) {
  const jsQR = await loadJsQR();
  const found = jsQR(imageData.data, imageData.width, imageData.height, { inversionAttempts: "dontInvert" });
  return found ? found.data : null;
}

// nativeDetector is the browser's own QR reader (Chrome on Android has
// one), much faster than jsQR on a cheap phone; null where there is none.
async function nativeDetector() {
  if (!("BarcodeDetector" in globalThis)) return null;
  try {
    const formats = await globalThis.BarcodeDetector.getSupportedFormats();
    return formats.includes("qr_code") ? new globalThis.BarcodeDetector({ formats: ["qr_code"] }) : null;
  } catch {
    return null;
  }
}

// scanFrames opens the back camera into video and calls onText with every
// QR text seen until onText returns true or signal aborts; the camera is
// always released.
async function scanFrames(video, onText, signal) {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new RelayError("Kamera tidak tersedia di peramban ini", "no camera access in this browser");
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  } catch (e) {
    throw new RelayError("Izin kamera ditolak atau kamera tidak ada", `camera unavailable: ${e}`);
  }
  try {
    video.setAttribute("playsinline", "");
    video.muted = true;
    video.srcObject = stream;
    await video.play();
    const detector = await nativeDetector();
    const canvas = document.createElement("canvas");
    const g = canvas.getContext("2d", { willReadFrequently: true });
    for (;;) {
      if (signal?.aborted) throw new RelayError("Pemindaian dibatalkan", "scan aborted");
      let text = null;
      if (video.videoWidth > 0) {
        if (detector) {
          const codes = await detector.detect(video).catch(() => []);
          text = codes.length ? codes[0].rawValue : null;
        } else {
          // A 640-px frame is enough for a version-14 code and keeps a
          // cheap phone's CPU cool.
          const scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
          canvas.width = Math.round(video.videoWidth * scale);
          canvas.height = Math.round(video.videoHeight * scale);
          g.drawImage(video, 0, 0, canvas.width, canvas.height);
          text = await decodeImage(g.getImageData(0, 0, canvas.width, canvas.height));
        }
      }
      if (text !== null && onText(text)) return;
      await new Promise((r) => setTimeout(r, 120));
    }
  } finally {
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  }
}

// scanQR resolves to the text of the first QR code the back camera sees.
// Pass {signal} (an AbortSignal) to stop scanning.
export async function scanQR(videoElement, { signal } = {}) {
  let found;
  await scanFrames(videoElement, (text) => ((found = text), true), signal);
  return found;
}

// scanMessage keeps the camera open across the codes of one message and
// resolves to its JSON. onProgress({id, have, total}) reports each new
// chunk; codes that are not relay chunks, or of another message than the
// first one seen, are ignored.
export async function scanMessage(videoElement, { signal, onProgress } = {}) {
  const seen = new Map();
  let first = null;
  await scanFrames(videoElement, (text) => {
    const info = chunkInfo(text);
    if (!info || (first && info.id !== first.id) || seen.has(info.index)) return false;
    first ||= info;
    seen.set(info.index, text);
    onProgress?.({ id: info.id, have: seen.size, total: info.total });
    return seen.size === info.total;
  }, signal);
  return decodeChunks([...seen.values()]);
}
