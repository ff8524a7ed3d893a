package ui

import (
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/registry"
)

// bantenIndex is Banten's registry, loaded once for the file's tests.
var bantenIndex = sync.OnceValues(func() (*registry.Index, error) {
	reg, err := registry.Load(registry.Banten, 1)
	if err != nil {
		return nil, err
	}
	return registry.NewIndex(reg), nil
})

func testRegions(tb testing.TB) *registry.Index {
	tb.Helper()
	x, err := bantenIndex()
	if err != nil {
		tb.Fatal(err)
	}
	return x
}

// TestIncidentQuery: the list's filters are read from the query, every
// value checked, and written back to the same query (the pager's and the
// downloads' links keep the filter).
func TestIncidentQuery(t *testing.T) {
	for _, tt := range []struct {
		name  string
		query string
		want  siaga.IncidentFilter
		field string // the field the error names; "" for none
	}{
		{"none", "", siaga.IncidentFilter{Scope: "3601", Limit: incidentPageSize}, ""},
		{"all", "kategori=hoaks&status=baru&tingkat=kritis&instansi=polri&kanal=public_sms&dari=2024-02-10&sampai=2024-02-14&teks=kotak&grup=1",
			siaga.IncidentFilter{Scope: "3601", Categories: []siaga.IncidentCategory{siaga.IncidentHoax},
				Statuses: []siaga.IncidentStatus{siaga.IncidentNew}, Severities: []siaga.Severity{siaga.SeverityCritical},
				Agency: siaga.AgencyPolri, Channel: siaga.ChannelPublicSMS, Groups: true, Text: "kotak",
				From: time.Date(2024, 2, 10, 0, 0, 0, 0, siaga.WIB), To: time.Date(2024, 2, 15, 0, 0, 0, 0, siaga.WIB),
				Limit: incidentPageSize}, ""},
		{"cursor", "kursor=42", siaga.IncidentFilter{Scope: "3601", Before: 42, Limit: incidentPageSize}, ""},
		{"bad category", "kategori=perang", siaga.IncidentFilter{}, "kategori"},
		{"bad status", "status=hilang", siaga.IncidentFilter{}, "status"},
		{"bad severity", "tingkat=parah", siaga.IncidentFilter{}, "tingkat"},
		{"bad agency", "instansi=fbi", siaga.IncidentFilter{}, "instansi"},
		{"bad channel", "kanal=merpati", siaga.IncidentFilter{}, "kanal"},
		{"bad date", "dari=14-02-2024", siaga.IncidentFilter{}, "dari"},
		{"bad cursor", "kursor=-1", siaga.IncidentFilter{}, "kursor"},
		{"long text", "teks=" + string(make([]byte, 101)), siaga.IncidentFilter{}, "teks"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parseIncidentQuery(v, "3601")
			if tt.field != "" {
				var e *siaga.Error
				if err == nil || !asSiagaError(err, &e) || e.Field != tt.field || e.Message == "" || e.MessageEN == "" {
					t.Fatalf("error %v, want one naming %q in both languages", err, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, f); diff != "" {
				t.Errorf("filter (-want +got):\n%s", diff)
			}
			back, err := parseIncidentQuery(incidentValues(f), "3601")
			back.Before = f.Before // the cursor is the pager's, not the filter's
			if err != nil || !cmp.Equal(f, back) {
				t.Errorf("filter does not survive its query %q: %v %s", incidentValues(f).Encode(), err, cmp.Diff(f, back))
			}
		})
	}
}

func asSiagaError(err error, e **siaga.Error) bool {
	se, ok := err.(*siaga.Error)
	*e = se
	return ok
}

// TestStepInput: a workflow form becomes the service's action, or names
// the field that is missing or wrong.
func TestStepInput(t *testing.T) {
	for _, tt := range []struct {
		name    string
		in      stepInput
		version string
		want    IncidentAction
		field   string
	}{
		{"verify", stepInput{Kind: siaga.StepVerified}, "3", IncidentAction{ID: 7, Version: 3, Kind: siaga.StepVerified}, ""},
		{"reject", stepInput{Kind: siaga.StepRejected, Text: "hoaks: foto lama 2019"}, "1",
			IncidentAction{ID: 7, Version: 1, Kind: siaga.StepRejected, Text: "hoaks: foto lama 2019"}, ""},
		{"reject without reason", stepInput{Kind: siaga.StepRejected}, "1", IncidentAction{}, "teks"},
		{"close without outcome", stepInput{Kind: siaga.StepClosed}, "4", IncidentAction{}, "teks"},
		{"assign", stepInput{Kind: siaga.StepAssigned, Agency: siaga.AgencyPolri}, "2",
			IncidentAction{ID: 7, Version: 2, Kind: siaga.StepAssigned, Agency: siaga.AgencyPolri}, ""},
		{"assign nobody", stepInput{Kind: siaga.StepAssigned, Agency: "fbi"}, "2", IncidentAction{}, "instansi"},
		{"group", stepInput{Kind: siaga.StepGrouped, Head: "5"}, "2", IncidentAction{ID: 7, Version: 2, Kind: siaga.StepGrouped, Head: 5}, ""},
		{"group with itself", stepInput{Kind: siaga.StepGrouped, Head: "7"}, "2", IncidentAction{}, "induk"},
		{"group with nothing", stepInput{Kind: siaga.StepGrouped, Head: "x"}, "2", IncidentAction{}, "induk"},
		{"unknown step", stepInput{Kind: "hapus"}, "2", IncidentAction{}, "langkah"},
		{"no version", stepInput{Kind: siaga.StepVerified}, "", IncidentAction{}, "versi"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, fe := tt.in.action(7, tt.version)
			if tt.field != "" {
				if fe == nil || fe.Field != tt.field || fe.Message == "" || fe.MessageEN == "" {
					t.Fatalf("error %+v, want one naming %q", fe, tt.field)
				}
				return
			}
			if fe != nil {
				t.Fatalf("error %+v", fe)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("action (-want +got):\n%s", diff)
			}
		})
	}
}

