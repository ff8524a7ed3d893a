// Rules R1–R10 and R12 on one form, a port of rules/check.go and
// rules/explain.go (Indonesian messages). R11 compares sources and only
// the server can check it. A rule is checked only when the form carries
// every field it names, as on the server.

export const ADMIN_FIELDS = [
  "pemilih_dpt_l", "pemilih_dpt_p", "pemilih_dpt_j",
  "pengguna_dpt_l", "pengguna_dpt_p", "pengguna_dpt_j",
  "pengguna_dptb_l", "pengguna_dptb_p", "pengguna_dptb_j",
  "pengguna_non_dpt_l", "pengguna_non_dpt_p", "pengguna_non_dpt_j",
  "pengguna_total_l", "pengguna_total_p", "pengguna_total_j",
  "suara_sah", "suara_tidak_sah", "suara_total",
  "surat_suara_diterima", "surat_suara_digunakan", "surat_suara_rusak", "surat_suara_sisa",
];

// DESCRIBE is rules.Describe in Bahasa Indonesia.
export const DESCRIBE = {
  R1: "Jumlah suara semua paslon, partai atau calon harus sama dengan jumlah suara sah",
  R2: "Suara sah ditambah suara tidak sah harus sama dengan jumlah suara",
  R3: "Jumlah pengguna hak pilih harus sama dengan pengguna DPT + DPTb + DPK",
  R4: "Untuk setiap baris, laki-laki ditambah perempuan harus sama dengan jumlahnya",
  R5: "Jumlah suara tidak boleh lebih banyak dari pengguna hak pilih",
  R6: "Pengguna hak pilih DPT tidak boleh lebih banyak dari pemilih DPT",
  R7: "Jumlah suara tidak boleh melebihi DPT + 2% + DPTb + DPK",
  R8: "Surat suara diterima harus sama dengan digunakan + rusak + sisa, dan tidak melebihi DPT + cadangan 2% + DPTb",
  R9: "DPT pada formulir harus sama dengan DPT TPS menurut daftar pemilih",
  R10: "Suara partai ditambah suara calegnya harus sama dengan jumlah suara partai",
  R11: "Angka dari sumber yang berbeda (KPPS, saksi, PTPS, Sirekap) tidak sama",
  R12: "Formulir belum lengkap: bagian perolehan suara atau administrasi belum ada",
};

const TRIPLES = [
  ["pemilih_dpt", "Pemilih DPT"],
  ["pengguna_dpt", "Pengguna hak pilih DPT"],
  ["pengguna_dptb", "Pengguna hak pilih DPTb"],
  ["pengguna_non_dpt", "Pengguna hak pilih DPK"],
  ["pengguna_total", "Jumlah pengguna hak pilih"],
];

const A = (name) => "form.administrasi." + name;
const finding = (rule, fields, message) => ({ rule, fields, message });

function partySum(p) {
  let n = p.suara_partai || 0;
  for (const v of Object.values(p.caleg || {})) n += v;
  return n;
}

