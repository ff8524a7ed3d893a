package relay

import "errors"

// base45 (RFC 9285) uses exactly the QR code's alphanumeric character set,
// which packs 5.5 bits per character: the densest text a QR code holds, so
// the smallest code a cheap phone camera has to resolve.
const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

var base45Values = func() (v [256]int8) {
	for i := range v {
		v[i] = -1
	}
	for i := 0; i < len(base45Alphabet); i++ {
		v[base45Alphabet[i]] = int8(i)
	}
	return v
}()

func base45Encode(src []byte) string {
	out := make([]byte, 0, (len(src)+1)/2*3)
	for i := 0; i+1 < len(src); i += 2 {
		n := int(src[i])<<8 | int(src[i+1])
		out = append(out, base45Alphabet[n%45], base45Alphabet[n/45%45], base45Alphabet[n/2025])
	}
	if len(src)%2 == 1 {
		n := int(src[len(src)-1])
		out = append(out, base45Alphabet[n%45], base45Alphabet[n/45])
	}
	return string(out)
}

var errBase45 = errors.New("not base45")

func base45Decode(s string) ([]byte, error) {
	if len(s)%3 == 1 {
		return nil, errBase45
	}
	out := make([]byte, 0, len(s)/3*2+1)
	for i := 0; i < len(s); i += 3 {
		group := s[i:min(i+3, len(s))]
		n := 0
		for j := len(group) - 1; j >= 0; j-- {
			d := base45Values[group[j]]
			if d < 0 {
				return nil, errBase45
			}
			n = n*45 + int(d)
		}
		if len(group) == 3 {
			if n > 0xffff {
				return nil, errBase45
			}
			out = append(out, byte(n>>8), byte(n))
			continue
		}
		if n > 0xff {
			return nil, errBase45
		}
		out = append(out, byte(n))
	}
	return out, nil
}