// TestIncidentForms: the page offers each account the steps the
// workflow allows from the status and its role and agency may take.
func TestIncidentForms(t *testing.T) {
	h := &Pages{Config: Config{Roles: Roles{
		Incident:       []siaga.Role{siaga.RolePPK, siaga.RoleKPUKab, siaga.RoleKPUProv, siaga.RoleBawaslu, siaga.RoleDesk, siaga.RoleAparat, siaga.RoleLogistik},
		IncidentTriage: []siaga.Role{siaga.RoleDesk, siaga.RoleBawaslu, siaga.RoleAparat}}}}
	user := func(role siaga.Role, agency siaga.Agency) *siaga.User {
		return &siaga.User{Role: role, Scope: "36", Agency: agency}
	}
	for _, tt := range []struct {
		name string
		u    *siaga.User
		in   siaga.Incident
		want []string
	}{
		{"public", nil, siaga.Incident{Status: siaga.IncidentNew}, nil},
		{"desk new", user(siaga.RoleDesk, ""), siaga.Incident{Status: siaga.IncidentNew}, []string{"catatan", "gabung", "tolak", "verifikasi"}},
		{"ppk new", user(siaga.RolePPK, ""), siaga.Incident{Status: siaga.IncidentNew}, []string{"catatan"}},
		{"desk verified", user(siaga.RoleDesk, ""), siaga.Incident{Status: siaga.IncidentVerified}, []string{"catatan", "gabung", "tolak", "tugaskan"}},
		{"polri assigned to it", user(siaga.RoleAparat, ""), siaga.Incident{Status: siaga.IncidentAssigned, Agency: siaga.AgencyPolri},
			[]string{"catatan", "gabung", "selesai", "tangani", "tugaskan"}},
		{"tni on polri's", user(siaga.RoleAparat, siaga.AgencyTNI), siaga.Incident{Status: siaga.IncidentAssigned, Agency: siaga.AgencyPolri},
			[]string{"catatan", "gabung", "tugaskan"}},
		{"bawaslu in hand of bawaslu", user(siaga.RoleBawaslu, ""), siaga.Incident{Status: siaga.IncidentInHand, Agency: siaga.AgencyBawaslu},
			[]string{"catatan", "gabung", "selesai", "tugaskan"}},
		{"kpu closed duplicate", user(siaga.RoleKPUKab, ""), siaga.Incident{Status: siaga.IncidentClosed, DuplicateOf: 3}, []string{"catatan"}},
		{"desk duplicate", user(siaga.RoleDesk, ""), siaga.Incident{Status: siaga.IncidentClosed, DuplicateOf: 3}, []string{"catatan", "pisah"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for k := range h.incidentFormsFor(tt.u, &tt.in) {
				got = append(got, k)
			}
			if diff := cmp.Diff(tt.want, got, sortStrings); diff != "" {
				t.Errorf("forms (-want +got):\n%s", diff)
			}
		})
	}
}

