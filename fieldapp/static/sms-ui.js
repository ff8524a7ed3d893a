// "Kirim lewat SMS": a waiting report turned into the SMS the desk's
// gateway reads, opened in the phone's SMS app for the officer to send.
import * as outbox from "./outbox.js";
import * as sms from "./sms.js";
import { signSubmission } from "./device.js";
import { el, contestName } from "./dom.js";

// offered says whether an outbox item may go by SMS: a report of this
// phone's own that is waiting because the link is down or failing.
export const offered = (it, device) =>
  !it.relay && it.state === outbox.WAITING && (it.sms || it.attempts > 0 || !navigator.onLine) && !!device.secret;

// prepare turns the item into its SMS report once: the texts, and the
// submission the server makes of them (its id, and the form as the SMS
// carries it), signed, so that the outbox's later HTTP retry is that same
// submission and is answered with the SMS's receipt.
async function prepare(it, state) {
  if (it.sms) return it;
  const d = state.device;
  const sub = JSON.parse(it.wire);
  delete sub.signature;
  const b = sms.ballotOf(state.ballot, it.contest);
  const texts = await sms.compose(sub, b, sms.secretBytes(d.secret), sms.partID());
  const report = await sms.submission(d, sub, b);
  const wire = await signSubmission(d, report);
  return outbox.rekey(it.id, {
    id: report.id, wire, form: report.form,
    sms: { texts, number: d.smsNumber, at: Date.now(), opened: [], reason: sub.reason || "" },
  });
}

// screen shows the SMS of outbox item id with a button per part that opens
// the SMS app.
export async function screen(main, state, id, changed) {
  const card = el("section", { class: "card", id: "sms-screen" }, el("h2", {}, "Kirim lewat SMS"));
  main.replaceChildren(card);
  let it = (await outbox.items()).find((x) => x.id === id);
  if (!it) return (location.hash = "#/");
  try {
    it = await prepare(it, state);
  } catch (err) {
    card.append(el("p", { class: "error", role: "alert" }, err.message), back());
    return;
  }
  changed();
  history.replaceState(null, "", "#/sms/" + it.id);
  const { texts, number } = it.sms;
  const n = texts.length;
  card.append(...[
    el("p", {}, `${contestName(it.contest)} · ${n === 1 ? "1 SMS" : `${n} SMS, kirim semuanya`} ke `, el("b", { id: "sms-number" }, number || "—")),
    number ? null : el("p", { class: "error" }, "Nomor SMS desk tidak diberikan saat pendaftaran. Tanyakan nomornya ke operator dan kirim teks di bawah persis seperti tertulis."),
    it.replaces ? el("p", { class: "warn" }, `Koreksi lewat SMS tercatat dengan alasan "${sms.CORRECTION_REASON}".`) : null,
    el("p", { class: "muted" }, "SMS memuat 8 angka jumlah dan suara; kolom L/P dan data surat suara tidak ikut. Jangan ubah teksnya: kode K di akhir membuktikan SMS dari ponsel ini."),
    ...texts.map((text, i) => el("div", { class: "sms-part" },
      n > 1 ? el("small", {}, `Bagian ${i + 1} dari ${n}`) : null,
      el("pre", { class: "sms-text", "data-part": i + 1 }, text),
      el("a", {
        class: "button primary sms-open", "data-part": i + 1, href: sms.uri(number, text),
        onclick: () => opened(it.id, i, changed),
      }, n > 1 ? `Buka aplikasi SMS (bagian ${i + 1})` : "Buka aplikasi SMS"))),
    el("p", { class: "muted" }, "Server membalas dengan SMS \"SIAGA OK tercatat\". Aplikasi tetap mencoba lewat internet; laporan tidak akan tercatat dua kali."),
    back()].filter(Boolean));
}

const back = () => el("a", { class: "button secondary", href: "#/" }, "Kembali");

async function opened(id, part, changed) {
  await outbox.mark(id, (x) => ({ ...x, sms: { ...x.sms, opened: [...new Set([...x.sms.opened, part])] } }));
  changed();
}
