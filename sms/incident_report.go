package sms

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/deskpemilu/siaga"
)

// incidentRoles are the devices whose code makes an SMS report theirs: the
// TPS's officers and its supervisor. A witness's phone reports to its
// party, not to the desk.
var incidentRoles = map[siaga.Role]bool{siaga.RoleKPPS: true, siaga.RolePTPS: true}

// laporTitle bounds the title made from the first words of the text.
const laporTitle = 80

// lapor turns a LAPOR message into an incident report.
func (s *Service) lapor(ctx context.Context, m *siaga.SMSMessage) (string, string, error) {
	l, err := ParseLapor(m.Text)
	if err != nil {
		var e *siaga.Error
		errors.As(err, &e)
		return laporHelpReply(e), siaga.SMSUnreadable, nil
	}
	m.TPS = l.TPS
	if s.cfg.ReportIncident == nil {
		return laporOffReply, siaga.SMSRefused, nil
	}
	var d *siaga.Device
	if l.Code != "" && l.TPS != "" {
		if d, err = s.incidentDevice(ctx, l); err != nil {
			return "", "", err
		}
	}
	in := &siaga.Incident{
		Category: l.Category, Severity: l.Severity, OccurredAt: m.At, Region: l.Region, TPS: l.TPS,
	}
	if d != nil {
		m.Device = d.ID
		in.Channel, in.ReporterDevice, in.Text = siaga.ChannelSMS, d.ID, l.Text
		in.ClientID = laporClientID(m.Number, l.Canonical())
	} else {
		// No device made the code (or none was given): anyone's report,
		// the text as sent, to the moderation queue.
		in.Channel, in.Sender, in.ReporterPhone, in.Text = siaga.ChannelPublicSMS, m.Number, m.Number, l.Plain
		in.ClientID = laporClientID(m.Number, l.PublicCanonical())
	}
	in.Title = title(in.Text)
	got, err := s.cfg.ReportIncident(ctx, in)
	if err != nil {
		var e *siaga.Error
		switch {
		case errors.As(err, &e) && e.Code == siaga.ETooMany:
			return laporLimitReply, siaga.SMSLimited, nil
		case errors.As(err, &e) && e.Code != siaga.EInternal && e.Code != siaga.EUnavailable:
			return laporRefusedReply(e), siaga.SMSRefused, nil
		}
		return "", "", fmt.Errorf("sms: reporting an incident: %w", err)
	}
	return laporReply(got), siaga.SMSIncident, nil
}

// incidentDevice finds the officer's device of the TPS that made the code.
func (s *Service) incidentDevice(ctx context.Context, l *Lapor) (*siaga.Device, error) {
	devices, err := s.cfg.Store.DevicesOfTPS(ctx, l.TPS)
	if err != nil {
		return nil, fmt.Errorf("sms: devices of TPS %s: %w", l.TPS, err)
	}
	canonical := l.Canonical()
	for i := range devices {
		d := &devices[i]
		if !incidentRoles[d.Role] {
			continue
		}
		secret, err := s.secret(d)
		if err != nil {
			return nil, err
		}
		if codeMatches(secret, canonical, l.Code) {
			return d, nil
		}
	}
	return nil, nil
}

// laporClientID makes a resent SMS (a new gateway id, the same sender and
// words) the same report.
func laporClientID(number, canonical string) string {
	sum := sha256.Sum256([]byte(number + "\n" + canonical))
	return "sms:" + hex.EncodeToString(sum[:16])
}

// title is the first words of text, cut at a word.
func title(text string) string {
	if len([]rune(text)) <= laporTitle {
		return text
	}
	r := []rune(text)[:laporTitle]
	if i := strings.LastIndexByte(string(r), ' '); i > laporTitle/2 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}

// Replies name both languages in few words: one SMS is 160 characters.

const laporOffReply = "SIAGA LAPOR: pelaporan insiden tidak aktif di server ini / incident reports are off on this server."

const laporLimitReply = "SIAGA LAPOR ditolak/refused: batas laporan dari nomor ini tercapai / too many reports from this number. Coba lagi nanti / try later."

func laporReply(in *siaga.Incident) string {
	if in.Channel.Public() {
		return fit(fmt.Sprintf("SIAGA LAPOR #%d diterima/received, menunggu verifikasi / awaiting review. Terima kasih.", in.ID))
	}
	place := in.TPS
	if place == "" {
		place = in.Region
	}
	return fit(fmt.Sprintf("SIAGA LAPOR #%d diterima/received: %s %s %s. Status %s.", in.ID, in.Category, in.Severity, place, in.Status))
}

// laporHelpReply names the token that could not be read and the format.
func laporHelpReply(e *siaga.Error) string {
	bad := "format"
	if e != nil {
		bad = e.Message
	}
	return fit("SIAGA LAPOR tidak terbaca/unreadable: " + bad + ". Format: LAPOR <TPS/desa> <kategori> <isi>, mis. LAPOR 3601012001001 UANG amplop")
}

func laporRefusedReply(e *siaga.Error) string {
	return fit(fmt.Sprintf("SIAGA LAPOR ditolak/refused: %s / %s.", e.Message, e.MessageEN))
}
