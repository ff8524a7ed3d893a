package site

import (
	"bufio"
	"bytes"
	"io"
)

// sniffer reads ahead in the first line to tell the field separator.
type sniffer struct{ *bufio.Reader }

func newSniffer(r io.Reader) sniffer { return sniffer{bufio.NewReaderSize(r, 4096)} }

// comma is ';' when the header has semicolons and no commas, else ','.
func (s sniffer) comma() rune {
	head, _ := s.Peek(4096) // a short file gives what there is
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	if bytes.IndexByte(head, ';') >= 0 && bytes.IndexByte(head, ',') < 0 {
		return ';'
	}
	return ','
}
