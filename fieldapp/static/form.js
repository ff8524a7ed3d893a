// The C.Hasil form of one contest: administrative section, votes, photos
// of the pages, rules checked as the officer types.
import { el, contestName, when } from "./dom.js";
import { check, DESCRIBE } from "./rules.js";
import { compress } from "./photos.js";
import * as db from "./db.js";

const TRIPLES = [
  ["pemilih_dpt", "Pemilih terdaftar (DPT)"],
  ["pengguna_dpt", "Pengguna hak pilih DPT"],
  ["pengguna_dptb", "Pengguna hak pilih DPTb"],
  ["pengguna_non_dpt", "Pengguna hak pilih DPK"],
  ["pengguna_total", "Jumlah pengguna hak pilih"],
];
const STOCK = [
  ["surat_suara_diterima", "Surat suara diterima (termasuk cadangan 2%)"],
  ["surat_suara_digunakan", "Surat suara digunakan"],
  ["surat_suara_rusak", "Surat suara rusak/keliru coblos"],
  ["surat_suara_sisa", "Surat suara sisa/tidak digunakan"],
];
const TOTALS = [
  ["suara_sah", "Jumlah suara sah"],
  ["suara_tidak_sah", "Jumlah suara tidak sah"],
  ["suara_total", "Jumlah suara sah dan tidak sah"],
];

const A = "form.administrasi.";

function num(path, label, value) {
  return el("input", {
    type: "text", inputmode: "numeric", pattern: "[0-9]*", autocomplete: "off", maxlength: 6,
    "data-f": path, "aria-label": label, value: value === undefined ? "" : String(value),
  });
}

function field(path, label, value) {
  return el("label", { class: "row" }, el("span", {}, label), num(path, label, value));
}

function tripleRow(base, label, a) {
  return el("div", { class: "row triple" }, el("span", {}, label),
    el("div", { class: "lpj" },
      ...[["l", "L"], ["p", "P"], ["j", "Jml"]].map(([s, t]) =>
        el("label", {}, el("small", {}, t), num(A + base + "_" + s, `${label} ${t}`, a[base + "_" + s])))));
}

// dapilOf finds the ballot's dapil of a contest (the server picked it by
// the longest region prefix of the TPS code).
export const dapilOf = (ballot, contest) => (ballot.dapil || []).find((d) => d.contest === contest) || null;

function votesSection(contest, ballot, f) {
  const s = f.suara || {};
  if (contest === "ppwp") {
    return ballot.tickets.map((t) => field("form.suara.pilihan." + t.number,
      `${t.number} · ${t.president} – ${t.vice_president}`, (s.pilihan || {})[t.number]));
  }
  const dapil = dapilOf(ballot, contest);
  if (contest === "dpd") {
    return dapil.candidates.map((c) => field("form.suara.pilihan." + c.id, `${c.number}. ${c.name}`, (s.pilihan || {})[c.id]));
  }
  return ballot.parties.map((p) => {
    const key = String(p.number);
    const pv = (s.partai || {})[key] || {};
    const base = `form.suara.partai.${key}.`;
    const cands = dapil.candidates.filter((c) => c.party === p.number);
    return el("details", { class: "party", "data-party": key, open: Object.keys(pv).length > 0 },
      el("summary", {}, `${p.number} · ${p.short}`),
      field(base + "suara_partai", "Suara partai saja", pv.suara_partai),
      ...cands.map((c) => field(base + "caleg." + c.id, `${c.number}. ${c.name}`, (pv.caleg || {})[c.id])),
      field(base + "jumlah", "Jumlah suara partai dan caleg", pv.jumlah));
  });
}

