package logistics

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/deskpemilu/siaga"
)

// The printable waybill (surat jalan) that travels with a shipment and the
// proof of delivery (BTTB, bukti tanda terima barang) its receiver signs,
// as A4 PDFs. They live beside the service rather than in package ui, as
// the relocation notice lives in package disaster: they render a
// shipment and nothing of HTTP, and a command that prints a kecamatan's
// waybills in bulk needs them without the pages.
//
// The core fonts know cp1252 only: every text goes through fpdf's
// translator, which prints a character outside it as "." (a name in
// Arabic script comes out as dots, never as bytes that break the file),
// and fpdf escapes what a PDF string cannot hold, so a "<script>" in a
// note is printed as the text it is.

// ShipmentDoc is what a waybill or a BTTB prints.
type ShipmentDoc struct {
	Shipment siaga.Shipment
	From, To WaybillPlace
	// Delivery is the counted BTTB; nil prints a BTTB to fill in by hand,
	// with the waybill's quantities.
	Delivery *siaga.Delivery
	// Origin is the waybill number of the shipment this one makes good
	// (Shipment.FollowUpOf); FollowUps are those the BTTB's shortfall
	// created.
	Origin    string
	FollowUps []string
	Election  string // "Pemilu 2024"
	// Synthetic, when set, is printed as a warning: a demo's shipments are
	// never to be taken for real ones.
	Synthetic string
}

// page geometry, millimetres (A4 portrait).
const (
	pdfMargin = 15.0
	pdfWidth  = 180.0 // 210 − 2 margins
	pdfBottom = 282.0 // below this a new page starts
)

// pdfDoc is one document being written, with its translator.
type pdfDoc struct {
	*fpdf.Fpdf
	tr func(string) string
}

func newPDF(title string, at time.Time) *pdfDoc {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetAutoPageBreak(true, 297-pdfBottom)
	pdf.SetTitle(title, true)
	pdf.SetCreator("Siaga", true)
	// The shipment's own time, not the clock: the same shipment prints the
	// same file.
	pdf.SetCreationDate(at)
	pdf.SetModificationDate(at)
	d := &pdfDoc{Fpdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor("")}
	pdf.AddPage()
	return d
}

// heading prints the document's title, its English name and the waybill
// number.
func (d *pdfDoc) heading(title, en string, doc ShipmentDoc) {
	d.SetFont("Helvetica", "B", 16)
	d.CellFormat(0, 8, d.tr(title), "", 1, "C", false, 0, "")
	d.SetFont("Helvetica", "", 9)
	sub := en
	if doc.Election != "" {
		sub = doc.Election + " · " + en
	}
	d.CellFormat(0, 5, d.tr(sub), "", 1, "C", false, 0, "")
	d.Ln(2)
	d.SetFont("Helvetica", "B", 12)
	d.CellFormat(0, 7, d.tr("Nomor surat jalan: "+doc.Shipment.Waybill), "", 1, "L", false, 0, "")
	if doc.Synthetic != "" {
		d.SetTextColor(180, 0, 0)
		d.SetFont("Helvetica", "B", 9)
		d.MultiCell(0, 4.5, d.tr(doc.Synthetic), "", "L", false)
		d.SetTextColor(0, 0, 0)
	}
	d.Ln(1)
}

// row prints a label and its value, the value wrapped over lines.
func (d *pdfDoc) row(label, value string) {
	if value == "" {
		return
	}
	d.SetFont("Helvetica", "", 9)
	d.CellFormat(48, 5.5, d.tr(label), "", 0, "L", false, 0, "")
	d.SetFont("Helvetica", "B", 10)
	d.MultiCell(0, 5.5, d.tr(value), "", "L", false)
}

// pdfWhen prints a time in WIB, or "" for none.
func pdfWhen(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(siaga.WIB)
	return fmt.Sprintf("%d %s %d %02d.%02d WIB", t.Day(), pdfMonths[t.Month()-1], t.Year(), t.Hour(), t.Minute())
}

func pdfWhenPtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return pdfWhen(*t)
}

var pdfMonths = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
	"September", "Oktober", "November", "Desember"}

// leg prints where the shipment goes and how.
func (d *pdfDoc) leg(doc ShipmentDoc) {
	s := doc.Shipment
	d.row("Dari (from)", doc.From.String())
	d.row("Ke (to)", doc.To.String())
	d.row("Moda (mode)", ModeName(s.Mode))
	if s.Sea != nil {
		d.row("Pelabuhan (port)", s.Sea.Port)
		d.row("Kapal (vessel)", s.Sea.Vessel)
		if s.Sea.CrossingM > 0 {
			d.row("Penyeberangan (crossing)", fmt.Sprintf("± %d jam %02d menit", s.Sea.CrossingM/60, s.Sea.CrossingM%60))
		}
		d.row("Kapal pengawal (escort boat)", s.Sea.EscortBoat)
	}
	escort := s.Escort
	if escort != "" && s.EscortContact != "" {
		escort += " · " + s.EscortContact
	}
	d.row("Pengawalan (escort)", escort)
	d.row("Rencana berangkat (planned)", pdfWhen(s.PlannedDeparture))
	d.row("Rencana tiba (planned)", pdfWhen(s.PlannedArrival))
	d.row("Berangkat (departed)", pdfWhenPtr(s.Departed))
	d.row("Tiba (arrived)", pdfWhenPtr(s.Arrived))
	if doc.Origin != "" {
		d.row("Susulan dari (follow-up of)", doc.Origin)
	}
}

