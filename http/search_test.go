package http_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
)

// searchAnswer is GET /api/v1/search as a client reads it.
type searchAnswer struct {
	Total int    `json:"total"`
	Next  string `json:"next"`
	Hits  []struct {
		Code  string      `json:"code"`
		Level siaga.Level `json:"level"`
		Name  string      `json:"name"`
		Path  string      `json:"path"`
		Match siaga.Match `json:"match"`
		URL   string      `json:"url"`
	} `json:"hits"`
	Error struct {
		Field string `json:"field"`
	} `json:"error"`
}

func searchAPI(t *testing.T, h http.Handler, query url.Values) (int, searchAnswer) {
	t.Helper()
	res, body := get(t, h, "/api/v1/search?"+query.Encode())
	var a searchAnswer
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatalf("GET /api/v1/search?%s: %d %q: %v", query.Encode(), res.StatusCode, body, err)
	}
	return res.StatusCode, a
}

// TestSearchAPI: the suggestions' endpoint over Banten's real registry.
func TestSearchAPI(t *testing.T) {
	n := newNode(t)
	tps := n.Regions.TPSOf("3602")[0]
	tests := []struct {
		name      string
		query     url.Values
		status    int
		first     string // code of the first hit
		match     siaga.Match
		url       string
		atLeast   int    // total
		errField  string // of a refusal
		pathHints string // in the first hit's path
	}{
		{name: "a desa with a letter missing", query: url.Values{"q": {"sukamju"}}, status: 200,
			first: "3601122014", match: siaga.MatchTypo, url: "/wilayah/3601122014", atLeast: 4, pathHints: "Kec. "},
		{name: "a kab/kota by its start", query: url.Values{"q": {"pandeg"}}, status: 200,
			first: "3601", match: siaga.MatchPrefix, url: "/wilayah/3601", atLeast: 1},
		{name: "a TPS code", query: url.Values{"q": {tps.Code}}, status: 200,
			first: tps.Code, match: siaga.MatchCode, url: "/tps/" + tps.Code, atLeast: 1, pathHints: "Kab. Lebak"},
		{name: "query too long", query: url.Values{"q": {strings.Repeat("a", siaga.MaxSearchQuery+1)}}, status: 400, errField: "q"},
		{name: "limit zero", query: url.Values{"q": {"suka"}, "limit": {"0"}}, status: 400, errField: "limit"},
		{name: "limit too large", query: url.Values{"q": {"suka"}, "limit": {"101"}}, status: 400, errField: "limit"},
		{name: "bad cursor", query: url.Values{"q": {"suka"}, "cursor": {"x"}}, status: 400, errField: "cursor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, a := searchAPI(t, n.Handler, tt.query)
			if status != tt.status {
				t.Fatalf("status %d, want %d", status, tt.status)
			}
			if tt.errField != "" {
				if a.Error.Field != tt.errField {
					t.Errorf("error field %q, want %q", a.Error.Field, tt.errField)
				}
				return
			}
			if len(a.Hits) == 0 || a.Total < tt.atLeast {
				t.Fatalf("%d hits of %d, want at least %d", len(a.Hits), a.Total, tt.atLeast)
			}
			h := a.Hits[0]
			if h.Code != tt.first || h.Match != tt.match || h.URL != tt.url || !strings.Contains(h.Path, tt.pathHints) {
				t.Errorf("first hit %+v, want %s (%s) at %s, path with %q", h, tt.first, tt.match, tt.url, tt.pathHints)
			}
		})
	}
}

// TestSearchPage: /cari works without JavaScript, says "N dari M" with the
// API's total, pages to the end, and goes straight to a code typed whole.
func TestSearchPage(t *testing.T) {
	n := newNode(t)
	tps := n.Regions.TPSOf("3673")[2]

	res, _ := get(t, n.Handler, "/cari?q="+tps.Code[:4]+"."+tps.Code[4:6]+"."+tps.Code[6:10]+"."+tps.Code[10:]+"&kontes=dpr")
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusFound || loc != "/tps/"+tps.Code+"?kontes=dpr" {
		t.Errorf("a dotted TPS code: %d to %q, want its page", res.StatusCode, loc)
	}

	_, api := searchAPI(t, n.Handler, url.Values{"q": {"s"}})
	count := regexp.MustCompile(`(\d[\d.]*)–(\d[\d.]*) dari (\d[\d.]*) hasil`)
	next := "/cari?q=s"
	seen, pages := 0, 0
	for next != "" {
		res, body := get(t, n.Handler, next)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d", next, res.StatusCode)
		}
		m := count.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("GET %s says no \"N–M dari T\"", next)
		}
		if total := strings.ReplaceAll(m[3], ".", ""); total != strconv.Itoa(api.Total) {
			t.Fatalf("page %d says %s in all, the API %d", pages, total, api.Total)
		}
		seen += strings.Count(body, `<th scope="row"><a href=`)
		if last := strings.ReplaceAll(m[2], ".", ""); last != strconv.Itoa(seen) {
			t.Fatalf("page %d ends at %s, %d hits seen", pages, last, seen)
		}
		next = ""
		if l := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(body); l != nil {
			next = strings.ReplaceAll(l[1], "&amp;", "&")
		}
		if pages++; pages > 1000 {
			t.Fatal("pages never end")
		}
	}
	if seen != api.Total || pages < 2 {
		t.Errorf("paged through %d hits in %d pages, want all %d in more than one", seen, pages, api.Total)
	}

	_, body := get(t, n.Handler, "/cari?q=zzzzqqq")
	mustContain(t, "no hits", body, "Tidak ada yang cocok")
}

// TestSearchBoxOnEveryPage: the header's form is on the pages an official
// lands on, and works without a script.
func TestSearchBoxOnEveryPage(t *testing.T) {
	n := newNode(t)
	tps := n.Regions.TPSOf("3601")[0]
	for _, path := range []string{"/wilayah/36", "/wilayah/3601", "/tps/" + tps.Code, "/anomali", "/masuk", "/cari?q=serang", "/wilayah/9999"} {
		_, body := get(t, n.Handler, path)
		mustContain(t, path, body, `<form class="search" role="search" method="get" action="/cari">`, `name="q"`, "search.js")
	}
}

// TestSearchRate: one address asking without pause is slowed.
func TestSearchRate(t *testing.T) {
	n := newNode(t)
	limited := 0
	for i := 0; i < 100; i++ {
		rec := httptest.NewRecorder()
		n.Handler.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/search?q=suka", nil))
		if rec.Code == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Error("100 searches at once from one address were all answered")
	}
}
