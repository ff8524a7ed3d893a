package demo_test

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/client"
	"github.com/deskpemilu/siaga/demo"
)

// TestDemo plays a short night for one kecamatan through the real server
// and checks that the forms arrived, as signed devices and an operator
// would send them, and that the dashboard answers.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	urls := make(chan string, 1)
	finished := make(chan [2]int64, 1)
	done := make(chan error, 1)
	go func() {
		done <- demo.Run(ctx, demo.Config{
			DataDir: filepath.Join(t.TempDir(), "demo"), Addr: "127.0.0.1:0",
			Night: 3 * time.Second, Region: "360101", Seed: 7,
			Ready:    func(u string) { urls <- u },
			Finished: func(sent, refused int64) { finished <- [2]int64{sent, refused} },
		})
	}()
	var url string
	select {
	case url = <-urls:
	case err := <-done:
		t.Fatalf("demo stopped before serving: %v", err)
	}
	var counts [2]int64
	select {
	case counts = <-finished:
	case err := <-done:
		t.Fatalf("demo stopped before the night ended: %v", err)
	}
	if counts[0] == 0 || counts[1] != 0 {
		t.Fatalf("sent %d forms with %d refused, want some and none refused", counts[0], counts[1])
	}
	c := &client.Client{BaseURL: url}
	tally, err := c.Tally(ctx, siaga.PPWP, "360101")
	if err != nil {
		t.Fatal(err)
	}
	if tally.TPSReported < tally.TPSTotal*9/10 || tally.Votes["02"] <= tally.Votes["03"] {
		t.Errorf("after the night the kecamatan tally is %+v; want nearly every TPS and realistic shares", tally)
	}
	resp, err := http.Get(url + "/wilayah/360101")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "Sumur") {
		t.Errorf("dashboard page: status %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("demo.Run: %v", err)
	}
}
