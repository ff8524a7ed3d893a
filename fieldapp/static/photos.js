// Photos of the form's pages: shrunk on the phone (long edge about
// 1600 px, JPEG quality stepped down until the file is at most 250 KB) so
// that a page costs a minute on 2G, not ten; then uploaded in chunks that
// resume from the server's offset after any failure.
import * as db from "./db.js";
import { signPhoto } from "./device.js";

export const MAX_BYTES = 250 * 1024;
const LONG_EDGE = 1600;
const CHUNK = 32 * 1024; // well under the server's 64 KiB: less to resend on 2G

export async function compress(file) {
  const bmp = await createImageBitmap(file, { imageOrientation: "from-image" });
  let scale = Math.min(1, LONG_EDGE / Math.max(bmp.width, bmp.height));
  for (;;) {
    const w = Math.max(1, Math.round(bmp.width * scale));
    const h = Math.max(1, Math.round(bmp.height * scale));
    const canvas = new OffscreenCanvas(w, h);
    canvas.getContext("2d").drawImage(bmp, 0, 0, w, h);
    for (const quality of [0.8, 0.7, 0.6, 0.5, 0.4, 0.3]) {
      const blob = await canvas.convertToBlob({ type: "image/jpeg", quality });
      if (blob.size <= MAX_BYTES) {
        bmp.close();
        return { blob, width: w, height: h, size: blob.size, sha256: await sha256(blob) };
      }
    }
    scale *= 0.75;
  }
}

async function sha256(blob) {
  const d = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export const blobKey = (submission, page) => `${submission}/${page}`;

// Final answers: retrying cannot change them. 409 is not among them: it
// carries the offset to resume from.
const final = (status) => status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 429;

export class Refused extends Error {}

async function refusal(res) {
  const body = await res.json().catch(() => null);
  return new Refused((body && body.error && body.error.message) || `Server menolak foto (${res.status})`);
}

// corrupted handles the server's answer that the bytes it received do not
// match the signed hash (it has started the page again at 0). If the
// phone's copy still matches, the bytes were damaged on the way: retry. If
// not, the phone's own copy is damaged and only a new photo helps.
async function corrupted(res, blob, photo) {
  const body = await res.clone().json().catch(() => null);
  if (!body || !body.error || body.error.field !== "sha256") return;
  if ((await sha256(blob)) === photo.sha256) throw new Error("foto rusak di jalan; dikirim ulang dari awal");
  throw new Refused("Berkas foto di ponsel ini rusak; ambil foto halaman ini lagi");
}

// upload sends one page and resolves when the server holds all of it. It
// throws Refused for a final answer and anything else for a retry later.
//
// The declaration's answer issues an upload token (header Upload-Token)
// that every chunk must carry: knowing the submission's id is not enough
// to touch the upload. onToken must persist it with the outbox item before
// the first chunk, so that after a restart the declaration carries it and
// the upload goes on under it; declaring without it issues a new one.
export async function upload(device, submission, photo, { onProgress, onToken } = {}) {
  const blob = await db.get("photos", blobKey(submission, photo.page));
  if (!blob) throw new Refused("Berkas foto hilang dari ponsel");
  const header = await signPhoto(device, {
    page: photo.page, pages: photo.pages, sha256: photo.sha256, size: photo.size, submission,
  });
  const headers = { "Content-Type": "application/json" };
  if (photo.token) headers["Upload-Token"] = photo.token;
  let res = await fetch("/api/v1/photos", { method: "POST", headers, body: JSON.stringify(header) });
  if (final(res.status)) throw await refusal(res);
  if (!res.ok) throw new Error(`server ${res.status}`);
  let token = photo.token;
  const issued = res.headers.get("Upload-Token");
  if (issued) {
    token = issued;
    onToken && (await onToken(issued));
  }
  const state = await res.json();
  if (state.complete) return;
  let offset = state.received || 0;
  const url = `/api/v1/photos/${submission}/${photo.page}`;
  while (offset < photo.size) {
    onProgress && onProgress(offset);
    res = await fetch(url, {
      method: "PATCH",
      headers: { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream", "Upload-Token": token },
      body: blob.slice(offset, offset + CHUNK),
    });
    const at = Number(res.headers.get("Upload-Offset"));
    if (res.status === 204 || res.status === 409) {
      if (!Number.isFinite(at) || at < 0 || at > photo.size || (res.status === 409 && at === offset)) {
        throw new Error("Upload-Offset tidak sah");
      }
      offset = at;
      continue;
    }
    // Another declaration of this page (a second tab) took the token:
    // the next try declares again and gets a new one.
    if (res.status === 401 || res.status === 403) throw new Error("token unggah tidak berlaku lagi");
    if (res.status === 400) await corrupted(res, blob, photo);
    if (final(res.status)) throw await refusal(res);
    throw new Error(`server ${res.status}`);
  }
  onProgress && onProgress(photo.size);
}
