package sqldb

import (
	"encoding/json"

	"github.com/deskpemilu/siaga"
)

// A version that comes with its FormJSON (every version the engine
// stores) keeps those bytes: the form's canonical JSON, which its hash
// covers. One that comes without is encoded as storedForm, siaga.Form
// without omitempty, so that the store gives back exactly the value it was
// given, empty maps and all (storetest checks). The two read back the same
// for every rule: an empty section counts as missing (R12) whether it is
// stored or not.
type storedForm struct {
	Admin map[string]int `json:"administrasi"`
	Votes *storedVotes   `json:"suara"`
}

type storedVotes struct {
	Parties map[string]storedParty `json:"partai"`
	Options map[string]int         `json:"pilihan"`
}

type storedParty struct {
	Candidates map[string]int `json:"caleg"`
	Total      *int           `json:"jumlah"`
	Party      int            `json:"suara_partai"`
}

func encodeForm(f *siaga.Form) ([]byte, error) {
	s := storedForm{Admin: f.Admin}
	if v := f.Votes; v != nil {
		s.Votes = &storedVotes{Options: v.Options}
		if v.Parties != nil {
			s.Votes.Parties = make(map[string]storedParty, len(v.Parties))
			for k, p := range v.Parties {
				s.Votes.Parties[k] = storedParty(p)
			}
		}
	}
	return json.Marshal(&s)
}

func decodeForm(b []byte, f *siaga.Form) error {
	var s storedForm
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*f = siaga.Form{Admin: s.Admin}
	if v := s.Votes; v != nil {
		f.Votes = &siaga.Votes{Options: v.Options}
		if v.Parties != nil {
			f.Votes.Parties = make(map[string]siaga.PartyVotes, len(v.Parties))
			for k, p := range v.Parties {
				f.Votes.Parties[k] = siaga.PartyVotes(p)
			}
		}
	}
	return nil
}
