package demo

import (
	"testing"
	"time"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/simulate"
)

// TestCorrectionAfterItsReport: a correction that falls due while its KPPS
// report is still on its way waits for the report's answer; without that
// the server refuses it ("version 1 is out of date; the latest is 0"), as
// the end of a compressed night showed.
func TestCorrectionAfterItsReport(t *testing.T) {
	d := &driver{reported: map[reportKey]chan struct{}{}}
	report := simulate.Item{TPS: 7, Contest: siaga.DPRDKab, Source: siaga.SourceKPPS, Kind: simulate.Report, Version: 1}
	correction := report
	correction.Kind, correction.Version = simulate.Correction, 2
	other := report
	other.TPS = 8
	other.Kind = simulate.Correction

	released := make(chan struct{})
	go func() {
		<-d.reportDone(correction) // what send waits on for a correction
		close(released)
	}()
	close(d.reportDone(other)) // another TPS's report does not release it
	select {
	case <-released:
		t.Fatal("the correction went before its report was answered")
	case <-time.After(50 * time.Millisecond):
	}
	close(d.reportDone(report))
	select {
	case <-released:
	case <-time.After(5 * time.Second):
		t.Fatal("the correction still waits after its report was answered")
	}
}