// read turns the inputs into a form; a blank input is a number not read
// and is left out, so the rules skip what the officer has not typed.
export function read(root) {
  const f = { administrasi: {}, suara: { pilihan: {}, partai: {} } };
  let bad = false;
  for (const input of root.querySelectorAll("input[data-f]")) {
    const text = input.value.trim();
    input.classList.toggle("nan", text !== "" && !/^[0-9]+$/.test(text));
    if (text === "") continue;
    if (!/^[0-9]+$/.test(text)) { bad = true; continue; }
    const n = Number(text);
    const path = input.dataset.f.split(".").slice(1);
    if (path[0] === "administrasi") f.administrasi[path[1]] = n;
    else if (path[1] === "pilihan") f.suara.pilihan[path[2]] = n;
    else {
      const p = (f.suara.partai[path[2]] ||= {});
      if (path[3] === "caleg") (p.caleg ||= {})[path[4]] = n;
      else p[path[3]] = n;
    }
  }
  for (const p of Object.values(f.suara.partai)) p.suara_partai ||= 0;
  if (!Object.keys(f.suara.pilihan).length && !Object.keys(f.suara.partai).length) delete f.suara;
  return { form: f, bad };
}

// showFindings puts each broken rule's explanation under the first of its
// fields and marks every field it names.
function showFindings(root, findings) {
  root.querySelectorAll(".finding").forEach((n) => n.remove());
  root.querySelectorAll(".bad").forEach((n) => n.classList.remove("bad"));
  const inputs = [...root.querySelectorAll("input[data-f]")];
  for (const fd of findings) {
    const hit = inputs.filter((i) => fd.fields.some((p) => i.dataset.f === p || i.dataset.f.startsWith(p + ".")));
    hit.forEach((i) => i.classList.add("bad"));
    const anchor = hit.length ? hit[0].closest(".row") : root.querySelector(`[data-section="${fd.fields[0]}"]`) || root.querySelector(".sendbar");
    const note = el("div", { class: "finding", role: "alert", "data-rule": fd.rule },
      el("b", {}, fd.rule + " "), fd.message, el("small", {}, DESCRIBE[fd.rule]));
    const party = anchor && anchor.closest("details");
    if (party) party.open = true;
    anchor.after(note);
  }
}

// recordedAt is the number at an input's path in a recorded form, or
// undefined when the form has none there.
function recordedAt(f, path) {
  let v = f;
  for (const k of path.split(".").slice(1)) v = v === undefined || v === null ? undefined : v[k];
  return typeof v === "number" ? v : undefined;
}

// markDifferences marks every input whose number differs from the version
// it would replace, with that version's number beside it.
function markDifferences(root, replaced, summary) {
  root.querySelectorAll(".recorded").forEach((n) => n.remove());
  let n = 0;
  for (const input of root.querySelectorAll("input[data-f]")) {
    const was = recordedAt(replaced.form, input.dataset.f);
    const text = input.value.trim();
    const now = text === "" ? undefined : Number(text);
    const differs = now !== was;
    input.classList.toggle("differs", differs);
    if (!differs) continue;
    n++;
    input.closest("label").append(el("small", { class: "recorded" }, `v${replaced.version}: ${was === undefined ? "kosong" : was}`));
    const party = input.closest("details");
    if (party) party.open = true;
  }
  summary.dataset.count = n;
  summary.textContent = n ? `${n} angka berbeda dari versi ${replaced.version}.` : `Sama dengan versi ${replaced.version}; tidak ada yang dikoreksi.`;
}

