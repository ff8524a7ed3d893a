package ui

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/deskpemilu/siaga"
)

// DispatchPageSize is how many TPS one page of the board lists.
const DispatchPageSize = 100

// dispatchRow is a TPS the desk lacks something of, with what the desk
// knows of its count.
type dispatchRow struct {
	TPS    string `json:"tps"`
	Number int    `json:"number"`
	Desa   string `json:"desa"`
	// Kind is "missing" (nothing received for a contest: a runner may be
	// needed) or "incomplete" (received without the vote page: the
	// phone works, the desk asks for that page).
	Kind         siaga.MissingKind `json:"kind"`
	KindName     string            `json:"kind_name"`
	Contests     string            `json:"contests"`   // contests of which nothing arrived
	Incomplete   string            `json:"incomplete"` // contests received without votes
	Connectivity string            `json:"connectivity"`
	ConnName     string            `json:"connectivity_name"`
	LastContact  string            `json:"last_contact"`
	Relays       int               `json:"relays"`
	Relay        string            `json:"relay"`  // the newest sighting, in words
	Runner       string            `json:"runner"` // the newest runner sent, in words
	// Postponed is the TPS's postponement in words when Kind is
	// "postponed" (ditunda): kind, status, new date.
	Postponed string `json:"postponed,omitempty"`
	// PostponedURL is the postponement's page, its chain and letters.
	PostponedURL string `json:"postponed_url,omitempty"`
}

// DispatchBoard is what the board shows and GET /api/v1/dispatch returns:
// one page of the list, with how many TPS it has in all (Total) and how
// many lack a whole form (Missing) or only a vote page (Incomplete).
type DispatchBoard struct {
	Region     string            `json:"region"`
	Contest    siaga.Contest     `json:"contest,omitempty"`
	Kind       siaga.MissingKind `json:"kind,omitempty"`
	Items      []dispatchRow     `json:"items"`
	Total      int               `json:"total"`
	Missing    int               `json:"missing"`
	Incomplete int               `json:"incomplete"`
	Postponed  int               `json:"postponed"` // ditunda: no runner needed
	Next       string            `json:"next"`
	Relayed    int               `json:"relayed"` // TPS of this page with a relay sighting
	Runners    int               `json:"runners"` // TPS of this page with a runner sent
}

var kindNames = map[siaga.MissingKind]string{
	siaga.MissingNothing:    "belum ada kiriman",
	siaga.MissingIncomplete: "diterima, tidak lengkap",
	siaga.MissingPostponed:  "ditunda",
}

// Board assembles a page of the dispatch list q selects with its
// sightings and runners: who carried the forms and who sent the runners
// with what note. That is staff data (device ids, usernames, the contact
// numbers runners leave in notes): the callers show it only to accounts
// whose scope covers the region (MayDispatch).
func (h *Pages) Board(r *http.Request, q siaga.MissingQuery) (DispatchBoard, error) {
	page, err := h.Results.MissingPage(q)
	if err != nil {
		return DispatchBoard{}, err
	}
	b := DispatchBoard{Region: q.Region, Contest: q.Contest, Kind: q.Kind, Items: make([]dispatchRow, len(page.Items)),
		Total: page.Total, Missing: page.Missing, Incomplete: page.Incomplete, Postponed: page.Postponed, Next: page.Next}
	stats := map[string]siaga.RelayStat{}
	runners := map[string]siaga.RunnerDispatch{}
	if h.Dispatch != nil && len(page.Items) > 0 {
		list, err := h.Dispatch.RelayStats(r.Context(), q.Region)
		if err != nil {
			return b, err
		}
		for _, st := range list {
			stats[st.TPS] = st
		}
		sent, err := h.Dispatch.LatestRunners(r.Context(), q.Region)
		if err != nil {
			return b, err
		}
		for _, d := range sent {
			runners[d.TPS] = d
		}
	}
	for i, m := range page.Items {
		row := h.dispatchRow(m)
		if st, ok := stats[m.TPS]; ok {
			row.Relays, row.Relay = st.Count, sightingText(st.Last)
			b.Relayed++
		}
		if d, ok := runners[m.TPS]; ok {
			row.Runner = runnerText(d)
			b.Runners++
		}
		b.Items[i] = row
	}
	return b, nil
}

