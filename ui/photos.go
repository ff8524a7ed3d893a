package ui

import (
	"context"
	"fmt"
	"strconv"
)

// photoLine is what the TPS page shows of one version's photos.
type photoLine struct {
	Received, Expected int
	Links              []photoLink
}

type photoLink struct {
	Page int
	URL  string
}

// Text is the line on the TPS page: "2 dari 3 foto diterima".
func (l *photoLine) Text() string {
	if l == nil || l.Expected == 0 {
		return "belum ada foto"
	}
	return fmt.Sprintf("%d dari %d foto diterima", l.Received, l.Expected)
}

// photoLineOf summarises the photos of a submission for the dashboard; nil
// when photos are off or cannot be read (the page still renders).
func (h *Pages) photoLineOf(ctx context.Context, submission string) *photoLine {
	if h.Photos == nil {
		return nil
	}
	sum, err := h.Photos.Summary(ctx, submission)
	if err != nil {
		h.dashLog().Error("photo summary", "submission", submission, "err", err)
		return nil
	}
	l := &photoLine{Received: sum.Received, Expected: sum.Expected}
	for _, p := range sum.Pages {
		if p.Complete {
			l.Links = append(l.Links, photoLink{Page: p.Page, URL: "/foto/" + submission + "/" + strconv.Itoa(p.Page)})
		}
	}
	return l
}
