package ui

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb/geojson"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
	"github.com/deskpemilu/siaga/disaster"
)

// The relocation page of a TPS (/tps/{code}/relokasi): where it stands
// and which zones it lies in, the nearest safe candidate sites within a
// walk the desk can widen, a map of the TPS, the zones around it and the
// candidates, and the decision form for KPU kab/kota and provinsi. The
// candidates are staff data (the route admits the roles of the API's
// candidate list, in scope); the decision, once made, is public through
// the notice.

const (
	minWalk, maxWalk = 50.0, 20_000.0 // metres, as the API allows
	// mapZones bounds the zones drawn around a TPS: a walk's worth of a
	// fine-grained BNPB map can hold hundreds; the nearest tell the story.
	mapZones = 200
)

type relocationPage struct {
	basePage
	TPS        siaga.TPS
	Number     string
	Desa       siaga.Region
	Exposure   disaster.TPSExposure
	Zones      []string
	Walk       float64
	Sites      int // candidate sites searched
	Candidates []candidateRow
	MapJSON    string
	Latest     *siaga.Relocation // the latest decision, if any
	CanDecide  bool
	Form       relocationForm
	Error      string
	ErrorEN    string
	WalkError  string
}

type candidateRow struct {
	Code, Name, Kind string
	Lat, Lon         float64
	DistanceM        int
	Capacity         int
	Fits             bool
	Zones            string // the rendah zones it lies in
}

// relocationForm is the decision as typed, kept when it is refused.
type relocationForm struct {
	Site, Lat, Lon, Address, Reason, Decider, Office, Decided, Letter string
	Field                                                             string // the field at fault
}

// relocationFields maps the service's field names to the form's.
var relocationFields = map[string]string{"to_lat": "lat", "to_lon": "lon", "to_address": "alamat", "reason": "alasan",
	"decider": "pejabat", "decider_office": "kantor", "decided": "tanggal", "letter": "surat", "site": "situs"}

// mapData is what relokasi.js draws.
type mapData struct {
	TPS        mapPoint                   `json:"tps"`
	Zones      *geojson.FeatureCollection `json:"zones"`
	Candidates []candidateRow             `json:"candidates"`
	WalkM      float64                    `json:"walk_m"`
}

type mapPoint struct {
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	Label     string  `json:"label"`
	Synthetic bool    `json:"synthetic"`
}

// RelocationPage serves GET /tps/{code}/relokasi?jarak=.
func (h *Pages) RelocationPage(w http.ResponseWriter, r *http.Request) {
	h.relocationPage(w, r, http.StatusOK, relocationForm{}, nil)
}

func (h *Pages) relocationPage(w http.ResponseWriter, r *http.Request, status int, form relocationForm, formErr error) {
	if h.disasterOff(w, r) {
		return
	}
	code := r.PathValue("code")
	t, ok := h.Regions.TPS(code)
	if !ok {
		h.pageNotFound(w, r)
		return
	}
	exp, err := h.Disaster.TPS(code)
	if err != nil {
		h.pageNotFound(w, r)
		return
	}
	p := relocationPage{basePage: h.base(r, "Relokasi TPS "+tpsNumber(t.Number)), TPS: t, Number: tpsNumber(t.Number),
		Exposure: exp, Walk: disaster.DefaultWalk, Form: form}
	p.Nav, p.Path = "bencana", h.Regions.Path(t.Desa)
	p.Desa, _ = h.Regions.Region(t.Desa)
	p.CanDecide = p.User != nil && slices.Contains(h.Roles.Relocate, p.User.Role) && siaga.InScope(p.User.Scope, code)
	if v := r.URL.Query().Get("jarak"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < minWalk || f > maxWalk {
			p.WalkError = "Jarak jalan kaki harus 50 sampai 20.000 meter; dipakai 1.000 m. / The walk must be 50 to 20,000 metres; 1,000 m used."
		} else {
			p.Walk = f
		}
	}
	if formErr != nil {
		p.Error, p.ErrorEN = errorText(formErr, false), errorText(formErr, true)
	}
	layers := h.layerNames()
	for _, z := range exp.Zones {
		p.Zones = append(p.Zones, z.Type+" "+z.Class+" — "+layers[z.Layer]+", fitur "+strconv.Itoa(z.Feature))
	}
	if rs, err := h.Disaster.Relocations(r.Context(), code); err == nil && len(rs) > 0 {
		p.Latest = &rs[len(rs)-1]
	}
	md := mapData{Zones: geojson.NewFeatureCollection(), Candidates: []candidateRow{}, WalkM: p.Walk}
	if pt := exp.Point; pt != nil {
		md.TPS = mapPoint{Lat: pt.Lat, Lon: pt.Lon, Label: "TPS " + p.Number, Synthetic: pt.Synthetic()}
		sites, err := h.kabKotaSites(r, code)
		if err != nil {
			h.dashLog().Error("relocation sites", "tps", code, "err", err)
			h.Error(w, r, http.StatusInternalServerError, "Tempat calon tidak dapat dimuat.", "The candidate sites could not be loaded.")
			return
		}
		p.Sites = len(sites)
		cands, err := h.Disaster.Candidates(code, sites, p.Walk)
		if err != nil {
			h.Error(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), errorText(err, false), errorText(err, true))
			return
		}
		for _, c := range cands {
			p.Candidates = append(p.Candidates, candidateRow{Code: c.Site.Code, Name: c.Site.Name, Kind: c.Site.Kind,
				Lat: c.Site.Lat, Lon: c.Site.Lon, DistanceM: int(c.DistanceM + 0.5), Capacity: c.Site.Capacity, Fits: c.Fits,
				Zones: hitsText(c.Zones)})
		}
		md.Candidates = append(md.Candidates, p.Candidates...)
		for _, z := range h.Disaster.ZonesNear(pt.Lat, pt.Lon, p.Walk, mapZones) {
			f := geojson.NewFeature(z.Area)
			f.Properties = geojson.Properties{"type": z.Type, "class": z.Class, "layer": layers[z.Layer]}
			md.Zones.Append(f)
		}
	}
	b, err := json.Marshal(md)
	if err != nil {
		h.Error(w, r, http.StatusInternalServerError, "Peta tidak dapat disiapkan.", "The map could not be prepared.")
		return
	}
	p.MapJSON = string(b)
	h.renderStatus(w, r, status, "relokasi", p)
}