func (h *Pages) dispatchRow(m siaga.MissingTPS) dispatchRow {
	row := dispatchRow{TPS: m.TPS, Kind: m.Kind, KindName: kindNames[m.Kind], Contests: contestList(m.Contests),
		Incomplete: contestList(m.Incomplete), Connectivity: string(m.Connectivity), LastContact: fmtWhen(m.LastContact),
		Postponed: postponementText(m.Postponement), PostponedURL: postponementURL(m.Postponement)}
	if t, ok := h.Regions.TPS(m.TPS); ok {
		row.Number = t.Number
		if row.Connectivity == "" {
			row.Connectivity = string(t.Connectivity)
		}
	}
	row.ConnName = connectivityName(siaga.Connectivity(row.Connectivity))
	if d, ok := h.Regions.Region(siaga.ParentCode(m.TPS)); ok {
		row.Desa = d.Name
	}
	return row
}

var viaNames = map[string]string{siaga.ViaQR: "kode QR", siaga.ViaFile: "berkas", siaga.ViaDirect: "titipan kirim"}

func sightingText(l siaga.RelaySighting) string {
	parts := []string{fmtClock(l.At), contestNames[l.Contest], viaNames[l.Via]}
	switch l.Outcome {
	case siaga.RelayStored:
		parts = append(parts, "diterima")
	case siaga.RelayReplay:
		parts = append(parts, "sudah ada")
	default:
		parts = append(parts, "ditolak: "+l.Reason)
	}
	if l.Relay != "" {
		parts = append(parts, "dibawa "+l.Relay)
	}
	return strings.Join(parts, " · ")
}

func runnerText(d siaga.RunnerDispatch) string {
	parts := []string{fmtClock(d.At), d.Username}
	if d.Note != "" {
		parts = append(parts, d.Note)
	}
	return strings.Join(parts, " · ")
}

// MayDispatch reports whether u may see and work the dispatch board of
// region: staff whose scope covers it. Field accounts (scoped to one TPS)
// have no board.
func (h *Pages) MayDispatch(u *siaga.User, region string) bool {
	return u != nil && slices.Contains(h.Roles.Desk, u.Role) && siaga.InScope(u.Scope, region)
}

type dispatchChild struct {
	Region            siaga.Region
	Missing, TPSTotal int
}

type dispatchPageData struct {
	basePage
	Region   siaga.Region
	Crumbs   []siaga.Region
	Children []dispatchChild
	Board    DispatchBoard
	Kind     siaga.MissingKind
	Kinds    []siaga.MissingKind
	From, To int
	All      int    // TPS missing, incomplete or postponed, whatever the kind filter
	API      string // the JSON of this page, which dispatch.js re-fetches
	Here     string
	Next     string
	Prev     string
	CSV      string
	XLSX     string
	Sent     string // the TPS a runner was just sent to
}

// dispatchQuery reads the board's filter: the region (?wilayah=, the
// account's scope by default), the contest (?kontes=, the tab's), the
// kind (?jenis=missing|incomplete) and the cursor (?kursor=).
func (h *Pages) dispatchQuery(r *http.Request, u *siaga.User) (siaga.MissingQuery, error) {
	v := r.URL.Query()
	q := siaga.MissingQuery{Region: cmp.Or(v.Get("wilayah"), u.Scope, h.Province), Contest: contestParam(r),
		Kind: siaga.MissingKind(v.Get("jenis")), After: v.Get("kursor"), Limit: DispatchPageSize}
	reg, ok := h.Regions.Region(q.Region)
	if !ok || reg.Level == siaga.LevelTPS {
		return q, siaga.Errorf(siaga.ENotFound, "wilayah", "Wilayah %s tidak ditemukan", "region %s not found", q.Region)
	}
	if !h.MayDispatch(u, q.Region) {
		return q, siaga.Errorf(siaga.EForbidden, "wilayah", "Wilayah ini di luar wilayah akun Anda",
			"this region is outside your account's region")
	}
	return q, nil
}

