package sms_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deskpemilu/siaga/sms"
	"github.com/deskpemilu/siaga/sms/kanneltest"
)

// TestKannelSend sends through a real Kannel's sendsms interface and reads
// what the phone network (fakesmsc) was given.
func TestKannelSend(t *testing.T) {
	k := kanneltest.Start(t, "http://127.0.0.1:9") // no incoming SMS in this test
	ctx := context.Background()
	wrong := sms.Kannel{URL: k.SendSMSURL(), User: kanneltest.SendUser, Password: "salah"}
	if err := wrong.Send(ctx, "+6281200000001", "x"); err == nil {
		t.Error("a wrong password was accepted")
	}
	down := sms.Kannel{URL: "http://127.0.0.1:9/cgi-bin/sendsms", User: kanneltest.SendUser, Password: kanneltest.SendPassword}
	if err := down.Send(ctx, "+6281200000001", "x"); err == nil {
		t.Error("no gateway, no error")
	}
	send := sms.Kannel{URL: k.SendSMSURL(), User: kanneltest.SendUser, Password: kanneltest.SendPassword}
	text := "SIAGA PERINGATAN DINI: 3 laporan kekerasan dalam 0,4 km dan 5 jam; biasanya 0,2/hari, kec 360105."
	if err := send.Send(ctx, "+6281200000001", text); err != nil {
		t.Fatal(err)
	}
	got := k.Receive(t, 1, 20*time.Second)
	if diff := cmp.Diff([]string{"+6281200000001 " + text}, got); diff != "" {
		t.Errorf("the phone network got (-want +got):\n%s", diff)
	}
}
