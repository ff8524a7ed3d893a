package relay

import (
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"testing"

	"github.com/deskpemilu/siaga"
)

// TestDeflateBomb: a message that inflates past MaxMessage is refused,
// however few chunks carry it.
func TestDeflateBomb(t *testing.T) {
	for _, tt := range []struct {
		n    int
		code string
	}{{MaxMessage, ""}, {MaxMessage + 1, siaga.ETooLarge}, {100 * MaxMessage, siaga.ETooLarge}} {
		t.Run(fmt.Sprint(tt.n), func(t *testing.T) {
			_, err := Decode(handMade(t, bytes.Repeat([]byte(" "), tt.n)))
			if siaga.ErrorCode(err) != tt.code {
				t.Errorf("err = %v, want code %q", err, tt.code)
			}
		})
	}
}

// handMade builds chunks as a hostile encoder would, without Encode's
// limit on the size of msg.
func handMade(t testing.TB, msg []byte) []string {
	t.Helper()
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(msg)
	w.Close()
	packed := buf.Bytes()
	n := (len(packed) + ChunkBytes - 1) / ChunkBytes
	var out []string
	for i := 0; i < n; i++ {
		part := packed[i*ChunkBytes : min((i+1)*ChunkBytes, len(packed))]
		out = append(out, fmt.Sprintf("SGA1:%08X:%d/%d:%s", crc32.ChecksumIEEE(packed), i+1, n, base45Encode(part)))
	}
	return out
}

func TestBase45(t *testing.T) {
	// RFC 9285, section 4.
	for _, tt := range []struct{ in, out string }{
		{"AB", "BB8"}, {"Hello!!", "%69 VD92EX0"}, {"base-45", "UJCLQE7W581"}, {"ietf!", "QED8WEX0"}, {"", ""},
	} {
		if got := base45Encode([]byte(tt.in)); got != tt.out {
			t.Errorf("encode %q = %q, want %q", tt.in, got, tt.out)
		}
		back, err := base45Decode(tt.out)
		if err != nil || string(back) != tt.in {
			t.Errorf("decode %q = %q, %v", tt.out, back, err)
		}
	}
	for _, bad := range []string{"GGW", "A", "ZZ", "ab"} {
		if _, err := base45Decode(bad); err == nil {
			t.Errorf("decode %q: no error", bad)
		}
	}
}