func dispatchValues(q siaga.MissingQuery) url.Values {
	v := url.Values{"wilayah": {q.Region}, "kontes": {string(q.Contest)}}
	if q.Kind != "" {
		v.Set("jenis", string(q.Kind))
	}
	return v
}

// DispatchPage serves GET /dispatch?wilayah=&kontes=&jenis=&kursor=: the
// TPS of a region the desk lacks something of, for the desk to send
// runners to on election night, a page at a time with the whole count.
// It is for logged-in staff whose scope covers the region.
func (h *Pages) DispatchPage(w http.ResponseWriter, r *http.Request) {
	u := h.account(r)
	q, err := h.dispatchQuery(r, u)
	if err != nil {
		h.dispatchError(w, r, err)
		return
	}
	reg, _ := h.Regions.Region(q.Region)
	p := dispatchPageData{basePage: h.base(r, "Papan kurir "+reg.Name), Region: reg, Crumbs: h.Regions.Path(q.Region),
		Kind: q.Kind, Kinds: []siaga.MissingKind{siaga.MissingNothing, siaga.MissingIncomplete, siaga.MissingPostponed}}
	p.Nav, p.Sent = "dispatch", r.URL.Query().Get("dikirim")
	for _, c := range h.Regions.Children(q.Region) {
		child := dispatchChild{Region: c, TPSTotal: c.TPSCount}
		if pr, ok := h.Results.Progress(c.Code); ok {
			// A TPS received without its vote page is not missing (SPEC §6),
			// nor is one whose voting is postponed.
			child.TPSTotal = pr.TPSTotal
			child.Missing = pr.TPSTotal - pr.Reported[p.Contest] - pr.Incomplete[p.Contest] - pr.Postponed[p.Contest]
		} else {
			child.Missing = c.TPSCount
		}
		p.Children = append(p.Children, child)
	}
	if p.Board, err = h.Board(r, q); err != nil {
		h.dispatchError(w, r, err)
		return
	}
	p.All = p.Board.Missing + p.Board.Incomplete + p.Board.Postponed
	trail := splitTrail(r.URL.Query().Get("kembali"))
	p.From, p.To = len(trail)*DispatchPageSize+1, len(trail)*DispatchPageSize+len(p.Board.Items)
	if len(p.Board.Items) == 0 {
		p.From = 0
	}
	v := dispatchValues(q)
	p.Here, p.Next, p.Prev = pageLinks("/dispatch", v, q.After, p.Board.Next, trail)
	p.CSV, p.XLSX = "/dispatch.csv?"+v.Encode(), "/dispatch.xlsx?"+v.Encode()
	api := url.Values{"contest": {string(q.Contest)}}
	if q.Kind != "" {
		api.Set("kind", string(q.Kind))
	}
	if q.After != "" {
		api.Set("cursor", q.After)
	}
	p.API = "/api/v1/dispatch/" + q.Region + "?" + api.Encode()
	h.render(w, r, "dispatch", p)
}

// dispatchError answers a board page that cannot be shown.
func (h *Pages) dispatchError(w http.ResponseWriter, r *http.Request, err error) {
	var e *siaga.Error
	switch code := siaga.ErrorCode(err); {
	case code == siaga.ENotFound:
		h.pageNotFound(w, r)
	case code == siaga.EForbidden:
		h.Error(w, r, http.StatusForbidden, "Wilayah ini di luar wilayah akun Anda.", "This region is outside your account's region.")
	case errors.As(err, &e) && code == siaga.EInvalid:
		h.Error(w, r, http.StatusBadRequest, "Filter tidak sah: "+e.Message, "Invalid filter: "+e.MessageEN)
	default:
		h.dashLog().Error("dispatch board", "err", err)
		h.Error(w, r, http.StatusInternalServerError, "Kesalahan server; coba lagi.", "Internal error; try again.")
	}
}

