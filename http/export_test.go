package http

import (
	"github.com/deskpemilu/siaga"
)

// RouteRule is a route's authorization rule and limits, for the route ×
// role × scope test, which lives outside the package so that it can start
// a whole node.
type RouteRule struct {
	Pattern string
	Kind    string // public, signed, gateway, staff, metrics
	Roles   []siaga.Role
	Scope   string
	Body    int64
	Rated   bool
	Stream  bool
}

// RouteRules returns the route table's rules; every route passes check.
func RouteRules() ([]RouteRule, error) {
	var s Server
	var out []RouteRule
	names := map[accessKind]string{accessPublic: "public", accessSigned: "signed", accessGateway: "gateway",
		accessStaff: "staff", accessMetrics: "metrics"}
	for _, rt := range s.routes() {
		if err := rt.check(); err != nil {
			return nil, err
		}
		roles := rt.access.roles
		if rt.access.kind == accessStaff && roles == nil {
			roles = siaga.Roles
		}
		out = append(out, RouteRule{Pattern: rt.pattern, Kind: names[rt.access.kind], Roles: roles,
			Scope: rt.access.scope, Body: rt.limits.body, Rated: rt.limits.rate != nil || rt.limits.failures != nil, Stream: rt.limits.time == stream})
	}
	return out, nil
}