// table prints a header row then the rows; bad rows (for the BTTB, a
// line with a discrepancy) are shaded and bold. The colour column, when
// at colourCol, gets the ballot colour's swatch before its name.
type pdfTable struct {
	widths    []float64
	aligns    []string
	header    []string
	colourCol int // −1 for none
}

func (d *pdfDoc) tableHeader(t pdfTable) {
	d.SetFont("Helvetica", "B", 8.5)
	d.SetFillColor(230, 230, 230)
	for i, h := range t.header {
		d.CellFormat(t.widths[i], 7, d.tr(h), "1", 0, "C", true, 0, "")
	}
	d.Ln(-1)
}

func (d *pdfDoc) tableRow(t pdfTable, cells []string, item siaga.Item, bad bool) {
	const h = 6.5
	if d.GetY()+h > pdfBottom {
		d.AddPage()
		d.tableHeader(t)
	}
	style := ""
	if bad {
		style = "B"
		d.SetFillColor(253, 226, 226)
	}
	d.SetFont("Helvetica", style, 8.5)
	for i, c := range cells {
		x, y := d.GetXY()
		if i == t.colourCol {
			if c, ok := BallotColour(item); ok {
				// The name after a square of the colour, drawn over the cell.
				d.CellFormat(t.widths[i], h, d.tr("      "+c.Name), "1", 0, "L", bad, 0, "")
				d.SetFillColor(int(c.R), int(c.G), int(c.B))
				d.Rect(x+1.2, y+1.5, 3.5, 3.5, "FD")
				d.SetFillColor(253, 226, 226)
				continue
			}
		}
		d.CellFormat(t.widths[i], h, d.tr(pdfFit(d, c, t.widths[i]-2)), "1", 0, t.aligns[i], bad, 0, "")
	}
	d.Ln(-1)
}

