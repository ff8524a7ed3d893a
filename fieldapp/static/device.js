// The phone's identity: an Ed25519 key generated here with WebCrypto,
// never extractable, kept in IndexedDB as a CryptoKey. Only the public
// key leaves the phone, once, at enrolment.
import * as db from "./db.js";
import { canonical, canonicalFlat, bytes } from "./canon.js";

const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf)));

export const load = () => db.get("kv", "device");

// normalizeCode accepts the code as typed or as read from a QR link.
export function normalizeCode(text) {
  return String(text || "").toUpperCase().replace(/[^A-Z0-9]/g, "");
}

// enrol trades a one-time code for a device id and its enrolment secret.
// It throws an Error whose message is the server's, in Indonesian.
export async function enrol(code) {
  const keys = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
  const pub = await crypto.subtle.exportKey("raw", keys.publicKey);
  let res;
  try {
    res = await fetch("/api/v1/devices", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code: normalizeCode(code), public_key: b64(pub) }),
    });
  } catch {
    throw new Error("Tidak ada sambungan ke server. Pendaftaran perlu sinyal sekali saja; coba lagi di tempat yang ada sinyal.");
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error((body.error && body.error.message) || `Server menjawab ${res.status}`);
  const d = body.device;
  const device = {
    id: d.id, tps: d.tps, role: d.role, source: sourceOf(d.role),
    privateKey: keys.privateKey, publicKey: b64(pub), secret: body.secret, enrolledAt: d.enrolled_at,
    // The desk's number for SMS reports; the secret makes their codes.
    smsNumber: body.sms_number || "",
  };
  await db.put("kv", device, "device");
  // Ask the browser not to evict the outbox under storage pressure.
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  return device;
}

function sourceOf(role) {
  return { kpps: "kpps", saksi: "saksi", ptps: "ptps" }[role] || "kpps";
}

async function signText(device, text) {
  const sig = await crypto.subtle.sign({ name: "Ed25519" }, device.privateKey, bytes(text));
  return b64(sig);
}

// signSubmission returns the wire JSON: the canonical bytes with the
// signature added last, the smallest form the server accepts.
export async function signSubmission(device, sub) {
  sub = { ...sub, device: device.id };
  const text = canonical(sub);
  const signature = await signText(device, text);
  return text.slice(0, -1) + ',"signature":' + JSON.stringify(signature) + "}";
}

// SURVEY_DOMAIN is auth.SurveyDomain: it prefixes what is signed for a
// survey, so that its signature can never pass for a form's.
const SURVEY_DOMAIN = "siaga-survey\n";

// signSurvey signs a survey's JSON text exactly as it will be sent: the
// server checks these bytes before decoding them, so no canonical form of
// its decimal numbers is needed.
export const signSurvey = (device, text) => signText(device, SURVEY_DOMAIN + text);

// signPhoto signs the header of a photo upload.
export async function signPhoto(device, header) {
  const h = { ...header, device: device.id };
  return { ...h, signature: await signText(device, canonicalFlat(h)) };
}

// LOGISTICS_DOMAIN is auth.LogisticsDomain: it prefixes what a KPPS phone
// signs for its TPS's logistics (an arrival, a BTTB, a handover, a photo
// of either, a read of its shipments), so that none of these can pass for
// a form's or a survey's signature.
const LOGISTICS_DOMAIN = "siaga-logistics\n";

// signLogistics signs an item's JSON text exactly as it will be sent, or
// the one line naming a read or a photo upload.
export const signLogistics = (device, text) => signText(device, LOGISTICS_DOMAIN + text);

// INCIDENT_DOMAIN is auth.IncidentDomain: it prefixes what a KPPS or PTPS
// phone signs for an incident report, a photo of one or a read of its
// reports, so that none of these can pass for any other signature.
const INCIDENT_DOMAIN = "siaga-incident\n";

// signIncident signs a report's JSON text exactly as it will be sent, or
// the line naming a photo upload or a read.
export const signIncident = (device, text) => signText(device, INCIDENT_DOMAIN + text);