// render draws the form of ctx.contest and calls ctx.onSend({form,
// findings, photos, reason}) when the officer sends it.
export function render(main, ctx) {
  const { contest, ballot, draft, previous } = ctx;
  const f = draft.form || {};
  const a = f.administrasi || {};
  const dapil = dapilOf(ballot, contest);
  const photos = draft.photos || [];
  const photoList = el("ol", { class: "photos", id: "photo-list" });
  const status = el("p", { class: "status", id: "form-status", "aria-live": "polite" });
  const replaced = ctx.replaced;
  const differences = el("p", { id: "differences", class: "warn", "aria-live": "polite" });
  const correction = previous && previous.receipt ? el("div", { class: "card correction" },
    replaced
      ? el("p", { id: "replaced" }, `Server menolak kiriman Anda karena TPS ini sudah tercatat versi ${replaced.version} (dikirim ${replaced.author === "operator" ? "operator" : "perangkat lain"}, ${when(Date.parse(replaced.received_at))}). Angka Anda diisi kembali; angka yang berbeda dari versi ${replaced.version} ditandai. Kirim sebagai koreksi versi ${replaced.version}.`)
      : el("p", {}, `Formulir ini sudah diterima sebagai versi ${previous.receipt.version}. Yang dikirim sekarang menjadi koreksi.`),
    replaced ? differences : null,
    el("label", { class: "row wide" }, el("span", {}, "Alasan koreksi (wajib)"),
      el("input", { type: "text", id: "reason", maxlength: 500, value: draft.reason || "" }))) : null;

  const form = el("form", { id: "chasil", "data-contest": contest, novalidate: true },
    el("h2", {}, contestName(contest)),
    dapil ? el("p", { class: "muted" }, `Dapil ${dapil.name}`) : null,
    correction,
    el("fieldset", { "data-section": "form.administrasi" }, el("legend", {}, "I. Data pemilih dan pengguna hak pilih"),
      el("p", { class: "muted" }, "L = laki-laki, P = perempuan. Kosongkan angka yang tidak terbaca."),
      ...TRIPLES.map(([b, l]) => tripleRow(b, l, a))),
    el("fieldset", {}, el("legend", {}, "II. Surat suara"), ...STOCK.map(([k, l]) => field(A + k, l, a[k]))),
    el("fieldset", { "data-section": "form.suara" }, el("legend", {}, "III. Perolehan suara"), ...votesSection(contest, ballot, f)),
    el("fieldset", {}, el("legend", {}, "IV. Jumlah suara"), ...TOTALS.map(([k, l]) => field(A + k, l, a[k]))),
    el("fieldset", {}, el("legend", {}, "Foto formulir"),
      el("p", { class: "muted" }, "Foto setiap halaman C.Hasil. Foto diperkecil di ponsel dan dikirim terpisah dari angka."),
      photoList,
      el("label", { class: "button secondary" }, "📷 Foto halaman",
        el("input", { type: "file", accept: "image/*", capture: "environment", id: "photo-input", class: "visually-hidden", onchange: addPhoto }))),
    el("div", { class: "sendbar" }, status,
      el("button", { type: "submit", class: "button primary", id: "send" }, "Simpan dan kirim")));
  main.replaceChildren(form);

  function drawPhotos() {
    photoList.replaceChildren(...photos.map((p, i) => el("li", {},
      `Halaman ${i + 1}: ${p.width}×${p.height}, ${Math.round(p.size / 1024)} KB `,
      el("button", { type: "button", class: "link", onclick: () => { photos.splice(i, 1); drawPhotos(); save(); } }, "hapus"))));
  }

  async function addPhoto(ev) {
    const files = [...ev.target.files];
    ev.target.value = "";
    for (const file of files) {
      status.textContent = "Memperkecil foto…";
      try {
        const p = await compress(file);
        photos.push(p);
      } catch (err) {
        status.textContent = "Foto tidak dapat dibaca: " + err.message;
        return;
      }
    }
    status.textContent = "";
    drawPhotos();
    save();
  }

  let findings = [];
  function live() {
    const { form: current, bad } = read(form);
    if (replaced) markDifferences(form, replaced, differences);
    findings = check(current, ballot.tps, dapil);
    showFindings(form, findings.filter((x) => x.rule !== "R12" || current.suara || Object.keys(current.administrasi).length));
    status.textContent = bad ? "Isi hanya dengan angka." : findings.length ? `${findings.length} catatan aturan` : "Semua aturan terpenuhi.";
    status.classList.toggle("warn", bad || findings.length > 0);
    return { current, bad };
  }

  let saving = 0;
  function save() {
    clearTimeout(saving);
    saving = setTimeout(() => db.put("kv", {
      form: read(form).form, photos, reason: (form.querySelector("#reason") || {}).value || "",
    }, "draft:" + contest), 300);
  }

  form.addEventListener("input", () => { live(); save(); });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const { current, bad } = live();
    if (bad) return;
    const reason = correction ? form.querySelector("#reason").value.trim() : "";
    if (correction && !reason) {
      status.textContent = "Tulis alasan koreksi.";
      form.querySelector("#reason").focus();
      return;
    }
    if (findings.length && !(await ctx.confirm(findings))) return;
    form.querySelector("#send").disabled = true;
    clearTimeout(saving);
    await ctx.onSend({ form: current, findings, photos, reason });
  });
  drawPhotos();
  live();
}
