package http

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/deskpemilu/siaga"
)

// FuzzDecodeSurvey: no body panics; a refusal is a user-facing error in
// both languages; what is accepted names a TPS, and the survey's text, the
// bytes whose signature is checked, decodes to exactly the survey that
// will be stored, so the signed bytes and the stored values cannot differ.
func FuzzDecodeSurvey(f *testing.F) {
	f.Add([]byte(`{"survey":{"device":"d","tps":"3601012001001","operator":"telkomsel","tech":"4g","rsrp":-104,` +
		`"data_ok":true,"down_kbps":512.5,"up_kbps":256.25,"rtt_ms":180,"link":"effectiveType=4g","lat":-6.7,"lon":105.9,` +
		`"surveyor":"Siti","at":"2024-02-14T03:00:00.000Z"},"signature":"c2ln"}`))
	f.Add([]byte(`{"survey":{"tps":"3601012001001","tech":"none","data_ok":false,"rsrp":null}}`))
	f.Add([]byte(`{"survey":null}`))
	f.Add([]byte(`{"survey":{"tps":""}}`))
	f.Add([]byte(`{"survey":{"tps":"x","rsrp":"-90"}}`))
	f.Add([]byte(`{"survey":{"tps":"x"},"extra":1}`))
	f.Add([]byte(`{"survey":{"tps":"x"}} {}`))
	f.Add([]byte(`{"survey":{"tps":"x","at":"kemarin"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, in, err := decodeSurvey(bytes.NewReader(body))
		if err != nil {
			e, ok := err.(*siaga.Error)
			if !ok || e.Message == "" || e.MessageEN == "" {
				t.Fatalf("error %v is not a user-facing error in both languages", err)
			}
			return
		}
		if in.TPS == "" {
			t.Fatal("accepted a survey without a TPS")
		}
		var again surveyIn
		dec := json.NewDecoder(bytes.NewReader(req.Survey))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&again); err != nil {
			t.Fatalf("the signed text does not decode: %v", err)
		}
		if !reflect.DeepEqual(again, in) {
			t.Fatalf("the signed text decodes to %+v, the survey stored is %+v", again, in)
		}
	})
}
