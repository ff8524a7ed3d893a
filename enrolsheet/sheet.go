// Package enrolsheet prints enrolment codes as a PDF: one sheet per PPS
// (desa) with, for each of its TPS, a card holding one QR code that opens
// the field app ready to enrol, and the same code typed large for reading
// aloud over the phone. An operator prints it once, when the codes are
// issued: the server keeps only their keyed hashes.
//
// The PDF is built with go-pdf/fpdf and its core fonts; the QR matrix comes
// from yeqown/go-qrcode and is drawn here as vector squares, so that it
// stays sharp at any printer's resolution.
package enrolsheet

import (
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/yeqown/go-qrcode/v2"
)

// Document is what is printed: one Sheet per PPS, in order.
type Document struct {
	Role      string // the device role, "kpps"
	RoleText  string // what that role is, in Bahasa Indonesia and English
	IssuedBy  string // the operator's name and account
	IssuedAt  time.Time
	ExpiresAt time.Time
	// FieldApp is the field app's address on the public URL
	// ("https://pemilu.example/lapangan/"), printed for those who type.
	FieldApp string
	// Replaced is how many unused codes of earlier sheets these replace.
	Replaced int
	Sheets   []Sheet
}

// Sheet is the codes of one PPS.
type Sheet struct {
	Desa      string // "KERTAJAYA (3601012001)"
	Kecamatan string // "Kec. SUMUR, KAB. PANDEGLANG"
	Cards     []Card
}

// Card is one TPS's code.
type Card struct {
	TPS    string // the 13-digit TPS code
	Number int
	Code   string // as auth.FormatCode prints it, "ABCD-EFGH-JK"
	URL    string // what the QR code opens
}

// page geometry, in millimetres (A4 portrait).
const (
	pageW, pageH = 210.0, 297.0
	margin       = 10.0
	headerH      = 34.0
	footerH      = 14.0
	cardW, cardH = 90.0, 44.0 // a card at scale 1
	minScale     = 0.7
)

// Write writes d as a PDF to w.
func Write(w io.Writer, d Document) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, margin)
	pdf.SetTitle("Lembar pendaftaran perangkat Siaga", true)
	pdf.SetCreator("Siaga", true)
	pdf.SetCreationDate(d.IssuedAt)
	pdf.SetModificationDate(d.IssuedAt)
	tr := pdf.UnicodeTranslatorFromDescriptor("") // UTF-8 → cp1252 of the core fonts
	for _, s := range d.Sheets {
		if err := writeSheet(pdf, tr, d, s); err != nil {
			return err
		}
	}
	if len(d.Sheets) == 0 {
		pdf.AddPage()
	}
	return pdf.Output(w)
}

// layout is how a sheet's cards sit on its pages.
type layout struct {
	scale      float64
	cols, rows int
}

// layoutFor picks the largest scale at which n cards fit on one page,
// down to minScale; beyond that the sheet goes on over more pages.
func layoutFor(n int) layout {
	for s := 1.0; ; s -= 0.05 {
		if s < minScale {
			s = minScale
		}
		l := layout{scale: s, cols: int((pageW - 2*margin) / (cardW * s)), rows: int((pageH - 2*margin - headerH - footerH) / (cardH * s))}
		if l.cols*l.rows >= n || s == minScale {
			return l
		}
	}
}

// Place is where a card is printed: its page (from 0) and the square of
// its QR code, in millimetres from the page's top-left corner. A scanner
// sees one card at a time; so do the tests (enrolsheet/sheettest).
type Place struct {
	Card       Card
	Page       int
	X, Y, Size float64
}

// Places returns where every card of d is printed, in order.
func Places(d Document) []Place {
	var out []Place
	page := 0
	for _, s := range d.Sheets {
		l := layoutFor(len(s.Cards))
		per := l.cols * l.rows
		for i, c := range s.Cards {
			x, y := cardCorner(l, i%per)
			pad := 3 * l.scale
			out = append(out, Place{Card: c, Page: page + i/per, X: x + pad, Y: y + pad, Size: cardH*l.scale - 2*pad})
		}
		page += sheetPages(l, len(s.Cards))
	}
	return out
}

func sheetPages(l layout, n int) int {
	per := l.cols * l.rows
	return max(1, (n+per-1)/per)
}

// cardCorner is the top-left corner of the i-th card of a page.
func cardCorner(l layout, i int) (x, y float64) {
	return margin + float64(i%l.cols)*cardW*l.scale, margin + headerH + float64(i/l.cols)*cardH*l.scale
}

func writeSheet(pdf *fpdf.Fpdf, tr func(string) string, d Document, s Sheet) error {
	l := layoutFor(len(s.Cards))
	per := l.cols * l.rows
	pages := sheetPages(l, len(s.Cards))
	for p := range pages {
		pdf.AddPage()
		header(pdf, tr, d, s, p+1, pages)
		for i, c := range s.Cards[p*per : min(len(s.Cards), (p+1)*per)] {
			x, y := cardCorner(l, i)
			if err := card(pdf, tr, d, s, c, x, y, l.scale); err != nil {
				return fmt.Errorf("TPS %s: %w", c.TPS, err)
			}
		}
		footer(pdf, tr, d)
	}
	return pdf.Error()
}

