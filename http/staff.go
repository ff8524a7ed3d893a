package http

import (
	"net/http"
	"slices"
	"strings"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// handleRevokeDevice serves POST /api/v1/devices/{id}/revoke: whoever may
// enrol such a device in its scope, or admin, stops it at once on every
// node (auth.Service.RevokeDevice). The body is ignored.
func (s *Server) handleRevokeDevice(w http.ResponseWriter, r *http.Request) {
	d, err := s.Auth.RevokeDevice(r.Context(), s.account(r), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, d)
}

// readsSMS reports whether u may read the SMS log: the roles that handle
// what arrives by SMS (KPU's operators, whose KPPS report by SMS from
// blank spots), Bawaslu, which oversees them, and admin, which runs the
// gateway. The log holds the phone numbers of field officers: nobody else
// needs them.
func readsSMS(u *siaga.User) bool {
	return u != nil && slices.Contains(smsRoles, u.Role)
}

// publicAuthor is what the public sees of a version's author: which kind
// of source wrote it, never which device or which person.
func publicAuthor(author string) string {
	kind, _, found := strings.Cut(author, ":")
	switch {
	case !found:
		return author
	case kind == "device":
		return "perangkat"
	case kind == "user":
		return "operator"
	case kind == "import":
		return author // a process, "import:sirekap"
	}
	return kind
}

// versionsFor gives u the versions of tps as it may see them: staff whose
// scope covers the TPS see who wrote each; everyone else sees the kind
// of author only.
func versionsFor(u *siaga.User, tps string, vs []siaga.Version) []siaga.Version {
	if auth.CanSee(u, tps) {
		return vs
	}
	out := make([]siaga.Version, len(vs))
	for i, v := range vs {
		v.Author = publicAuthor(v.Author)
		out[i] = v
	}
	return out
}