// check returns the findings of form f ({administrasi, suara}) in rule
// order. tps is the registry's TPS ({dpt, dpt_imported}); dapil the
// contest's dapil or null.
export function check(f, tps = {}, dapil = null) {
  const a = f.administrasi || {};
  const has = (...names) => names.every((n) => Number.isInteger(a[n]));
  const v = (n) => a[n];
  const suara = f.suara || null;
  const options = (suara && suara.pilihan) || {};
  const parties = (suara && suara.partai) || {};
  const hasVotes = Object.keys(options).length + Object.keys(parties).length > 0;
  let votes = 0;
  for (const n of Object.values(options)) votes += n;
  for (const p of Object.values(parties)) votes += partySum(p);
  const out = [];

  if (hasVotes && has("suara_sah") && votes !== v("suara_sah")) {
    const noun = Object.keys(parties).length ? "partai dan caleg" : dapil && dapil.contest === "dpd" ? "calon DPD" : "paslon";
    out.push(finding("R1", [A("suara_sah"), "form.suara"], `Suara sah ${v("suara_sah")}, tetapi jumlah suara ${noun} ${votes}`));
  }
  if (has("suara_sah", "suara_tidak_sah", "suara_total") && v("suara_sah") + v("suara_tidak_sah") !== v("suara_total")) {
    out.push(finding("R2", [A("suara_sah"), A("suara_tidak_sah"), A("suara_total")],
      `Suara sah ${v("suara_sah")} + suara tidak sah ${v("suara_tidak_sah")} = ${v("suara_sah") + v("suara_tidak_sah")}, tetapi jumlah suara ${v("suara_total")}`));
  }
  const users = ["pengguna_total_j", "pengguna_dpt_j", "pengguna_dptb_j", "pengguna_non_dpt_j"];
  if (has(...users)) {
    const sum = v("pengguna_dpt_j") + v("pengguna_dptb_j") + v("pengguna_non_dpt_j");
    if (v("pengguna_total_j") !== sum) {
      out.push(finding("R3", users.map(A),
        `Pengguna hak pilih DPT ${v("pengguna_dpt_j")} + DPTb ${v("pengguna_dptb_j")} + DPK ${v("pengguna_non_dpt_j")} = ${sum}, tetapi jumlah pengguna hak pilih ${v("pengguna_total_j")}`));
    }
  }
  for (const [base, name] of TRIPLES) {
    const [l, p, j] = [base + "_l", base + "_p", base + "_j"];
    if (has(l, p, j) && v(j) !== v(l) + v(p)) {
      out.push(finding("R4", [A(l), A(p), A(j)],
        `${name}: laki-laki ${v(l)} + perempuan ${v(p)} = ${v(l) + v(p)}, tetapi jumlahnya tertulis ${v(j)}`));
    }
  }
  if (has("suara_total", "pengguna_total_j") && v("suara_total") > v("pengguna_total_j")) {
    out.push(finding("R5", [A("suara_total"), A("pengguna_total_j")],
      `Jumlah suara ${v("suara_total")} lebih banyak dari pengguna hak pilih ${v("pengguna_total_j")}`));
  }
  if (has("pengguna_dpt_j", "pemilih_dpt_j") && v("pengguna_dpt_j") > v("pemilih_dpt_j")) {
    out.push(finding("R6", [A("pengguna_dpt_j"), A("pemilih_dpt_j")],
      `Pengguna hak pilih DPT ${v("pengguna_dpt_j")} lebih banyak dari pemilih DPT ${v("pemilih_dpt_j")}`));
  }
  if (hasVotes && has("pemilih_dpt_j", "pengguna_dptb_j", "pengguna_non_dpt_j")) {
    const dpt = v("pemilih_dpt_j");
    // Integer arithmetic as on the server: ⌊DPT × 2 / 100⌋.
    const limit = dpt + Math.floor((dpt * 2) / 100) + v("pengguna_dptb_j") + v("pengguna_non_dpt_j");
    if (votes > limit) {
      out.push(finding("R7", [A("pemilih_dpt_j"), A("pengguna_dptb_j"), A("pengguna_non_dpt_j"), "form.suara"],
        `Jumlah suara ${votes} melebihi batas ${limit} (DPT ${dpt} + 2% + DPTb ${v("pengguna_dptb_j")} + DPK ${v("pengguna_non_dpt_j")})`));
    }
  }
  out.push(...stock(a, has, tps));
  if (tps.dpt_imported && has("pemilih_dpt_j") && v("pemilih_dpt_j") !== tps.dpt) {
    out.push(finding("R9", [A("pemilih_dpt_j")], `DPT pada formulir ${v("pemilih_dpt_j")}, tetapi DPT TPS ini menurut daftar pemilih ${tps.dpt}`));
  }
  for (const k of Object.keys(parties).sort((x, y) => Number(x) - Number(y) || (x < y ? -1 : 1))) {
    const p = parties[k];
    if (p.jumlah !== undefined && p.jumlah !== null && partySum(p) !== p.jumlah) {
      const f = "form.suara.partai." + k;
      out.push(finding("R10", [f + ".suara_partai", f + ".caleg", f + ".jumlah"],
        `Partai ${k}: suara partai ${p.suara_partai || 0} + suara caleg ${partySum(p) - (p.suara_partai || 0)} = ${partySum(p)}, tetapi jumlah tertulis ${p.jumlah}`));
    }
  }
  const noAdmin = Object.keys(a).length === 0;
  if (!hasVotes || noAdmin) {
    const fields = [], parts = [];
    if (!hasVotes) fields.push("form.suara"), parts.push("perolehan suara");
    if (noAdmin) fields.push("form.administrasi"), parts.push("administrasi");
    out.push(finding("R12", fields, `Bagian ${parts.join(" dan bagian ")} belum diisi`));
  }
  return out;
}

function stock(a, has, tps) {
  const out = [];
  const v = (n) => a[n];
  const s = ["surat_suara_diterima", "surat_suara_digunakan", "surat_suara_rusak", "surat_suara_sisa"];
  if (has(...s)) {
    const sum = v(s[1]) + v(s[2]) + v(s[3]);
    if (v(s[0]) !== sum) {
      out.push(finding("R8", s.map(A),
        `Surat suara diterima ${v(s[0])}, tetapi digunakan ${v(s[1])} + rusak ${v(s[2])} + sisa ${v(s[3])} = ${sum}`));
    }
  }
  if (has("surat_suara_diterima")) {
    const dpt = has("pemilih_dpt_j") ? v("pemilih_dpt_j") : tps.dpt > 0 ? tps.dpt : null;
    if (dpt !== null) {
      const reserve = Math.floor((dpt * 2 + 99) / 100);
      const dptb = has("pengguna_dptb_j") ? v("pengguna_dptb_j") : 0;
      const limit = dpt + reserve + dptb;
      if (v(s[0]) > limit) {
        out.push(finding("R8", [A(s[0]), A("pemilih_dpt_j"), A("pengguna_dptb_j")],
          `Surat suara diterima ${v(s[0])} melebihi DPT ${dpt} + cadangan 2% ${reserve} + DPTb ${dptb} = ${limit}`));
      }
    }
  }
  return out;
}

// ruleIDs lists the distinct rules of findings, as the server's Check.
export const ruleIDs = (fs) => [...new Set(fs.map((f) => f.rule))];
