package logistics

import (
	"os"
	"strings"
	"testing"
)

// FuzzShipmentsCSV feeds the parser anything: it must answer with
// shipments whose every line has its row, or an error naming a row.
func FuzzShipmentsCSV(f *testing.F) {
	for _, name := range []string{"testdata/shipments_good.csv", "testdata/shipments_bad.csv"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("waybill,from,to,item,qty,mode\nA,1,2,x,1,truk\nA,1,2,y,2,truk\n")
	f.Add("waybill,from,to,item,qty,mode,received\nA,1,2,x,1,truk,\nA,1,2,y,2,truk,1\n")
	f.Fuzz(func(t *testing.T, in string) {
		list, err := parseShipmentsCSV(strings.NewReader(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "invalid: ") && !strings.Contains(err.Error(), "read shipments") {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		for _, is := range list {
			if is.sh.Waybill == "" || len(is.sh.Lines) == 0 || len(is.rows) != len(is.sh.Lines) {
				t.Fatalf("shipment %+v with rows %v", is.sh, is.rows)
			}
			if is.received != nil && len(is.received) != len(is.sh.Lines) {
				t.Fatalf("received %v for %d lines", is.received, len(is.sh.Lines))
			}
		}
	})
}
