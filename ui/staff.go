package ui

import (
	"slices"
	"strings"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/auth"
)

// readsSMS reports whether u may read the SMS log: the roles that handle
// what arrives by SMS (KPU's operators, whose KPPS report by SMS from
// blank spots), Bawaslu, which oversees them, and admin, which runs the
// gateway. The log holds the phone numbers of field officers: nobody else
// needs them.
func (h *Pages) readsSMS(u *siaga.User) bool {
	return u != nil && slices.Contains(h.Roles.SMS, u.Role)
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

// VersionsFor gives u the versions of tps as it may see them, on the TPS
// page and in the API (GET /api/v1/tps/{code}): staff whose
// scope covers the TPS see who wrote each; everyone else sees the kind
// of author only.
func VersionsFor(u *siaga.User, tps string, vs []siaga.Version) []siaga.Version {
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