// pdfFit cuts s to what the width holds, with "…" at the end: a table cell
// keeps its row height whatever a name's length.
func pdfFit(d *pdfDoc, s string, w float64) string {
	if d.GetStringWidth(d.tr(s)) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && d.GetStringWidth(d.tr(string(r)+"…")) > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// signatures prints boxes for the named signatories, side by side, each
// with a line for the name and the date.
func (d *pdfDoc) signatures(who ...string) {
	const h = 34.0
	if d.GetY()+h+8 > pdfBottom {
		d.AddPage()
	}
	d.Ln(4)
	w := pdfWidth / float64(len(who))
	y := d.GetY()
	for i, label := range who {
		x := pdfMargin + float64(i)*w
		d.SetDrawColor(0, 0, 0)
		d.Rect(x+1, y, w-2, h, "D")
		d.SetXY(x+2, y+1.5)
		d.SetFont("Helvetica", "B", 9)
		d.MultiCell(w-4, 4.2, d.tr(label), "", "C", false)
		d.SetFont("Helvetica", "", 8)
		d.SetXY(x+2, y+h-11)
		d.CellFormat(w-4, 4.5, d.tr("Nama: ...................................."), "", 2, "L", false, 0, "")
		d.SetX(x + 2)
		d.CellFormat(w-4, 4.5, d.tr("Tanggal/jam: ............................."), "", 0, "L", false, 0, "")
	}
	d.SetXY(pdfMargin, y+h+2)
}

func (d *pdfDoc) footer(text string) {
	d.SetFont("Helvetica", "", 7.5)
	d.SetAutoPageBreak(false, 0)
	d.SetXY(pdfMargin, 287)
	d.CellFormat(0, 4, d.tr(text), "", 0, "L", false, 0, "")
}

// WriteWaybill writes doc's waybill: the number, the leg (from, to, mode,
// the sea route, the escort, the plan), its lines with each ballot's
// dapil and colour, and boxes for the signatures of the sender, the
// driver or escort, and the receiver. A waybill of up to about twenty
// lines fits one A4 page.
func WriteWaybill(w io.Writer, doc ShipmentDoc) error {
	s := doc.Shipment
	d := newPDF("Surat jalan "+s.Waybill, s.CreatedAt)
	d.heading("SURAT JALAN LOGISTIK PEMILU", "Waybill of election logistics", doc)
	d.leg(doc)
	d.Ln(3)
	t := pdfTable{widths: []float64{10, 72, 38, 30, 30}, aligns: []string{"R", "L", "L", "L", "R"},
		header: []string{"No", "Barang (item)", "Dapil", "Warna (colour)", "Jumlah (qty)"}, colourCol: 3}
	d.tableHeader(t)
	total := 0
	for i, l := range s.Lines {
		d.tableRow(t, []string{strconv.Itoa(i + 1), ItemName(l.Item), l.Dapil, "", strconv.Itoa(l.Qty)}, l.Item, false)
		total += l.Qty
	}
	d.SetFont("Helvetica", "B", 8.5)
	d.CellFormat(150, 6.5, d.tr("Jumlah seluruhnya (total)"), "1", 0, "R", false, 0, "")
	d.CellFormat(30, 6.5, strconv.Itoa(total), "1", 1, "R", false, 0, "")
	d.SetFont("Helvetica", "I", 8)
	d.MultiCell(0, 4, d.tr("Surat suara hanya sah untuk dapil yang tertulis; hitung dan periksa segel saat menerima, "+
		"lalu isi BTTB. Ballots are valid only for the dapil printed; count and check on receipt, then fill in the BTTB."), "", "L", false)
	d.signatures("Pengirim (sender)", "Pengemudi / pengawal (driver / escort)", "Penerima (receiver)")
	d.footer("Dicetak dari Siaga · surat jalan " + s.Waybill + " · id " + s.ID)
	return d.Output(w)
}

// WriteBTTB writes doc's proof of delivery: the waybill, the receiver and
// when, and per line what was sent, counted good, damaged, of the wrong
// dapil and short, the lines with a discrepancy shaded, then the note,
// the follow-up shipments and the signature boxes. Without a delivery it
// is the form to fill in by hand, the sent quantities printed.
func WriteBTTB(w io.Writer, doc ShipmentDoc) error {
	s := doc.Shipment
	at := s.CreatedAt
	if doc.Delivery != nil {
		at = doc.Delivery.ReceivedAt
	}
	d := newPDF("BTTB "+s.Waybill, at)
	d.heading("BUKTI TANDA TERIMA BARANG (BTTB)", "Proof of delivery", doc)
	d.row("Dari (from)", doc.From.String())
	d.row("Ke (to)", doc.To.String())
	d.row("Moda (mode)", ModeName(s.Mode))
	if dl := doc.Delivery; dl != nil {
		d.row("Penerima (receiver)", dl.Receiver)
		d.row("Diterima (received)", pdfWhen(dl.ReceivedAt))
		if len(dl.Photos) > 0 {
			d.row("Foto (photos)", fmt.Sprintf("%d foto tersimpan di Siaga", len(dl.Photos)))
		}
	} else {
		d.row("Penerima (receiver)", "....................................................")
		d.row("Diterima (received)", "........ Februari 2024, pukul ........ WIB")
	}
	d.Ln(3)
	t := pdfTable{widths: []float64{8, 52, 30, 18, 18, 18, 18, 18},
		aligns: []string{"R", "L", "L", "R", "R", "R", "R", "R"},
		header: []string{"No", "Barang (item)", "Dapil", "Dikirim", "Baik", "Rusak", "Salah dapil", "Kurang"}, colourCol: -1}
	d.tableHeader(t)
	lines := bttbLines(doc)
	for i, l := range lines {
		cells := []string{strconv.Itoa(i + 1), ItemName(l.Item), l.Dapil, strconv.Itoa(l.Sent), "", "", "", ""}
		if doc.Delivery != nil {
			cells[4], cells[5], cells[6], cells[7] = strconv.Itoa(l.Counted), strconv.Itoa(l.Damaged), strconv.Itoa(l.WrongDapil), strconv.Itoa(l.Short())
		}
		d.tableRow(t, cells, l.Item, doc.Delivery != nil && l.Shortfall() > 0)
	}
	d.SetFont("Helvetica", "", 8)
	d.MultiCell(0, 4, d.tr("Baik = dihitung dan dapat dipakai (counted, usable); Rusak = damaged; Salah dapil = surat suara dapil lain "+
		"(wrong dapil); Kurang = tidak ada (missing)."), "", "L", false)
	d.Ln(2)
	if dl := doc.Delivery; dl != nil {
		d.row("Catatan (note)", dl.Note)
		if dl.Discrepant() {
			d.SetTextColor(170, 0, 0)
			d.row("Selisih (discrepancy)", "Ada selisih: peringatan dikirim ke pengirim (an alert went to the sender)")
			d.SetTextColor(0, 0, 0)
		}
		for _, f := range doc.FollowUps {
			d.row("Kiriman susulan (follow-up)", f)
		}
	} else {
		d.row("Catatan (note)", "..............................................................................................")
	}
	d.signatures("Yang menyerahkan (sender)", "Penerima (receiver)", "Mengetahui (witness)")
	d.footer("Dicetak dari Siaga · BTTB surat jalan " + s.Waybill + " · id " + s.ID)
	return d.Output(w)
}

// bttbLines are the delivery's lines, or without one the waybill's lines
// as sent.
func bttbLines(doc ShipmentDoc) []siaga.DeliveryLine {
	if doc.Delivery != nil {
		return doc.Delivery.Lines
	}
	out := make([]siaga.DeliveryLine, len(doc.Shipment.Lines))
	for i, l := range doc.Shipment.Lines {
		out[i] = siaga.DeliveryLine{Item: l.Item, Dapil: l.Dapil, Sent: l.Qty}
	}
	return out
}