func header(pdf *fpdf.Fpdf, tr func(string) string, d Document, s Sheet, page, pages int) {
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont("Helvetica", "B", 15)
	pdf.Text(margin, margin+6, tr("Lembar pendaftaran perangkat — "+strings.ToUpper(d.Role)))
	pdf.SetFont("Helvetica", "", 9)
	pdf.Text(margin, margin+11, tr("Device enrolment sheet · "+d.RoleText))
	pdf.SetFont("Helvetica", "B", 12)
	pps := "PPS " + s.Desa
	if pages > 1 {
		pps += fmt.Sprintf("  (halaman %d dari %d)", page, pages)
	}
	pdf.Text(margin, margin+18, tr(pps))
	pdf.SetFont("Helvetica", "", 8.5)
	pdf.Text(margin, margin+23, tr(s.Kecamatan))
	pdf.Text(margin, margin+28, tr(fmt.Sprintf("Diterbitkan / issued %s oleh / by %s. Berlaku sampai / valid until %s.",
		wib(d.IssuedAt), d.IssuedBy, wib(d.ExpiresAt))))
	if d.Replaced > 0 {
		pdf.SetFont("Helvetica", "B", 8.5)
		pdf.Text(margin+110, margin+18, tr(fmt.Sprintf("Menggantikan %d kode lama yang belum dipakai / replaces %d unused codes", d.Replaced, d.Replaced)))
	}
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.4)
	pdf.Line(margin, margin+headerH-3, pageW-margin, margin+headerH-3)
}

func footer(pdf *fpdf.Fpdf, tr func(string) string, d Document) {
	y := pageH - margin - footerH + 3
	pdf.SetFont("Helvetica", "", 7.5)
	pdf.SetTextColor(0, 0, 0)
	pdf.SetXY(margin, y)
	pdf.MultiCell(pageW-2*margin, 3.4, tr("Petugas: pindai QR dengan kamera ponsel, atau buka "+d.FieldApp+
		" dan ketik kodenya. Satu kode untuk satu ponsel, sekali pakai. Simpan lembar ini seperti dokumen rahasia: siapa pun yang memegang kode dapat mendaftarkan ponsel. "+
		"Officer: scan the QR code with the phone's camera, or open the field app and type the code. One code, one phone, used once; keep this sheet confidential."), "", "L", false)
}

// card draws one TPS's card with its top-left corner at x, y, at scale k.
func card(pdf *fpdf.Fpdf, tr func(string) string, d Document, s Sheet, c Card, x, y, k float64) error {
	w, h := cardW*k, cardH*k
	pdf.SetDrawColor(150, 150, 150)
	pdf.SetLineWidth(0.2)
	pdf.SetDashPattern([]float64{1.5, 1}, 0) // cut along the line
	pdf.Rect(x, y, w, h, "D")
	pdf.SetDashPattern(nil, 0)

	pad := 3 * k
	qr := h - 2*pad
	qx, tx := x+pad, x+2*pad+qr
	if err := drawQR(pdf, c.URL, qx, y+pad, qr); err != nil {
		return err
	}
	pdf.LinkString(qx, y+pad, qr, qr, c.URL)
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont("Helvetica", "B", 13*k)
	pdf.Text(tx, y+pad+5*k, fmt.Sprintf("TPS %03d", c.Number))
	pdf.SetFont("Helvetica", "", 7*k)
	pdf.Text(tx, y+pad+9*k, tr(c.TPS+" · "+strings.SplitN(s.Desa, " (", 2)[0]))
	pdf.Text(tx, y+pad+17*k, tr("Kode pendaftaran / enrolment code"))
	pdf.SetFont("Courier", "B", 15*k)
	pdf.Text(tx, y+pad+23*k, spoken(c.Code))
	pdf.SetFont("Helvetica", "", 7*k)
	pdf.Text(tx, y+pad+30*k, tr("Peran / role: "+d.Role))
	pdf.Text(tx, y+pad+34*k, tr("s.d. / until "+wib(d.ExpiresAt)))
	return nil
}

// spoken spaces a code's groups apart for reading aloud: "ABCD EFGH JK".
func spoken(code string) string {
	return strings.ReplaceAll(code, "-", " ")
}

func wib(t time.Time) string {
	return t.In(time.FixedZone("WIB", 7*3600)).Format("02-01-2006 15:04") + " WIB"
}

// drawQR draws the QR code of text as filled squares in a size × size
// square at x, y. Inside it is a quiet zone of two modules; the card's
// blank padding around it makes up the four the standard asks for, and
// the modules are the larger for it. Each row's runs of dark modules are
// one rectangle.
func drawQR(pdf *fpdf.Fpdf, text string, x, y, size float64) error {
	m, err := Matrix(text)
	if err != nil {
		return err
	}
	const quiet = 2
	n := len(m)
	mod := size / float64(n+2*quiet)
	pdf.SetFillColor(0, 0, 0)
	for row, line := range m {
		for col := 0; col < n; {
			if !line[col] {
				col++
				continue
			}
			start := col
			for col < n && line[col] {
				col++
			}
			// A hair wider than the module so that no white seam shows
			// between neighbours at any zoom.
			pdf.Rect(x+float64(quiet+start)*mod, y+float64(quiet+row)*mod, float64(col-start)*mod+0.01, mod+0.01, "F")
		}
	}
	return nil
}

// Matrix is the QR code of text, dark modules true, without quiet zone,
// at error correction level M (15 %): a card may be creased or stained.
func Matrix(text string) ([][]bool, error) {
	q, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionLow))
	if err != nil {
		return nil, fmt.Errorf("QR code: %w", err)
	}
	var bw bitmapWriter
	if err := q.Save(&bw); err != nil {
		return nil, fmt.Errorf("QR code: %w", err)
	}
	if len(bw.bits) == 0 || len(bw.bits) != len(bw.bits[0]) {
		return nil, fmt.Errorf("QR code: not a square matrix")
	}
	return bw.bits, nil
}

// bitmapWriter takes the matrix from go-qrcode without its image writers.
type bitmapWriter struct{ bits [][]bool }

func (b *bitmapWriter) Write(m qrcode.Matrix) error {
	b.bits = m.Bitmap()
	return nil
}

func (b *bitmapWriter) Close() error { return nil }
