package ui

import (
	"net/url"
	"testing"

	"github.com/deskpemilu/siaga"
)

// FuzzSurveyInput: whatever a browser posts, the survey form's parser
// returns a survey or names one of the form's fields; it never panics.
func FuzzSurveyInput(f *testing.F) {
	f.Add("-95", "", "ya", "800,5", "-6.1", "106.2", "2024-02-10T09:30")
	f.Add("kuat", "-80", "tidak", "", "", "106.2", "kemarin")
	f.Fuzz(func(t *testing.T, rsrp, rssi, dataOK, down, lat, lon, at string) {
		form := url.Values{"tps": {"3604012005001"}, "operator": {"xl"}, "tech": {"4g"}, "rsrp": {rsrp}, "rssi": {rssi},
			"data_ok": {dataOK}, "down_kbps": {down}, "lat": {lat}, "lon": {lon}, "surveyor": {"Siti"}, "at": {at}}
		_, fe := readSurveyInput(form).survey(siaga.SurveyWeb)
		if fe == nil {
			return
		}
		known := false
		for _, k := range surveyFields {
			known = known || fe.Field == k
		}
		if !known || fe.Message == "" || fe.MessageEN == "" {
			t.Errorf("error %+v names no field of the form, or lacks a language", fe)
		}
	})
}
