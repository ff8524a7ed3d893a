package http

import (
	"context"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/incident"
	"github.com/deskpemilu/siaga/ui"
)

// incidentPages is the incident service as the pages use it (ui.Incidents):
// the lists read from the store, filtered there under the region the
// guard checked; every change through the service, which checks the
// step, the actor's right and the version.
type incidentPages struct {
	store siaga.IncidentStore
	svc   *incident.Service
}

func (p incidentPages) Incidents(ctx context.Context, f siaga.IncidentFilter) ([]siaga.Incident, error) {
	return p.store.Incidents(ctx, f)
}

func (p incidentPages) CountIncidents(ctx context.Context, f siaga.IncidentFilter) (int, error) {
	return p.store.CountIncidents(ctx, f)
}

func (p incidentPages) EachIncident(ctx context.Context, f siaga.IncidentFilter, fn func(*siaga.Incident) error) error {
	return p.store.EachIncident(ctx, f, fn)
}

func (p incidentPages) IncidentByID(ctx context.Context, id int64) (*siaga.Incident, error) {
	return p.store.IncidentByID(ctx, id)
}

func (p incidentPages) IncidentSteps(ctx context.Context, id int64) ([]siaga.IncidentStep, error) {
	return p.store.IncidentSteps(ctx, id)
}

func (p incidentPages) IncidentEvidence(ctx context.Context, id int64, sha string) (*siaga.IncidentEvidence, error) {
	return p.store.IncidentEvidence(ctx, id, sha)
}

// actor is who acts: the account, or the public known by the name given.
func actor(u *siaga.User, in *siaga.Incident) incident.Actor {
	if u != nil {
		return incident.Actor{User: u}
	}
	a := incident.Actor{}
	if in != nil {
		a.Public = in.ReporterName
	}
	return a
}

func (p incidentPages) Report(ctx context.Context, in *siaga.Incident, files [][]byte, u *siaga.User) (*siaga.Incident, error) {
	return p.svc.ReportWithEvidence(ctx, in, files, actor(u, in))
}

func (p incidentPages) Act(ctx context.Context, a ui.IncidentAction, u *siaga.User) (*siaga.Incident, error) {
	if u == nil { // the routes are staff routes; this keeps it so
		return nil, siaga.Errorf(siaga.EUnauthorized, "", "Masuk dulu", "sign in first")
	}
	return p.svc.Act(ctx, a.ID, incident.Action{Kind: a.Kind, Version: a.Version, Text: a.Text, Agency: a.Agency, Head: a.Head},
		incident.Actor{User: u})
}

func (p incidentPages) AddEvidence(ctx context.Context, id int64, data []byte, u *siaga.User) (string, error) {
	if u == nil {
		return "", siaga.Errorf(siaga.EUnauthorized, "", "Masuk dulu", "sign in first")
	}
	e, err := p.svc.AddEvidence(ctx, id, data, incident.Actor{User: u})
	if err != nil {
		return "", err
	}
	return e.SHA256, nil
}
