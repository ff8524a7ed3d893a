package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
)

// enrolled is a device with its private key, as a field phone holds it.
type enrolled struct {
	*siaga.Device
	key ed25519.PrivateKey
}

func enrolDevice(tb testing.TB, s *Service, tps string, role siaga.Role) enrolled {
	tb.Helper()
	ctx := context.Background()
	code, err := s.IssueEnrolment(ctx, overseer(role), tps, role, time.Hour)
	if err != nil {
		tb.Fatal(err)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	d, _, err := s.Enrol(ctx, code, pub)
	if err != nil {
		tb.Fatal(err)
	}
	return enrolled{d, priv}
}

// overseer is an account that may enrol devices of role anywhere: the
// witness coordinator speaks for party 1.
func overseer(role siaga.Role) *siaga.User {
	switch role {
	case siaga.RoleSaksi:
		return &siaga.User{ID: 1, Username: "koord", Role: siaga.RoleSaksiKoord, Party: siaga.PartyOf(1)}
	case siaga.RolePTPS:
		return &siaga.User{ID: 1, Username: "bawaslu", Role: siaga.RoleBawaslu}
	}
	return &siaga.User{ID: 1, Username: "kpu", Role: siaga.RoleKPUProv}
}

func (e enrolled) sign(sub *siaga.Submission) *siaga.Submission {
	sub.Device = e.ID
	sub.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(e.key, sub.CanonicalBytes()))
	return sub
}

func ppwpForm(tps string, src siaga.Source) *siaga.Submission {
	return &siaga.Submission{
		ID: "0190f7a2-2b1c-7000-8000-000000000001", TPS: tps, Contest: siaga.PPWP, Source: src,
		Form: siaga.Form{
			Admin: siaga.Admin{"pemilih_dpt_j": 250, "suara_sah": 200, "suara_tidak_sah": 3, "suara_total": 203},
			Votes: &siaga.Votes{Options: map[string]int{"01": 70, "02": 80, "03": 50}},
		},
	}
}

func TestVerifySubmission(t *testing.T) {
	s, _ := newService(t)
	kpps := enrolDevice(t, s, tpsA, siaga.RoleKPPS)
	saksi := enrolDevice(t, s, tpsA, siaga.RoleSaksi)
	other := enrolDevice(t, s, tpsB, siaga.RoleKPPS)

	tests := []struct {
		name                string
		sub                 func() *siaga.Submission
		wantCode, wantField string
	}{
		{"kpps", func() *siaga.Submission { return kpps.sign(ppwpForm(tpsA, siaga.SourceKPPS)) }, "", ""},
		{"saksi", func() *siaga.Submission { return saksi.sign(ppwpForm(tpsA, siaga.SourceSaksi)) }, "", ""},
		{"changed number", func() *siaga.Submission {
			sub := kpps.sign(ppwpForm(tpsA, siaga.SourceKPPS))
			sub.Form.Votes.Options["02"] = 81
			return sub
		}, siaga.EUnauthorized, "signature"},
		{"changed id", func() *siaga.Submission {
			sub := kpps.sign(ppwpForm(tpsA, siaga.SourceKPPS))
			sub.ID = "0190f7a2-2b1c-7000-8000-000000000002"
			return sub
		}, siaga.EUnauthorized, "signature"},
		{"signed by another device", func() *siaga.Submission {
			sub := other.sign(ppwpForm(tpsA, siaga.SourceKPPS))
			sub.Device = kpps.ID
			return sub
		}, siaga.EUnauthorized, "signature"},
		{"no signature", func() *siaga.Submission {
			sub := kpps.sign(ppwpForm(tpsA, siaga.SourceKPPS))
			sub.Signature = ""
			return sub
		}, siaga.EUnauthorized, "signature"},
		{"not base64", func() *siaga.Submission {
			sub := kpps.sign(ppwpForm(tpsA, siaga.SourceKPPS))
			sub.Signature = "%%%"
			return sub
		}, siaga.EUnauthorized, "signature"},
		{"short signature", func() *siaga.Submission {
			sub := kpps.sign(ppwpForm(tpsA, siaga.SourceKPPS))
			sub.Signature = base64.StdEncoding.EncodeToString([]byte("pendek"))
			return sub
		}, siaga.EUnauthorized, "signature"},
		{"no device", func() *siaga.Submission {
			sub := kpps.sign(ppwpForm(tpsA, siaga.SourceKPPS))
			sub.Device = ""
			return sub
		}, siaga.EUnauthorized, "device"},
		{"unknown device", func() *siaga.Submission {
			sub := kpps.sign(ppwpForm(tpsA, siaga.SourceKPPS))
			sub.Device = "0190f7a2-2b1c-7000-8000-00000000dead"
			return sub
		}, siaga.EUnauthorized, "device"},
		{"other tps", func() *siaga.Submission { return other.sign(ppwpForm(tpsA, siaga.SourceKPPS)) }, siaga.EForbidden, "tps"},
		{"kpps as saksi", func() *siaga.Submission { return kpps.sign(ppwpForm(tpsA, siaga.SourceSaksi)) }, siaga.EForbidden, "source"},
		{"saksi as sirekap", func() *siaga.Submission { return saksi.sign(ppwpForm(tpsA, siaga.SourceSirekap)) }, siaga.EForbidden, "source"},
	}
	// A second service over the same store starts with a cold cache, so
	// both the store lookup and the cached path are exercised.
	cold := New(s.Store, s.Now)
	for _, svc := range []*Service{s, cold, cold} {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				sub := tt.sub()
				d, err := svc.VerifySubmission(context.Background(), sub)
				if tt.wantCode != "" {
					wantError(t, err, tt.wantCode, tt.wantField)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if d.ID != sub.Device || d.TPS != sub.TPS {
					t.Errorf("device %+v for submission of %s by %s", d, sub.TPS, sub.Device)
				}
			})
		}
	}
}

func BenchmarkVerifySubmission(b *testing.B) {
	s, _ := newService(b)
	kpps := enrolDevice(b, s, tpsA, siaga.RoleKPPS)
	sub := kpps.sign(ppwpForm(tpsA, siaga.SourceKPPS))
	ctx := context.Background()
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.VerifySubmission(ctx, sub); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The reference: the signature check alone, the irreducible work.
	b.Run("ed25519-only", func(b *testing.B) {
		msg := sub.CanonicalBytes()
		sig, _ := base64.StdEncoding.DecodeString(sub.Signature)
		for b.Loop() {
			if !ed25519.Verify(kpps.PublicKey, msg, sig) {
				b.Fatal("bad signature")
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.VerifySubmission(ctx, sub); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// A warmed service verifies without the database: here its context is
// already cancelled, so any lookup would fail.
func TestWarmDevices(t *testing.T) {
	s, c := newService(t)
	kpps := enrolDevice(t, s, tpsA, siaga.RoleKPPS)
	enrolDevice(t, s, tpsB, siaga.RoleKPPS)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()

	cold := New(s.Store, c.Now)
	if _, err := cold.VerifySubmission(cancelled, kpps.sign(ppwpForm(tpsA, siaga.SourceKPPS))); err == nil {
		t.Fatal("a cold cache verified a device without reading the store")
	}
	warm := New(s.Store, c.Now)
	n, err := warm.WarmDevices(context.Background())
	if err != nil || n != 2 {
		t.Fatalf("WarmDevices = %d, %v; want 2 devices", n, err)
	}
	if _, err := warm.VerifySubmission(cancelled, kpps.sign(ppwpForm(tpsA, siaga.SourceKPPS))); err != nil {
		t.Fatalf("a warmed cache still needed the store: %v", err)
	}
}
