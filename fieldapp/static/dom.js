// el builds a DOM element: el("p", {class: "x"}, "text", child).
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) e.append(c);
  }
  return e;
}

export const CONTESTS = [
  ["ppwp", "Presiden dan Wakil Presiden"],
  ["dpr", "DPR RI"],
  ["dpd", "DPD RI"],
  ["dprd_prov", "DPRD Provinsi"],
  ["dprd_kab", "DPRD Kabupaten/Kota"],
];

export const contestName = (c) => (CONTESTS.find(([k]) => k === c) || [c, c])[1];

export const STATE_LABEL = {
  menunggu: "Menunggu sinyal",
  mengirim: "Mengirim…",
  diterima: "Diterima",
  ditolak: "Ditolak",
};

export function when(ms) {
  return new Date(ms).toLocaleString("id-ID", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}
