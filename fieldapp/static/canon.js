// Canonical bytes of a submission, exactly as Go's
// siaga.Submission.CanonicalBytes: keys sorted at every level, no white
// space, integers, Go's string escaping, zero-valued optional fields left
// out. A phone signs these bytes; the server recomputes them from what it
// decodes, so a single differing byte would make every signature fail.

const utf8 = new TextEncoder();

// Go escapes ", \ and control characters, and U+2028/U+2029 (for
// JavaScript's sake), and nothing else once HTML escaping is off.
function str(s) {
  s = String(s).toWellFormed(); // Go reads a lone surrogate as U+FFFD
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (c < 0x20) {
      const short = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r" }[c];
      out += short || "\\u00" + c.toString(16).padStart(2, "0");
    } else if (c === 0x2028 || c === 0x2029) out += "\\u" + c.toString(16);
    else out += ch;
  }
  return out + '"';
}

function int(n) {
  if (!Number.isSafeInteger(n)) throw new TypeError("bukan bilangan bulat: " + n);
  return String(n);
}

// Go sorts map keys by their UTF-8 bytes, which is not UTF-16 order for
// every character.
function byteOrder(a, b) {
  const x = utf8.encode(a), y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

function object(pairs) {
  return "{" + pairs.map(([k, v]) => str(k) + ":" + v).join(",") + "}";
}

function map(m, value) {
  return object(Object.keys(m).sort(byteOrder).map((k) => [k, value(m[k])]));
}

const empty = (m) => !m || Object.keys(m).length === 0;

function party(p) {
  const pairs = [];
  if (!empty(p.caleg)) pairs.push(["caleg", map(p.caleg, int)]);
  if (p.jumlah !== undefined && p.jumlah !== null) pairs.push(["jumlah", int(p.jumlah)]);
  pairs.push(["suara_partai", int(p.suara_partai || 0)]);
  return object(pairs);
}

export function canonicalForm(f) {
  const pairs = [];
  if (!empty(f.administrasi)) pairs.push(["administrasi", map(f.administrasi, int)]);
  if (f.suara !== undefined && f.suara !== null) {
    const v = [];
    if (!empty(f.suara.partai)) v.push(["partai", map(f.suara.partai, party)]);
    if (!empty(f.suara.pilihan)) v.push(["pilihan", map(f.suara.pilihan, int)]);
    pairs.push(["suara", object(v)]);
  }
  return object(pairs);
}

// canonical returns the canonical JSON text of a submission (without its
// signature).
export function canonical(s) {
  const pairs = [["contest", str(s.contest)]];
  if (s.device) pairs.push(["device", str(s.device)]);
  pairs.push(["form", canonicalForm(s.form || {})], ["id", str(s.id)]);
  if (s.reason) pairs.push(["reason", str(s.reason)]);
  if (s.replaces) pairs.push(["replaces", int(s.replaces)]);
  pairs.push(["source", str(s.source)], ["tps", str(s.tps)]);
  return object(pairs);
}

// canonicalFlat encodes an object of strings and integers with sorted
// keys, as Go encodes a struct whose fields are in alphabetical order: the
// photo upload's signed header.
export function canonicalFlat(o) {
  return map(o, (v) => (typeof v === "number" ? int(v) : str(v)));
}

export const bytes = (text) => utf8.encode(text);