var dispatchColumns = []column{{Name: "tps"}, {Name: "nomor", Number: true}, {Name: "desa"}, {Name: "jenis"},
	{Name: "kontes_belum_masuk"}, {Name: "kontes_tidak_lengkap"}, {Name: "sinyal"}, {Name: "kontak_terakhir"},
	{Name: "relay"}, {Name: "kurir"}, {Name: "penundaan"}}

func (row dispatchRow) cells() []string {
	return []string{row.TPS, strconv.Itoa(row.Number), row.Desa, row.KindName, row.Contests, row.Incomplete,
		row.ConnName, row.LastContact, row.Relay, row.Runner, row.Postponed}
}

// dispatchTable is the whole list q selects, page by page through board,
// as an exported table.
func (h *Pages) dispatchTable(r *http.Request, q siaga.MissingQuery) table {
	return table{Name: "siaga-kurir-" + q.Region, Columns: dispatchColumns, Rows: func(row func([]string) error) error {
		q.After, q.Limit = "", MaxAnomalyPage
		for {
			b, err := h.Board(r, q)
			if err != nil {
				return err
			}
			for _, d := range b.Items {
				if err := row(d.cells()); err != nil {
					return err
				}
			}
			if b.Next == "" {
				return nil
			}
			q.After = b.Next
		}
	}}
}

// DispatchCSV serves GET /dispatch.csv with the board's filter:
// every TPS it selects, not one page.
func (h *Pages) DispatchCSV(w http.ResponseWriter, r *http.Request) {
	h.dispatchExport(w, r, FormatCSV)
}

// DispatchXLSX serves GET /dispatch.xlsx, as handleDispatchCSV.
func (h *Pages) DispatchXLSX(w http.ResponseWriter, r *http.Request) {
	h.dispatchExport(w, r, FormatXLSX)
}

func (h *Pages) dispatchExport(w http.ResponseWriter, r *http.Request, f ExportFormat) {
	q, err := h.dispatchQuery(r, h.account(r))
	if err == nil {
		probe := q
		probe.Limit = 1
		_, err = h.Results.MissingPage(probe)
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeTable(w, r, h.dispatchTable(r, q), f)
}

// maxRunnerNote bounds the note sent with a runner, in characters.
const maxRunnerNote = 200

// SendRunner serves POST /dispatch/runner: a logged-in official records
// that a runner left for a TPS. Like every change made with a session, it
// needs the session's CSRF token (guard.go), so that another site cannot
// fill the board with false runners.
func (h *Pages) SendRunner(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	back := "/dispatch?wilayah=" + url.QueryEscape(r.PostForm.Get("wilayah"))
	u := h.account(r) // the guard admitted it and checked the CSRF token
	code := r.PostForm.Get("tps")
	if _, ok := h.Regions.TPS(code); !ok {
		h.Error(w, r, http.StatusBadRequest, "TPS tidak terdaftar.", "Unknown TPS.")
		return
	}
	if !h.MayDispatch(u, code) {
		h.Error(w, r, http.StatusForbidden, "TPS ini di luar wilayah akun Anda.", "This TPS is outside your account's region.")
		return
	}
	note := strings.TrimSpace(r.PostForm.Get("note"))
	if utf8.RuneCountInString(note) > maxRunnerNote || !utf8.ValidString(note) {
		h.Error(w, r, http.StatusBadRequest, "Catatan terlalu panjang (maksimal 200 huruf).", "Note too long (at most 200 characters).")
		return
	}
	if h.Dispatch == nil {
		h.Error(w, r, http.StatusServiceUnavailable, "Papan kurir tidak tersedia.", "The dispatch board is unavailable.")
		return
	}
	d := siaga.RunnerDispatch{TPS: code, UserID: u.ID, Username: u.Username, Note: note, At: h.Now()}
	if err := h.Dispatch.AddRunner(r.Context(), &d); err != nil {
		h.dashLog().Error("recording a runner", "tps", code, "err", err)
		h.Error(w, r, http.StatusInternalServerError, "Kesalahan server; coba lagi.", "Internal error; try again.")
		return
	}
	http.Redirect(w, r, back+"&dikirim="+code+"#tps-"+code, http.StatusSeeOther)
}
