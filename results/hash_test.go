package results_test

import (
	"context"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/results"
)

// TestVersionHashCoversStoredBytes: the hash the engine gives a version
// and the one VerifyChain recomputes from the stored version cover the
// same bytes, the form's canonical JSON, even where encoding/json would
// escape a character (& < > in a key) that the canonical JSON keeps.
func TestVersionHashCoversStoredBytes(t *testing.T) {
	reg, el := world()
	store := stores()[0].open(t)
	e := startEngine(t, store, reg, el, time.Now)
	const tps = "3601012001001"
	forms := []siaga.Form{ppwpForm(100, 50, 20), ppwpForm(100, 50, 21)}
	forms[0].Admin["catatan_<&>"] = 1
	forms[1].Votes.Options["<03>"] = 0
	for i, f := range forms {
		sub := siaga.Submission{ID: newID(), TPS: tps, Contest: siaga.PPWP, Source: siaga.SourceKPPS, Form: f, Replaces: i}
		if i > 0 {
			sub.Reason = "koreksi & <catatan>"
		}
		mustSubmit(t, e, sub)
	}
	history, err := store.VersionsOfTPS(context.Background(), tps)
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 2 {
		t.Fatalf("%d versions stored, want 2", len(history))
	}
	if at := results.VerifyChain(history); at != 0 {
		t.Errorf("the chain breaks at version %d: VersionHash covers other bytes than the engine hashed", at)
	}
}
