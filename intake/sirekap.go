package intake

import (
	"cmp"
	"context"

	"github.com/deskpemilu/siaga"
	"github.com/deskpemilu/siaga/sirekap"
)

// Import takes in a record of KPU's Sirekap, as `siaga import sirekap`
// reads it on the server, for its own contest or else contest. It builds
// on the latest version of its history (sirekap.Record.Submission), so
// that a changed record is a correction and an unchanged one a replay.
func (in *Intake) Import(ctx context.Context, rec *sirekap.Record, contest siaga.Contest) (siaga.IntakeResult, error) {
	contest = cmp.Or(rec.Contest, contest)
	latest := in.cfg.Results.LatestVersion(siaga.Key{TPS: rec.TPS, Contest: contest, Source: siaga.SourceSirekap})
	return in.Submit(ctx, rec.Submission(contest, latest), siaga.Credential{Kind: siaga.CredentialImport})
}
