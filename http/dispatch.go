package http

import (
	"cmp"
	"net/http"
	"net/url"
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
// runners. Who relayed and who sent a runner is shown to logged-in staff
// only: device ids and usernames are not for the public.
func (s *Server) board(r *http.Request, code string, staff bool) (dispatchBoard, error) {
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
			Connectivity: m.Connectivity, ConnName: connectivityName(m.Connectivity), LastContact: m.LastContact}
		if st, ok := stats[m.TPS]; ok {
			row.Relays, row.Relay = st.Count, sightingText(st.Last, staff)
			b.Relayed++
		}
		if d, ok := runners[m.TPS]; ok {
			row.Runner = runnerText(d, staff)
			b.Runners++
		}
		b.Missing[i] = row
	}
	return b, nil
}

var viaNames = map[string]string{siaga.ViaQR: "kode QR", siaga.ViaFile: "berkas", siaga.ViaDirect: "titipan kirim"}

func sightingText(l siaga.RelaySighting, staff bool) string {
	parts := []string{fmtClock(l.At), contestNames[l.Contest], viaNames[l.Via]}
	switch l.Outcome {
	case siaga.RelayStored:
		parts = append(parts, "diterima")
	case siaga.RelayReplay:
		parts = append(parts, "sudah ada")
	default:
		parts = append(parts, "ditolak: "+l.Reason)
	}
	if staff && l.Relay != "" {
		parts = append(parts, "dibawa "+l.Relay)
	}
	return strings.Join(parts, " · ")
}

func runnerText(d siaga.RunnerDispatch, staff bool) string {
	parts := []string{fmtClock(d.At)}
	if staff {
		parts = append(parts, d.Username)
		if d.Note != "" {
			parts = append(parts, d.Note)
		}
	}
	return strings.Join(parts, " · ")
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
// yet reported, for the desk to send runners to on election night.
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
			child.TPSTotal, child.Missing = pr.TPSTotal, pr.TPSTotal-pr.Reported[p.Contest]
		} else {
			child.Missing = c.TPSCount
		}
		p.Children = append(p.Children, child)
	}
	var err error
	if p.Board, err = s.board(r, code, p.User != nil); err != nil {
		s.dashLog().Error("dispatch board", "region", code, "err", err)
		s.pageError(w, r, http.StatusInternalServerError, "Kesalahan server; coba lagi.", "Internal error; try again.")
		return
	}
	s.render(w, r, "dispatch", p)
}

// dispatchJSON serves GET /api/v1/dispatch/{region}, which the board
// re-fetches when the tallies change.
func (s *Server) dispatchJSON(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("region")
	if _, ok := s.Regions.Region(code); !ok {
		s.writeError(w, r, errNoRegion(code))
		return
	}
	u, _ := s.currentUser(r)
	b, err := s.board(r, code, u != nil)
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
	if !siaga.InScope(u.Scope, code) {
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