// kabKotaSites are the candidate sites of the TPS's kab/kota: a walk of a
// kilometre can cross into the next kecamatan, not usually into the next
// kab/kota.
func (h *Pages) kabKotaSites(r *http.Request, code string) ([]siaga.Site, error) {
	if h.Sites == nil {
		return nil, nil
	}
	return h.Sites.Sites(r.Context(), siaga.SiteFilter{Region: code[:4]})
}

// Relocate serves POST /tps/{code}/relokasi: KPU kab/kota's (or the
// province's) decision, with either a candidate site or a typed place.
// A refused decision shows the form again with what was typed.
func (h *Pages) Relocate(w http.ResponseWriter, r *http.Request) {
	if h.disasterOff(w, r) {
		return
	}
	code := r.PathValue("code")
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, http.StatusBadRequest, "Formulir tidak terbaca.", "Unreadable form.")
		return
	}
	f := r.PostForm
	form := relocationForm{Site: f.Get("situs"), Lat: strings.TrimSpace(f.Get("lat")), Lon: strings.TrimSpace(f.Get("lon")),
		Address: strings.TrimSpace(f.Get("alamat")), Reason: strings.TrimSpace(f.Get("alasan")), Decider: strings.TrimSpace(f.Get("pejabat")),
		Office: strings.TrimSpace(f.Get("kantor")), Decided: f.Get("tanggal"), Letter: strings.TrimSpace(f.Get("surat"))}
	fail := func(err error) {
		var e *siaga.Error
		if errors.As(err, &e) {
			form.Field = relocationFields[e.Field]
		}
		h.relocationPage(w, r, siaga.HTTPStatus(siaga.ErrorCode(err)), form, err)
	}
	rel := siaga.Relocation{TPS: code, ToAddress: form.Address, Reason: form.Reason, Decider: form.Decider,
		DeciderOffice: form.Office, Letter: form.Letter, By: auth.Actor(h.account(r))}
	if form.Site != "" {
		site, err := h.siteOf(r, code, form.Site)
		if err != nil {
			fail(err)
			return
		}
		rel.Site, rel.ToLat, rel.ToLon = site.Code, site.Lat, site.Lon
		if rel.ToAddress == "" {
			rel.ToAddress = site.Name
		}
	} else {
		var errLat, errLon error
		rel.ToLat, errLat = strconv.ParseFloat(form.Lat, 64)
		rel.ToLon, errLon = strconv.ParseFloat(form.Lon, 64)
		if errLat != nil || errLon != nil {
			fail(siaga.Errorf(siaga.EInvalid, "to_lat", "Pilih tempat calon, atau isi lintang dan bujur tempat baru (derajat desimal)",
				"choose a candidate site, or give the new place's latitude and longitude (decimal degrees)"))
			return
		}
	}
	if form.Decided != "" {
		d, err := time.Parse(time.DateOnly, form.Decided)
		if err != nil {
			fail(siaga.Errorf(siaga.EInvalid, "decided", "Tanggal keputusan %q bukan YYYY-MM-DD", "decision date %q is not YYYY-MM-DD", form.Decided))
			return
		}
		rel.Decided = d
	}
	if err := h.Disaster.Relocate(r.Context(), &rel); err != nil {
		if siaga.HTTPStatus(siaga.ErrorCode(err)) >= 500 {
			h.dashLog().Error("relocate", "tps", code, "err", err)
		}
		fail(err)
		return
	}
	http.Redirect(w, r, "/tps/"+code+"#bencana", http.StatusSeeOther)
}

// siteOf finds a candidate site of the TPS's kab/kota by code.
func (h *Pages) siteOf(r *http.Request, tps, code string) (siaga.Site, error) {
	sites, err := h.kabKotaSites(r, tps)
	if err != nil {
		return siaga.Site{}, err
	}
	for _, s := range sites {
		if s.Code == code {
			return s, nil
		}
	}
	return siaga.Site{}, siaga.Errorf(siaga.EInvalid, "site", "Tempat calon %q tidak ada di kab/kota TPS ini", "candidate site %q is not in this TPS's kab/kota", code)
}