var sortStrings = cmp.Transformer("sort", func(in []string) []string {
	out := append([]string(nil), in...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})

// TestReportInput: the staff form and the public form become a report
// placed under the region, or name the field that is wrong; a place
// outside the region is refused before the service is asked.
func TestReportInput(t *testing.T) {
	x := testRegions(t)
	tps := x.TPSOf(x.Children(x.Children("3601")[0].Code)[0].Code)[0]
	staff := incidentInput{"id": "a1", "kategori": "kekerasan", "tingkat": "tinggi", "waktu": "2024-02-14T09:30", "tempat": tps.Code,
		"judul": "Keributan di TPS", "teks": "Dua kelompok saling dorong."}
	with := func(in incidentInput, k, v string) incidentInput {
		out := incidentInput{}
		for kk, vv := range in {
			out[kk] = vv
		}
		out[k] = v
		return out
	}
	for _, tt := range []struct {
		name  string
		in    incidentInput
		field string
	}{
		{"staff ok", staff, ""},
		{"no category", with(staff, "kategori", ""), "kategori"},
		{"bad severity", with(staff, "tingkat", "parah"), "tingkat"},
		{"bad time", with(staff, "waktu", "kemarin"), "waktu"},
		{"no place", with(staff, "tempat", ""), "tempat"},
		{"outside", with(staff, "tempat", "3602012001"), "tempat"},
		{"no such tps", with(staff, "tempat", "3601999999999"), "tempat"},
		{"lat only", with(staff, "lat", "-6.3"), "lon"},
		{"bad lon", with(with(staff, "lat", "-6.3"), "lon", "barat"), "lon"},
		{"no title", with(staff, "judul", " "), "judul"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, fe := tt.in.incident("3601", x)
			if tt.field != "" {
				if fe == nil || fe.Field != tt.field || fe.Message == "" || fe.MessageEN == "" {
					t.Fatalf("error %+v, want one naming %q", fe, tt.field)
				}
				return
			}
			if fe != nil {
				t.Fatalf("error %+v", fe)
			}
			want := siaga.Incident{ClientID: "web:a1", Category: siaga.IncidentViolence, Severity: siaga.SeverityHigh,
				OccurredAt: time.Date(2024, 2, 14, 9, 30, 0, 0, siaga.WIB), TPS: tps.Code, Region: tps.Desa,
				Title: "Keributan di TPS", Text: "Dua kelompok saling dorong."}
			if diff := cmp.Diff(want, in); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
		})
	}

	h := &Pages{Config: Config{Regions: x, Province: "36"}}
	public := incidentInput{"id": "p1", "kategori": "politik_uang", "kabkota": "3601", "waktu": "2024-02-13T21:00",
		"teks": "Ada pembagian amplop di balai desa.", "nama": "Warga", "telepon": "08123"}
	for _, tt := range []struct {
		name  string
		in    incidentInput
		field string
	}{
		{"public ok", public, ""},
		{"no kab", with(public, "kabkota", ""), "kabkota"},
		{"a desa as kab", with(public, "kabkota", "3601012001"), "kabkota"},
		{"place outside the kab", with(public, "tempat", "3602012001"), "tempat"},
		{"short text", with(public, "teks", "ada"), "teks"},
		{"long name", with(public, "nama", string(make([]rune, maxPublicName+1))), "nama"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, fe := h.publicIncident(tt.in)
			if tt.field != "" {
				if fe == nil || fe.Field != tt.field {
					t.Fatalf("error %+v, want one naming %q", fe, tt.field)
				}
				return
			}
			if fe != nil {
				t.Fatalf("error %+v", fe)
			}
			if in.Channel != siaga.ChannelPublicWeb || in.Region != "3601" || in.ClientID != "lapor:p1" || in.ReporterPhone != "08123" {
				t.Errorf("public report %+v: want channel public_web, region 3601, client id lapor:p1, the phone given", in)
			}
		})
	}
}
