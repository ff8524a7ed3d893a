package http_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/deskpemilu/siaga"
)

// TestMissingList: the region page's "TPS belum melapor" is complete (every
// TPS, paged, "N–M dari T"), tells nothing-received from
// received-incomplete with counts of each, and downloads whole.
func TestMissingList(t *testing.T) {
	w := newNight(t)
	h := w.n.Handler
	desa := siaga.ParentCode(w.tpsA.Code)
	kec := siaga.ParentCode(desa)
	all := len(w.n.Regions.TPSOf(kec))
	// One TPS of the kecamatan sends a form without its vote page (R12).
	incomplete := w.n.Regions.TPSOf(kec)[1]
	f := ppwpForm(incomplete.DPT, [3]int{10, 10, 10}, 0)
	f.Votes = nil
	submit(t, w.n, incomplete.Code, siaga.SourceKPPS, f)

	t.Run("counts and the first page", func(t *testing.T) {
		_, body := get(t, h, "/wilayah/"+kec)
		// Presiden (the page's contest): TPS A is complete, one TPS is
		// incomplete, the rest sent nothing.
		mustContain(t, "region page", body,
			strconv.Itoa(all-2)+" TPS <strong>belum ada kiriman</strong>",
			"1 TPS <strong>diterima, tidak lengkap</strong>",
			"Menampilkan 1–"+strconv.Itoa(min(all-1, 100))+" dari "+strconv.Itoa(all-1)+" TPS")
	})
	t.Run("paging collects every TPS once", func(t *testing.T) {
		kab := siaga.ParentCode(kec) // 3,759 TPS: 38 pages
		all := len(w.n.Regions.TPSOf(kab))
		seen := map[string]bool{}
		next := "/wilayah/" + kab
		row := regexp.MustCompile(`<th scope="row"><a href="/tps/(\d{13})">`)
		link := regexp.MustCompile(`<a href="([^"]+)">berikutnya`)
		for pages := 0; next != ""; pages++ {
			if pages > all {
				t.Fatal("the pages do not end")
			}
			_, body := get(t, h, strings.ReplaceAll(next, "&amp;", "&"))
			section := body[strings.Index(body, `id="belum"`):]
			for _, m := range row.FindAllStringSubmatch(section, -1) {
				if seen[m[1]] {
					t.Errorf("%s listed twice", m[1])
				}
				seen[m[1]] = true
			}
			next = ""
			if m := link.FindStringSubmatch(section); m != nil {
				next = m[1]
			}
		}
		if len(seen) != all-1 || seen[w.tpsA.Code] {
			t.Errorf("paging collected %d TPS, want every one but TPS A (%d)", len(seen), all-1)
		}
	})
	t.Run("only the incomplete", func(t *testing.T) {
		_, body := get(t, h, "/wilayah/"+kec+"?jenis=incomplete")
		mustContain(t, "incomplete filter", body, "dari 1 TPS", incomplete.Code, "diterima, tidak lengkap")
	})
	t.Run("download", func(t *testing.T) {
		recs := csvTable(t, h, "/wilayah/"+kec+"/belum.csv")
		if len(recs)-1 != all-1 {
			t.Errorf("CSV has %d TPS, want %d", len(recs)-1, all-1)
		}
		if res, _ := get(t, h, "/wilayah/"+kec+"/belum.csv?jenis=semua"); res.StatusCode != 400 {
			t.Errorf("an unknown jenis: %d, want 400 before any file", res.StatusCode)
		}
		only := csvTable(t, h, "/wilayah/"+kec+"/belum.csv?jenis=incomplete")
		if len(only) != 2 || only[1][0] != incomplete.Code || only[1][column(t, only, "keadaan")] != "diterima, tidak lengkap" {
			t.Errorf("incomplete CSV = %q", only)
		}
	})
}

// TestPrintHeads: every official page says on paper what it is, when its
// data was read and where it came from, since paper has no address bar.
func TestPrintHeads(t *testing.T) {
	w := newNight(t)
	for _, path := range []string{"/wilayah/36", "/wilayah/3601", "/tps/" + w.tpsA.Code, "/anomali?wilayah=3601", "/masuk"} {
		_, body := get(t, w.n.Handler, path)
		i := strings.Index(body, `<div class="print-head"`)
		if i < 0 {
			t.Errorf("%s has no print head", path)
			continue
		}
		if head := body[i:min(len(body), i+600)]; !strings.Contains(head, path) {
			t.Errorf("%s: the print head does not give the page's address:\n%s", path, head)
		}
	}
}
