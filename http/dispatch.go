package http

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/deskpemilu/siaga"
)

// runnerHistory bounds the runner dispatches read for one board: the
// newest per TPS is shown, and a night has a few hundred.
const runnerHistory = 5000

// dispatchRow is a missing TPS with what the desk knows of its count.
type dispatchRow struct {
	TPS          string `json:"tps"`
	Number       int    `json:"number"`
	Desa         string `json:"desa"`
	Contests     string `json:"contests"`
	Connectivity string `json:"connectivity"`
	ConnName     string `json:"connectivity_name"`
	LastContact  string `json:"last_contact"`
	Relays       int    `json:"relays"`
	Relay        string `json:"relay"`  // the newest sighting, in words
	Runner       string `json:"runner"` // the newest runner sent, in words
}

// dispatchBoard is what the board shows and GET /api/v1/dispatch returns.
type dispatchBoard struct {
	Region  string        `json:"region"`
	Missing []dispatchRow `json:"missing"`
	More    bool          `json:"more"`    // more missing TPS than listed
	Relayed int           `json:"relayed"` // listed TPS with a relay sighting
	Runners int           `json:"runners"` // listed TPS with a runner sent
}

// board assembles the missing TPS of code with their sightings and
// runners, who carried the forms and who sent the runners with what note.
// That is staff data (device ids, usernames, the contact numbers runners
// leave in notes): the callers show it only to accounts whose scope
// covers code (mayDispatch).
func (s *Server) board(r *http.Request, code string) (dispatchBoard, error) {
	rows, more := s.missingRows(code)
	b := dispatchBoard{Region: code, Missing: make([]dispatchRow, len(rows)), More: more}
	stats := map[string]siaga.RelayStat{}
	runners := map[string]siaga.RunnerDispatch{}
	if s.Dispatch != nil {
		list, err := s.Dispatch.RelayStats(r.Context(), code)
		if err != nil {
			return b, err
		}
		for _, st := range list {
			stats[st.TPS] = st
		}
		sent, err := s.Dispatch.Runners(r.Context(), code, runnerHistory)
		if err != nil {
			return b, err
		}
		for _, d := range sent {
			if _, ok := runners[d.TPS]; !ok { // newest first
				runners[d.TPS] = d
			}
		}
	}
	for i, m := range rows {
		row := dispatchRow{TPS: m.TPS, Number: m.Number, Desa: m.Desa, Contests: m.Contests,
			Connectivity: string(m.Connectivity), ConnName: connectivityName(m.Connectivity), LastContact: m.LastContact}
		if st, ok := stats[m.TPS]; ok {
			row.Relays, row.Relay = st.Count, sightingText(st.Last)
			b.Relayed++
		}
		if d, ok := runners[m.TPS]; ok {
			row.Runner = runnerText(d)
			b.Runners++
		}
		b.Missing[i] = row
	}
	return b, nil
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

// mayDispatch reports whether u may see and work the dispatch board of
// region: staff whose scope covers it. Field accounts (scoped to one TPS)
// have no board.
func mayDispatch(u *siaga.User, region string) bool {
	return u != nil && slices.Contains(deskRoles, u.Role) && siaga.InScope(u.Scope, region)
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
	Board    dispatchBoard
	Sent     string // the TPS a runner was just sent to
}

// dispatchPage serves GET /dispatch?wilayah=CODE: the TPS of a region not
// yet reported, for the desk to send runners to on election night. It is
// for logged-in staff whose scope covers the region.
func (s *Server) dispatchPage(w http.ResponseWriter, r *http.Request) {
	u := s.account(r)
	code := r.URL.Query().Get("wilayah")
	if code == "" {
		code = cmp.Or(u.Scope, s.Province)
	}
	reg, ok := s.Regions.Region(code)
	if !ok || reg.Level == siaga.LevelTPS {
		s.pageNotFound(w, r)
		return
	}
	if !siaga.InScope(u.Scope, code) {
		s.pageError(w, r, http.StatusForbidden, "Wilayah ini di luar wilayah akun Anda.", "This region is outside your account's region.")
		return
	}
	p := dispatchPageData{basePage: s.base(r, "Papan kurir "+reg.Name), Region: reg, Crumbs: s.Regions.Path(code)}
	p.Nav, p.Sent = "dispatch", r.URL.Query().Get("dikirim")
	for _, c := range s.Regions.Children(code) {
		child := dispatchChild{Region: c, TPSTotal: c.TPSCount}
		if pr, ok := s.Results.Progress(c.Code); ok {
			// A TPS received without its vote page is not missing (SPEC §6).
			child.TPSTotal, child.Missing = pr.TPSTotal, pr.TPSTotal-pr.Reported[p.Contest]-pr.Incomplete[p.Contest]
		} else {
			child.Missing = c.TPSCount
		}
		p.Children = append(p.Children, child)
	}
	var err error
	if p.Board, err = s.board(r, code); err != nil {
		s.dashLog().Error("dispatch board", "region", code, "err", err)
		s.pageError(w, r, http.StatusInternalServerError, "Kesalahan server; coba lagi.", "Internal error; try again.")
		return
	}
	s.render(w, r, "dispatch", p)
}

// dispatchJSON serves GET /api/v1/dispatch/{region}, which the board
// re-fetches when the tallies change: staff in scope only, by session or
// API token.
func (s *Server) dispatchJSON(w http.ResponseWriter, r *http.Request) {
	u := s.account(r)
	code := r.PathValue("region")
	if _, ok := s.Regions.Region(code); !ok {
		s.writeError(w, r, errNoRegion(code))
		return
	}
	if !mayDispatch(u, code) {
		s.writeError(w, r, siaga.Errorf(siaga.EForbidden, "region", "Wilayah %s di luar wilayah akun Anda",
			"region %s is outside your account's region", code))
		return
	}
	b, err := s.board(r, code)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, b)
}

// maxRunnerNote bounds the note sent with a runner, in characters.
const maxRunnerNote = 200

// sendRunner serves POST /dispatch/runner: a logged-in official records
// that a runner left for a TPS. Like every change made with a session, it
// needs the session's CSRF token (guard.go), so that another site cannot
// fill the board with false runners.
func (s *Server) sendRunner(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	back := "/dispatch?wilayah=" + url.QueryEscape(r.PostForm.Get("wilayah"))
	u := s.account(r) // the guard admitted it and checked the CSRF token
	code := r.PostForm.Get("tps")
	if _, ok := s.Regions.TPS(code); !ok {
		s.pageError(w, r, http.StatusBadRequest, "TPS tidak terdaftar.", "Unknown TPS.")
		return
	}
	if !mayDispatch(u, code) {
		s.pageError(w, r, http.StatusForbidden, "TPS ini di luar wilayah akun Anda.", "This TPS is outside your account's region.")
		return
	}
	note := strings.TrimSpace(r.PostForm.Get("note"))
	if utf8.RuneCountInString(note) > maxRunnerNote || !utf8.ValidString(note) {
		s.pageError(w, r, http.StatusBadRequest, "Catatan terlalu panjang (maksimal 200 huruf).", "Note too long (at most 200 characters).")
		return
	}
	if s.Dispatch == nil {
		s.pageError(w, r, http.StatusServiceUnavailable, "Papan kurir tidak tersedia.", "The dispatch board is unavailable.")
		return
	}
	d := siaga.RunnerDispatch{TPS: code, UserID: u.ID, Username: u.Username, Note: note, At: s.Now()}
	if err := s.Dispatch.AddRunner(r.Context(), &d); err != nil {
		s.dashLog().Error("recording a runner", "tps", code, "err", err)
		s.pageError(w, r, http.StatusInternalServerError, "Kesalahan server; coba lagi.", "Internal error; try again.")
		return
	}
	http.Redirect(w, r, back+"&dikirim="+code+"#tps-"+code, http.StatusSeeOther)
}
